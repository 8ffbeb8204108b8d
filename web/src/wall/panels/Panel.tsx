import type { ReactNode } from 'react';

/** A framed wall panel with a title bar. */
export function Panel({
  title,
  extra,
  className,
  children,
  testId,
}: {
  title: string;
  extra?: ReactNode;
  className?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId}>
      <header className="panel-head">
        <h2>{title}</h2>
        {extra ? <div className="panel-extra">{extra}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

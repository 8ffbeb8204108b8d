import type { ReactNode } from 'react';
import { useMe } from './auth.tsx';
import { LocaleSwitch, useT } from './i18n.tsx';

/** The header bar of a desk page (/dispatch, /analytics): product and page title, the page's own controls, the user, the language switch. */
export function DeskHeader({
  title,
  sub,
  children,
}: {
  title: string;
  sub?: ReactNode;
  children?: ReactNode;
}) {
  const t = useT();
  const me = useMe();
  return (
    <header className="dh">
      <div className="dh-left">
        <span className="dh-mark" aria-hidden="true" />
        <h1>
          {t('app.title')} · {title}
        </h1>
        {sub}
      </div>
      <div className="dh-right">
        {children}
        {me.data ? (
          <span className="dh-user">
            {me.data.displayName} · {t(`role.${me.data.role}`)}
          </span>
        ) : null}
        <LocaleSwitch className="btn ghost" />
      </div>
    </header>
  );
}

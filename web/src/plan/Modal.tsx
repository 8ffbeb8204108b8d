import { useEffect, type ReactNode } from 'react';

// A dialog over the planner's desk: a click outside it or Esc closes it.
export function Modal({
  label,
  className,
  testId,
  onClose,
  children,
}: {
  label: string;
  className: string;
  testId: string;
  onClose(): void;
  children: ReactNode;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      // The desk's own Esc (cancel a sketch) must not act behind an open dialog.
      e.stopPropagation();
      onClose();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div className="plan-report-backdrop" onClick={onClose}>
      <div
        className={className}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
      >
        {children}
      </div>
    </div>
  );
}

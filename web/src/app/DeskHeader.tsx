import { DESKS_OF_ROLE, type Desk } from '@gcc/shared';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useMe } from './auth.tsx';
import { CalendarDueLink } from './CalendarDue.tsx';
import { HistoryLoadingNotice } from './HistoryLoading.tsx';
import { LocaleSwitch, useT } from './i18n.tsx';

/**
 * The header bar of a desk page (/dispatch, /analytics, /plan, /admin): product and page title,
 * the page's own controls, a link to every other desk the signed-in role may use, the user, the
 * language switch.
 */
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
  const { pathname } = useLocation();
  const desks: readonly Desk[] = me.data ? DESKS_OF_ROLE[me.data.role] : [];
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
        <HistoryLoadingNotice />
        <CalendarDueLink />
        {children}
        <nav className="dh-nav" data-testid="desk-nav">
          {desks
            .filter((d) => `/${d}` !== pathname)
            .map((d) => (
              <Link key={d} className="btn ghost" to={`/${d}`} data-testid={`nav-${d}`}>
                {t(`nav.${d}`)}
              </Link>
            ))}
        </nav>
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

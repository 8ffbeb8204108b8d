import { PLANNERS } from '@gcc/shared';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useMe } from './auth.tsx';
import { LocaleSwitch, useT } from './i18n.tsx';

/** The header bar of a desk page (/dispatch, /analytics, /plan): product and page title, the page's own controls, the planner link for those who plan, the user, the language switch. */
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
  // The boundary planner is reached from every desk by those who plan (planners, administrators).
  const planner = me.data && PLANNERS.includes(me.data.role) && pathname !== '/plan';
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
        {planner ? (
          <Link className="btn ghost" to="/plan" data-testid="nav-plan">
            {t('nav.plan')}
          </Link>
        ) : null}
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

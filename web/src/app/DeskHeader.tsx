import { DESKS, DESKS_OF_ROLE, type Desk } from '@gcc/shared';
import { Children, isValidElement, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useMe } from './auth.tsx';
import { LocaleSwitch, useT } from './i18n.tsx';

const DESK_PATHS: readonly string[] = DESKS.map((d) => `/${d}`);

/** A page's own link to a desk, now that the header links every desk of the role. */
function isDeskLink(node: ReactNode): boolean {
  return (
    isValidElement<{ to?: unknown }>(node) &&
    node.type === Link &&
    typeof node.props.to === 'string' &&
    DESK_PATHS.includes(node.props.to)
  );
}

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
  // Pages that still pass their own desk links: the nav below holds them, once and by role.
  const own = Children.toArray(children).filter((c) => !isDeskLink(c));
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
        {own}
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

import type { MessageKey } from '@gcc/shared/messages';
import { Link } from 'react-router';
import { LocaleSwitch, useT } from '../app/i18n.tsx';

const MODULES: MessageKey[] = ['nav.wall', 'nav.dispatch', 'nav.plan', 'nav.analytics', 'nav.admin'];
const PATHS: Record<string, string> = {
  'nav.wall': '/wall',
  'nav.dispatch': '/dispatch',
  'nav.plan': '/plan',
  'nav.analytics': '/analytics',
  'nav.admin': '/admin',
};

/** A module that is not built yet says so, in the user's language. */
export default function PlaceholderPage({ module }: { module: MessageKey }) {
  const t = useT();
  return (
    <main className="placeholder">
      <LocaleSwitch />
      <p>{t('app.title')}</p>
      <h1>{t(module)}</h1>
      <p>{t('placeholder.comingSoon')}</p>
      <nav>
        {MODULES.filter((m) => m !== module).map((m) => (
          <Link key={m} to={PATHS[m] ?? '/wall'}>
            {t(m)}
          </Link>
        ))}
      </nav>
    </main>
  );
}

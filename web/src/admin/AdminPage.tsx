import { useSearchParams } from 'react-router';
import { useMe } from '../app/auth.tsx';
import { DeskHeader } from '../app/DeskHeader.tsx';
import { useT } from '../app/i18n.tsx';
import { CalendarTab } from './CalendarTab.tsx';
import { CategoryTab } from './CategoryTab.tsx';
import { RosterTab } from './RosterTab.tsx';
import '../app/desk.css';
import './admin.css';

// 系统管理: the administrator's desk. Three tabs: the category table with its time limits
// (事件分类与时限), the work calendars of the jurisdictions (工作日历) and the grids' weekly
// rosters (排班). The tab is in the address (`?tab=calendars`) so a link or a reload lands on it.

const TABS = ['categories', 'calendars', 'roster'] as const;
const TAB_LABEL = {
  categories: 'admin.tab.categories',
  calendars: 'admin.tab.calendars',
  roster: 'admin.tab.roster',
} as const;
type Tab = (typeof TABS)[number];

export default function AdminPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab: Tab = TABS.find((k) => k === asked) ?? 'categories';

  return (
    <div className="ad desk" data-testid="admin">
      <DeskHeader title={t('nav.admin')}></DeskHeader>
      <nav className="ad-tabs" role="tablist">
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? 'on' : undefined}
            onClick={() => setParams(k === 'categories' ? {} : { tab: k })}
            data-testid={`ad-tab-${k}`}
          >
            {t(TAB_LABEL[k])}
          </button>
        ))}
      </nav>
      <main className="ad-main" role="tabpanel">
        {me.data && me.data.role !== 'admin' ? (
          <p className="ad-error" role="alert">
            {t('admin.forbidden')}
          </p>
        ) : tab === 'categories' ? (
          <CategoryTab />
        ) : tab === 'calendars' ? (
          <CalendarTab />
        ) : (
          <RosterTab />
        )}
      </main>
    </div>
  );
}

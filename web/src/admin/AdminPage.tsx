import { useSearchParams } from 'react-router';
import { useMe } from '../app/auth.tsx';
import { DeskHeader } from '../app/DeskHeader.tsx';
import { useT } from '../app/i18n.tsx';
import { AuditTab } from './AuditTab.tsx';
import { CalendarTab } from './CalendarTab.tsx';
import { CategoryTab } from './CategoryTab.tsx';
import { DevicesTab } from './DevicesTab.tsx';
import { KioskTab } from './KioskTab.tsx';
import { RosterTab } from './RosterTab.tsx';
import { UsersTab } from './UsersTab.tsx';
import '../app/desk.css';
import './admin.css';

// 系统管理: the administrator's desk, one file per tab: the accounts of the jurisdiction (用户),
// device credentials (设备), kiosk tokens of the walls (大屏令牌), the audit log (审计日志), the
// category table with its time limits (事件分类与时限), the work calendars (工作日历) and the
// grids' weekly rosters (排班). The tab is in the address (`?tab=users`) so a link or a reload
// lands on it.

const TABS = ['users', 'devices', 'kiosk', 'audit', 'categories', 'calendars', 'roster'] as const;
const TAB_LABEL = {
  users: 'admin.tab.users',
  devices: 'admin.tab.devices',
  kiosk: 'admin.tab.kiosk',
  audit: 'admin.tab.audit',
  categories: 'admin.tab.categories',
  calendars: 'admin.tab.calendars',
  roster: 'admin.tab.roster',
} as const;
type Tab = (typeof TABS)[number];

const PANEL: Record<Tab, () => React.JSX.Element> = {
  users: UsersTab,
  devices: DevicesTab,
  kiosk: KioskTab,
  audit: AuditTab,
  categories: CategoryTab,
  calendars: CalendarTab,
  roster: RosterTab,
};

export default function AdminPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab: Tab = TABS.find((k) => k === asked) ?? 'users';
  const Panel = PANEL[tab];

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
            onClick={() => setParams(k === 'users' ? {} : { tab: k })}
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
        ) : (
          <Panel />
        )}
      </main>
    </div>
  );
}

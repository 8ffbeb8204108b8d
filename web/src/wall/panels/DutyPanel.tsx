import { useQuery } from '@tanstack/react-query';
import { DUTY_STATES } from '@gcc/shared';
import { useT } from '../../app/i18n.tsx';
import { useTRPC } from '../../app/trpc.ts';
import { dutyCss } from '../../live/duty-colors.ts';
import { useStore } from '../../live/store.ts';
import { liveStatus } from '../live-status.ts';
import { Panel } from './Panel.tsx';

/** Workers on the map by duty state, as one proportional bar and a count per state. */
export function DutyPanel() {
  const t = useT();
  const { byDuty, present } = useStore(liveStatus);
  const order = ['available', 'enroute', 'onsite', 'busy', 'off'] as const;
  const trpc = useTRPC();
  // Refetched when an alert event arrives (use-wall-live.ts); the poll is a safety net.
  const alerts = useQuery({ ...trpc.alerts.open.queryOptions(), refetchInterval: 60_000 });
  const alertCount = (kind: string) => alerts.data?.filter((a) => a.kind === kind).length ?? 0;
  // Outside the grid for a reason (on a case or walking back): shown apart from the 离岗 alert, not in red.
  const away = useQuery({ ...trpc.workers.away.queryOptions(), refetchInterval: 30_000 });
  const onCase = away.data?.workers.filter((w) => w.reason !== null).length ?? 0;
  return (
    <Panel title={t('wall.workerStatus')} className="duty-panel">
      <div className="duty-bar" aria-hidden="true">
        {order.map((d) => {
          const n = byDuty[DUTY_STATES.indexOf(d)] ?? 0;
          return n > 0 ? <span key={d} style={{ flexGrow: n, background: dutyCss(d) }} /> : null;
        })}
        {present === 0 ? <span style={{ flexGrow: 1 }} className="duty-empty" /> : null}
      </div>
      <ul className="duty-list">
        {order.map((d) => (
          <li key={d}>
            <span className="dot" style={{ background: dutyCss(d) }} />
            <span className="duty-name">{t(`duty.${d}`)}</span>
            <span className="duty-count" data-testid={`duty-count-${d}`}>
              {(byDuty[DUTY_STATES.indexOf(d)] ?? 0).toLocaleString('zh-CN')}
            </span>
          </li>
        ))}
      </ul>
      <ul className="duty-list duty-alerts" aria-label={t('wall.workerAlerts')}>
        {(['worker-left-grid', 'worker-silent'] as const).map((k) => (
          <li key={k} className={alertCount(k) > 0 ? 'alerting' : undefined}>
            <span className="dot alert-dot" />
            <span className="duty-name">{t(`alert.${k}`)}</span>
            <span className="duty-count" data-testid={`alert-count-${k}`}>
              {alertCount(k).toLocaleString('zh-CN')}
            </span>
          </li>
        ))}
        <li className="away-on-case" title={t('away.title')}>
          <span className="dot away-dot" />
          <span className="duty-name">{t('wall.awayOnCase')}</span>
          <span className="duty-count" data-testid="away-on-case">
            {onCase.toLocaleString('zh-CN')}
          </span>
        </li>
      </ul>
    </Panel>
  );
}

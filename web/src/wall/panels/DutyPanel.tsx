import { DUTY_STATES } from '@gcc/shared';
import { useT } from '../../app/i18n.tsx';
import { dutyCss } from '../../live/duty-colors.ts';
import { useStore } from '../../live/store.ts';
import { liveStatus } from '../live-status.ts';
import { Panel } from './Panel.tsx';

/** Workers on the map by duty state, as one proportional bar and a count per state. */
export function DutyPanel() {
  const t = useT();
  const { byDuty, present } = useStore(liveStatus);
  const order = ['available', 'enroute', 'onsite', 'busy', 'off'] as const;
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
            <span className="duty-count" data-testid={`duty-count-${d}`}>{(byDuty[DUTY_STATES.indexOf(d)] ?? 0).toLocaleString('zh-CN')}</span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

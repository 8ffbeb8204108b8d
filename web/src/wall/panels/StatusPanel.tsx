import { CASE_STATUSES, type CaseStatus } from '@gcc/shared';
import { useT } from '../../app/i18n.tsx';
import { Panel } from './Panel.tsx';

const TONE: Record<CaseStatus, string> = {
  reported: '#36c5f0',
  registered: '#4d9dff',
  rejected: '#6f7f99',
  dispatched: '#8f7bff',
  accepted: '#b38bff',
  handling: '#ffb020',
  handled: '#ffd166',
  verified: '#7ee0a8',
  closed: '#2ee6a6',
  evaluated: '#1fb58a',
  merged: '#56657d',
};

/**
 * Today's cases by status along the case lifecycle, one bar per status. The numbers are
 * `cases.today.byStatus` and carry `data-testid="status-count-<status>"` for the tests.
 */
export function StatusPanel({
  byStatus,
  total,
}: {
  byStatus: Record<string, number> | null;
  total: number | null;
}) {
  const t = useT();
  const max = Math.max(1, ...CASE_STATUSES.map((s) => byStatus?.[s] ?? 0));
  return (
    <Panel
      title={t('wall.byStatus')}
      className="status-panel"
      extra={
        <span className="panel-total">
          {t('wall.caseCount', { n: (total ?? 0).toLocaleString('zh-CN') })}
        </span>
      }
    >
      <ul className="status-bars">
        {CASE_STATUSES.map((s) => {
          const n = byStatus?.[s] ?? 0;
          return (
            <li key={s} className={n === 0 ? 'zero' : undefined}>
              <span className="status-name">{t(`status.${s}`)}</span>
              <span className="status-track">
                <span
                  className="status-fill"
                  style={{
                    width: `${(100 * n) / max}%`,
                    background: TONE[s],
                    boxShadow: `0 0 0.6rem ${TONE[s]}55`,
                  }}
                />
              </span>
              <span className="status-count" data-testid={`status-count-${s}`}>
                {byStatus ? n.toLocaleString('zh-CN') : '—'}
              </span>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}

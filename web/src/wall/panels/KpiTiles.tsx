import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useT } from '../../app/i18n.tsx';
import { useTRPC } from '../../app/trpc.ts';
import { useStore } from '../../live/store.ts';
import { liveStatus } from '../live-status.ts';

function Tile({
  label,
  value,
  unit,
  sub,
  testId,
  tone,
}: {
  label: string;
  value: ReactNode;
  unit?: string;
  sub?: ReactNode;
  testId: string;
  tone?: 'accent' | 'ok' | 'warn' | 'danger';
}) {
  return (
    <div className={`kpi kpi-${tone ?? 'accent'}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">
        <span className="kpi-num" data-testid={testId}>
          {value}
        </span>
        {unit ? <span className="kpi-unit">{unit}</span> : null}
      </div>
      {sub ? <div className="kpi-sub">{sub}</div> : null}
    </div>
  );
}

const fmt = (n: number | null) => (n === null ? '—' : n.toLocaleString('zh-CN'));
const pct = (num: number, den: number) => (den > 0 ? `${((100 * num) / den).toFixed(1)}%` : '—');

export interface KpiValues {
  grids: number | null;
  roster: number | null;
  todayTotal: number | null;
  todayClosed: number | null;
  open: number | null;
}

/** The headline figures. Today's numbers are `cases.today`, refreshed on every case event. */
export function KpiTiles({ grids, roster, todayTotal, todayClosed, open }: KpiValues) {
  const t = useT();
  const { online } = useStore(liveStatus);
  const trpc = useTRPC();
  // Same query as the worker alerts (one request, refreshed on alert events).
  const alerts = useQuery({ ...trpc.alerts.open.queryOptions(), refetchInterval: 60_000 });
  const overdue = alerts.data ? alerts.data.filter((a) => a.kind === 'case-overdue').length : null;
  return (
    <div className="kpis">
      <Tile label={t('wall.grids')} value={fmt(grids)} unit={t('wall.unit.grids')} testId="kpi-grids" />
      <Tile
        label={t('wall.workersOnline')}
        value={fmt(online)}
        unit={t('wall.unit.people')}
        sub={roster !== null ? t('wall.ofTotal', { n: roster.toLocaleString('zh-CN') }) : null}
        testId="kpi-workers-online"
        tone="ok"
      />
      <Tile
        label={t('wall.onlineRate')}
        value={roster ? pct(online, roster) : '—'}
        testId="kpi-online-rate"
        tone="ok"
      />
      <Tile
        label={t('wall.todayCases')}
        value={fmt(todayTotal)}
        unit={t('wall.unit.items')}
        testId="kpi-today-total"
      />
      <Tile
        label={t('wall.todayClosed')}
        value={fmt(todayClosed)}
        unit={t('wall.unit.items')}
        sub={todayTotal ? `${t('wall.closureRate')} ${pct(todayClosed ?? 0, todayTotal)}` : null}
        testId="kpi-today-closed"
        tone="ok"
      />
      <Tile
        label={t('wall.openCases')}
        value={fmt(open)}
        unit={t('wall.unit.items')}
        testId="kpi-open"
        tone="warn"
        sub={
          overdue !== null ? (
            <span className={overdue > 0 ? 'kpi-alert' : undefined} data-testid="kpi-overdue">
              {t('alert.case-overdue')} {fmt(overdue)}
            </span>
          ) : null
        }
      />
    </div>
  );
}

import type { MessageKey } from '@gcc/shared/messages';
import { useMemo } from 'react';
import { Chart } from '../charts/Chart.tsx';
import { useT, type Translate } from '../app/i18n.tsx';
import { HOUSEHOLD_BANDS, type HouseholdBands } from './band.ts';
import { bandChartOption, type BandRow } from './band-chart.ts';
import { EDIT_REFUSALS, LAYER_PROBLEMS, PROVISIONAL_GRID_ID_MIN } from '@gcc/shared/topology';
import type { GridStatsRow, PlanGrid, PlanProblem } from './plan.protocol.ts';

const STATS: { key: keyof GridStatsRow; label: MessageKey; format(v: number): string }[] = [
  { key: 'households', label: 'plan.stats.households', format: (v) => v.toLocaleString() },
  { key: 'residents', label: 'plan.stats.residents', format: (v) => v.toLocaleString() },
  { key: 'buildings', label: 'plan.stats.buildings', format: (v) => v.toLocaleString() },
  { key: 'areaM2', label: 'plan.stat.area', format: (v) => (v / 10_000).toFixed(1) },
  { key: 'openCases', label: 'plan.stats.openCases', format: (v) => v.toLocaleString() },
  { key: 'cases90d', label: 'plan.stats.cases90d', format: (v) => v.toLocaleString() },
  { key: 'staff', label: 'plan.stats.staff', format: (v) => v.toLocaleString() },
];

/** A grid's label: its name and code, or 待编码 for one the plan made. */
export function gridLabel(g: Pick<PlanGrid, 'id' | 'code' | 'name'>, t: Translate): string {
  if (g.code !== null) return g.name ?? g.code;
  // New grids are numbered in the order the plan made them.
  return `${t('plan.pendingCode')} ${g.id >= PROVISIONAL_GRID_ID_MIN ? g.id - PROVISIONAL_GRID_ID_MIN + 1 : g.id}`;
}

function sum(rows: (GridStatsRow | null)[], key: keyof GridStatsRow): number | null {
  let s = 0;
  for (const r of rows) {
    if (!r) continue;
    const v = r[key];
    if (v === null) return null;
    s += v;
  }
  return s;
}

function Cell({
  before,
  after,
  format,
}: {
  before: number | null | undefined;
  after: number | null | undefined;
  format(v: number): string;
}) {
  const b = before === null || before === undefined ? '—' : format(before);
  const a = after === null || after === undefined ? '—' : format(after);
  // A grid the plan made has no "before": its numbers stand alone.
  const changed = b !== a && before !== null && before !== undefined;
  return (
    <td className={changed ? 'changed' : undefined}>
      {changed ? (
        <>
          <span className="was">{b}</span> → <b>{a}</b>
        </>
      ) : (
        a
      )}
    </td>
  );
}

/** The selected grids' statistics, before → after, one column per grid and a total. */
export function StatsTable({ grids }: { grids: readonly PlanGrid[] }) {
  const t = useT();
  if (!grids.length) return <p className="plan-empty">{t('plan.noSelection')}</p>;
  const pending = grids.some((g) => g.after && g.after.households === null);
  const total = grids.length > 1;
  return (
    <>
      <div className="plan-stats-scroll">
        <table className="plan-stats-table" data-testid="plan-stats">
          <thead>
            <tr>
              <th />
              {grids.map((g) => (
                <th
                  key={g.id}
                  className={g.code === null ? 'pending' : undefined}
                  data-testid="plan-stats-grid"
                >
                  {gridLabel(g, t)}
                  <small>
                    {g.code ?? t('plan.pendingCode')} · {t(g.urban ? 'plan.urban' : 'plan.rural')}
                  </small>
                  {g.after ? null : <small className="gone">{t('plan.merged')}</small>}
                </th>
              ))}
              {total ? <th>{t('plan.total')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {STATS.map((s) => (
              <tr key={s.key} data-stat={s.key}>
                <th>{t(s.label)}</th>
                {grids.map((g) =>
                  // A new grid has no staff until publish assigns them (待配置).
                  s.key === 'staff' && g.code === null && g.after?.staff === 0 ? (
                    <td key={g.id} className="pending">
                      {t('plan.stats.staffPending')}
                    </td>
                  ) : (
                    <Cell key={g.id} before={g.before?.[s.key]} after={g.after?.[s.key]} format={s.format} />
                  ),
                )}
                {total ? (
                  <Cell
                    before={sum(
                      grids.map((g) => g.before),
                      s.key,
                    )}
                    after={sum(
                      grids.map((g) => g.after),
                      s.key,
                    )}
                    format={s.format}
                  />
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pending ? <p className="plan-note">{t('plan.statsPending')}</p> : null}
    </>
  );
}

const LAYER_PROBLEM_KEYS: ReadonlySet<string> = new Set(LAYER_PROBLEMS.map((r) => `plan.problem.${r}`));

/** The refusals the message table explains (others, from a newer engine, show their code). */
const REFUSAL_KEYS: ReadonlySet<string> = new Set(
  [
    ...EDIT_REFUSALS,
    'redraw-ends-off-edge',
    'redraw-too-short',
    'unlock-forbidden',
    'no-grid-under-line',
    'not-supported',
  ].map((r) => `plan.refused.${r}`),
);

/** Why an edit was not done, in the planner's words. */
export function refusalText(reason: string, t: Translate): string {
  const key = `plan.refused.${reason}`;
  return REFUSAL_KEYS.has(key) ? t(key as MessageKey) : t('plan.refused.other', { reason });
}

/** The reason of a problem in the planner's words. */
export function problemText(
  p: PlanProblem,
  grid: PlanGrid | undefined,
  t: Translate,
  bands: HouseholdBands = HOUSEHOLD_BANDS,
): string {
  const band = bands[grid?.urban === false ? 'rural' : 'urban'];
  const n = grid?.after?.households ?? 0;
  if (p.reason === 'households-over') return t('plan.problem.households-over', { n, max: band[1] });
  if (p.reason === 'households-under') return t('plan.problem.households-under', { n, min: band[0] });
  const key = `plan.problem.${p.reason}`;
  return LAYER_PROBLEM_KEYS.has(key) ? t(key as MessageKey) : t('plan.problem.other', { reason: p.reason });
}

export function ProblemList({
  problems,
  gridsById,
  onFly,
  whole,
  bands,
}: {
  problems: readonly PlanProblem[];
  bands: HouseholdBands;
  /** Whether the list covers the whole city (nothing selected) rather than the selection's community. */
  whole: boolean;
  gridsById: ReadonlyMap<number, PlanGrid>;
  onFly(p: PlanProblem): void;
}) {
  const t = useT();
  return (
    <section className="plan-problems" data-testid="plan-problems">
      <h3 title={t('plan.problemsScope')}>{t('plan.problemsCount', { n: problems.length })}</h3>
      {problems.length === 0 ? (
        <p className="plan-empty">{t(whole ? 'plan.noProblemsAll' : 'plan.noProblems')}</p>
      ) : (
        <ul>
          {problems.map((p, i) => {
            const g = gridsById.get(p.grids[0] ?? 0);
            return (
              <li key={`${p.reason}-${p.grids.join(',')}-${i}`}>
                <button type="button" onClick={() => onFly(p)} data-testid="plan-problem">
                  <span className="dot" aria-hidden="true" />
                  <span className="what">{problemText(p, g, t, bands)}</span>
                  <span className="where">{g ? gridLabel(g, t) : `#${p.grids[0]}`}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function BandChart({
  rows,
  urban,
  count,
  bands,
}: {
  rows: readonly BandRow[] | null;
  urban: boolean;
  count: number;
  bands: HouseholdBands;
}) {
  const t = useT();
  const band = bands[urban ? 'urban' : 'rural'];
  const option = useMemo(
    () =>
      rows
        ? bandChartOption(rows, band, {
            before: t('plan.before'),
            after: t('plan.after'),
            band: t('plan.chart.band', { min: band[0], max: band[1] }),
          })
        : null,
    [rows, band, t],
  );
  return (
    <section className="plan-chart" data-testid="plan-band-chart">
      <h3>
        {t('plan.chart')}
        {rows ? <small>{t('plan.chart.community', { n: count })}</small> : null}
      </h3>
      {option ? (
        <div
          className="plan-chart-box"
          data-rows={rows?.length ?? 0}
          data-after={rows?.map((r) => r.after ?? '').join(',')}
        >
          <Chart option={option} />
        </div>
      ) : (
        <p className="plan-empty">{t('plan.chart.empty')}</p>
      )}
    </section>
  );
}

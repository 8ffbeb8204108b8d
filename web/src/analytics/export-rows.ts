import type { MessageKey } from '@gcc/shared/messages';
import type { Translate } from '../app/i18n.tsx';
import type { Cell } from '../export/table-export.ts';
import { RATE_KEYS, type Indicators } from './format.ts';

// The breakdown table as a sheet: what the screen shows, with every count behind each rate, so a
// centre can recompute and file it (rates in percent to two decimals, as reports print 93.72).

const HOUR = 3_600_000;

/** Header and rows (the total first, then each group in the screen's order) of an indicator table. */
export function indicatorSheet(
  rows: readonly { name: string; parent: string | null; indicators: Indicators }[],
  total: Indicators | null,
  t: Translate,
): Cell[][] {
  const hasParent = rows.some((r) => r.parent !== null);
  const head: Cell[] = [
    t('analytics.col.rank'),
    t('analytics.col.name'),
    ...(hasParent ? [t('analytics.col.parent')] : []),
    t('analytics.kpi.registered'),
    t('analytics.kpi.closed'),
  ];
  for (const k of RATE_KEYS) {
    const label = t(`analytics.kpi.${k}` as MessageKey);
    head.push(
      `${label}（%）`,
      t('analytics.col.numerator', { label }),
      t('analytics.col.denominator', { label }),
    );
  }
  head.push(t('analytics.col.meanHandleHours'));
  const line = (rank: number | null, name: string, parent: string | null, i: Indicators): Cell[] => {
    const out: Cell[] = [rank, name, ...(hasParent ? [parent ?? ''] : []), i.registered, i.closed];
    for (const k of RATE_KEYS) {
      const r = i[k];
      out.push(r.rate === null ? null : Math.round(r.rate * 10_000) / 100, r.numerator, r.denominator);
    }
    const m = i.meanStepMs.handle.mean;
    out.push(m === null ? null : Math.round((m / HOUR) * 100) / 100);
    return out;
  };
  return [
    head,
    ...(total ? [line(null, t('analytics.total'), null, total)] : []),
    ...rows.map((r, k) => line(k + 1, r.name, r.parent, r.indicators)),
  ];
}

import type { IndicatorSortKey } from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import { useT } from '../app/i18n.tsx';
import { formatDuration } from '../format/duration.ts';
import { count, pct, RATE_KEYS, rateTone, ratioTitle, type Indicators } from './format.ts';

export interface GroupRow {
  key: string;
  name: string;
  parent: string | null;
  indicators: Indicators;
}

interface Props {
  rows: readonly GroupRow[];
  total: Indicators | null;
  sort: IndicatorSortKey;
  order: 'asc' | 'desc';
  onSort(key: IndicatorSortKey): void;
  /** Rows of areas that can be opened one level down (district → street → community → grid). */
  onDrill: ((row: GroupRow) => void) | null;
}

function Cells({ i }: { i: Indicators }) {
  const t = useT();
  return (
    <>
      <td className="num">{count(i.registered)}</td>
      <td className="num">{count(i.closed)}</td>
      {RATE_KEYS.map((k) => (
        <td key={k} className={`num rate an-tone-${rateTone(k, i[k].rate)}`} title={ratioTitle(k, i[k], t)}>
          {pct(i[k].rate)}
          <small>{i[k].denominator > 0 ? `${i[k].numerator}/${i[k].denominator}` : ''}</small>
        </td>
      ))}
      <td className="num">
        {i.meanStepMs.handle.mean === null ? '—' : formatDuration(i.meanStepMs.handle.mean, t)}
      </td>
    </>
  );
}

const COLUMNS: { key: IndicatorSortKey; label: MessageKey }[] = [
  { key: 'registered', label: 'analytics.kpi.registered' },
  { key: 'closed', label: 'analytics.kpi.closed' },
  ...RATE_KEYS.map((k) => ({ key: k, label: `analytics.kpi.${k}` as MessageKey })),
];

/** One row per group, sortable by any count or rate; the total on top. */
export function GroupTable({ rows, total, sort, order, onSort, onDrill }: Props) {
  const t = useT();
  const hasParent = rows.some((r) => r.parent !== null);
  return (
    <table className="an-table desk-table" data-testid="an-table">
      <thead>
        <tr>
          <th className="rank">{t('analytics.col.rank')}</th>
          <th className="name">{t('analytics.col.name')}</th>
          {hasParent ? <th className="parent">{t('analytics.col.parent')}</th> : null}
          {COLUMNS.map((c) => (
            <th
              key={c.key}
              className={`num sortable${sort === c.key ? ' sorted' : ''}`}
              aria-sort={sort === c.key ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button
                type="button"
                onClick={() => onSort(c.key)}
                title={t('analytics.sortHint')}
                data-testid={`an-sort-${c.key}`}
              >
                {t(c.label)}
                <i aria-hidden="true">{sort === c.key ? (order === 'asc' ? '▲' : '▼') : '↕'}</i>
              </button>
            </th>
          ))}
          <th className="num">{t('analytics.col.meanHandle')}</th>
        </tr>
      </thead>
      <tbody>
        {total ? (
          <tr className="total">
            <td />
            <td className="name">{t('analytics.total')}</td>
            {hasParent ? <td /> : null}
            <Cells i={total} />
          </tr>
        ) : null}
        {rows.map((r, k) => (
          <tr
            key={r.key}
            className={onDrill ? 'drill' : undefined}
            onClick={onDrill ? () => onDrill(r) : undefined}
            data-key={r.key}
          >
            <td className="rank num">{k + 1}</td>
            <td className="name" title={r.name}>
              {r.name}
              {onDrill ? (
                <i className="an-drill" aria-hidden="true">
                  ›
                </i>
              ) : null}
            </td>
            {hasParent ? (
              <td className="parent" title={r.parent ?? ''}>
                {r.parent ?? ''}
              </td>
            ) : null}
            <Cells i={r.indicators} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

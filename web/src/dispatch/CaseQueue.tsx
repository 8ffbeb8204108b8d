import {
  CASE_TIERS,
  MAJOR_CATEGORIES,
  OPEN_STATUSES,
  type Case,
  type CaseStatus,
  type CaseTier,
  type Urgency,
  type GridId,
} from '@gcc/shared';
import { useEffect, useRef, type ReactNode } from 'react';
import { useCategoryOf } from '../directory/categories.ts';
import { useLocale, useT } from '../app/i18n.tsx';
import { useCategoryName } from '../directory/category-name.ts';
import { css, URGENCY_COLORS } from '../map/palette.ts';
import { formatDuration } from '../format/duration.ts';
import { useNow } from './use-now.ts';

export interface QueueFilter {
  /** `mine`: 待处理, the cases this desk can act on now (cases.list `actionable`); `open`: every open case. */
  status: CaseStatus | 'mine' | 'open';
  tier: CaseTier | '';
  urgency: Urgency | '';
  category: string;
  unitId: number | 0;
  overdue: boolean;
}

export const DEFAULT_FILTER: QueueFilter = {
  status: 'mine',
  tier: '',
  urgency: '',
  category: '',
  unitId: 0,
  overdue: false,
};

interface Props {
  filter: QueueFilter;
  onFilter(f: QueueFilter): void;
  units: { id: number; name: string; level: string }[];
  items: readonly Case[] | null;
  selectedId: number | null;
  onSelect(id: number): void;
  gridName(id: GridId): string;
  /** Cases ticked for a bulk action (批量派遣); without `onCheck` the rows have no ticks (a desk that cannot assign). */
  checked: ReadonlySet<number>;
  onCheck?: ((ids: readonly number[], on: boolean) => void) | undefined;
  /** The bulk bar and its results, shown above the list. */
  bulk?: ReactNode;
  /** The tabs' counts (cases.queueCounts), null until known. */
  counts: QueueCounts | null;
  /** In 待处理: how many of the first items wait for this desk's step (the rest are overdue to chase). */
  waiting: number | null;
}

export interface QueueCounts {
  needsAction: number;
  waiting: number;
  chase: number;
  open: number;
  overdue: number;
}

type Tab = 'mine' | 'overdue' | 'open';

/** The tab a filter stands for (none for a single status picked in the status filter). */
function tabOf(f: QueueFilter): Tab | null {
  if (f.status === 'mine') return 'mine';
  if (f.status === 'open') return f.overdue ? 'overdue' : 'open';
  return null;
}

/** The queue of cases needing action, most urgent deadline (overdue) first; rows drag onto workers. */
export function CaseQueue({
  filter,
  onFilter,
  units,
  items,
  selectedId,
  onSelect,
  gridName,
  checked,
  onCheck,
  bulk,
  counts,
  waiting,
}: Props) {
  const t = useT();
  const { locale } = useLocale();
  const category = useCategoryName();
  const categoryOf = useCategoryOf();
  const now = useNow();
  const list = useRef<HTMLOListElement>(null);
  const set = <K extends keyof QueueFilter>(k: K, v: QueueFilter[K]) => onFilter({ ...filter, [k]: v });
  // Shift-click ticks the range from the last ticked row, as in a mail client.
  const anchor = useRef<number | null>(null);
  const tick = (id: number, on: boolean, range: boolean) => {
    const order: number[] = (items ?? []).map((c) => c.id as number);
    const from = anchor.current === null ? -1 : order.indexOf(anchor.current);
    const to = order.indexOf(id);
    anchor.current = id;
    if (range && from >= 0 && to >= 0) onCheck?.(order.slice(Math.min(from, to), Math.max(from, to) + 1), on);
    else onCheck?.([id], on);
  };
  const all = items?.length ? items.every((c) => checked.has(c.id)) : false;
  const tab = tabOf(filter);
  const tabs: { key: Tab; label: string; n: number | undefined; go: QueueFilter }[] = [
    {
      key: 'mine',
      label: t('dispatch.filter.needsAction'),
      n: counts?.needsAction,
      go: { ...filter, status: 'mine', overdue: false },
    },
    {
      key: 'overdue',
      label: t('dispatch.tab.overdue'),
      n: counts?.overdue,
      go: { ...filter, status: 'open', overdue: true },
    },
    {
      key: 'open',
      label: t('dispatch.filter.allOpen'),
      n: counts?.open,
      go: { ...filter, status: 'open', overdue: false },
    },
  ];

  useEffect(() => {
    list.current?.querySelector('.selected')?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  return (
    <section className="dq" aria-label={t('dispatch.queue')}>
      <header className="dq-head">
        {onCheck ? (
          <label className="dq-all" title={t('dispatch.bulk.all')}>
            <input
              type="checkbox"
              data-testid="check-all"
              checked={all}
              disabled={!items?.length}
              onChange={(e) =>
                onCheck(
                  (items ?? []).map((c) => c.id),
                  e.target.checked,
                )
              }
              aria-label={t('dispatch.bulk.all')}
            />
          </label>
        ) : null}
        <h2>{t('dispatch.queue')}</h2>
        <span className="dq-count" data-testid="queue-count">
          {items ? t('dispatch.queueCount', { n: items.length }) : '…'}
        </span>
      </header>
      <div className="dq-tabs" role="tablist" data-testid="queue-tabs">
        {tabs.map((x) => (
          <button
            key={x.key}
            type="button"
            role="tab"
            aria-selected={tab === x.key}
            className={tab === x.key ? 'on' : ''}
            data-testid={`tab-${x.key}`}
            onClick={() => onFilter(x.go)}
          >
            {x.label}
            <span className="dq-tab-n" data-testid={`tab-${x.key}-count`}>
              {x.n ?? '…'}
            </span>
          </button>
        ))}
      </div>
      <div className="dq-filters">
        <label>
          <span>{t('dispatch.filter.status')}</span>
          <select
            data-testid="filter-status"
            value={filter.status}
            onChange={(e) => set('status', e.target.value as QueueFilter['status'])}
          >
            <option value="mine">{t('dispatch.filter.needsAction')}</option>
            <option value="open">{t('dispatch.filter.allOpen')}</option>
            {OPEN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('dispatch.filter.tier')}</span>
          <select
            data-testid="filter-tier"
            value={filter.tier}
            onChange={(e) => set('tier', e.target.value as QueueFilter['tier'])}
          >
            <option value="">{t('dispatch.filter.all')}</option>
            {CASE_TIERS.map((s) => (
              <option key={s} value={s}>
                {t(`tier.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('dispatch.filter.urgency')}</span>
          <select
            data-testid="filter-urgency"
            value={filter.urgency}
            onChange={(e) => set('urgency', e.target.value as QueueFilter['urgency'])}
          >
            <option value="">{t('dispatch.filter.all')}</option>
            {(['red', 'yellow', 'blue'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`urgency.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('dispatch.filter.category')}</span>
          <select
            data-testid="filter-category"
            value={filter.category}
            onChange={(e) => set('category', e.target.value)}
          >
            <option value="">{t('dispatch.filter.all')}</option>
            {MAJOR_CATEGORIES.map((m) => (
              <option key={m.code} value={m.code}>
                {locale === 'en' ? m.en : m.zh}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('dispatch.filter.area')}</span>
          <select
            data-testid="filter-area"
            value={filter.unitId}
            onChange={(e) => set('unitId', Number(e.target.value))}
          >
            <option value={0}>{t('dispatch.filter.all')}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.level === 'street' ? `· ${u.name}` : u.name}
              </option>
            ))}
          </select>
        </label>
        <label className="dq-check">
          <input
            type="checkbox"
            data-testid="filter-overdue"
            checked={filter.overdue}
            onChange={(e) => set('overdue', e.target.checked)}
          />
          <span>{t('dispatch.filter.overdue')}</span>
        </label>
      </div>
      {bulk}
      <ol ref={list} className={`dq-list ${onCheck ? 'with-ticks' : ''}`} data-testid="queue">
        {(items ?? []).flatMap((c, i) => {
          const urgency = categoryOf(c.category)?.urgency ?? 'blue';
          const left = c.deadlineAt === null ? null : c.deadlineAt - now;
          const overdue = left !== null && left < 0;
          // 待处理 in two parts: what waits for this desk's step, then what is overdue to chase.
          const heading =
            waiting !== null && (i === 0 || i === waiting) && counts
              ? [
                  <li
                    key={i === 0 && waiting > 0 ? 'h-waiting' : 'h-chase'}
                    className="dq-section"
                    data-testid={i === 0 && waiting > 0 ? 'section-waiting' : 'section-chase'}
                  >
                    {i === 0 && waiting > 0
                      ? t('dispatch.section.waiting', { n: counts.waiting })
                      : t('dispatch.section.chase', { n: counts.chase })}
                  </li>,
                ]
              : [];
          return [
            ...heading,
            <li
              key={c.id}
              data-case-id={c.id}
              data-overdue={overdue ? 'true' : 'false'}
              data-checked={checked.has(c.id) ? 'true' : 'false'}
              className={`${c.id === selectedId ? 'selected' : ''} ${overdue ? 'overdue' : ''} ${checked.has(c.id) ? 'checked' : ''}`}
              draggable
              onDragStart={(e) => {
                e.dataTransfer.setData('application/x-gcc-case', String(c.id));
                e.dataTransfer.effectAllowed = 'move';
                onSelect(c.id);
              }}
              onClick={() => onSelect(c.id)}
            >
              {onCheck ? (
                <input
                  type="checkbox"
                  className="dq-tick"
                  checked={checked.has(c.id)}
                  aria-label={t('dispatch.bulk.pick', { code: c.code })}
                  onClick={(e) => {
                    e.stopPropagation();
                    tick(c.id, e.currentTarget.checked, e.shiftKey);
                  }}
                  onChange={() => {}}
                />
              ) : null}
              <span className="dq-urgency" style={{ background: css(URGENCY_COLORS[urgency]) }} />
              <span className="dq-main">
                <span className="dq-cat">{category(c.category)}</span>
                <span className="dq-where">
                  <span className="dq-grid">{gridName(c.gridId)}</span>
                  <span className="dq-code" data-testid="case-code-cell">
                    {c.code}
                  </span>
                </span>
              </span>
              <span className="dq-side">
                <span className={`dq-status st-${c.status}`}>
                  {c.parkedAt !== null ? t('dispatch.parked') : t(`status.${c.status}`)}
                </span>
                <span className={`dq-due ${overdue ? 'late' : ''}`}>
                  {left === null
                    ? t('dispatch.noDeadline')
                    : overdue
                      ? t('dispatch.overdueBy', { t: formatDuration(left, t) })
                      : t('dispatch.dueIn', { t: formatDuration(left, t) })}
                </span>
              </span>
            </li>,
          ];
        })}
        {items && items.length === 0 ? <li className="empty">{t('dispatch.queueEmpty')}</li> : null}
      </ol>
    </section>
  );
}

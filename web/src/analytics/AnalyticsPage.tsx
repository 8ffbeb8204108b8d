import { useQuery } from '@tanstack/react-query';
import {
  INDICATOR_GROUPS,
  sortIndicatorRows,
  type BoundaryVersion,
  type IndicatorGroupBy,
  type IndicatorSortKey,
} from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import { Fragment, useCallback, useEffect, useMemo, useState } from 'react';
import { DeskHeader } from '../app/DeskHeader.tsx';
import { useHistoryLoad } from '../app/HistoryLoading.tsx';
import { useLocale, useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { useDepartments } from '../directory/departments.ts';
import { VersionPicker } from '../map/VersionPicker.tsx';
import { metricLabel, RANK_LIMIT, RankingChart, TrendChart, useFontPx } from './charts.tsx';
import { LOWER_IS_BETTER, RATE_KEYS, type RateKey } from './format.ts';
import { GroupTable, type GroupRow } from './GroupTable.tsx';
import { indicatorSheet } from './export-rows.ts';
import { CSV_TYPE, download, toCsv, toXlsx, XLSX_TYPE } from '../export/table-export.ts';
import { IndicatorTiles } from './IndicatorTiles.tsx';
import {
  customRange,
  presetRange,
  RANGE_PRESETS,
  toDateInput,
  type Range,
  type RangePreset,
} from './range.ts';
import '../app/desk.css';
import './analytics.css';

/** The server sends at most this many groups, the first in the table's order (a city's grid workers can number tens of thousands). */
const GROUP_LIMIT = 2000;
const REFRESH_MS = 60_000;
/** Opening an area row shows the level below it. */
const DRILL_NEXT: Partial<Record<IndicatorGroupBy, IndicatorGroupBy>> = {
  district: 'street',
  street: 'community',
  community: 'grid',
};

interface ScopeStep {
  unitId: number;
  name: string;
}

/** Read-only hook for end-to-end tests: the shown range, grouping and table order. */
declare global {
  interface Window {
    __gccAnalytics?: {
      from: number;
      to: number;
      groupBy: IndicatorGroupBy;
      unitId: number | null;
      rows: string[];
      registered: number | null;
      /** By grid: the boundary version whose grids the answer grouped by. */
      version: number | null;
      fetching: boolean;
    };
  }
}

/** A row of toggle buttons, one pressed. */
function Segmented<T extends string>({
  options,
  value,
  onPick,
  label,
  testId,
}: {
  options: readonly T[];
  value: T;
  onPick(v: T): void;
  label(v: T): string;
  testId: string;
}) {
  return (
    <div className="an-seg">
      {options.map((o) => (
        <button
          key={o}
          type="button"
          className={value === o ? 'on' : undefined}
          aria-pressed={value === o}
          onClick={() => onPick(o)}
          data-testid={`${testId}-${o}`}
        >
          {label(o)}
        </button>
      ))}
    </div>
  );
}

/**
 * Assessment indicators (考核指标) for the supervising and commanding desks: a period, a
 * breakdown (area, department, worker), the period's totals, the trend and a ranking chart, and
 * a sortable table whose area rows drill down one level at a time.
 */
export default function AnalyticsPage() {
  const t = useT();
  const { locale } = useLocale();
  const trpc = useTRPC();
  const fs = useFontPx();

  const [preset, setPreset] = useState<RangePreset>('last30');
  const [now, setNow] = useState(() => Date.now());
  const [custom, setCustom] = useState<Range | null>(null);
  const initial = presetRange('last30', now);
  const [fromDate, setFromDate] = useState(() => toDateInput(initial.from));
  const [toDate, setToDate] = useState(() => toDateInput(initial.to - 1));
  const [groupBy, setGroupBy] = useState<IndicatorGroupBy>('street');
  // By grid: the boundary version whose grids group the cases (null: the one in force).
  const [version, setVersion] = useState<BoundaryVersion | null>(null);
  const [scope, setScope] = useState<ScopeStep[]>([]);
  const [sort, setSort] = useState<IndicatorSortKey>('registered');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');

  const range = useMemo(
    () => (preset === 'custom' ? custom : presetRange(preset, now)),
    [preset, custom, now],
  );
  const customDraft = customRange(fromDate, toDate);
  const unitId = scope.at(-1)?.unitId;

  const input = range
    ? { from: range.from, to: range.to, ...(unitId !== undefined ? { unitId } : {}) }
    : null;
  const summary = useQuery({
    ...trpc.indicators.summary.queryOptions({
      ...(input ?? { from: 0, to: 1 }),
      groupBy,
      sort,
      order,
      limit: GROUP_LIMIT,
      ...(groupBy === 'grid' && version !== null ? { version } : {}),
    }),
    enabled: input !== null,
    staleTime: 30_000,
    refetchInterval: REFRESH_MS,
    placeholderData: (prev) => prev,
  });
  const trend = useQuery({
    ...trpc.indicators.trend.queryOptions(input ?? { from: 0, to: 1 }),
    enabled: input !== null,
    staleTime: 30_000,
    refetchInterval: REFRESH_MS,
    placeholderData: (prev) => prev,
  });

  const history = useHistoryLoad();
  // A first start's older history still loading: a range reaching before the loaded point lacks cases.
  const incompleteBefore =
    range && history?.completeFrom != null && range.from < history.completeFrom ? history.completeFrom : null;

  const departments = useDepartments();
  const rows: GroupRow[] = useMemo(() => {
    const list = (summary.data?.groups ?? []).map((g) =>
      summary.data?.groupBy === 'department' ? { ...g, name: departments.name(g.key) } : g,
    );
    return sortIndicatorRows([...list], sort, order);
  }, [summary.data, sort, order, departments]);

  useEffect(() => {
    if (!range) return;
    // What is on screen: the answer's grouping (a new one may still be on its way, `fetching`).
    window.__gccAnalytics = {
      from: range.from,
      to: range.to,
      groupBy: summary.data?.groupBy ?? groupBy,
      unitId: unitId ?? null,
      rows: rows.map((r) => r.key),
      registered: summary.data?.total.registered ?? null,
      version: summary.data?.version ?? null,
      fetching: summary.isFetching || trend.isFetching,
    };
  }, [range, groupBy, unitId, rows, summary.data, summary.isFetching, trend.isFetching]);
  useEffect(() => () => void delete window.__gccAnalytics, []);

  const onSort = useCallback(
    (key: IndicatorSortKey) => {
      if (key === sort) setOrder((o) => (o === 'asc' ? 'desc' : 'asc'));
      else {
        setSort(key);
        // Best first: the lowest rework rate, the highest of everything else.
        setOrder(LOWER_IS_BETTER.has(key as RateKey) ? 'asc' : 'desc');
      }
    },
    [sort],
  );

  const next = DRILL_NEXT[summary.data?.groupBy ?? groupBy];
  const onDrill = useCallback(
    (row: GroupRow) => {
      if (!next) return;
      setScope((s) => [...s, { unitId: Number(row.key), name: row.name }]);
      setGroupBy(next);
    },
    [next],
  );

  const pickPreset = useCallback(
    (p: RangePreset) => {
      setPreset(p);
      setNow(Date.now());
      if (p === 'custom' && !custom && customDraft) setCustom(customDraft);
    },
    [custom, customDraft],
  );

  useEffect(() => {
    document.body.classList.add('analytics-body');
    return () => document.body.classList.remove('analytics-body');
  }, []);

  const dateFmt = new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const timeFmt = new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  const error = summary.error ?? trend.error;
  const errorText = error
    ? (error as { data?: { code?: string } }).data?.code === 'FORBIDDEN'
      ? t('error.forbidden')
      : t('analytics.error', { message: error.message })
    : null;
  const total = summary.data?.total ?? null;
  const shownGroup = summary.data?.groupBy ?? groupBy;
  const groupLabel = t(`analytics.group.${shownGroup}` as MessageKey);
  const exportTable = (kind: 'csv' | 'xlsx') => {
    if (!range || !summary.data) return;
    const sheet = indicatorSheet(rows, total, t);
    const name = t('analytics.export.file', {
      group: groupLabel,
      from: toDateInput(range.from),
      to: toDateInput(range.to - 1),
    });
    if (kind === 'csv') download(`${name}.csv`, toCsv(sheet), CSV_TYPE);
    else download(`${name}.xlsx`, toXlsx(`${t('analytics.title')}-${groupLabel}`, sheet), XLSX_TYPE);
  };

  return (
    <div className="an desk" data-testid="analytics">
      <DeskHeader
        title={t('nav.analytics')}
        sub={<span className="an-sub">{t('analytics.title')}</span>}
      ></DeskHeader>

      <section className="an-bar">
        <div className="an-field" role="group" aria-label={t('analytics.range')}>
          <span className="an-label">{t('analytics.range')}</span>
          <Segmented<RangePreset>
            options={RANGE_PRESETS}
            value={preset}
            onPick={pickPreset}
            label={(p) => t(`analytics.range.${p}` as MessageKey)}
            testId="an-range"
          />
          {preset === 'custom' ? (
            <form
              className="an-dates"
              onSubmit={(e) => {
                e.preventDefault();
                if (customDraft) setCustom(customDraft);
              }}
            >
              <input
                type="date"
                aria-label={t('analytics.range.from')}
                value={fromDate}
                max={toDate}
                onChange={(e) => setFromDate(e.target.value)}
                data-testid="an-from"
              />
              <span>—</span>
              <input
                type="date"
                aria-label={t('analytics.range.to')}
                value={toDate}
                min={fromDate}
                onChange={(e) => setToDate(e.target.value)}
                data-testid="an-to"
              />
              <button type="submit" className="btn primary" disabled={!customDraft}>
                {t('analytics.range.apply')}
              </button>
              {!customDraft ? (
                <span className="an-invalid" role="alert">
                  {t('analytics.range.invalid')}
                </span>
              ) : null}
            </form>
          ) : null}
          {range ? (
            <span className="an-span an-num">
              {t('analytics.range.span', {
                from: dateFmt.format(new Date(range.from)),
                to: dateFmt.format(new Date(range.to - 1)),
              })}
            </span>
          ) : null}
          {incompleteBefore !== null ? (
            <span className="an-incomplete" role="status" data-testid="an-history-incomplete">
              {t('history.incomplete', { date: dateFmt.format(new Date(incompleteBefore)) })}
            </span>
          ) : null}
        </div>
        <div className="an-field" role="group" aria-label={t('analytics.groupBy')}>
          <span className="an-label">{t('analytics.groupBy')}</span>
          <Segmented<IndicatorGroupBy>
            options={INDICATOR_GROUPS}
            value={groupBy}
            onPick={setGroupBy}
            label={(g) => t(`analytics.group.${g}` as MessageKey)}
            testId="an-group"
          />
          {groupBy === 'grid' ? (
            <VersionPicker value={version} onChange={setVersion} className="an-version" />
          ) : null}
        </div>
        <div className="an-field an-scope">
          <span className="an-label">{t('analytics.scope')}</span>
          <ol className="an-crumbs">
            <li>
              <button type="button" disabled={scope.length === 0} onClick={() => setScope([])}>
                {t('analytics.scope.all')}
              </button>
            </li>
            {scope.map((s, k) => (
              <li key={s.unitId}>
                <button
                  type="button"
                  disabled={k === scope.length - 1}
                  onClick={() => setScope(scope.slice(0, k + 1))}
                >
                  {s.name}
                </button>
              </li>
            ))}
          </ol>
        </div>
        <div className="an-field an-refresh">
          {summary.dataUpdatedAt ? (
            <span className="an-updated">
              {t('analytics.updated', { time: timeFmt.format(new Date(summary.dataUpdatedAt)) })}
            </span>
          ) : null}
          <button
            type="button"
            className="btn"
            onClick={() => {
              setNow(Date.now());
              void summary.refetch();
              void trend.refetch();
            }}
            disabled={summary.isFetching}
          >
            {t('analytics.refresh')}
          </button>
        </div>
      </section>

      {errorText ? (
        <div className="an-error" role="alert" data-testid="an-error">
          {errorText}
          <button
            type="button"
            className="btn"
            onClick={() => {
              void summary.refetch();
              void trend.refetch();
            }}
          >
            {t('analytics.retry')}
          </button>
        </div>
      ) : null}

      <IndicatorTiles total={total} />

      <main className={`an-main${summary.isFetching || trend.isFetching ? ' busy' : ''}`}>
        <section className="an-panel an-trend">
          <header>
            <h2 title={t('analytics.trendNote')}>{t('analytics.trend')}</h2>
            <span className="an-tag">
              {t(trend.data?.bucket === 'week' ? 'analytics.trend.week' : 'analytics.trend.day')}
            </span>
            <span className="an-note">{t('analytics.trendNote')}</span>
          </header>
          <div className="an-chart">
            {trend.data ? <TrendChart points={trend.data.points} bucket={trend.data.bucket} fs={fs} /> : null}
          </div>
        </section>
        <section className="an-panel an-rank">
          <header>
            <h2>{t('analytics.ranking', { indicator: t(metricLabel(sort)), group: groupLabel })}</h2>
            <span className="an-tag">
              {t('analytics.rankingTop', { n: Math.min(RANK_LIMIT, rows.length) })}
            </span>
          </header>
          <div className="an-chart">
            {summary.data ? <RankingChart rows={rows} metric={sort} fs={fs} /> : null}
          </div>
        </section>
        <section className="an-panel an-groups">
          <header>
            <h2>
              {t('analytics.table')} · {groupLabel}
            </h2>
            <span className="an-tag">
              {summary.data && summary.data.groupCount > summary.data.groups.length
                ? t('analytics.truncated', { n: summary.data.groups.length, total: summary.data.groupCount })
                : t('analytics.groups', { n: rows.length })}
            </span>
            {next ? <span className="an-note">{t('analytics.scope.drillHint')}</span> : null}
            <span className="an-note">{t('analytics.sortHint')}</span>
            <span className="an-export" role="group" aria-label={t('analytics.export')}>
              {(['csv', 'xlsx'] as const).map((kind) => (
                <button
                  key={kind}
                  type="button"
                  className="btn"
                  disabled={!summary.data || rows.length === 0}
                  title={t('analytics.export.hint', { n: rows.length })}
                  onClick={() => exportTable(kind)}
                  data-testid={`an-export-${kind}`}
                >
                  {t(kind === 'csv' ? 'analytics.export.csv' : 'analytics.export.xlsx')}
                </button>
              ))}
            </span>
          </header>
          <div className="an-scroll">
            {summary.data && total && total.registered === 0 ? (
              <p className="an-empty" data-testid="an-empty">
                {t('analytics.empty')}
              </p>
            ) : null}
            {summary.data && rows.length > 0 ? (
              <GroupTable
                rows={rows}
                total={total}
                sort={sort}
                order={order}
                onSort={onSort}
                onDrill={next ? onDrill : null}
              />
            ) : null}
            {!summary.data && !error ? <p className="an-empty">{t('analytics.loading')}</p> : null}
          </div>
          <footer className="an-defs" data-testid="an-defs">
            <b>{t('analytics.defs')}</b>
            <dl>
              <dt>{t('analytics.kpi.registered')}</dt>
              <dd>{t('analytics.def.registered')}</dd>
              {RATE_KEYS.map((k) => (
                <Fragment key={k}>
                  <dt>{t(`analytics.kpi.${k}` as MessageKey)}</dt>
                  <dd>
                    {t('analytics.defLine', {
                      formula: t(`analytics.formula.${k}` as MessageKey),
                      def: t(`analytics.def.${k}` as MessageKey),
                    })}
                  </dd>
                </Fragment>
              ))}
            </dl>
          </footer>
        </section>
      </main>
    </div>
  );
}

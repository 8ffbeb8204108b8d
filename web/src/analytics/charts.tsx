import type { IndicatorSortKey, Ratio } from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import { useMemo } from 'react';
import { useLocale, useT } from '../app/i18n.tsx';
import { CJK_FONT_STACK } from '../app/fonts.ts';
import { Chart } from '../charts/Chart.tsx';
import { useOnResize } from '../app/use-on-resize.ts';
import { count, pct, type Indicators } from './format.ts';
import { rankingTooltip } from './ranking-tooltip.ts';

// The page's two ECharts panels in the wall's palette: the trend over the period and the ranking
// of groups by the chosen indicator.

const AXIS = '#8aa4c4';
const SPLIT = 'rgba(72,160,255,0.12)';
const C_REGISTERED = '#36c5f0';
const C_CLOSED = '#2ee6a6';
const C_ONTIME = '#ffd166';
const C_REWORK = '#ff7a45';

/** The desk's base font size in px: it follows the window, 12–15 px, as the CSS does. */
const readDeskFont = () => Math.min(15, Math.max(12, window.innerWidth * 0.0073));

/** The page's base font size in px, for chart text. */
export const useFontPx = (): number => useOnResize(readDeskFont);

export interface TrendPoint {
  start: number;
  end: number;
  registered: number;
  closed: number;
  onTimeClosureRate: Ratio;
  reworkRate: Ratio;
}

const tooltipStyle = (fs: number) => ({
  backgroundColor: 'rgba(7,19,38,0.96)',
  borderColor: 'rgba(72,190,255,0.6)',
  textStyle: { color: '#e6f1ff', fontSize: fs, fontFamily: CJK_FONT_STACK },
});

/** Registrations and closures as bars, on-time closure and rework rates as lines (right axis, %). */
export function TrendChart({
  points,
  bucket,
  fs,
}: {
  points: readonly TrendPoint[];
  bucket: 'day' | 'week';
  fs: number;
}) {
  const t = useT();
  const { locale } = useLocale();
  const option = useMemo(() => {
    const fmt = new Intl.DateTimeFormat(locale, {
      timeZone: 'Asia/Shanghai',
      month: '2-digit',
      day: '2-digit',
    });
    const labels = points.map((p) =>
      bucket === 'week'
        ? t('analytics.trend.weekOf', { date: fmt.format(new Date(p.start)) })
        : fmt.format(new Date(p.start)),
    );
    const axisLabel = { color: AXIS, fontSize: 0.85 * fs, fontFamily: CJK_FONT_STACK };
    const rate = (r: Ratio) => (r.rate === null ? null : Math.round(r.rate * 1000) / 10);
    const names = {
      registered: t('analytics.series.registered'),
      closed: t('analytics.series.closed'),
      onTime: t('analytics.series.onTime'),
      rework: t('analytics.series.rework'),
    };
    return {
      textStyle: { fontFamily: CJK_FONT_STACK },
      grid: { left: 3.2 * fs, right: 3.4 * fs, top: 2.6 * fs, bottom: 2 * fs },
      legend: {
        top: 0,
        right: 0,
        itemWidth: fs,
        itemHeight: 0.7 * fs,
        textStyle: { color: '#b9cbe4', fontSize: 0.9 * fs },
      },
      tooltip: {
        trigger: 'axis',
        ...tooltipStyle(fs),
        formatter: (items: { dataIndex: number }[]) => {
          const p = points[items[0]?.dataIndex ?? 0];
          if (!p) return '';
          const row = (color: string, name: string, value: string) =>
            `<div style="display:flex;gap:12px;justify-content:space-between"><span><i style="display:inline-block;width:8px;height:8px;border-radius:50%;background:${color};margin-right:6px"></i>${name}</span><b>${value}</b></div>`;
          return [
            `<div style="margin-bottom:4px;color:#8aa4c4">${labels[items[0]?.dataIndex ?? 0] ?? ''}</div>`,
            row(C_REGISTERED, names.registered, count(p.registered)),
            row(C_CLOSED, names.closed, count(p.closed)),
            row(
              C_ONTIME,
              names.onTime,
              `${pct(p.onTimeClosureRate.rate)} (${p.onTimeClosureRate.numerator}/${p.onTimeClosureRate.denominator})`,
            ),
            row(
              C_REWORK,
              names.rework,
              `${pct(p.reworkRate.rate)} (${p.reworkRate.numerator}/${p.reworkRate.denominator})`,
            ),
          ].join('');
        },
      },
      xAxis: {
        type: 'category',
        data: labels,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: 'rgba(72,160,255,0.35)' } },
        axisLabel: { ...axisLabel, hideOverlap: true },
      },
      yAxis: [
        {
          type: 'value',
          minInterval: 1,
          splitNumber: 4,
          axisLabel,
          splitLine: { lineStyle: { color: SPLIT, type: 'dashed' } },
        },
        {
          type: 'value',
          min: 0,
          max: 100,
          splitNumber: 4,
          axisLabel: { ...axisLabel, formatter: '{value}%' },
          splitLine: { show: false },
        },
      ],
      series: [
        {
          name: names.registered,
          type: 'bar',
          data: points.map((p) => p.registered),
          barMaxWidth: 2 * fs,
          barGap: '10%',
          itemStyle: { color: C_REGISTERED, borderRadius: [3, 3, 0, 0] },
        },
        {
          name: names.closed,
          type: 'bar',
          data: points.map((p) => p.closed),
          barMaxWidth: 2 * fs,
          itemStyle: { color: C_CLOSED, borderRadius: [3, 3, 0, 0] },
        },
        {
          name: names.onTime,
          type: 'line',
          yAxisIndex: 1,
          data: points.map((p) => rate(p.onTimeClosureRate)),
          connectNulls: true,
          symbolSize: 5,
          lineStyle: { width: 2, color: C_ONTIME },
          itemStyle: { color: C_ONTIME },
        },
        {
          name: names.rework,
          type: 'line',
          yAxisIndex: 1,
          data: points.map((p) => rate(p.reworkRate)),
          connectNulls: true,
          symbolSize: 5,
          lineStyle: { width: 2, color: C_REWORK },
          itemStyle: { color: C_REWORK },
        },
      ],
    };
  }, [points, bucket, fs, locale, t]);
  return <Chart option={option} testId="an-chart-trend" />;
}

export interface RankRow {
  key: string;
  name: string;
  indicators: Indicators;
}

const RANK_TOP = 15;

/** The groups ranked by one indicator (the table's sort column), best first as the table orders them. */
export function RankingChart({
  rows,
  metric,
  fs,
}: {
  rows: readonly RankRow[];
  metric: IndicatorSortKey;
  fs: number;
}) {
  const t = useT();
  const isRate = metric !== 'registered' && metric !== 'closed';
  const top = useMemo(
    () => rows.filter((r) => !isRate || (r.indicators[metric] as Ratio).rate !== null).slice(0, RANK_TOP),
    [rows, metric, isRate],
  );
  const option = useMemo(() => {
    const value = (r: RankRow) =>
      isRate
        ? Math.round(((r.indicators[metric] as Ratio).rate ?? 0) * 1000) / 10
        : (r.indicators[metric] as number);
    const data = [...top].reverse();
    const axisLabel = { color: AXIS, fontSize: 0.85 * fs, fontFamily: CJK_FONT_STACK };
    return {
      textStyle: { fontFamily: CJK_FONT_STACK },
      grid: { left: 0.6 * fs, right: 4.2 * fs, top: 0.4 * fs, bottom: 0.4 * fs, containLabel: true },
      tooltip: {
        trigger: 'item',
        ...tooltipStyle(fs),
        formatter: (p: { dataIndex: number }) => {
          const r = data[p.dataIndex];
          if (!r) return '';
          return rankingTooltip(r.name, r.indicators[metric]);
        },
      },
      xAxis: {
        type: 'value',
        max: isRate ? 100 : undefined,
        axisLabel: { ...axisLabel, formatter: isRate ? '{value}%' : '{value}' },
        splitLine: { lineStyle: { color: SPLIT, type: 'dashed' } },
      },
      yAxis: {
        type: 'category',
        data: data.map((r) => r.name),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: 'rgba(72,160,255,0.35)' } },
        axisLabel: { ...axisLabel, color: '#b9cbe4', width: 9 * fs, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          data: data.map(value),
          barMaxWidth: 1.1 * fs,
          itemStyle: {
            borderRadius: [0, 3, 3, 0],
            color: {
              type: 'linear',
              x: 0,
              y: 0,
              x2: 1,
              y2: 0,
              colorStops: [
                { offset: 0, color: 'rgba(47,124,246,0.35)' },
                { offset: 1, color: metric === 'reworkRate' ? C_REWORK : C_REGISTERED },
              ],
            },
          },
          label: {
            show: true,
            position: 'right',
            color: '#cfe3ff',
            fontSize: 0.85 * fs,
            fontFamily: CJK_FONT_STACK,
            formatter: (p: { value: number }) => (isRate ? `${p.value.toFixed(1)}%` : count(p.value)),
          },
        },
      ],
    };
  }, [top, metric, isRate, fs]);
  if (top.length === 0) return <p className="an-empty">{t('analytics.rankingEmpty')}</p>;
  return <Chart option={option} testId="an-chart-ranking" />;
}

export const RANK_LIMIT = RANK_TOP;
export const metricLabel = (metric: IndicatorSortKey): MessageKey => `analytics.kpi.${metric}` as MessageKey;

import type { GridId } from '@gcc/shared';
import type { HouseholdBand } from './band.ts';

// The community's grids against the household band, before and after the plan, the way
// redistricting tools show population balance: one bar pair per grid, the band shaded.

export interface BandRow {
  grid: GridId;
  label: string;
  /** Null: the grid did not exist before (made by the plan). */
  before: number | null;
  /** Null: gone after (merged away) or not counted yet. */
  after: number | null;
  selected: boolean;
}

export interface BandLabels {
  before: string;
  after: string;
  band: string;
}

const OVER = '#ff7043';
const UNDER = '#409eff';
const WITHIN = '#2ee6a6';

const colorOf = (v: number, [min, max]: HouseholdBand) => (v > max ? OVER : v < min ? UNDER : WITHIN);

/** The ECharts option of the band chart (a plain object: tested without a canvas). */
export function bandChartOption(rows: readonly BandRow[], band: HouseholdBand, labels: BandLabels) {
  const values = rows.flatMap((r) => [r.before ?? 0, r.after ?? 0]);
  const top = Math.max(band[1] * 1.2, ...values);
  return {
    animationDuration: 250,
    grid: { left: 44, right: 12, top: 30, bottom: 48 },
    legend: { top: 0, right: 0, textStyle: { color: '#9fb3d1' }, itemWidth: 12, itemHeight: 8 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.label),
      axisLabel: {
        color: '#9fb3d1',
        rotate: rows.length > 6 ? 40 : 0,
        fontSize: 11,
        formatter: (v: string) => (v.length > 8 ? `${v.slice(0, 7)}…` : v),
      },
      axisLine: { lineStyle: { color: '#2b4468' } },
    },
    yAxis: {
      type: 'value',
      max: Math.ceil(top / 100) * 100,
      axisLabel: { color: '#9fb3d1' },
      splitLine: { lineStyle: { color: 'rgba(72,160,255,0.12)' } },
    },
    series: [
      {
        name: labels.before,
        type: 'bar',
        // The legend's swatch; each bar takes its band colour.
        itemStyle: { color: '#6f86ad' },
        barGap: '10%',
        data: rows.map((r) =>
          r.before === null
            ? null
            : { value: r.before, itemStyle: { color: colorOf(r.before, band), opacity: 0.35 } },
        ),
        markArea: {
          silent: true,
          itemStyle: { color: 'rgba(46,230,166,0.10)', borderColor: 'rgba(46,230,166,0.55)', borderWidth: 1 },
          label: {
            show: true,
            position: 'insideTopLeft',
            color: '#7fe9c4',
            fontSize: 11,
            formatter: labels.band,
          },
          data: [[{ yAxis: band[0] }, { yAxis: band[1] }]],
        },
      },
      {
        name: labels.after,
        type: 'bar',
        itemStyle: { color: WITHIN },
        data: rows.map((r) =>
          r.after === null
            ? null
            : {
                value: r.after,
                itemStyle: {
                  color: colorOf(r.after, band),
                  borderColor: r.selected ? '#36e5ff' : 'transparent',
                  borderWidth: r.selected ? 2 : 0,
                },
              },
        ),
      },
    ],
  };
}

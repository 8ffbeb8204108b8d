import { gridId } from '@gcc/shared/testing';
import { describe, expect, it } from 'vitest';
import { bandChartOption } from './band-chart.ts';

describe('band chart', () => {
  it('one bar pair per grid, the band shaded, gaps where a grid did not exist or is gone', () => {
    const o = bandChartOption(
      [
        { grid: gridId(1), label: '第1网格', before: 620, after: 320, selected: true },
        { grid: gridId(2_000_000_000), label: '待编码 1', before: null, after: 300, selected: true },
        { grid: gridId(2), label: '第2网格', before: 250, after: null, selected: false },
      ],
      [300, 500],
      { before: '调整前', after: '调整后', band: '目标区间 300–500 户' },
    );
    expect(o.xAxis.data).toEqual(['第1网格', '待编码 1', '第2网格']);
    const [before, after] = o.series;
    expect(before!.data.map((d) => d?.value ?? null)).toEqual([620, null, 250]);
    expect(after!.data.map((d) => d?.value ?? null)).toEqual([320, 300, null]);
    expect(before!.markArea?.data).toEqual([[{ yAxis: 300 }, { yAxis: 500 }]]);
    // Over the band is drawn hot, inside it calm.
    expect(before!.data[0]?.itemStyle.color).not.toBe(after!.data[0]?.itemStyle.color);
    expect(o.yAxis.max).toBeGreaterThanOrEqual(620);
  });
});

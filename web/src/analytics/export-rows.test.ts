import { translate, type MessageKey } from '@gcc/shared/messages';
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../app/i18n.tsx';
import { indicatorSheet } from './export-rows.ts';
import type { Indicators } from './format.ts';

const t = (key: MessageKey, vars?: Record<string, string | number>) => formatMessage(translate(key), vars);
const r = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  rate: denominator ? numerator / denominator : null,
});
const step = { mean: null, count: 0 };
const ind = (registered: number, closed: number): Indicators => ({
  registered,
  due: registered,
  deferred: 0,
  closed,
  closedOnTime: closed,
  overdueOpen: 0,
  closureRate: r(closed, registered),
  onTimeClosureRate: r(911, 972),
  onSiteRate: r(0, 0),
  inGridRate: r(closed, closed),
  reworkRate: r(0, closed),
  accurateRegistrationRate: r(registered, registered),
  meanStepMs: {
    register: step,
    dispatch: step,
    accept: step,
    handle: { mean: 5_400_000, count: closed },
    verify: step,
    close: step,
  },
});

describe('the breakdown as a sheet', () => {
  it('has the total first, then the rows in screen order, with every count behind each rate', () => {
    const sheet = indicatorSheet(
      [
        { name: '府山街道', parent: '柯城区', indicators: ind(972, 911) },
        { name: '荷花街道', parent: '柯城区', indicators: ind(10, 9) },
      ],
      ind(982, 920),
      t,
    );
    expect(sheet[0]!.slice(0, 8)).toEqual([
      '序号',
      '名称',
      '上级',
      '立案数',
      '结案数',
      '结案率（%）',
      '结案率分子',
      '结案率分母',
    ]);
    expect(sheet[0]!.at(-1)).toBe('平均处置用时（小时）');
    expect(sheet.map((row) => row[1])).toEqual(['名称', '合计', '府山街道', '荷花街道']);
    expect(sheet[1]![0]).toBeNull();
    // 911 / 972 = 93.72 %, as reports print it; the handling time in hours.
    const row = sheet[2]!;
    expect(row.slice(0, 5)).toEqual([1, '府山街道', '柯城区', 972, 911]);
    expect(row.slice(8, 11)).toEqual([93.72, 911, 972]);
    // A rate without a denominator is an empty cell, not 0 %.
    expect(row.slice(11, 14)).toEqual([null, 0, 0]);
    expect(row.at(-1)).toBe(1.5);
    expect(new Set(sheet.map((x) => x.length)).size).toBe(1);
  });
});

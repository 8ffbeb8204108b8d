import type { GridId } from '@gcc/shared';
import { describe, expect, it } from 'vitest';
import { diffVersions, type VersionColumns } from './version-diff.ts';

const v = (version: number, rows: [id: number, code: string, households: number][]): VersionColumns => ({
  version,
  ids: rows.map((r) => r[0] as GridId),
  codes: rows.map((r) => r[1]),
  names: rows.map((r) => `网格${r[1].slice(-3)}`),
  households: rows.map((r) => r[2]),
  population: rows.map((r) => r[2] * 3),
});

describe('diffVersions', () => {
  // v1: grids 1–3. v2 splits grid 2 (its code stays on a new row, 4, and a new code 005 takes the
  // other half), and merges grid 3 into grid 1's new row 6 (code 003 retired).
  const a = v(1, [
    [1, '330802001001001', 300],
    [2, '330802001001002', 900],
    [3, '330802001001003', 200],
  ]);
  const b = v(2, [
    [6, '330802001001001', 500],
    [4, '330802001001002', 450],
    [5, '330802001001005', 450],
  ]);

  it('tells added, reshaped and retired grids apart by code', () => {
    const d = diffVersions(a, b);
    expect(d.changeB).toEqual(['reshaped', 'reshaped', 'added']);
    expect(d.changeA).toEqual(['reshaped', 'reshaped', 'retired']);
    expect(d.counts).toEqual({ added: 1, reshaped: 2, retired: 1 });
  });

  it('lists each changed grid once, by code, with its households on both sides', () => {
    expect(diffVersions(a, b).changed).toEqual([
      { change: 'reshaped', code: '330802001001001', name: '网格001', householdsA: 300, householdsB: 500 },
      { change: 'reshaped', code: '330802001001002', name: '网格002', householdsA: 900, householdsB: 450 },
      { change: 'retired', code: '330802001001003', name: '网格003', householdsA: 200, householdsB: null },
      { change: 'added', code: '330802001001005', name: '网格005', householdsA: null, householdsB: 450 },
    ]);
  });

  it('puts the figures side by side: households kept, per-grid load spread', () => {
    const { a: fa, b: fb } = diffVersions(a, b).figures;
    expect(fa).toMatchObject({ grids: 3, households: 1400, medianHouseholds: 300, maxHouseholds: 900 });
    expect(fb).toMatchObject({ grids: 3, households: 1400, medianHouseholds: 450, maxHouseholds: 500 });
    expect(fb.population).toBe(4200);
  });

  it('finds nothing between a version and itself', () => {
    const d = diffVersions(a, a);
    expect(d.changed).toEqual([]);
    expect(d.changeB.every((c) => c === 'same')).toBe(true);
  });
});

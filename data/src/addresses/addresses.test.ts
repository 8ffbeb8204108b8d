import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { generateCity } from '../index.ts';
import { GridIndex } from '../spatial/grid-index.ts';
import { planarDistance } from '../geo/plane.ts';
import { shareResidents } from './addresses.ts';

describe('address points', () => {
  const city = generateCity({ profile: 'tiny' });
  const ap = city.addressPoints;
  const n = ap.lng.length;

  it('sum to every grid’s households and population', () => {
    const hh = new Array<number>(city.grids.length).fill(0);
    const people = new Array<number>(city.grids.length).fill(0);
    for (let i = 0; i < n; i++) {
      hh[ap.grid[i]!]! += ap.households[i]!;
      people[ap.grid[i]!]! += ap.residents[i]!;
    }
    expect(hh).toEqual(city.grids.map((g) => g.households));
    expect(people).toEqual(city.grids.map((g) => g.population));
    for (const col of [ap.lat, ap.households, ap.residents, ap.grid]) expect(col.length).toBe(n);
    expect(ap.labels).toHaveLength(n);
  });

  it('lie strictly inside their grid, a few metres from its border, and off water', () => {
    const index = new GridIndex(city.grids);
    const water = city.water.map((w) => turf.multiPolygon(w.polygon));
    for (let i = 0; i < n; i++) {
      const g = ap.grid[i]!;
      expect(index.locate(ap.lng[i]!, ap.lat[i]!)).toBe(g);
      // ≈ 5 m (the generator keeps 8 m in town, 15 m in the country).
      expect(planarDistance([ap.lng[i]!, ap.lat[i]!], city.grids[g]!.polygon)).toBeGreaterThan(5e-5);
      expect(water.some((w) => turf.booleanPointInPolygon([ap.lng[i]!, ap.lat[i]!], w))).toBe(false);
    }
  });

  it('are urban blocks of tens of households and small village houses, each with residents', () => {
    const sizes = (urban: boolean) =>
      [...ap.households.keys()]
        .filter((i) => city.grids[ap.grid[i]!]!.urban === urban)
        .map((i) => ap.households[i]!)
        .sort((a, b) => a - b);
    const median = (xs: number[]) => xs[xs.length >> 1]!;
    expect(median(sizes(true))).toBeGreaterThanOrEqual(12);
    expect(median(sizes(true))).toBeLessThanOrEqual(60);
    expect(median(sizes(false))).toBeGreaterThanOrEqual(1);
    expect(median(sizes(false))).toBeLessThanOrEqual(5);
    for (let i = 0; i < n; i++) {
      expect(ap.households[i]).toBeGreaterThan(0);
      expect(ap.residents[i]).toBeGreaterThanOrEqual(ap.households[i]!);
    }
  });

  it('carry a unique address label: a road number, a compound block or a village number', () => {
    expect(new Set(ap.labels).size).toBe(n);
    for (const label of ap.labels) expect(label).toMatch(/^\S+?(\d+号|小区\d+栋)$/);
    const roads = new Set(city.roads.map((r) => r.name));
    expect(ap.labels.some((l) => roads.has(l.replace(/\d+号$/, '')))).toBe(true);
  });

  it('are deterministic for a seed', () => {
    const again = generateCity({ profile: 'tiny' }).addressPoints;
    expect(again).toEqual(ap);
    expect(generateCity({ profile: 'tiny', seed: 8 }).addressPoints.lng).not.toEqual(ap.lng);
  });

  it('share residents in proportion to households, exactly', () => {
    expect(shareResidents([10, 20, 30], 150)).toEqual([25, 50, 75]);
    const r = shareResidents([1, 1, 1], 8);
    expect(r.reduce((a, b) => a + b, 0)).toBe(8);
    expect(Math.max(...r) - Math.min(...r)).toBe(1);
    expect(shareResidents([], 0)).toEqual([]);
  });
});

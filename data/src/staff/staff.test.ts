import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { GeneratedGrid } from '../city.ts';
import { generateCity } from '../index.ts';
import { createRng } from '../random.ts';
import { buildStaff } from './staff.ts';

function fakeGrids(n: number, communities: number): GeneratedGrid[] {
  return Array.from({ length: n }, (_, i) => ({
    code:
      `330802005${String(i % communities).padStart(6, '0')}`.slice(0, 12) +
      String(Math.floor(i / communities) + 1).padStart(3, '0'),
    name: 'x',
    communityCode: `c${i % communities}`,
    polygon: [],
    households: 400,
    population: 1000,
    urban: i % 3 === 0,
    areaKm2: 0.1,
  }));
}

describe('staff (一长三员)', () => {
  it('staffs every grid by the role rules, homes on its own roads', () => {
    const city = generateCity({ profile: 'tiny', historyDays: 0 });
    const byGrid = new Map<string, typeof city.staff>();
    for (const s of city.staff) byGrid.set(s.gridCode, [...(byGrid.get(s.gridCode) ?? []), s]);
    for (const g of city.grids) {
      const list = byGrid.get(g.code) ?? [];
      const n = (role: string): number => list.filter((s) => s.role === role).length;
      expect(n('leader')).toBe(1);
      expect(n('fulltime') >= 1 && n('fulltime') <= 2).toBe(true);
      expect(n('parttime') >= 2 && n('parttime') <= 5).toBe(true);
      const f = turf.multiPolygon(g.polygon);
      for (const s of list)
        expect(turf.booleanPointInPolygon(s.home, f), `${s.name} home in ${g.code}`).toBe(true);
    }
    // tiny is staffed lightly: one instructor per community.
    const communities = new Set(city.grids.map((g) => g.communityCode));
    const instructors = city.staff.filter((s) => s.role === 'instructor');
    expect(new Set(instructors.map((s) => s.gridCode.slice(0, 12)))).toEqual(communities);
    expect(instructors.length).toBe(communities.size);
    expect(city.staff.map((s) => s.id)).toEqual(city.staff.map((_, i) => i + 1));
    expect(city.staff.every((s) => /^1[3-9]\d{9}$/.test(s.phone))).toBe(true);
    expect(new Set(city.staff.map((s) => s.phone)).size).toBe(city.staff.length);
    expect(city.staff.every((s) => /^[\u4e00-\u9fff]{2,3}$/.test(s.name))).toBe(true);
  });

  it.each([
    ['demo', 1200, 180, 5000, 0.02],
    ['quzhou', 4191, 1664, 38000, 0.01],
    ['stress', 5000, 1664, 40000, 0.01],
  ])('reaches the %s total (%i grids → ≈%i staff)', (_, grids, communities, target, tolerance) => {
    const staff = buildStaff({
      grids: fakeGrids(grids, communities),
      roadVertices: [],
      interiorPoint: () => [118.87, 28.94],
      target: Number(target),
      rng: createRng(1),
    });
    expect(Math.abs(staff.length - Number(target)) / Number(target)).toBeLessThan(Number(tolerance));
  });
});

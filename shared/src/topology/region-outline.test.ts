import { describe, expect, it } from 'vitest';
import type { GridId, UnitId } from '../ids.ts';
import { gridId, unitId } from '../testing/ids.ts';
import { SQUARE_DEG, square } from '../testing/squares.ts';
import { gridsByUnit, regionOutline } from './region-outline.ts';
import { buildTopology, type TopologyInputGrid } from './topology.ts';

// A 3 × 3 block of squares at 0.001° spacing, grid n at column (n-1) % 3, row floor((n-1) / 3).
const S = SQUARE_DEG;
const block = (parentOf: (n: number) => number): TopologyInputGrid[] =>
  [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ({
    id: gridId(n),
    parentId: unitId(parentOf(n)),
    polygon: square((n - 1) % 3, Math.floor((n - 1) / 3)),
  }));
const topo = buildTopology(block(() => 10)).topology;
const ids = (...n: number[]): Set<GridId> => new Set(n.map(gridId));

/** Shoelace area in squares of S. */
const area = (ring: readonly (readonly number[])[]) =>
  ring.reduce((s, p, i) => {
    const q = ring[(i + 1) % ring.length]!;
    return s + (p[0]! * q[1]! - q[0]! * p[1]!) / (S * S);
  }, 0) / 2;
/** Corner points of a ring (the straight-through points of the grid borders dropped), as "x,y" in units of S. */
const corners = (ring: readonly (readonly number[])[]) => {
  const pts = ring.slice(0, -1);
  return pts
    .filter((p, i) => {
      const a = pts[(i + pts.length - 1) % pts.length]!;
      const b = pts[(i + 1) % pts.length]!;
      return Math.abs((p[0]! - a[0]!) * (b[1]! - p[1]!) - (p[1]! - a[1]!) * (b[0]! - p[0]!)) > 1e-15;
    })
    .map((p) => `${Math.round(p[0]! / S)},${Math.round(p[1]! / S)}`)
    .sort();
};

describe('regionOutline', () => {
  it('walks the border of adjacent grids as one counter-clockwise ring, closed', () => {
    const [poly, ...more] = regionOutline(topo, ids(1, 2, 4, 5));
    expect(more).toEqual([]);
    expect(poly).toHaveLength(1);
    const ring = poly![0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(area(ring)).toBeCloseTo(4, 9);
    expect(corners(ring)).toEqual(['0,0', '0,2', '2,0', '2,2']);
  });

  it('gives a ring of grids round a grid not in the set its hole', () => {
    const polys = regionOutline(topo, ids(1, 2, 3, 4, 6, 7, 8, 9));
    expect(polys).toHaveLength(1);
    const [outer, hole, ...rest] = polys[0]!;
    expect(rest).toEqual([]);
    expect(area(outer!)).toBeCloseTo(9, 9);
    expect(area(hole!)).toBeCloseTo(-1, 9);
    expect(corners(hole!)).toEqual(['1,1', '1,2', '2,1', '2,2']);
  });

  it('keeps two parts that touch at one point as two rings, not a figure eight', () => {
    // Grids 1 and 5 meet only at the point (1, 1); so do 5 and 9.
    const polys = regionOutline(topo, ids(1, 5, 9));
    expect(polys).toHaveLength(3);
    for (const p of polys) {
      expect(p).toHaveLength(1);
      expect(area(p[0]!)).toBeCloseTo(1, 9);
    }
    expect(polys.map((p) => corners(p[0]!)[0]).sort()).toEqual(['0,0', '1,1', '2,2']);
  });

  it('is empty for no grid, and the whole block for all of them', () => {
    expect(regionOutline(topo, ids())).toEqual([]);
    const all = regionOutline(topo, ids(1, 2, 3, 4, 5, 6, 7, 8, 9));
    expect(all).toHaveLength(1);
    expect(corners(all[0]![0]!)).toEqual(['0,0', '0,3', '3,0', '3,3']);
  });
});

describe('gridsByUnit', () => {
  it('lists each unit’s grids up the chain of parents', () => {
    // Communities 10 (left column), 11 (the rest), both in street 100.
    const t = buildTopology(block((n) => (n % 3 === 1 ? 10 : 11))).topology;
    const parent = new Map<UnitId, UnitId | null>([
      [unitId(10), unitId(100)],
      [unitId(11), unitId(100)],
      [unitId(100), null],
    ]);
    const by = gridsByUnit(t, (u) => parent.get(u) ?? null);
    expect([...by.get(unitId(10))!].sort()).toEqual([1, 4, 7]);
    expect(by.get(unitId(11))!.size).toBe(6);
    expect(by.get(unitId(100))!.size).toBe(9);
  });
});

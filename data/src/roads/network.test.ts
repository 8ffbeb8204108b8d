import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { City } from '../city.ts';
import { generateCity } from '../index.ts';

/** Sizes of the connected pieces of the graph keyed on "lng,lat", largest first. */
function components(city: City): { vertices: number; sizes: number[] } {
  const id = new Map<string, number>();
  const parent: number[] = [];
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const key = (p: [number, number]): number => {
    const k = `${p[0]},${p[1]}`;
    let i = id.get(k);
    if (i === undefined) {
      i = parent.length;
      parent.push(i);
      id.set(k, i);
    }
    return i;
  };
  for (const r of city.roads)
    for (let i = 1; i < r.coords.length; i++) {
      const a = find(key(r.coords[i - 1]!));
      const b = find(key(r.coords[i]!));
      if (a !== b) parent[a] = b;
    }
  const sizes = new Map<number, number>();
  for (let i = 0; i < parent.length; i++) sizes.set(find(i), (sizes.get(find(i)) ?? 0) + 1);
  return { vertices: parent.length, sizes: [...sizes.values()].sort((a, b) => b - a) };
}

describe('road network', () => {
  for (const profile of ['tiny', 'demo'] as const) {
    it(`${profile}: one connected graph through shared vertices`, { timeout: 120_000 }, () => {
      const city = generateCity({ profile, historyDays: 0 });
      const { vertices, sizes } = components(city);
      expect(sizes[0]! / vertices).toBeGreaterThan(0.95);
      expect(new Set(city.roads.map((r) => r.class))).toEqual(
        new Set(['primary', 'secondary', 'street', 'rural']),
      );
      for (const r of city.roads) {
        expect(r.coords.length).toBeGreaterThanOrEqual(2);
        expect(r.name.length).toBeGreaterThan(1);
      }
      expect(city.roads.map((r) => r.id)).toEqual(city.roads.map((_, i) => i + 1));
      if (profile === 'demo') {
        // A few thousand segments, not hundreds of thousands.
        expect(city.roads.length).toBeGreaterThan(1000);
        expect(city.roads.length).toBeLessThan(10000);
        // Village roads reach most rural grids.
        const rural = city.grids.filter((g) => !g.urban);
        const points = turf.featureCollection(city.roads.flatMap((r) => r.coords.map((p) => turf.point(p))));
        const served = rural.filter(
          (g) => turf.pointsWithinPolygon(points, turf.multiPolygon(g.polygon)).features.length > 0,
        );
        expect(served.length / rural.length).toBeGreaterThan(0.9);
      }
    });
  }
});

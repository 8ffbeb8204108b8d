// Children tile their parent: no gaps (areas add up), no overlaps (neighbours share only
// edges), every grid inside the outline, every ring closed.

import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import { describe, expect, it } from 'vitest';
import type { City, MultiPolygonCoords } from '../city.ts';
import { generateCity } from '../index.ts';
import { bboxOfMulti } from '../geo/plane.ts';

const area = (mp: MultiPolygonCoords): number => turf.area(turf.multiPolygon(mp));

function expectClosedRings(mp: MultiPolygonCoords): void {
  expect(mp.length).toBeGreaterThan(0);
  for (const poly of mp)
    for (const ring of poly) {
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      for (const p of ring) {
        expect(Math.round(p[0] * 1e6) / 1e6).toBe(p[0]);
        expect(Math.round(p[1] * 1e6) / 1e6).toBe(p[1]);
      }
    }
}

/** Largest relative gap between a parent's area and the sum of its children's. */
function worstAreaError(city: City): number {
  const children = new Map<string, MultiPolygonCoords[]>();
  for (const u of city.units)
    if (u.parentCode) children.set(u.parentCode, [...(children.get(u.parentCode) ?? []), u.polygon]);
  for (const g of city.grids)
    children.set(g.communityCode, [...(children.get(g.communityCode) ?? []), g.polygon]);
  let worst = 0;
  for (const u of city.units) {
    const kids = children.get(u.code) ?? [];
    expect(kids.length, `${u.level} ${u.name} has children`).toBeGreaterThan(0);
    const sum = kids.reduce((a, k) => a + area(k), 0);
    worst = Math.max(worst, Math.abs(sum - area(u.polygon)) / area(u.polygon));
  }
  return worst;
}

/** Total overlap area (m²) between siblings whose boxes touch, and the number of pairs tested. */
function siblingOverlap(items: readonly { polygon: MultiPolygonCoords; parent: string }[]): {
  worst: number;
  pairs: number;
} {
  const index = new Flatbush(items.length);
  for (const it of items) {
    const [x0, y0, x1, y1] = bboxOfMulti(it.polygon);
    index.add(x0, y0, x1, y1);
  }
  index.finish();
  let worst = 0;
  let pairs = 0;
  items.forEach((a, i) => {
    const [x0, y0, x1, y1] = bboxOfMulti(a.polygon);
    for (const j of index.search(x0, y0, x1, y1)) {
      if (j <= i) continue;
      pairs++;
      const x = turf.intersect(
        turf.featureCollection([turf.multiPolygon(a.polygon), turf.multiPolygon(items[j]!.polygon)]),
      );
      if (x) worst = Math.max(worst, turf.area(x));
    }
  });
  return { worst, pairs };
}

function checkCity(
  city: City,
  overlapLevels: readonly ('grid' | 'community' | 'street' | 'district')[],
): void {
  for (const u of city.units) expectClosedRings(u.polygon);
  for (const g of city.grids) expectClosedRings(g.polygon);
  expect(worstAreaError(city)).toBeLessThan(1e-6);
  for (const level of overlapLevels) {
    const items =
      level === 'grid'
        ? city.grids.map((g) => ({ polygon: g.polygon, parent: g.communityCode }))
        : city.units
            .filter((u) => u.level === level)
            .map((u) => ({ polygon: u.polygon, parent: u.parentCode ?? '' }));
    const { worst, pairs } = siblingOverlap(items);
    if (items.length > 1) expect(pairs, `${level} neighbour pairs`).toBeGreaterThanOrEqual(items.length - 1);
    // Shared edges only: any overlap is rounding noise far below a square metre.
    expect(worst, `${level} overlap`).toBeLessThan(0.5);
  }
  // Every grid inside the outline: its area is all covered by the outline.
  const outline = turf.multiPolygon(city.outline);
  const total = city.grids.reduce((a, g) => a + area(g.polygon), 0);
  expect(Math.abs(total - area(city.outline)) / area(city.outline)).toBeLessThan(1e-6);
  for (const g of city.grids) {
    const p = turf.pointOnFeature(turf.multiPolygon(g.polygon));
    expect(turf.booleanPointInPolygon(p, outline)).toBe(true);
  }
}

describe('tiling', () => {
  it('tiny: grids tile communities, communities streets, streets districts, districts the city', () => {
    checkCity(generateCity({ profile: 'tiny' }), ['grid', 'community', 'street', 'district']);
  });

  it('demo: the same, at 1,200 grids', { timeout: 120_000 }, () => {
    checkCity(generateCity({ profile: 'demo' }), ['grid', 'street', 'district']);
  });
});

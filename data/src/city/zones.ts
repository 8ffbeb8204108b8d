// The districts' land (zones). With a district boundary file each feature is a zone. Otherwise
// the land (a synthesized blob, or a supplied outline without districts) is cut into districts
// from coarse parcels, each district taking the share of land its grids need.

import * as turf from '@turf/turf';
import { gcj02ToWgs84 } from '@gcc/shared/geo';
import type { Rng } from '../random.ts';
import type { MultiPolygonXY, Plane, PolygonXY, XY } from '../geo/plane.ts';
import {
  bboxOfMulti,
  closeMulti,
  multiPolygonArea,
  multiPolygonCentroid,
  insideTest,
  polygonArea,
} from '../geo/plane.ts';
import { cellNeighbours, voronoiCells } from './cells.ts';
import { growRegions } from './growth.ts';

/** Government seats (DataV GeoAtlas district centres, GCJ-02) of 衢州's six county-level units. */
const SEATS_GCJ02: Readonly<Record<string, readonly [number, number]>> = {
  '330802': [118.873041, 28.944539],
  '330803': [118.957683, 28.973195],
  '330822': [118.521654, 28.900039],
  '330824': [118.414435, 29.136503],
  '330825': [119.172525, 29.031364],
  '330881': [118.627879, 28.734674],
};

/** The seat of a district in WGS-84, when it is one we know. */
export function knownSeat(code: string): [number, number] | null {
  const s = SEATS_GCJ02[code];
  return s ? gcj02ToWgs84(s[0], s[1]) : null;
}

/** A point well inside a multipolygon: the middle of the widest span on a few horizontal lines. */
export function interiorPoint(mp: MultiPolygonXY): XY {
  const [, y0, , y1] = bboxOfMulti(mp);
  const c = multiPolygonCentroid(mp);
  if (insideTest(mp)(c[0], c[1])) return c;
  let best: XY = c;
  let bestW = -1;
  for (let k = 1; k < 10; k++) {
    const y = y0 + ((y1 - y0) * k) / 10;
    const xs: number[] = [];
    for (const poly of mp)
      for (const ring of poly)
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i]!;
          const b = ring[i + 1]!;
          if (a[1] > y !== b[1] > y) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
        }
    xs.sort((p, q) => p - q);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const w = xs[i + 1]! - xs[i]!;
      if (w > bestW) {
        bestW = w;
        best = [(xs[i]! + xs[i + 1]!) / 2, y];
      }
    }
  }
  return best;
}

/** Distance from p to the nearest boundary segment of mp. */
function distanceToBoundary(p: XY, mp: MultiPolygonXY): number {
  let d = Infinity;
  for (const poly of mp)
    for (const ring of poly)
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        const dx = b[0] - a[0];
        const dy = b[1] - a[1];
        const l2 = dx * dx + dy * dy;
        const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2));
        d = Math.min(d, Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy));
      }
  return d;
}

/** Moves p towards `towards` until it lies inside mp at least `margin` from its edge. */
export function pullInside(p: XY, mp: MultiPolygonXY, towards: XY, margin: number): XY {
  let q: XY = p;
  const inside = insideTest(mp);
  for (let k = 0; k < 60; k++) {
    if (inside(q[0], q[1]) && distanceToBoundary(q, mp) >= margin) return q;
    q = [towards[0] + (q[0] - towards[0]) * 0.92, towards[1] + (q[1] - towards[1]) * 0.92];
  }
  return interiorPoint(mp);
}

/** Converts a turf (Multi)Polygon geometry to a plane multipolygon with closed rings. */
export function geometryToXY(geometry: { type: string; coordinates: unknown }): MultiPolygonXY {
  const raw = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  return closeMulti(raw.map((poly) => poly.map((ring) => ring.map((q) => [q[0]!, q[1]!] as XY))));
}

/** Union of plane multipolygons (polyclip via turf). */
export function unionXY(parts: readonly MultiPolygonXY[]): MultiPolygonXY {
  if (parts.length === 1) return parts[0]!;
  const fc = turf.featureCollection(parts.map((p) => turf.multiPolygon(p)));
  const u = turf.union(fc);
  if (!u) return [];
  return geometryToXY(u.geometry).filter((p: PolygonXY) => Math.abs(polygonArea(p)) > 1e-9);
}

export interface LandSplitInput {
  land: MultiPolygonXY;
  /** Desired share of the land per district (any scale). */
  shares: readonly number[];
  /** Where each district's seat is (inside the land). */
  seats: readonly XY[];
  rng: Rng;
}

/**
 * Cuts land into one zone per district. Parcels (Voronoi cells of ~30 points per district) are
 * grown into districts from the seats with area quotas, then merged; parcel edges give district
 * borders the jagged look of real ones.
 */
export function splitLand(input: LandSplitInput): MultiPolygonXY[] {
  const { land, shares, seats, rng } = input;
  if (shares.length === 1) return [land];
  const area = multiPolygonArea(land);
  const count = 30 * shares.length;
  const step = Math.sqrt(area / count / (Math.sqrt(3) / 2));
  const [x0, y0, x1, y1] = bboxOfMulti(land);
  const inLand = insideTest(land);
  const pts: XY[] = [];
  for (let j = 0, y = y0; y <= y1 + step; j++, y += step * (Math.sqrt(3) / 2)) {
    for (let x = x0 + (j % 2 ? step / 2 : 0); x <= x1 + step; x += step) {
      const p: XY = [x + rng.range(-0.35, 0.35) * step, y + rng.range(-0.35, 0.35) * step];
      if (inLand(p[0], p[1])) pts.push(p);
    }
  }
  const parcels = voronoiCells(pts, land).filter((c) => c.poly.length > 0);
  const neighbours = cellNeighbours(parcels);
  const areas = parcels.map((c) => multiPolygonArea(c.poly));
  const total = shares.reduce((a, b) => a + b, 0);
  const taken = new Set<number>();
  const regions = seats.map((s, d) => {
    let best = -1;
    let bd = Infinity;
    parcels.forEach((c, i) => {
      if (taken.has(i)) return;
      const dd = Math.hypot(c.seed[0] - s[0], c.seed[1] - s[1]);
      if (dd < bd) {
        bd = dd;
        best = i;
      }
    });
    taken.add(best);
    return { seed: best, at: s, quota: [(area * shares[d]!) / total, 0] as [number, number] };
  });
  const owner = growRegions(
    parcels.map((c, i) => ({ x: c.seed[0], y: c.seed[1], cls: 0 as const, weight: areas[i]! })),
    neighbours,
    regions,
  );
  return seats.map((_, d) => unionXY(parcels.filter((_, i) => owner[i] === d).map((c) => c.poly)));
}

/** Plane coordinates of a seat, given in WGS-84. */
export function seatXY(plane: Plane, lngLat: [number, number]): XY {
  return plane.toXY(lngLat[0], lngLat[1]);
}

// A local flat plane in kilometres around an origin. The generator lays the city out in this
// plane (distances and areas mean something there, Voronoi cells are not stretched by the
// shrinking length of a degree of longitude) and converts to WGS-84 only when it writes output.

import { flattenMultiPolygons, pointInFlatFeature } from '@gcc/shared/geo';
import type { LngLat, MultiPolygonCoords } from '../city.ts';

export type XY = [number, number];
export type Ring = XY[];
export type PolygonXY = Ring[];
export type MultiPolygonXY = PolygonXY[];

const KM_PER_DEG_LAT = 110.574;
const KM_PER_DEG_LNG_EQUATOR = 111.32;

/** Rounds to 6 decimals (about 0.1 m), the precision of every coordinate the generator writes. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Lattice points per degree: output coordinates are integers of 1e-6°. */
export const LATTICE_PER_DEGREE = 1e6;

export interface Plane {
  origin: LngLat;
  toXY(lng: number, lat: number): XY;
  /** Converts back to WGS-84, rounded to 6 decimals. */
  toLngLat(x: number, y: number): LngLat;
  /** Converts to WGS-84 in units of the output lattice, not rounded (rounding gives toLngLat's). */
  toLattice(x: number, y: number): XY;
  /** A lattice point in the plane. */
  fromLattice(ix: number, iy: number): XY;
}

/** A lattice point as WGS-84 (exactly what `round6` gives for any point rounding to it). */
export function latticeToLngLat(ix: number, iy: number): LngLat {
  return [ix / LATTICE_PER_DEGREE, iy / LATTICE_PER_DEGREE];
}

/** An equirectangular plane around origin: good to a few metres over a 150 km city. */
export function createPlane(origin: LngLat): Plane {
  const [lng0, lat0] = origin;
  const kx = KM_PER_DEG_LNG_EQUATOR * Math.cos((lat0 * Math.PI) / 180);
  const ky = KM_PER_DEG_LAT;
  return {
    origin,
    toXY: (lng, lat) => [(lng - lng0) * kx, (lat - lat0) * ky],
    toLngLat: (x, y) => [round6(lng0 + x / kx), round6(lat0 + y / ky)],
    toLattice: (x, y) => [(lng0 + x / kx) * LATTICE_PER_DEGREE, (lat0 + y / ky) * LATTICE_PER_DEGREE],
    fromLattice: (ix, iy) => [(ix / LATTICE_PER_DEGREE - lng0) * kx, (iy / LATTICE_PER_DEGREE - lat0) * ky],
  };
}

/** Signed shoelace area (positive when counter-clockwise). */
export function ringSignedArea(ring: readonly XY[] | readonly LngLat[]): number {
  let s = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

export function polygonArea(poly: readonly Ring[]): number {
  let s = 0;
  poly.forEach((ring, i) => {
    const a = Math.abs(ringSignedArea(ring));
    s += i === 0 ? a : -a;
  });
  return s;
}

export function multiPolygonArea(mp: readonly PolygonXY[]): number {
  let s = 0;
  for (const p of mp) s += polygonArea(p);
  return s;
}

/** Area centroid of a multipolygon's outer rings (holes ignored: cells rarely have any). */
export function multiPolygonCentroid(mp: readonly PolygonXY[]): XY {
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (const poly of mp) {
    const ring = poly[0];
    if (!ring) continue;
    for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
      const p = ring[j]!;
      const q = ring[i]!;
      const f = p[0] * q[1] - q[0] * p[1];
      cx += (p[0] + q[0]) * f;
      cy += (p[1] + q[1]) * f;
      a += f;
    }
  }
  if (a === 0) {
    const first = mp[0]?.[0]?.[0];
    return first ? [first[0], first[1]] : [0, 0];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

/**
 * A point-in-multipolygon test for mp, prepared once: the product's own exact ray casting
 * (@gcc/shared/geo, even–odd over every ring), so the generator decides inside as the server does.
 */
export function insideTest(mp: readonly PolygonXY[]): (x: number, y: number) => boolean {
  const flat = flattenMultiPolygons([mp]);
  return (x, y) => pointInFlatFeature(flat, 0, x, y);
}

export type BBox = [number, number, number, number];

export function bboxOfMulti(mp: readonly (readonly (readonly (readonly number[])[])[])[]): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of mp)
    for (const ring of poly)
      for (const p of ring) {
        const x = p[0]!;
        const y = p[1]!;
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
  return [minX, minY, maxX, maxY];
}

/** Distance in degrees (planar lng/lat, as the polygons are drawn) from p to a multipolygon's edges. */
export function planarDistance(
  p: readonly number[],
  mp: readonly (readonly (readonly (readonly number[])[])[])[],
): number {
  let best = Infinity;
  for (const poly of mp)
    for (const ring of poly)
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = ring[i] as [number, number];
        const [bx, by] = ring[i + 1] as [number, number];
        const dx = bx - ax;
        const dy = by - ay;
        const t = Math.max(
          0,
          Math.min(1, ((p[0]! - ax) * dx + (p[1]! - ay) * dy) / (dx * dx + dy * dy || 1)),
        );
        best = Math.min(best, Math.hypot(p[0]! - ax - t * dx, p[1]! - ay - t * dy));
      }
  return best;
}

export function dist(a: XY, b: XY): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function closeRing<T extends XY | LngLat>(ring: T[]): T[] {
  const f = ring[0];
  const l = ring[ring.length - 1];
  if (f && l && (f[0] !== l[0] || f[1] !== l[1])) ring.push([f[0], f[1]] as T);
  return ring;
}

/**
 * Assembles output polygons from open-or-closed rings: rings with fewer than 3 distinct points
 * (or no area) and polygons without an outer ring are dropped, outer rings counter-clockwise and
 * holes clockwise (RFC 7946), every ring closed.
 */
function assembleMulti(polys: Iterable<Iterable<LngLat[]>>): MultiPolygonCoords {
  const out: MultiPolygonCoords = [];
  for (const poly of polys) {
    const rings: LngLat[][] = [];
    let ri = 0;
    for (const r of poly) {
      const isOuter = ri++ === 0;
      const first = r[0];
      const last = r[r.length - 1];
      if (first && last && r.length > 1 && first[0] === last[0] && first[1] === last[1]) r.pop();
      const area = r.length < 3 ? 0 : ringSignedArea(r);
      if (area === 0) continue;
      if (isOuter !== area > 0) r.reverse();
      if (!isOuter && rings.length === 0) continue;
      rings.push(closeRing(r));
    }
    if (rings.length > 0) out.push(rings);
  }
  return out;
}

/**
 * Converts a plane multipolygon to rounded WGS-84 output, dropping the consecutive duplicates
 * that the rounding creates; see `assembleMulti` for the ring rules.
 */
export function toOutputMulti(mp: readonly PolygonXY[], plane: Plane): MultiPolygonCoords {
  return assembleMulti(
    mp.map((poly) =>
      poly.map((ring) => {
        const r: LngLat[] = [];
        for (const p of ring) {
          const q = plane.toLngLat(p[0], p[1]);
          const last = r[r.length - 1];
          if (!last || last[0] !== q[0] || last[1] !== q[1]) r.push(q);
        }
        return r;
      }),
    ),
  );
}

/** Closes every ring of a plane multipolygon in place (turf and polyclip want closed rings). */
export function closeMulti(mp: MultiPolygonXY): MultiPolygonXY {
  for (const poly of mp) for (const ring of poly) closeRing(ring);
  return mp;
}

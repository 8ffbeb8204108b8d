import { EARTH_RADIUS_M } from './great-circle.ts';

// Where a worker on a case is expected to be (the 离岗 alert's exception): a band of fixed
// half-width around the route from where the worker took the case to the case's place. Distances
// come from a local equirectangular projection around the point asked about: at city scale
// (routes of a few kilometres) it is within a fraction of a metre of the great circle, and it
// needs no trigonometry per vertex.

/**
 * Half-width of a case corridor in metres. A worker may take a parallel street one block over
 * (urban blocks are 100–250 m deep) and a phone fix in a street canyon is off by up to ~50 m;
 * 300 m keeps both inside without covering a whole neighbouring grid (an urban grid of 300–500
 * households is roughly 400–800 m across).
 */
export const CASE_CORRIDOR_HALF_WIDTH_M = 300;

const DEG = Math.PI / 180;

/** Distance in metres from a point to a polyline of [lng, lat] vertices (Infinity for an empty path). */
export function distanceToPathM(
  lng: number,
  lat: number,
  path: readonly (readonly [number, number])[],
): number {
  if (path.length === 0) return Infinity;
  const kx = Math.cos(lat * DEG) * DEG * EARTH_RADIUS_M;
  const ky = DEG * EARTH_RADIUS_M;
  let best = Infinity;
  let ax = (path[0]![0] - lng) * kx;
  let ay = (path[0]![1] - lat) * ky;
  if (path.length === 1) return Math.hypot(ax, ay);
  for (let i = 1; i < path.length; i++) {
    const bx = (path[i]![0] - lng) * kx;
    const by = (path[i]![1] - lat) * ky;
    // Closest point of segment a–b to the origin (the point asked about).
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
    const d = Math.hypot(ax + t * dx, ay + t * dy);
    if (d < best) best = d;
    ax = bx;
    ay = by;
  }
  return best;
}

/** True when the point lies within `halfWidthM` of any of the paths (a corridor along each). */
export function inCorridor(
  lng: number,
  lat: number,
  paths: readonly (readonly (readonly [number, number])[])[],
  halfWidthM = CASE_CORRIDOR_HALF_WIDTH_M,
): boolean {
  for (const p of paths) if (distanceToPathM(lng, lat, p) <= halfWidthM) return true;
  return false;
}

/** Length of a polyline of [lng, lat] vertices in metres (same projection, per segment). */
export function pathLengthM(path: readonly (readonly [number, number])[]): number {
  let m = 0;
  for (let i = 1; i < path.length; i++) {
    const [x0, y0] = path[i - 1]!;
    const [x1, y1] = path[i]!;
    const kx = Math.cos(((y0 + y1) / 2) * DEG) * DEG * EARTH_RADIUS_M;
    m += Math.hypot((x1 - x0) * kx, (y1 - y0) * DEG * EARTH_RADIUS_M);
  }
  return m;
}

import { orient2d } from 'robust-predicates';
import type { QPoint } from './topology.ts';

// Exact planar predicates on quantised points. Orientation goes through Shewchuk's adaptive
// predicates (robust-predicates): a product of two coordinate differences can pass 2^53 when a
// drawn line spans the city, and a wrong sign there would let a crossing through.

/** > 0 when c lies left of a → b, < 0 right of it, 0 on the line. */
export function orient(a: QPoint, b: QPoint, c: QPoint): number {
  // robust-predicates counts the other way round (positive = clockwise in y-up coordinates).
  return -orient2d(a[0], a[1], b[0], b[1], c[0], c[1]);
}

const same = (p: QPoint, q: QPoint) => p[0] === q[0] && p[1] === q[1];

const within = (p: QPoint, q: QPoint, r: QPoint) =>
  Math.min(p[0], q[0]) <= r[0] &&
  r[0] <= Math.max(p[0], q[0]) &&
  Math.min(p[1], q[1]) <= r[1] &&
  r[1] <= Math.max(p[1], q[1]);

/**
 * Whether segments ab and cd cross or touch anywhere but at a shared end point (a shared end point
 * is how consecutive segments and edges meeting at a node touch legitimately; collinear overlap
 * beyond it still counts).
 */
export function segmentsMeet(a: QPoint, b: QPoint, c: QPoint, d: QPoint): boolean {
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  const shared = same(a, c) || same(a, d) || same(b, c) || same(b, d);
  if (shared) {
    // Touching at the shared point is fine unless the segments run along each other.
    if (d1 !== 0 || d2 !== 0) return false;
    const [p, q] = same(a, c) ? [b, d] : same(a, d) ? [b, c] : same(b, c) ? [a, d] : [a, c];
    const o = same(a, c) || same(a, d) ? a : b;
    // Collinear with a common end: they overlap when the other ends lie on the same side of it.
    return (p[0] - o[0]) * (q[0] - o[0]) + (p[1] - o[1]) * (q[1] - o[1]) > 0;
  }
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && within(c, d, a)) ||
    (d2 === 0 && within(c, d, b)) ||
    (d3 === 0 && within(a, b, c)) ||
    (d4 === 0 && within(a, b, d))
  );
}

/** Where segment ab meets segment cd, as parameters along each (s on ab, u on cd), or null (parallel lines never meet here). */
export function crossingOn(a: QPoint, b: QPoint, c: QPoint, d: QPoint): { s: number; u: number } | null {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const qx = d[0] - c[0];
  const qy = d[1] - c[1];
  const den = rx * qy - ry * qx;
  if (den === 0) return null;
  const s = ((c[0] - a[0]) * qy - (c[1] - a[1]) * qx) / den;
  const u = ((c[0] - a[0]) * ry - (c[1] - a[1]) * rx) / den;
  return s >= 0 && s <= 1 && u >= 0 && u <= 1 ? { s, u } : null;
}

/** Signed area (positive counter-clockwise) in quantised units², taken relative to the first point so no product leaves the exact range. */
export function ringArea(points: readonly QPoint[]): number {
  if (points.length < 3) return 0;
  const [x0, y0] = points[0]!;
  let s = 0;
  for (let i = 1; i + 1 < points.length; i++) {
    const p = points[i]!;
    const q = points[i + 1]!;
    s += (p[0] - x0) * (q[1] - y0) - (q[0] - x0) * (p[1] - y0);
  }
  return s / 2;
}

/** Whether point p lies inside the ring (even-odd; a point on the ring counts as inside). */
export function pointInRing(p: QPoint, ring: readonly QPoint[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    if (orient(a, b, p) === 0 && within(a, b, p)) return true;
    if (a[1] > p[1] !== b[1] > p[1]) {
      const o = orient(a, b, p);
      if (b[1] > a[1] ? o > 0 : o < 0) inside = !inside;
    }
  }
  return inside;
}

/** Metres per quantised unit at a latitude (x, y): a grid is small enough for a local plane. */
export function metresPerUnit(latUnits: number): [number, number] {
  const lat = (latUnits / 1e7) * (Math.PI / 180);
  return [1e-7 * 111_320 * Math.cos(lat), 1e-7 * 110_574];
}

/** The point of segment ab nearest p: its fraction `s` along ab, the point, and the distance². */
export function nearestOnSegment(p: QPoint, a: QPoint, b: QPoint): { s: number; at: QPoint; d2: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const s = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  const at: QPoint = [a[0] + s * dx, a[1] + s * dy];
  return { s, at, d2: (at[0] - p[0]) ** 2 + (at[1] - p[1]) ** 2 };
}

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

/**
 * Whether segments ab and cd cross or touch anywhere but at a shared end point (a shared end point
 * is how consecutive segments and edges meeting at a node touch legitimately; collinear overlap
 * beyond it still counts).
 */
export function segmentsMeet(a: QPoint, b: QPoint, c: QPoint, d: QPoint): boolean {
  return segmentsMeetXY(a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]);
}

/** `segmentsMeet` on plain numbers, for loops over flat coordinate arrays (no point arrays made). */
export function segmentsMeetXY(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  // robust-predicates counts clockwise as positive; only signs matter here, so the sign is flipped throughout.
  const d1 = -orient2d(cx, cy, dx, dy, ax, ay);
  const d2 = -orient2d(cx, cy, dx, dy, bx, by);
  const ac = ax === cx && ay === cy;
  const ad = ax === dx && ay === dy;
  const bc = bx === cx && by === cy;
  const bd = bx === dx && by === dy;
  if (ac || ad || bc || bd) {
    // Touching at the shared point is fine unless the segments run along each other.
    if (d1 !== 0 || d2 !== 0) return false;
    // Collinear with a common end o: they overlap when the other ends p, q lie on the same side of it.
    const oa = ac || ad;
    const ox = oa ? ax : bx;
    const oy = oa ? ay : by;
    const px = oa ? bx : ax;
    const py = oa ? by : ay;
    const qd = ac || (!ad && bc);
    const qx = qd ? dx : cx;
    const qy = qd ? dy : cy;
    return (px - ox) * (qx - ox) + (py - oy) * (qy - oy) > 0;
  }
  // Boxes apart: no meeting (and no need for the other two predicates).
  if (
    Math.max(ax, bx) < Math.min(cx, dx) ||
    Math.max(cx, dx) < Math.min(ax, bx) ||
    Math.max(ay, by) < Math.min(cy, dy) ||
    Math.max(cy, dy) < Math.min(ay, by)
  )
    return false;
  const d3 = -orient2d(ax, ay, bx, by, cx, cy);
  const d4 = -orient2d(ax, ay, bx, by, dx, dy);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && within(cx, cy, dx, dy, ax, ay)) ||
    (d2 === 0 && within(cx, cy, dx, dy, bx, by)) ||
    (d3 === 0 && within(ax, ay, bx, by, cx, cy)) ||
    (d4 === 0 && within(ax, ay, bx, by, dx, dy))
  );
}

/** Whether r lies in the box of p and q. */
const within = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) =>
  Math.min(px, qx) <= rx && rx <= Math.max(px, qx) && Math.min(py, qy) <= ry && ry <= Math.max(py, qy);

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
    if (orient(a, b, p) === 0 && within(a[0], a[1], b[0], b[1], p[0], p[1])) return true;
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

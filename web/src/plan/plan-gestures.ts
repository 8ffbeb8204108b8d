import type { GridId } from '@gcc/shared';
import type { PlanGesture } from './plan.protocol.ts';

// Pointer gestures into edits, pure: the page collects points and clicks, these say what edit
// they ask for (or that the gesture is not finished yet).

/** Metres per CSS pixel of a Web Mercator map at a zoom and latitude (512-px tiles, as MapLibre). */
export function metresPerPixel(zoom: number, lat: number): number {
  return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** A snap tolerance of `px` screen pixels, in degrees of longitude. */
export function toleranceDeg(px: number, zoom: number, lat: number): number {
  return (px * metresPerPixel(zoom, lat)) / (111_320 * Math.cos((lat * Math.PI) / 180));
}

/** A drawn split line: at least two points that are not all the same. */
export function splitGesture(points: readonly [number, number][], prefer: GridId | null): PlanGesture | null {
  const line = dedupe(points);
  if (line.length < 2) return null;
  return { type: 'split', line, prefer };
}

/** A drawn redraw: at least two distinct points, from one place on a border to another. */
export function redrawGesture(points: readonly [number, number][], toleranceDeg: number): PlanGesture | null {
  const line = dedupe(points);
  if (line.length < 2) return null;
  return { type: 'redraw', line, toleranceDeg };
}

/** A drawn cut-out ring: at least three distinct points (closed by the gesture itself). */
export function cutOutGesture(points: readonly [number, number][]): PlanGesture | null {
  const ring = dedupe(points);
  if (ring.length > 1 && samePoint(ring[0]!, ring[ring.length - 1]!)) ring.pop();
  if (ring.length < 3) return null;
  return { type: 'cutOut', ring: [...ring, ring[0]!] };
}

/** Two clicks in merge mode: the first grid keeps its id and code, the second is merged into it. */
export function mergeGesture(first: GridId | null, second: GridId): PlanGesture | 'first' | null {
  if (first === null) return 'first';
  if (first === second) return null;
  return { type: 'merge', into: first, from: second };
}

/** The box between two corners, as [minLng, minLat, maxLng, maxLat]. */
export function boxOf(
  a: readonly [number, number],
  b: readonly [number, number],
): [number, number, number, number] {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
}

/** A box as a closed ring, for drawing. */
export function boxRing(b: readonly [number, number, number, number]): Float64Array {
  return Float64Array.from([b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3], b[0], b[1]]);
}

/** A click toggles a grid in the selection with Shift (or Ctrl), else selects it alone. */
export function nextSelection(current: readonly GridId[], clicked: GridId | null, add: boolean): GridId[] {
  if (clicked === null) return add ? [...current] : [];
  if (!add) return [clicked];
  return current.includes(clicked) ? current.filter((g) => g !== clicked) : [...current, clicked];
}

const samePoint = (a: readonly [number, number], b: readonly [number, number]) =>
  a[0] === b[0] && a[1] === b[1];

function dedupe(points: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of points) if (!out.length || !samePoint(out[out.length - 1]!, p)) out.push([p[0], p[1]]);
  return out;
}

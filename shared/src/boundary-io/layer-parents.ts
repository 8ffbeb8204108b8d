import { flattenMultiPolygons, pointInFlatFeature } from '../geo/point-in-polygon.ts';
import type { CheckedFeature } from './layer-check.ts';
import type { ProblemList } from './import-report.ts';

// Each imported feature under its parent: the unit its parent code names, else the one its
// inside lies in. A feature that reaches out of its parent by more than the tolerance is refused
// there (outside-parent), where it leaves.

export interface ParentCandidate<Id> {
  id: Id;
  code: string;
  /** GeoJSON MultiPolygon coordinates, WGS-84. */
  polygon: readonly (readonly (readonly (readonly number[])[])[])[];
}

type BBox = [number, number, number, number];

function bboxOf(polygon: readonly (readonly (readonly (readonly number[])[])[])[]): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygon)
    for (const [x, y] of poly[0] ?? []) {
      if (x! < b[0]) b[0] = x!;
      if (y! < b[1]) b[1] = y!;
      if (x! > b[2]) b[2] = x!;
      if (y! > b[3]) b[3] = y!;
    }
  return b;
}

/** A point inside a polygon's largest part: the middle of the widest run of a scan line through its middle. */
export function interiorPoint(
  polygon: readonly (readonly (readonly (readonly number[])[])[])[],
): [number, number] {
  let best = polygon[0]!;
  let bestSpan = -1;
  for (const poly of polygon) {
    const b = bboxOf([poly]);
    const span = (b[2] - b[0]) * (b[3] - b[1]);
    if (span > bestSpan) [best, bestSpan] = [poly, span];
  }
  const b = bboxOf([best]);
  // Slightly off the middle: a scan line through a vertex would count it twice.
  const y = b[1] + (b[3] - b[1]) * 0.500_137;
  const xs: number[] = [];
  for (const ring of best)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi! > y !== yj! > y) xs.push(((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!);
    }
  xs.sort((u, v) => u - v);
  let mid: [number, number] = [(b[0] + b[2]) / 2, y];
  let widest = -1;
  for (let i = 0; i + 1 < xs.length; i += 2)
    if (xs[i + 1]! - xs[i]! > widest) [widest, mid] = [xs[i + 1]! - xs[i]!, [(xs[i]! + xs[i + 1]!) / 2, y]];
  return mid;
}

/** Distance in metres from a point to a polygon's border (equirectangular, fine at a few hundred metres). */
function metresToBorder(
  polygon: readonly (readonly (readonly (readonly number[])[])[])[],
  x: number,
  y: number,
): number {
  const kx = Math.cos((y * Math.PI) / 180);
  let best = Infinity;
  for (const poly of polygon)
    for (const ring of poly)
      for (let i = 0; i + 1 < ring.length; i++) {
        const ax = ring[i]![0]! * kx;
        const ay = ring[i]![1]!;
        const bx = ring[i + 1]![0]! * kx - ax;
        const by = ring[i + 1]![1]! - ay;
        const len2 = bx * bx + by * by;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x * kx - ax) * bx + (y - ay) * by) / len2));
        const d = Math.hypot(ax + t * bx - x * kx, ay + t * by - y);
        if (d < best) best = d;
      }
  return best * 111_320;
}

/**
 * The parent of each feature (by its parent code, else by where its inside lies), or null where
 * none fits; problems: a parent code that names no candidate, a feature in no parent, a feature
 * reaching out of its parent by more than `toleranceM`.
 */
export function assignParents<Id>(
  features: readonly CheckedFeature[],
  parents: readonly ParentCandidate<Id>[],
  toleranceM: number,
  problems: ProblemList,
): (Id | null)[] {
  const flat = flattenMultiPolygons(parents.map((p) => p.polygon));
  const boxes = parents.map((p) => bboxOf(p.polygon));
  const byCode = new Map(parents.map((p, i) => [p.code, i]));
  const pad = toleranceM / 111_320;
  const containing = (x: number, y: number): number => {
    for (let i = 0; i < parents.length; i++) {
      const b = boxes[i]!;
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
      if (pointInFlatFeature(flat, i, x, y)) return i;
    }
    return -1;
  };
  return features.map((f) => {
    const inside = interiorPoint(f.polygon);
    let pi = -1;
    if (f.parentCode !== null) {
      pi = byCode.get(f.parentCode) ?? -1;
      if (pi < 0) {
        problems.add({
          reason: 'unknown-parent',
          severity: 'error',
          feature: f.index,
          code: f.code,
          at: inside,
        });
        return null;
      }
    } else pi = containing(inside[0], inside[1]);
    if (pi < 0) {
      problems.add({
        reason: 'outside-parent',
        severity: 'error',
        feature: f.index,
        code: f.code,
        at: inside,
      });
      return null;
    }
    const b = boxes[pi]!;
    const parent = parents[pi]!;
    for (const poly of f.polygon)
      for (const [x, y] of poly[0]!) {
        if (x >= b[0] - pad && x <= b[2] + pad && y >= b[1] - pad && y <= b[3] + pad) {
          if (pointInFlatFeature(flat, pi, x, y)) continue;
          if (metresToBorder(parent.polygon, x, y) <= Math.max(toleranceM, 0.05)) continue;
        }
        problems.add({
          reason: 'outside-parent',
          severity: 'error',
          feature: f.index,
          code: f.code,
          at: [x, y],
        });
        return null;
      }
    return parent.id;
  });
}

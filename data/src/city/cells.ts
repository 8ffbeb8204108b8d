// Grid cells: the Voronoi cells of the seed points clipped to the land. Grids are the atomic
// pieces of the hierarchy, so everything that must tile (communities, streets, districts) is
// a union of whole cells and tiles by construction.

import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import type { MultiPolygonXY, PolygonXY, Ring, XY } from '../geo/plane.ts';
import { bboxOfMulti, closeMulti, polygonArea } from '../geo/plane.ts';

export interface Cell {
  seed: XY;
  poly: MultiPolygonXY;
  /** True when the cell was cut by the land's boundary (only those can have T-junctions). */
  clipped: boolean;
}

/** Smallest polygon piece kept after clipping (km²): below this it is a numerical sliver. */
const SLIVER_KM2 = 1e-9;

function segmentIndex(zone: MultiPolygonXY): Flatbush {
  let n = 0;
  for (const poly of zone) for (const ring of poly) n += ring.length - 1;
  const index = new Flatbush(Math.max(1, n));
  for (const poly of zone)
    for (const ring of poly)
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        index.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
      }
  if (n === 0) index.add(0, 0, 0, 0);
  index.finish();
  return index;
}

function turfToXY(geometry: { type: string; coordinates: unknown }): MultiPolygonXY {
  const raw = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  const out: MultiPolygonXY = [];
  for (const poly of raw) {
    const p: PolygonXY = poly.map((ring) => ring.map((q) => [q[0]!, q[1]!] as XY));
    if (p[0] && p[0].length >= 4 && Math.abs(polygonArea(p)) > SLIVER_KM2) out.push(p);
  }
  return out;
}

/**
 * Voronoi cells of seeds (all inside zone, pairwise distinct), each intersected with zone.
 * Cells entirely inside are kept as they are (no boundary segment in their box), which keeps
 * the shared Voronoi vertices bit-identical between neighbours.
 */
export function voronoiCells(seeds: readonly XY[], zone: MultiPolygonXY): Cell[] {
  const [minX, minY, maxX, maxY] = bboxOfMulti(zone);
  const pad = Math.max(1, 0.1 * Math.max(maxX - minX, maxY - minY));
  const fc = turf.featureCollection(seeds.map((s) => turf.point([s[0], s[1]])));
  const vor = turf.voronoi(fc, { bbox: [minX - pad, minY - pad, maxX + pad, maxY + pad] });
  const boundary = segmentIndex(zone);
  const zoneFeature = turf.multiPolygon(
    closeMulti(zone.map((p) => p.map((r) => r.map((q) => [q[0], q[1]] as XY)))),
  );
  return seeds.map((seed, i) => {
    const f = vor.features[i];
    if (!f) throw new Error(`no Voronoi cell for seed ${i} (duplicate seed?)`);
    const ring = f.geometry.coordinates[0]!.map((q) => [q[0]!, q[1]!] as XY);
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const [x, y] of ring) {
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x > x1) x1 = x;
      if (y > y1) y1 = y;
    }
    if (boundary.search(x0, y0, x1, y1).length === 0) return { seed, poly: [[ring]], clipped: false };
    // polyclip's cost grows with the zone's hundreds of vertices: hand it only the part of the
    // zone around this cell. The window's own edges (and any zero-width bridges bboxClip
    // leaves along them) lie outside the cell, so they never reach the result.
    const m = 0.05 * Math.max(x1 - x0, y1 - y0) + 1e-6;
    const window = turf.bboxClip(zoneFeature, [x0 - m, y0 - m, x1 + m, y1 + m]);
    const rings = (
      window.geometry.type === 'Polygon' ? [window.geometry.coordinates] : window.geometry.coordinates
    ) as number[][][][];
    const pieces = rings.map((poly) => poly.filter((r) => r.length >= 4)).filter((poly) => poly.length > 0);
    if (pieces.length === 0) return { seed, poly: [], clipped: true };
    const cut = turf.intersect(
      turf.featureCollection([turf.multiPolygon([[ring]]), turf.multiPolygon(pieces)]),
    );
    return { seed, poly: cut ? turfToXY(cut.geometry) : [], clipped: true };
  });
}

/**
 * Where two clipped cells meet along a boundary between zones (districts), each side has its
 * own vertices where its Voronoi edges hit that boundary (T-junctions). Inserting the other
 * side's vertices into every such edge gives both sides the same vertex sequence, so the shared
 * boundary stays identical after rounding and neighbours neither overlap nor leave a gap.
 */
export function nodeClippedCells(cells: Cell[], eps = 1e-7): number {
  const clipped = cells.filter((c) => c.clipped);
  const pts: XY[] = [];
  for (const c of clipped)
    for (const poly of c.poly) for (const ring of poly) for (const p of ring) pts.push(p);
  if (pts.length === 0) return 0;
  const index = new Flatbush(pts.length);
  for (const p of pts) index.add(p[0], p[1], p[0], p[1]);
  index.finish();
  let inserted = 0;
  for (const c of clipped)
    for (const poly of c.poly)
      for (let r = 0; r < poly.length; r++) {
        const ring = poly[r]!;
        const out: Ring = [];
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i]!;
          const b = ring[i + 1]!;
          out.push(a);
          const dx = b[0] - a[0];
          const dy = b[1] - a[1];
          const len2 = dx * dx + dy * dy;
          if (len2 === 0) continue;
          const hits = index.search(
            Math.min(a[0], b[0]) - eps,
            Math.min(a[1], b[1]) - eps,
            Math.max(a[0], b[0]) + eps,
            Math.max(a[1], b[1]) + eps,
          );
          const add: [number, XY][] = [];
          const len = Math.sqrt(len2);
          for (const h of hits) {
            const p = pts[h]!;
            const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
            if (t * len <= eps || (1 - t) * len <= eps) continue;
            const d = Math.abs((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / len;
            if (d > eps) continue;
            add.push([t, p]);
          }
          if (add.length > 0) {
            add.sort((u, v) => u[0] - v[0]);
            let last: XY = a;
            for (const [, p] of add) {
              if (p[0] === last[0] && p[1] === last[1]) continue;
              out.push(p);
              last = p;
              inserted++;
            }
          }
        }
        out.push(ring[ring.length - 1]!);
        poly[r] = out;
      }
  return inserted;
}

/** Cells sharing an edge (two or more vertices, compared at 1 mm) are neighbours. */
export function cellNeighbours(cells: readonly Cell[]): number[][] {
  const byVertex = new Map<string, number[]>();
  cells.forEach((c, i) => {
    const seen = new Set<string>();
    for (const poly of c.poly)
      for (const ring of poly)
        for (const p of ring) {
          const k = `${Math.round(p[0] * 1e6)},${Math.round(p[1] * 1e6)}`;
          if (seen.has(k)) continue;
          seen.add(k);
          const list = byVertex.get(k);
          if (list) list.push(i);
          else byVertex.set(k, [i]);
        }
  });
  const shared = cells.map(() => new Map<number, number>());
  for (const list of byVertex.values()) {
    if (list.length < 2) continue;
    for (const a of list) for (const b of list) if (a !== b) shared[a]!.set(b, (shared[a]!.get(b) ?? 0) + 1);
  }
  return shared.map((m) =>
    [...m.entries()]
      .filter(([, n]) => n >= 2)
      .map(([j]) => j)
      .sort((x, y) => x - y),
  );
}

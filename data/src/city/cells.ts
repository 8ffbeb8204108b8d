// Grid cells: the Voronoi cells of the seed points clipped to the land. Grids are the atomic
// pieces of the hierarchy, so everything that must tile (communities, streets, districts) is
// a union of whole cells; the layout snap-rounds the clipped cells into one coverage
// (geo/coverage.ts) before anything is grouped or written.

import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import type { MultiPolygonXY, PolygonXY, XY } from '../geo/plane.ts';
import { bboxOfMulti, closeMulti, polygonArea } from '../geo/plane.ts';

export interface Cell {
  seed: XY;
  poly: MultiPolygonXY;
}

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
    // Slivers are kept: the coverage (geo/coverage.ts) decides what is thinner than the output.
    if (p[0] && p[0].length >= 4 && polygonArea(p) !== 0) out.push(p);
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
    if (boundary.search(x0, y0, x1, y1).length === 0) return { seed, poly: [[ring]] };
    // polyclip's cost grows with the zone's hundreds of vertices: hand it only the part of the
    // zone around this cell. The window's own edges (and any zero-width bridges bboxClip
    // leaves along them) lie outside the cell, so they never reach the result.
    const m = 0.05 * Math.max(x1 - x0, y1 - y0) + 1e-6;
    const window = turf.bboxClip(zoneFeature, [x0 - m, y0 - m, x1 + m, y1 + m]);
    const rings = (
      window.geometry.type === 'Polygon' ? [window.geometry.coordinates] : window.geometry.coordinates
    ) as number[][][][];
    const pieces = rings.map((poly) => poly.filter((r) => r.length >= 4)).filter((poly) => poly.length > 0);
    if (pieces.length === 0) return { seed, poly: [] };
    const cut = turf.intersect(
      turf.featureCollection([turf.multiPolygon([[ring]]), turf.multiPolygon(pieces)]),
    );
    return { seed, poly: cut ? turfToXY(cut.geometry) : [] };
  });
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

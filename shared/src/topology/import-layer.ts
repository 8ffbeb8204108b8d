import type { GridId } from '../ids.ts';
import {
  PROVISIONAL_GRID_ID_MIN,
  type EditDecision,
  type ImportLayerEdit,
  type ImportedGrid,
  type RecordsDiff,
  type TopologyDiff,
} from './topology-edit.ts';
import {
  buildTopology,
  COORD_SCALE,
  dequantise,
  edgePoints,
  facePolygon,
  type QPoint,
  type TopoFace,
  type Topology,
  type TopologyInputGrid,
} from './topology.ts';

// An import as an edit: the grids it replaces go and the imported ones come, and the layer's
// topology is built again from the kept grids and the imported ones (ids renumbered as
// buildTopology numbers them, so replaying the plan makes the same ids again). The file was
// checked on import (snapping, crossings, gaps); here what an edit must hold on its own is held:
// ids, no half-edge claimed twice, and the outline of the replaced ground kept where grids stay.

/** Encodes a ring of degrees as an imported ring ([x0, y0, dx1, dy1, …], quantised, open). */
export function encodeImportedRing(ring: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  let px = 0;
  let py = 0;
  const n =
    ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]
      ? ring.length - 1
      : ring.length;
  for (let i = 0; i < n; i++) {
    const x = Math.round(ring[i]![0]! * COORD_SCALE);
    const y = Math.round(ring[i]![1]! * COORD_SCALE);
    out.push(x - px, y - py);
    px = x;
    py = y;
  }
  return out;
}

/** An imported grid's polygon in degrees (GeoJSON MultiPolygon coordinates, rings closed). */
export function importedPolygon(g: ImportedGrid): [number, number][][][] {
  return g.rings.map((poly) =>
    poly.map((enc) => {
      const ring: [number, number][] = [];
      let x = 0;
      let y = 0;
      for (let i = 0; i + 1 < enc.length; i += 2) {
        x += enc[i]!;
        y += enc[i + 1]!;
        ring.push(dequantise([x, y]));
      }
      ring.push(ring[0]!);
      return ring;
    }),
  );
}

const segKey = (a: QPoint, b: QPoint) => `${a[0]},${a[1]}>${b[0]},${b[1]}`;

/** The directed border segments of a set of faces that no other face of the set lies across. */
function outline(t: Topology, faces: readonly TopoFace[]): Set<string> {
  const segs = new Set<string>();
  for (const f of faces)
    for (const ring of f.rings)
      for (const se of ring) {
        const pts = edgePoints(t, se);
        for (let i = 0; i + 1 < pts.length; i++) segs.add(segKey(pts[i]!, pts[i + 1]!));
      }
  // A segment walked both ways lies between two faces of the set: inside, not on the outline.
  const inner = [...segs].filter((s) => {
    const [a, b] = s.split('>');
    return segs.has(`${b}>${a}`);
  });
  for (const s of inner) segs.delete(s);
  return segs;
}

function replaceAll<R extends { id: number }>(
  before: ReadonlyMap<number, R>,
  after: ReadonlyMap<number, R>,
): RecordsDiff<R> {
  return { added: [...after.values()], updated: [], removed: [...before.values()] };
}

/** Decides an import: refused for unknown or taken ids, overlapping imported grids, or an outline that does not fit the grids kept beside it. */
export function decideImportLayer(t: Topology, edit: ImportLayerEdit): EditDecision {
  const firstAt = (g: ImportedGrid | undefined): [number, number] => {
    const r = g?.rings[0]?.[0];
    return r && r.length >= 2 ? dequantise([r[0]!, r[1]!]) : [0, 0];
  };
  const replaced = new Set<GridId>(edit.replaces);
  for (const g of edit.replaces)
    if (!t.faces.has(g)) return { ok: false, reason: 'unknown-grid', at: [0, 0] };
  const ids = new Set<GridId>();
  for (const g of edit.grids) {
    if (ids.has(g.grid)) return { ok: false, reason: 'grid-exists', at: firstAt(g) };
    ids.add(g.grid);
    if (replaced.has(g.grid)) continue;
    if (t.faces.has(g.grid)) return { ok: false, reason: 'grid-exists', at: firstAt(g) };
    if (g.grid < PROVISIONAL_GRID_ID_MIN) return { ok: false, reason: 'not-provisional', at: firstAt(g) };
  }
  const kept = [...t.faces.values()].filter((f) => !replaced.has(f.id)).sort((a, b) => a.id - b.id);
  const input: TopologyInputGrid[] = [
    ...kept.map((f) => ({ id: f.id, parentId: f.parentId, polygon: facePolygon(t, f.id) })),
    ...edit.grids.map((g) => ({ id: g.grid, parentId: g.parentId, polygon: importedPolygon(g) })),
  ];
  const built = buildTopology(input);
  const problem = built.problems[0];
  if (problem) return { ok: false, reason: 'import-overlap', at: problem.at };
  const after = built.topology;
  if (kept.length > 0) {
    // Grids stay beside the import: it must cover exactly the ground of the grids it replaces.
    const before = outline(
      t,
      [...replaced].map((g) => t.faces.get(g)!),
    );
    const now = outline(
      after,
      edit.grids.map((g) => after.faces.get(g.grid)!),
    );
    for (const s of now)
      if (!before.has(s)) {
        const [x, y] = s.split('>')[0]!.split(',').map(Number);
        return { ok: false, reason: 'import-outline', at: dequantise([x!, y!]) };
      }
    if (before.size !== now.size) return { ok: false, reason: 'import-outline', at: firstAt(edit.grids[0]) };
  }
  const faces: RecordsDiff<TopoFace> = { added: [], updated: [], removed: [] };
  for (const g of replaced) faces.removed.push(t.faces.get(g)!);
  for (const f of kept) faces.updated.push([f, after.faces.get(f.id)!]);
  for (const g of edit.grids) faces.added.push(after.faces.get(g.grid)!);
  const diff: TopologyDiff = {
    nodes: replaceAll(t.nodes, after.nodes),
    edges: replaceAll(t.edges, after.edges),
    faces,
  };
  const touched = [...new Set<GridId>([...replaced, ...ids])].sort((a, b) => a - b);
  return { ok: true, diff, touched };
}

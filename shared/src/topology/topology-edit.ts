import type { GridId } from '../ids.ts';
import {
  dequantise,
  edgePoints,
  isParentBorder,
  quantise,
  type EdgeId,
  type NodeId,
  type QPoint,
  type SignedEdge,
  type TopoEdge,
  type TopoFace,
  type TopoNode,
  type Topology,
} from './topology.ts';

// Edits of the grid layer as pure decisions, in the shape of the case engine:
// `decideEdit(topology, edit) → { ok: true, diff } | { ok: false, reason, at }`. A diff is
// reversible (from → to of every record it changes): undo is applying its inverse, and the same
// diff is what a plan stores and sends.

/** Move a node: every edge that ends there, and so every grid that uses it, follows. */
export interface MoveNodeEdit {
  type: 'moveNode';
  node: NodeId;
  /** Where to, in degrees. */
  to: [number, number];
  /** Parent borders (community, street, district, the outline) move only when unlocked. */
  unlockParents?: boolean;
}

/** Merge two adjacent grids: the edges between them go, `into` keeps its id and code, `from` is retired. */
export interface MergeGridsEdit {
  type: 'mergeGrids';
  into: GridId;
  from: GridId;
  /** Grids of two communities merge only when the parent border is unlocked. */
  unlockParents?: boolean;
}

/**
 * Split a grid by a line drawn across it: the line between its two crossings of the grid's
 * boundary becomes a new edge, the larger part keeps the grid's id, the other is a new grid
 * (`newGrid`, a provisional id the plan gives it until publish assigns a code).
 */
export interface SplitGridEdit {
  type: 'splitGrid';
  grid: GridId;
  line: [number, number][];
  newGrid: GridId;
}

export type TopologyEdit = MoveNodeEdit | MergeGridsEdit | SplitGridEdit;

export const EDIT_REFUSALS = [
  'unknown-node',
  'unknown-grid',
  'not-adjacent',
  'parent-border-locked',
  'crossing',
  'fold-over',
  'split-needs-two-crossings',
  'split-multipart',
  'grid-exists',
] as const;
export type EditRefusalReason = (typeof EDIT_REFUSALS)[number];

/** Changes of one kind of record, like tldraw's RecordsDiff: squashable, reversible, sendable. */
export interface RecordsDiff<R> {
  added: R[];
  /** [from, to] */
  updated: [R, R][];
  removed: R[];
}

export interface TopologyDiff {
  nodes: RecordsDiff<TopoNode>;
  edges: RecordsDiff<TopoEdge>;
  faces: RecordsDiff<TopoFace>;
}

const emptyRecords = <R>(): RecordsDiff<R> => ({ added: [], updated: [], removed: [] });

export type EditDecision =
  | { ok: true; diff: TopologyDiff; touched: GridId[] }
  | { ok: false; reason: EditRefusalReason; at: [number, number] };

/** The edges that start or end at a node. */
export function edgesAtNode(t: Topology, node: NodeId): EdgeId[] {
  const out: EdgeId[] = [];
  for (const e of t.edges.values()) if (e.start === node || e.end === node) out.push(e.id);
  return out;
}

// Orientation of c relative to a → b (integers: exact in doubles for city-sized coordinates).
const orient = (a: QPoint, b: QPoint, c: QPoint) =>
  (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

/** Whether segments ab and cd cross or touch anywhere but a shared end point. */
function segmentsMeet(a: QPoint, b: QPoint, c: QPoint, d: QPoint): boolean {
  const same = (p: QPoint, q: QPoint) => p[0] === q[0] && p[1] === q[1];
  if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) return false;
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const on = (p: QPoint, q: QPoint, r: QPoint) =>
    Math.min(p[0], q[0]) <= r[0] &&
    r[0] <= Math.max(p[0], q[0]) &&
    Math.min(p[1], q[1]) <= r[1] &&
    r[1] <= Math.max(p[1], q[1]);
  return (
    (d1 === 0 && on(c, d, a)) ||
    (d2 === 0 && on(c, d, b)) ||
    (d3 === 0 && on(a, b, c)) ||
    (d4 === 0 && on(a, b, d))
  );
}

function ringArea(points: readonly QPoint[]): number {
  let s = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++)
    s += points[j]![0] * points[i]![1] - points[i]![0] * points[j]![1];
  return s / 2;
}

/** Decides an edit; a refusal says why and where, and changes nothing. */
export function decideEdit(t: Topology, edit: TopologyEdit): EditDecision {
  switch (edit.type) {
    case 'moveNode':
      return decideMoveNode(t, edit);
    case 'mergeGrids':
      return decideMergeGrids(t, edit);
    case 'splitGrid':
      return decideSplitGrid(t, edit);
  }
}

function decideMoveNode(t: Topology, edit: MoveNodeEdit): EditDecision {
  const node = t.nodes.get(edit.node);
  if (!node) return { ok: false, reason: 'unknown-node', at: edit.to };
  const to = quantise(edit.to[0], edit.to[1]);
  const incident = edgesAtNode(t, node.id);
  if (!edit.unlockParents && incident.some((e) => isParentBorder(t, e)))
    return { ok: false, reason: 'parent-border-locked', at: edit.to };
  const moved: TopoNode = { id: node.id, at: to };
  const after: Topology = { ...t, nodes: new Map(t.nodes).set(node.id, moved) };

  // The grids around the node: their rings are all that can cross the moved segments.
  const touched = new Set<GridId>();
  for (const e of incident) {
    const edge = t.edges.get(e)!;
    if (edge.left !== null) touched.add(edge.left);
    if (edge.right !== null) touched.add(edge.right);
  }
  const newSegments: [QPoint, QPoint][] = [];
  for (const e of incident) {
    const pts = edgePoints(after, { edge: e, forward: true });
    const edge = t.edges.get(e)!;
    if (edge.start === node.id) newSegments.push([pts[0]!, pts[1]!]);
    if (edge.end === node.id) newSegments.push([pts[pts.length - 2]!, pts[pts.length - 1]!]);
  }
  const seen = new Set<EdgeId>();
  for (const g of touched)
    for (const ring of after.faces.get(g)!.rings)
      for (const se of ring) {
        if (seen.has(se.edge)) continue;
        seen.add(se.edge);
        const pts = edgePoints(after, { edge: se.edge, forward: true });
        for (let i = 0; i + 1 < pts.length; i++)
          for (const [a, b] of newSegments) {
            const c = pts[i]!;
            const d = pts[i + 1]!;
            // A segment meets itself; skip the moved segments themselves.
            if ((c === a && d === b) || (c === b && d === a)) continue;
            if (segmentsMeet(a, b, c, d)) return { ok: false, reason: 'crossing', at: edit.to };
          }
      }
  // A grid turned inside out (its ring's orientation flips) is refused too.
  for (const g of touched)
    for (const ring of after.faces.get(g)!.rings) {
      const before = ringArea(ring.flatMap((se) => edgePoints(t, se).slice(0, -1)));
      const now = ringArea(ring.flatMap((se) => edgePoints(after, se).slice(0, -1)));
      if (Math.sign(before) !== Math.sign(now)) return { ok: false, reason: 'fold-over', at: edit.to };
    }
  return {
    ok: true,
    diff: {
      nodes: { ...emptyRecords(), updated: [[node, moved]] },
      edges: emptyRecords(),
      faces: emptyRecords(),
    },
    touched: [...touched],
  };
}

function decideMergeGrids(t: Topology, edit: MergeGridsEdit): EditDecision {
  const into = t.faces.get(edit.into);
  const from = t.faces.get(edit.from);
  const anyPoint = (): [number, number] => {
    const e = [...t.edges.values()].find((x) => x.left === edit.into || x.right === edit.into);
    return e ? dequantise(t.nodes.get(e.start)!.at) : [0, 0];
  };
  if (!into || !from || edit.into === edit.from) return { ok: false, reason: 'unknown-grid', at: anyPoint() };
  const between = [...t.edges.values()].filter(
    (e) => (e.left === into.id && e.right === from.id) || (e.left === from.id && e.right === into.id),
  );
  if (between.length === 0) return { ok: false, reason: 'not-adjacent', at: anyPoint() };
  if (into.parentId !== from.parentId && !edit.unlockParents)
    return { ok: false, reason: 'parent-border-locked', at: dequantise(t.nodes.get(between[0]!.start)!.at) };

  const gone = new Set(between.map((e) => e.id));
  // The edges that bounded `from` now bound `into`.
  const relabelled: [TopoEdge, TopoEdge][] = [];
  for (const e of t.edges.values()) {
    if (gone.has(e.id) || (e.left !== from.id && e.right !== from.id)) continue;
    relabelled.push([
      e,
      { ...e, left: e.left === from.id ? into.id : e.left, right: e.right === from.id ? into.id : e.right },
    ]);
  }
  // The merged boundary: every remaining signed edge of both grids, chained end node → start node.
  const pieces = [...into.rings.flat(), ...from.rings.flat()].filter((se) => !gone.has(se.edge));
  const startOf = (se: SignedEdge) => {
    const e = t.edges.get(se.edge)!;
    return se.forward ? e.start : e.end;
  };
  const endOf = (se: SignedEdge) => {
    const e = t.edges.get(se.edge)!;
    return se.forward ? e.end : e.start;
  };
  const unused = new Set(pieces);
  const rings: SignedEdge[][] = [];
  while (unused.size > 0) {
    const first = unused.values().next().value!;
    unused.delete(first);
    const ring = [first];
    while (endOf(ring[ring.length - 1]!) !== startOf(first)) {
      const here = endOf(ring[ring.length - 1]!);
      const next = [...unused].find((se) => startOf(se) === here);
      if (!next) break;
      unused.delete(next);
      ring.push(next);
    }
    rings.push(ring);
  }
  // Outer rings first (the derived polygon puts holes after their outer ring).
  const area = (ring: SignedEdge[]) => ringArea(ring.flatMap((se) => edgePoints(t, se).slice(0, -1)));
  rings.sort((a, b) => Math.sign(area(b)) - Math.sign(area(a)));
  const merged: TopoFace = { ...into, rings };
  return {
    ok: true,
    diff: {
      nodes: emptyRecords(),
      edges: { added: [], updated: relabelled, removed: between },
      faces: { added: [], updated: [[into, merged]], removed: [from] },
    },
    touched: [into.id, from.id],
  };
}

/** Where segment ab crosses segment cd (proper crossings and touching ends alike), as the parameter along ab, or null. */
function crossingOn(a: QPoint, b: QPoint, c: QPoint, d: QPoint): { s: number; u: number } | null {
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

function decideSplitGrid(t: Topology, edit: SplitGridEdit): EditDecision {
  const face = t.faces.get(edit.grid);
  const at0 = edit.line[0] ?? [0, 0];
  if (!face) return { ok: false, reason: 'unknown-grid', at: at0 };
  if (t.faces.has(edit.newGrid)) return { ok: false, reason: 'grid-exists', at: at0 };
  if (face.rings.length !== 1) return { ok: false, reason: 'split-multipart', at: at0 };
  const ring = face.rings[0]!;
  const line = edit.line.map(([x, y]) => quantise(x, y));

  // Every crossing of the drawn line with the grid's boundary, in order along the line.
  type Hit = { along: number; ringPos: number; segIndex: number; u: number; point: QPoint };
  const hits: Hit[] = [];
  ring.forEach((se, ringPos) => {
    const pts = edgePoints(t, se);
    for (let k = 0; k + 1 < pts.length; k++)
      for (let j = 0; j + 1 < line.length; j++) {
        const x = crossingOn(line[j]!, line[j + 1]!, pts[k]!, pts[k + 1]!);
        if (!x) continue;
        const a = line[j]!;
        const b = line[j + 1]!;
        const point: QPoint = [
          Math.round(a[0] + x.s * (b[0] - a[0])),
          Math.round(a[1] + x.s * (b[1] - a[1])),
        ];
        // A crossing exactly at a vertex is met on two segments: count it once.
        if (hits.some((h) => h.point[0] === point[0] && h.point[1] === point[1])) continue;
        hits.push({ along: j + x.s, ringPos, segIndex: k, u: x.u, point });
      }
  });
  if (hits.length !== 2) return { ok: false, reason: 'split-needs-two-crossings', at: at0 };
  hits.sort((p, q) => p.along - q.along);
  const [h0, h1] = hits as [Hit, Hit];
  if (h0.ringPos === h1.ringPos && h0.segIndex === h1.segIndex)
    return { ok: false, reason: 'split-needs-two-crossings', at: at0 };

  // Split the crossed edges at the crossings (new nodes where no node is), stored once for both sides.
  const nodesAdded: TopoNode[] = [];
  const edgesAdded: TopoEdge[] = [];
  const edgesRemoved: TopoEdge[] = [];
  let nextNode = Math.max(0, ...t.nodes.keys()) + 1;
  let nextEdge = Math.max(0, ...t.edges.keys()) + 1;
  const replaced = new Map<EdgeId, [SignedEdge, SignedEdge]>();
  const nodeAtHit = new Map<Hit, NodeId>();
  for (const h of [h0, h1]) {
    const se = ring[h.ringPos]!;
    const edge = t.edges.get(se.edge)!;
    const pts = edgePoints(t, { edge: edge.id, forward: true });
    // The segment index along the edge's own direction.
    const segs = pts.length - 1;
    const k = se.forward ? h.segIndex : segs - 1 - h.segIndex;
    const existing = [...pts.entries()].find(([, p]) => p[0] === h.point[0] && p[1] === h.point[1]);
    if (existing && (existing[0] === 0 || existing[0] === segs)) {
      nodeAtHit.set(h, existing[0] === 0 ? edge.start : edge.end);
      continue;
    }
    if (replaced.has(edge.id)) return { ok: false, reason: 'split-needs-two-crossings', at: at0 };
    const node: TopoNode = { id: nextNode++ as NodeId, at: h.point };
    nodesAdded.push(node);
    nodeAtHit.set(h, node.id);
    const cut = existing ? existing[0] : k + 1;
    const before = existing ? pts.slice(1, cut) : pts.slice(1, k + 1);
    const after = existing ? pts.slice(cut + 1, -1) : pts.slice(k + 1, -1);
    const e1: TopoEdge = { ...edge, id: nextEdge++ as EdgeId, end: node.id, vertices: before };
    const e2: TopoEdge = { ...edge, id: nextEdge++ as EdgeId, start: node.id, vertices: after };
    edgesRemoved.push(edge);
    edgesAdded.push(e1, e2);
    replaced.set(edge.id, [
      { edge: e1.id, forward: true },
      { edge: e2.id, forward: true },
    ]);
  }
  const n0 = nodeAtHit.get(h0)!;
  const n1 = nodeAtHit.get(h1)!;
  // The grid's ring with the crossed edges replaced by their halves.
  const expand = (se: SignedEdge): SignedEdge[] => {
    const halves = replaced.get(se.edge);
    if (!halves) return [se];
    return se.forward
      ? halves
      : [
          { ...halves[1], forward: false },
          { ...halves[0], forward: false },
        ];
  };
  const full = ring.flatMap(expand);
  const edgeOf = (id: EdgeId) => edgesAdded.find((e) => e.id === id) ?? t.edges.get(id)!;
  const startOf = (se: SignedEdge) => (se.forward ? edgeOf(se.edge).start : edgeOf(se.edge).end);
  const i0 = full.findIndex((se) => startOf(se) === n0);
  const i1 = full.findIndex((se) => startOf(se) === n1);
  if (i0 < 0 || i1 < 0 || n0 === n1) return { ok: false, reason: 'split-needs-two-crossings', at: at0 };
  const rotate = (from: number, to: number) =>
    from <= to ? full.slice(from, to) : [...full.slice(from), ...full.slice(0, to)];
  const chainA = rotate(i0, i1); // n0 → n1 along the boundary
  const chainB = rotate(i1, i0); // n1 → n0

  // The drawn line between the crossings is the new edge, n0 → n1.
  const inner = line.filter((_, j) => j > h0.along && j < h1.along);
  const cutEdge: TopoEdge = {
    id: nextEdge++ as EdgeId,
    start: n0,
    end: n1,
    vertices: inner,
    left: null,
    right: null,
  };
  const ringA = [...chainA, { edge: cutEdge.id, forward: false }];
  const ringB = [...chainB, { edge: cutEdge.id, forward: true }];
  const pointsOf = (r: SignedEdge[]) =>
    r.flatMap((se) => {
      const e = se.edge === cutEdge.id ? cutEdge : edgeOf(se.edge);
      const pts = [
        (nodesAdded.find((n) => n.id === e.start) ?? t.nodes.get(e.start)!).at,
        ...e.vertices,
        (nodesAdded.find((n) => n.id === e.end) ?? t.nodes.get(e.end)!).at,
      ];
      return (se.forward ? pts : pts.reverse()).slice(0, -1);
    });
  const areaA = ringArea(pointsOf(ringA));
  const areaB = ringArea(pointsOf(ringB));
  if (!(areaA > 0 && areaB > 0)) return { ok: false, reason: 'crossing', at: dequantise(h0.point) };
  // The larger part keeps the grid's id (and, at publish, its code).
  const [keptRing, newRing, keptOnLeftOfCut] = areaA >= areaB ? [ringA, ringB, false] : [ringB, ringA, true];
  cutEdge.left = keptOnLeftOfCut ? face.id : edit.newGrid;
  cutEdge.right = keptOnLeftOfCut ? edit.newGrid : face.id;
  edgesAdded.push(cutEdge);
  // Edges of the new part now have the new grid on the grid's side.
  const relabel = (e: TopoEdge): TopoEdge => ({
    ...e,
    left: e.left === face.id ? edit.newGrid : e.left,
    right: e.right === face.id ? edit.newGrid : e.right,
  });
  const updated: [TopoEdge, TopoEdge][] = [];
  for (const se of newRing) {
    if (se.edge === cutEdge.id) continue;
    const added = edgesAdded.findIndex((e) => e.id === se.edge);
    if (added >= 0) edgesAdded[added] = relabel(edgesAdded[added]!);
    else {
      const e = t.edges.get(se.edge)!;
      updated.push([e, relabel(e)]);
    }
  }
  const keptFace: TopoFace = { ...face, rings: [keptRing] };
  const newFace: TopoFace = { id: edit.newGrid, parentId: face.parentId, rings: [newRing] };
  // The neighbours across the crossed edges walk the same halves (the point is theirs too).
  const neighbours = new Set<GridId>();
  for (const e of edgesRemoved)
    for (const g of [e.left, e.right]) if (g !== null && g !== face.id) neighbours.add(g);
  const faceUpdates: [TopoFace, TopoFace][] = [[face, keptFace]];
  for (const g of neighbours) {
    const f = t.faces.get(g)!;
    faceUpdates.push([f, { ...f, rings: f.rings.map((r) => r.flatMap(expand)) }]);
  }
  return {
    ok: true,
    diff: {
      nodes: { added: nodesAdded, updated: [], removed: [] },
      edges: { added: edgesAdded, updated, removed: edgesRemoved },
      faces: { added: [newFace], updated: faceUpdates, removed: [] },
    },
    touched: [face.id, edit.newGrid, ...neighbours],
  };
}

function applyRecords<K, R extends { id: K }>(map: Map<K, R>, d: RecordsDiff<R>): void {
  for (const r of d.removed) map.delete(r.id);
  for (const [, to] of d.updated) map.set(to.id, to);
  for (const r of d.added) map.set(r.id, r);
}

/** The topology after a diff (a new value; the one given is left as it was). */
export function applyDiff(t: Topology, diff: TopologyDiff): Topology {
  const nodes = new Map(t.nodes);
  const edges = new Map(t.edges);
  const faces = new Map(t.faces);
  applyRecords(nodes, diff.nodes);
  applyRecords(edges, diff.edges);
  applyRecords(faces, diff.faces);
  return { nodes, edges, faces };
}

const invertRecords = <R>(d: RecordsDiff<R>): RecordsDiff<R> => ({
  added: d.removed,
  updated: d.updated.map(([from, to]) => [to, from]),
  removed: d.added,
});

/** The diff that undoes `diff`. */
export function invertDiff(diff: TopologyDiff): TopologyDiff {
  return {
    nodes: invertRecords(diff.nodes),
    edges: invertRecords(diff.edges),
    faces: invertRecords(diff.faces),
  };
}

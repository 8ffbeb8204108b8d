import type { GridId } from '../../ids.ts';
import { OverlayTopology, squashDiffs, withRecord } from '../overlay.ts';
import { crossingOn, segmentsMeet } from '../planar.ts';
import {
  dequantise,
  edgePointAt,
  isParentBorder,
  quantise,
  signedEdgesArea,
  type EdgeId,
  type NodeId,
  type QPoint,
  type SignedEdge,
  type TopoEdge,
  type TopoFace,
  type TopoNode,
  type Topology,
} from '../topology.ts';
import {
  PROVISIONAL_GRID_ID_MIN,
  type EdgeShapeEdit,
  type EditDecision,
  type MergeGridsEdit,
  type MoveNodeEdit,
  type SplitGridEdit,
  type TopologyDiff,
} from '../topology-edit.ts';
import type { BBox, TopologyIndex } from '../topology-index.ts';
import { cutEdgeAt } from './edge-cut.ts';
import { emptyRecords, refuse, samePoint, sidesOf } from './edit-primitives.ts';

// The steps decideEdit (decide-edit.ts) dispatches to, and that a cut-out (cut-out.ts) is made
// of. Internal to the topology module: other packages decide edits through decideEdit.

const segBox = (a: QPoint, b: QPoint): BBox => [
  Math.min(a[0], b[0]),
  Math.min(a[1], b[1]),
  Math.max(a[0], b[0]),
  Math.max(a[1], b[1]),
];

/**
 * Whether edges reshaped by an edit stay clear of everything else: the new segments against the
 * unchanged edges near them (from the index), and against the reshaped edges themselves. Points
 * the edit places must not land on a point that is already there (a node or vertex of another edge).
 */
function reshapedEdgesClash(
  before: Topology,
  after: Topology,
  ix: TopologyIndex,
  reshaped: ReadonlySet<EdgeId>,
  newSegments: readonly (readonly [QPoint, QPoint])[],
  placed: readonly QPoint[],
): boolean {
  for (const p of placed)
    for (const id of ix.edgesIn([p[0], p[1], p[0], p[1]])) {
      if (reshaped.has(id)) continue;
      const e = before.edges.get(id)!;
      for (let k = 0; k <= e.vertices.length + 1; k++)
        if (samePoint(p, edgePointAt(before, e, k))) return true;
    }
  for (const [a, b] of newSegments) {
    for (const id of ix.edgesIn(segBox(a, b))) {
      if (reshaped.has(id)) continue;
      const e = before.edges.get(id)!;
      for (let k = 0; k <= e.vertices.length; k++)
        if (segmentsMeet(a, b, edgePointAt(before, e, k), edgePointAt(before, e, k + 1))) return true;
    }
    for (const id of reshaped) {
      const e = after.edges.get(id)!;
      for (let k = 0; k <= e.vertices.length; k++) {
        const c = edgePointAt(after, e, k);
        const d = edgePointAt(after, e, k + 1);
        // A segment meets itself; it is not a clash.
        if ((samePoint(a, c) && samePoint(b, d)) || (samePoint(a, d) && samePoint(b, c))) continue;
        if (segmentsMeet(a, b, c, d)) return true;
      }
    }
  }
  return false;
}

/** Whether any ring of the grids changed orientation (a grid turned inside out). */
function foldsOver(before: Topology, after: Topology, grids: Iterable<GridId>): boolean {
  for (const g of grids)
    for (const ring of after.faces.get(g)?.rings ?? []) {
      const was = signedEdgesArea(before, ring);
      const now = signedEdgesArea(after, ring);
      if (Math.sign(was) !== Math.sign(now)) return true;
    }
  return false;
}

export function decideMoveNode(t: Topology, ix: TopologyIndex, edit: MoveNodeEdit): EditDecision {
  const node = t.nodes.get(edit.node);
  if (!node) return refuse('unknown-node', edit.to);
  const to = quantise(edit.to[0], edit.to[1]);
  const incident = ix.edgesAt(node.id);
  if (!edit.unlockParents && incident.some((e) => isParentBorder(t, e)))
    return refuse('parent-border-locked', edit.to);
  const moved: TopoNode = { id: node.id, at: to };
  const after: Topology = { ...t, nodes: withRecord(t.nodes, moved) };
  const touched = new Set<GridId>();
  const newSegments: [QPoint, QPoint][] = [];
  for (const id of incident) {
    const edge = t.edges.get(id)!;
    for (const g of sidesOf(edge)) touched.add(g);
    const last = edge.vertices.length + 1;
    if (edge.start === node.id) newSegments.push([edgePointAt(after, edge, 0), edgePointAt(after, edge, 1)]);
    if (edge.end === node.id)
      newSegments.push([edgePointAt(after, edge, last - 1), edgePointAt(after, edge, last)]);
  }
  if (reshapedEdgesClash(t, after, ix, new Set(incident), newSegments, [to]))
    return refuse('crossing', edit.to);
  if (foldsOver(t, after, touched)) return refuse('fold-over', edit.to);
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

export function decideEdgeShape(t: Topology, ix: TopologyIndex, edit: EdgeShapeEdit): EditDecision {
  const edge = t.edges.get(edit.edge);
  const where: [number, number] =
    edit.type === 'moveVertex'
      ? edit.to
      : edit.type === 'addVertex'
        ? edit.at
        : edge
          ? dequantise(
              edit.type === 'deleteVertex' && edge.vertices[edit.index]
                ? edge.vertices[edit.index]!
                : t.nodes.get(edge.start)!.at,
            )
          : [0, 0];
  if (!edge) return refuse('unknown-edge', edit.type === 'reshapeEdge' ? (edit.vertices[0] ?? where) : where);
  if (!edit.unlockParents && isParentBorder(t, edge.id)) return refuse('parent-border-locked', where);
  const vertices = [...edge.vertices];
  // Which points of the edge (0 = its start node) the edit moves, adds or joins.
  let changedAt: number[];
  let placed: QPoint[];
  switch (edit.type) {
    case 'moveVertex': {
      if (!Number.isInteger(edit.index) || edit.index < 0 || edit.index >= vertices.length)
        return refuse('unknown-vertex', where);
      vertices[edit.index] = quantise(edit.to[0], edit.to[1]);
      changedAt = [edit.index + 1];
      placed = [vertices[edit.index]!];
      break;
    }
    case 'addVertex': {
      if (!Number.isInteger(edit.index) || edit.index < 0 || edit.index > vertices.length)
        return refuse('unknown-vertex', where);
      vertices.splice(edit.index, 0, quantise(edit.at[0], edit.at[1]));
      changedAt = [edit.index + 1];
      placed = [vertices[edit.index]!];
      break;
    }
    case 'deleteVertex': {
      if (!Number.isInteger(edit.index) || edit.index < 0 || edit.index >= vertices.length)
        return refuse('unknown-vertex', where);
      vertices.splice(edit.index, 1);
      // The segment that now joins the deleted point's neighbours.
      changedAt = [edit.index];
      placed = [];
      break;
    }
    case 'reshapeEdge': {
      vertices.splice(0, vertices.length, ...edit.vertices.map(([x, y]) => quantise(x, y)));
      changedAt = vertices.map((_, i) => i + 1);
      placed = [...vertices];
      break;
    }
  }
  // Repeated points collapse (a redrawn line often has them); a loop edge needs two inner points.
  const clean = vertices.filter((p, i) => i === 0 || !samePoint(p, vertices[i - 1]!));
  const start = t.nodes.get(edge.start)!.at;
  const end = t.nodes.get(edge.end)!.at;
  while (clean.length > 0 && samePoint(clean[0]!, start)) clean.shift();
  while (clean.length > 0 && samePoint(clean[clean.length - 1]!, end)) clean.pop();
  if (edge.start === edge.end ? clean.length < 2 : clean.length === 0 && samePoint(start, end))
    return refuse('edge-too-short', where);
  const reshaped: TopoEdge = { ...edge, vertices: clean };
  const after: Topology = { ...t, edges: withRecord(t.edges, reshaped) };
  const pts = [start, ...clean, end];
  const newSegments: [QPoint, QPoint][] = [];
  if (clean.length !== vertices.length || edit.type === 'reshapeEdge')
    for (let i = 0; i + 1 < pts.length; i++) newSegments.push([pts[i]!, pts[i + 1]!]);
  else
    for (const k of changedAt) {
      if (k > 0) newSegments.push([pts[k - 1]!, pts[k]!]);
      if (k + 1 < pts.length) newSegments.push([pts[k]!, pts[k + 1]!]);
    }
  if (reshapedEdgesClash(t, after, ix, new Set([edge.id]), newSegments, placed))
    return refuse('crossing', where);
  const touched = sidesOf(edge);
  if (foldsOver(t, after, touched)) return refuse('fold-over', where);
  return {
    ok: true,
    diff: {
      nodes: emptyRecords(),
      edges: { ...emptyRecords(), updated: [[edge, reshaped]] },
      faces: emptyRecords(),
    },
    touched,
  };
}

const startNodeOf = (t: Topology, se: SignedEdge) => {
  const e = t.edges.get(se.edge)!;
  return se.forward ? e.start : e.end;
};

/** Chains signed edges end node → start node into closed rings. */
function chainRings(edgeOf: (id: EdgeId) => TopoEdge, pieces: readonly SignedEdge[]): SignedEdge[][] {
  const startOf = (se: SignedEdge) => (se.forward ? edgeOf(se.edge).start : edgeOf(se.edge).end);
  const endOf = (se: SignedEdge) => (se.forward ? edgeOf(se.edge).end : edgeOf(se.edge).start);
  const byStart = new Map<NodeId, SignedEdge[]>();
  for (const se of pieces) {
    const list = byStart.get(startOf(se));
    if (list) list.push(se);
    else byStart.set(startOf(se), [se]);
  }
  const unused = new Set(pieces);
  const rings: SignedEdge[][] = [];
  for (const first of pieces) {
    if (!unused.has(first)) continue;
    unused.delete(first);
    const ring = [first];
    while (endOf(ring[ring.length - 1]!) !== startOf(first)) {
      const next = byStart.get(endOf(ring[ring.length - 1]!))?.find((se) => unused.has(se));
      if (!next) break;
      unused.delete(next);
      ring.push(next);
    }
    rings.push(ring);
  }
  return rings;
}

export function decideMergeGrids(t: Topology, ix: TopologyIndex, edit: MergeGridsEdit): EditDecision {
  const into = t.faces.get(edit.into);
  const from = t.faces.get(edit.from);
  const anyPoint = (f: TopoFace | undefined): [number, number] => {
    const se = f?.rings[0]?.[0];
    return se ? dequantise(t.nodes.get(startNodeOf(t, se))!.at) : [0, 0];
  };
  if (!into || !from || edit.into === edit.from) return refuse('unknown-grid', anyPoint(into ?? from));
  const fromEdges = [...new Set(from.rings.flat().map((se) => se.edge))].map((id) => t.edges.get(id)!);
  const between = fromEdges.filter(
    (e) => (e.left === into.id && e.right === from.id) || (e.left === from.id && e.right === into.id),
  );
  if (between.length === 0) return refuse('not-adjacent', anyPoint(into));
  if (into.parentId !== from.parentId && !edit.unlockParents)
    return refuse('parent-border-locked', dequantise(t.nodes.get(between[0]!.start)!.at));

  const gone = new Set(between.map((e) => e.id));
  // The edges that bounded `from` now bound `into`.
  const relabelled: [TopoEdge, TopoEdge][] = fromEdges
    .filter((e) => !gone.has(e.id))
    .map((e) => [
      e,
      { ...e, left: e.left === from.id ? into.id : e.left, right: e.right === from.id ? into.id : e.right },
    ]);
  // The merged boundary: every remaining signed edge of both grids, chained end node → start node.
  const pieces = [...into.rings.flat(), ...from.rings.flat()].filter((se) => !gone.has(se.edge));
  const rings = chainRings((id) => t.edges.get(id)!, pieces);
  // Outer rings first (the derived polygon puts holes after their outer ring).
  const area = (ring: SignedEdge[]) => signedEdgesArea(t, ring);
  rings.sort((a, b) => Math.sign(area(b)) - Math.sign(area(a)));
  const merged: TopoFace = { ...into, rings };
  // A node whose every edge goes (an island grid merged into the grid around it) goes too.
  const orphans = new Set<NodeId>();
  for (const e of between)
    for (const n of [e.start, e.end]) if (ix.edgesAt(n).every((id) => gone.has(id))) orphans.add(n);
  return {
    ok: true,
    diff: {
      nodes: { ...emptyRecords(), removed: [...orphans].map((n) => t.nodes.get(n)!) },
      edges: { added: [], updated: relabelled, removed: between },
      faces: { added: [], updated: [[into, merged]], removed: [from] },
    },
    touched: [into.id, from.id],
  };
}

/** Whether a polyline crosses or touches itself anywhere but between consecutive segments. */
function selfCrossing(pts: readonly QPoint[]): boolean {
  for (let i = 0; i + 1 < pts.length; i++)
    for (let j = i + 2; j + 1 < pts.length; j++) {
      const closing = i === 0 && j === pts.length - 2 && samePoint(pts[0]!, pts[pts.length - 1]!);
      if (!closing && segmentsMeet(pts[i]!, pts[i + 1]!, pts[j]!, pts[j + 1]!)) return true;
    }
  return false;
}

/**
 * `keep`: which part keeps the grid's id — the larger (a planner's split), or the part right of
 * the line (a cut-out: its ring runs counter-clockwise, so the right is what stays outside).
 */
export function decideSplitGrid(
  t: Topology,
  ix: TopologyIndex,
  edit: SplitGridEdit,
  keep: 'larger' | 'right' = 'larger',
): EditDecision {
  const face = t.faces.get(edit.grid);
  const at0 = edit.line[0] ?? [0, 0];
  if (!face) return refuse('unknown-grid', at0);
  if (edit.newGrid < PROVISIONAL_GRID_ID_MIN) return refuse('not-provisional', at0);
  if (t.faces.has(edit.newGrid)) return refuse('grid-exists', at0);
  if (face.rings.length !== 1) return refuse('split-multipart', at0);
  const ring = face.rings[0]!;
  const line: QPoint[] = [];
  for (const [x, y] of edit.line) {
    const p = quantise(x, y);
    if (line.length === 0 || !samePoint(p, line[line.length - 1]!)) line.push(p);
  }
  if (line.length < 2) return refuse('split-needs-two-crossings', at0);

  // Every crossing of the drawn line with the grid's boundary: where along the line, and where
  // along the crossed edge in its own direction (segment index + fraction).
  type Hit = { along: number; edge: EdgeId; pos: number; vertex: number | null; point: QPoint };
  const hits: Hit[] = [];
  const ringEdges = new Set<EdgeId>();
  for (const se of ring) ringEdges.add(se.edge);
  for (const edgeId of ringEdges) {
    const e = t.edges.get(edgeId)!;
    // The edge's points read in place (a split reads every edge of the grid).
    for (let k = 0; k <= e.vertices.length; k++) {
      const c = edgePointAt(t, e, k);
      const d = edgePointAt(t, e, k + 1);
      for (let j = 0; j + 1 < line.length; j++) {
        const x = crossingOn(line[j]!, line[j + 1]!, c, d);
        if (!x) continue;
        const a = line[j]!;
        const b = line[j + 1]!;
        const point: QPoint = [
          Math.round(a[0] + x.s * (b[0] - a[0])),
          Math.round(a[1] + x.s * (b[1] - a[1])),
        ];
        // A crossing exactly at a vertex is met on two segments: count it once.
        if (hits.some((h) => samePoint(h.point, point))) continue;
        const vertex = samePoint(point, c) ? k : samePoint(point, d) ? k + 1 : null;
        hits.push({ along: j + x.s, edge: edgeId, pos: vertex ?? k + x.u, vertex, point });
      }
    }
  }
  if (hits.length !== 2) return refuse('split-needs-two-crossings', at0);
  hits.sort((p, q) => p.along - q.along);
  const [h0, h1] = hits as [Hit, Hit];

  // Cut the crossed edges at the crossings (a new node where no node is, an inner vertex made one),
  // stored once for both sides: the grid and its neighbours walk the pieces on `layer`.
  const layer = new OverlayTopology(t);
  const steps: TopologyDiff[] = [];
  const next = { node: ix.maxNodeId() + 1, edge: ix.maxEdgeId() + 1 };
  const nodeAtHit = new Map<Hit, NodeId>();
  const neighbours = new Set<GridId>();
  for (const edgeId of new Set([h0.edge, h1.edge])) {
    const edge = t.edges.get(edgeId)!;
    const last = edge.vertices.length + 1;
    const inside: Hit[] = [];
    for (const h of [h0, h1]) {
      if (h.edge !== edgeId) continue;
      if (h.vertex === 0) nodeAtHit.set(h, edge.start);
      else if (h.vertex === last) nodeAtHit.set(h, edge.end);
      else inside.push(h);
    }
    if (inside.length === 0) continue;
    const cut = cutEdgeAt(
      layer,
      next,
      edgeId,
      inside.map((h) => ({ pos: h.pos, at: h.point })),
    );
    if (!cut) return refuse('crossing', dequantise(inside[0]!.point));
    layer.apply(cut.diff);
    steps.push(cut.diff);
    inside.forEach((h, i) => nodeAtHit.set(h, cut.nodes[i]!.id));
    for (const g of sidesOf(edge)) if (g !== face.id) neighbours.add(g);
  }
  const n0 = nodeAtHit.get(h0)!;
  const n1 = nodeAtHit.get(h1)!;
  if (n0 === n1) return refuse('split-needs-two-crossings', at0);
  // The grid's ring with the crossed edges replaced by their pieces.
  const cutFace = layer.faces.get(face.id)!;
  const full = cutFace.rings[0]!;
  const startOf = (se: SignedEdge) => startNodeOf(layer, se);
  const i0 = full.findIndex((se) => startOf(se) === n0);
  const i1 = full.findIndex((se) => startOf(se) === n1);
  if (i0 < 0 || i1 < 0) return refuse('split-needs-two-crossings', at0);
  const rotate = (a: number, b: number) =>
    a < b ? full.slice(a, b) : [...full.slice(a), ...full.slice(0, b)];
  const chainA = rotate(i0, i1); // n0 → n1 along the boundary
  const chainB = rotate(i1, i0); // n1 → n0

  // The drawn line between the crossings is the new edge, n0 → n1.
  const inner = line.filter((_, j) => j > h0.along && j < h1.along);
  const nodeAt = (id: NodeId) => layer.nodes.get(id)!.at;
  if (selfCrossing([nodeAt(n0), ...inner, nodeAt(n1)])) return refuse('crossing', at0);
  const cutEdge: TopoEdge = {
    id: next.edge++ as EdgeId,
    start: n0,
    end: n1,
    vertices: inner,
    left: null,
    right: null,
  };
  const edgeOf = (id: EdgeId) => (id === cutEdge.id ? cutEdge : layer.edges.get(id)!);
  const ringA = [...chainA, { edge: cutEdge.id, forward: false }];
  const ringB = [...chainB, { edge: cutEdge.id, forward: true }];
  const areaA = signedEdgesArea(layer, ringA, edgeOf);
  const areaB = signedEdgesArea(layer, ringB, edgeOf);
  // A line outside the grid between its crossings gives one part of negative area.
  if (!(areaA > 0 && areaB > 0)) return refuse('crossing', dequantise(h0.point));
  // The larger part keeps the grid's id (and, at publish, its code).
  const keepA = keep === 'right' || areaA >= areaB; // ringA lies right of the cut
  const [keptRing, newRing, keptOnLeftOfCut] = keepA ? [ringA, ringB, false] : [ringB, ringA, true];
  cutEdge.left = keptOnLeftOfCut ? face.id : edit.newGrid;
  cutEdge.right = keptOnLeftOfCut ? edit.newGrid : face.id;
  // Edges of the new part now have the new grid on the grid's side.
  const relabel = (e: TopoEdge): TopoEdge => ({
    ...e,
    left: e.left === face.id ? edit.newGrid : e.left,
    right: e.right === face.id ? edit.newGrid : e.right,
  });
  const relabelled: [TopoEdge, TopoEdge][] = [];
  for (const se of newRing) {
    if (se.edge === cutEdge.id) continue;
    const e = layer.edges.get(se.edge)!;
    relabelled.push([e, relabel(e)]);
  }
  steps.push({
    nodes: emptyRecords(),
    edges: { added: [cutEdge], updated: relabelled, removed: [] },
    faces: {
      added: [{ id: edit.newGrid, parentId: face.parentId, rings: [newRing] }],
      updated: [[cutFace, { ...face, rings: [keptRing] }]],
      removed: [],
    },
  });
  return {
    ok: true,
    // One diff: the cuts' pieces come out as added records, the crossed edges as removed ones.
    diff: squashDiffs(steps),
    touched: [face.id, edit.newGrid, ...neighbours],
  };
}

import type { TopologyDiff } from '../topology-edit.ts';
import {
  edgePoints,
  type EdgeId,
  type NodeId,
  type QPoint,
  type SignedEdge,
  type TopoEdge,
  type TopoFace,
  type TopoNode,
  type Topology,
} from '../topology.ts';
import { samePoint } from './edit-primitives.ts';

// Cutting an edge at points, the first step of a split and of a cut-out: the edge is replaced by
// its pieces, joined at new nodes, and the grids on both sides walk the pieces in its place. The
// edge stays stored once, so both neighbours keep sharing every point of it.

/**
 * Where to cut: `pos` along the edge in its own direction (segment index + fraction) at the
 * quantised point `at`. A whole `pos` naming an inner vertex, with `at` that vertex, turns the
 * vertex into a node.
 */
export interface EdgeCut {
  pos: number;
  at: QPoint;
}

/** The next ids to give new records; a cut takes what it uses, so cuts in a row number on. */
export interface NextIds {
  node: number;
  edge: number;
}

export interface EdgeCutResult {
  diff: TopologyDiff;
  /** The node at each cut, in the order the cuts were given. */
  nodes: TopoNode[];
}

/**
 * Cuts edge `edgeId` of `t` at `cuts` (new node and edge ids from `next`, advanced). Null when a
 * cut is not one the edge can take: not strictly between its nodes, on one of its points other
 * than an inner vertex named by its index (too close to cut), or two cuts at one place.
 */
export function cutEdgeAt(
  t: Topology,
  next: NextIds,
  edgeId: EdgeId,
  cuts: readonly EdgeCut[],
): EdgeCutResult | null {
  const edge = t.edges.get(edgeId)!;
  const pts = edgePoints(t, { edge: edgeId, forward: true });
  const last = pts.length - 1;
  const atVertex = (c: EdgeCut) =>
    Number.isInteger(c.pos) && c.pos > 0 && c.pos < last && samePoint(c.at, pts[c.pos]!);
  for (const c of cuts) {
    if (!(c.pos > 0 && c.pos < last)) return null;
    if (!atVertex(c) && pts.some((p) => samePoint(p, c.at))) return null;
  }
  if (new Set(cuts.map((c) => `${c.at[0]},${c.at[1]}`)).size !== cuts.length) return null;
  const order = [...cuts].sort((a, b) => a.pos - b.pos);
  // The edge's points with the cut points in place, in order along it; a cut vertex is marked.
  const seq: { p: QPoint; cut: EdgeCut | null }[] = [];
  for (let k = 0, c = 0; k <= last; k++) {
    const here = order[c];
    if (here && here.pos === k && atVertex(here)) {
      seq.push({ p: pts[k]!, cut: here });
      c++;
    } else seq.push({ p: pts[k]!, cut: null });
    for (; c < order.length && order[c]!.pos < k + 1; c++) seq.push({ p: order[c]!.at, cut: order[c]! });
  }
  const nodeOfCut = new Map<EdgeCut, TopoNode>();
  const pieces: TopoEdge[] = [];
  let from = edge.start;
  let inner: QPoint[] = [];
  for (let i = 1; i < seq.length; i++) {
    const { p, cut } = seq[i]!;
    const atEnd = i === seq.length - 1;
    if (!cut && !atEnd) {
      inner.push(p);
      continue;
    }
    let to = edge.end;
    if (cut && !atEnd) {
      const node: TopoNode = { id: next.node++ as NodeId, at: p };
      nodeOfCut.set(cut, node);
      to = node.id;
    }
    pieces.push({ ...edge, id: next.edge++ as EdgeId, start: from, end: to, vertices: inner });
    from = to;
    inner = [];
  }
  const expand = (se: SignedEdge): SignedEdge[] => {
    if (se.edge !== edgeId) return [se];
    const signed = pieces.map((p) => ({ edge: p.id, forward: true }));
    return se.forward ? signed : signed.reverse().map((p) => ({ ...p, forward: false }));
  };
  const faces: [TopoFace, TopoFace][] = [];
  for (const g of new Set([edge.left, edge.right])) {
    if (g === null) continue;
    const f = t.faces.get(g)!;
    faces.push([f, { ...f, rings: f.rings.map((r) => r.flatMap(expand)) }]);
  }
  return {
    diff: {
      nodes: { added: [...nodeOfCut.values()], updated: [], removed: [] },
      edges: { added: pieces, updated: [], removed: [edge] },
      faces: { added: [], updated: faces, removed: [] },
    },
    nodes: cuts.map((c) => nodeOfCut.get(c)!),
  };
}

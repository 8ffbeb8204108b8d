import type { GridId } from '../ids.ts';
import {
  edgePoints,
  isParentBorder,
  quantise,
  type EdgeId,
  type NodeId,
  type QPoint,
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

export type TopologyEdit = MoveNodeEdit;

export const EDIT_REFUSALS = ['unknown-node', 'parent-border-locked', 'crossing', 'fold-over'] as const;
export type EditRefusalReason = (typeof EDIT_REFUSALS)[number];

/** Record changes as from → to pairs, like tldraw's RecordsDiff: squashable, reversible, sendable. */
export interface TopologyDiff {
  nodes: { updated: [TopoNode, TopoNode][] };
}

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
  return { ok: true, diff: { nodes: { updated: [[node, moved]] } }, touched: [...touched] };
}

/** The topology after a diff (a new value; the one given is left as it was). */
export function applyDiff(t: Topology, diff: TopologyDiff): Topology {
  const nodes = new Map(t.nodes);
  for (const [, to] of diff.nodes.updated) nodes.set(to.id, to);
  return { ...t, nodes };
}

/** The diff that undoes `diff`. */
export function invertDiff(diff: TopologyDiff): TopologyDiff {
  return { nodes: { updated: diff.nodes.updated.map(([from, to]) => [to, from]) } };
}

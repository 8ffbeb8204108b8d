import {
  EditSession,
  dequantise,
  samePoint,
  edgesAtNode,
  type EdgeId,
  type EditRefusalReason,
  type NodeId,
  type QPoint,
  type Topology,
  type TopologyEdit,
} from '@gcc/shared/topology';

// A plan made on an older boundary version, re-applied on a newer one (rebase). Its edits name
// nodes and edges of the old version's topology, and the new version's topology numbers them
// afresh; grids it does not change keep their ids. So each edit is replayed on both layers side by
// side and its nodes and edges are found again by where they are: a node at the same point, an
// edge between the same two points through the same vertices (possibly walked the other way, which
// turns vertex indices around). An edit whose node or edge is no longer there, or that the new
// layer refuses, stops the rebase with its step and reason — nothing is half-applied.

export type RebaseResult =
  | { ok: true; edits: TopologyEdit[] }
  | { ok: false; step: number; reason: EditRefusalReason; at: [number, number] };

const key = (p: QPoint) => `${p[0]},${p[1]}`;

/** The node of `t` at the point: from the map of known points, else by a scan. */
function nodeAt(t: Topology, at: QPoint, near: (p: QPoint) => NodeId | undefined): NodeId | undefined {
  return near(at) ?? [...t.nodes.values()].find((n) => samePoint(n.at, at))?.id;
}

/** Translates `edits[0 … cursor)` from `oldBase` to `newBase`. */
export function rebaseEdits(
  oldBase: Topology,
  newBase: Topology,
  edits: readonly TopologyEdit[],
  cursor: number,
): RebaseResult {
  const before = new EditSession(oldBase);
  const after = new EditSession(newBase);
  // Nodes of the new layer by point, kept as edits add nodes (a full scan only for what the map misses).
  const nodeByPoint = new Map<string, NodeId>();
  for (const n of newBase.nodes.values()) nodeByPoint.set(key(n.at), n.id);
  const near = (p: QPoint) => {
    const id = nodeByPoint.get(key(p));
    const n = id === undefined ? undefined : after.topology.nodes.get(id);
    return n && samePoint(n.at, p) ? id : undefined;
  };
  const out: TopologyEdit[] = [];

  for (let step = 0; step < cursor && step < edits.length; step++) {
    const edit = edits[step]!;
    // A node or edge that is no longer there is shown where it was.
    const refuse = (reason: EditRefusalReason, at: QPoint | undefined): RebaseResult => ({
      ok: false,
      step,
      reason,
      at: at ? dequantise(at) : [0, 0],
    });

    let translated: TopologyEdit = edit;
    switch (edit.type) {
      case 'moveNode': {
        const old = before.topology.nodes.get(edit.node);
        const node = old && nodeAt(after.topology, old.at, near);
        if (node === undefined) return refuse('unknown-node', old?.at);
        translated = { ...edit, node };
        break;
      }
      case 'moveVertex':
      case 'addVertex':
      case 'deleteVertex':
      case 'reshapeEdge': {
        const was = before.topology.edges.get(edit.edge);
        const found = sameEdge(before.topology, after.topology, edit.edge, near);
        if (!was || !found) return refuse('unknown-edge', was && before.topology.nodes.get(was.start)?.at);
        const n = was.vertices.length;
        if (edit.type === 'reshapeEdge')
          translated = {
            ...edit,
            edge: found.edge,
            vertices: found.reversed ? [...edit.vertices].reverse() : edit.vertices,
          };
        else if (edit.type === 'addVertex')
          translated = { ...edit, edge: found.edge, index: found.reversed ? n - edit.index : edit.index };
        else
          translated = { ...edit, edge: found.edge, index: found.reversed ? n - 1 - edit.index : edit.index };
        break;
      }
      case 'mergeGrids':
      case 'splitGrid':
      case 'cutOut':
      case 'importLayer':
        // Grids the version did not change keep their ids; the plan's own grids keep their provisional ids.
        break;
    }
    const old = before.edit(edit);
    if (!old.ok) return { ok: false, step, reason: old.reason, at: old.at };
    const now = after.edit(translated);
    if (!now.ok) return { ok: false, step, reason: now.reason, at: now.at };
    for (const n of now.diff.nodes.added) nodeByPoint.set(key(n.at), n.id);
    for (const [, n] of now.diff.nodes.updated) nodeByPoint.set(key(n.at), n.id);
    out.push(translated);
  }
  return { ok: true, edits: out };
}

/** The edge of `to` that runs between the same points through the same vertices as `edge` of `from`. */
function sameEdge(
  from: Topology,
  to: Topology,
  edge: EdgeId,
  near: (p: QPoint) => NodeId | undefined,
): { edge: EdgeId; reversed: boolean } | null {
  const e = from.edges.get(edge);
  if (!e) return null;
  const start = from.nodes.get(e.start)!.at;
  const end = from.nodes.get(e.end)!.at;
  const s = nodeAt(to, start, near);
  if (s === undefined) return null;
  const same = (a: readonly QPoint[], b: readonly QPoint[]) =>
    a.length === b.length && a.every((p, i) => samePoint(p, b[i]!));
  for (const id of edgesAtNode(to, s)) {
    const c = to.edges.get(id)!;
    const cs = to.nodes.get(c.start)!.at;
    const ce = to.nodes.get(c.end)!.at;
    if (samePoint(cs, start) && samePoint(ce, end) && same(c.vertices, e.vertices))
      return { edge: id, reversed: false };
    if (samePoint(cs, end) && samePoint(ce, start) && same([...c.vertices].reverse(), e.vertices))
      return { edge: id, reversed: true };
  }
  return null;
}

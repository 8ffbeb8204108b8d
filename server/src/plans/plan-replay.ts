import {
  decideEdit,
  dequantise,
  edgesAtNode,
  isParentBorder,
  type EditRefusalReason,
  type NodeId,
  type Topology,
  type TopologyDiff,
  type TopologyEdit,
  type TopoEdge,
  type TopoFace,
  type TopoNode,
  type RecordsDiff,
} from '@gcc/shared/topology';
import type { GridId, PlanEditRefusalReason, UnitId } from '@gcc/shared';
import type { Boundary } from '../spatial/boundary.ts';

// A plan's edits replayed from the topology of its boundary version, as the server checks every
// save: each edit is decided again (the client's diff is never trusted), then held to the planner's
// jurisdiction (属地). The first refusal stops the replay and says which step, why and where.

export type ReplayRefusal = {
  ok: false;
  /** Index of the refused edit in the plan's list (0-based). */
  step: number;
  reason: EditRefusalReason | PlanEditRefusalReason;
  at: [number, number];
};

export type ReplayResult =
  | {
      ok: true;
      /** Grids of the boundary version the applied edits change (a split's new grid counts as the grid it came from). */
      touched: GridId[];
      /** Open problems of the applied plan (counted once the topology checks them; 0 until then). */
      problems: number;
    }
  | ReplayRefusal;

interface MutableTopology extends Topology {
  nodes: Map<NodeId, TopoNode>;
  edges: Map<TopoEdge['id'], TopoEdge>;
  faces: Map<GridId, TopoFace>;
}

function applyRecords<K, R extends { id: K }>(map: Map<K, R>, d: RecordsDiff<R>): void {
  for (const r of d.removed) map.delete(r.id);
  for (const [, to] of d.updated) map.set(to.id, to);
  for (const r of d.added) map.set(r.id, r);
}

// In place: applyDiff copies the whole layer per edit, which a save of thousands of edits on a
// big city cannot afford.
function applyInPlace(t: MutableTopology, diff: TopologyDiff): void {
  applyRecords(t.nodes, diff.nodes);
  applyRecords(t.edges, diff.edges);
  applyRecords(t.faces, diff.faces);
}

/** Where an edit happens, in degrees, to show a refusal at its place. */
function editPoint(t: Topology, edit: TopologyEdit): [number, number] {
  switch (edit.type) {
    case 'moveNode':
      return edit.to;
    case 'splitGrid':
      return edit.line[0] ?? [0, 0];
    case 'mergeGrids': {
      const first = t.faces.get(edit.from)?.rings[0]?.[0];
      const edge = first ? t.edges.get(first.edge) : undefined;
      const node = edge ? t.nodes.get(edge.start) : undefined;
      return node ? dequantise(node.at) : [0, 0];
    }
  }
}

/**
 * The parent units whose border an unlocked edit moves (null: the city's outline), read before
 * the edit: an unlocked node move changes every parent border that ends at the node, an unlocked
 * merge joins the two grids' parents.
 */
function parentsConcerned(t: Topology, edit: TopologyEdit): (UnitId | null)[] {
  switch (edit.type) {
    case 'moveNode': {
      if (!edit.unlockParents) return [];
      const out: (UnitId | null)[] = [];
      for (const e of edgesAtNode(t, edit.node)) {
        if (!isParentBorder(t, e)) continue;
        const edge = t.edges.get(e)!;
        for (const side of [edge.left, edge.right])
          out.push(side === null ? null : (t.faces.get(side)?.parentId ?? null));
      }
      return out;
    }
    case 'mergeGrids': {
      const into = t.faces.get(edit.into);
      const from = t.faces.get(edit.from);
      if (!edit.unlockParents || !into || !from || into.parentId === from.parentId) return [];
      return [into.parentId, from.parentId];
    }
    case 'splitGrid':
      return [];
  }
}

/**
 * Replays `edits` from `baseline` (the topology of `boundary`'s version) for a planner whose
 * jurisdiction is `unitId`. Every edit is replayed, the redo part after `cursor` too, so a saved
 * plan can always be redone; touched grids count only the `cursor` edits applied.
 */
export function replayPlan(
  baseline: Topology,
  boundary: Boundary,
  unitId: UnitId,
  edits: readonly TopologyEdit[],
  cursor: number,
): ReplayResult {
  const t: MutableTopology = {
    nodes: new Map(baseline.nodes),
    edges: new Map(baseline.edges),
    faces: new Map(baseline.faces),
  };
  const everywhere = boundary.isRoot(unitId);
  // A grid a split made belongs where the grid it was cut from belongs.
  const origin = new Map<GridId, GridId>();
  const baseOf = (g: GridId): GridId => origin.get(g) ?? g;
  // 属地 for parent borders: a planner moves a unit's border only from strictly above it (a street
  // planner between two of its communities, not its street's own border; nobody the city outline).
  const mayUnlock = (parent: UnitId | null): boolean =>
    parent !== null && parent !== unitId && boundary.unitWithin(parent, unitId);
  const touched = new Set<GridId>();

  for (let step = 0; step < edits.length; step++) {
    const edit = edits[step]!;
    const decision = decideEdit(t, edit);
    if (!decision.ok) return { ok: false, step, reason: decision.reason, at: decision.at };
    if (!parentsConcerned(t, edit).every(mayUnlock))
      return { ok: false, step, reason: 'unlock-forbidden', at: editPoint(t, edit) };
    if (edit.type === 'splitGrid') origin.set(edit.newGrid, baseOf(edit.grid));
    const grids = decision.touched.map(baseOf);
    if (!everywhere && !grids.every((g) => boundary.gridInUnit(g, unitId)))
      return { ok: false, step, reason: 'outside-jurisdiction', at: editPoint(t, edit) };
    applyInPlace(t, decision.diff);
    if (step < cursor) for (const g of grids) touched.add(g);
  }
  return { ok: true, touched: [...touched].sort((a, b) => a - b), problems: 0 };
}

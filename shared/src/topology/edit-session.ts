import type { GridId } from '../ids.ts';
import { checkGrids, DEFAULT_CHECK_LIMITS, type CheckLimits, type LayerProblem } from './topology-check.ts';
import { decideEdit } from './decide-edit.ts';
import {
  invertDiff,
  type EditDecision,
  type EditRefusalReason,
  type RecordsDiff,
  type TopologyDiff,
  type TopologyEdit,
} from './topology-edit.ts';
import { nearestOnSegment } from './planar.ts';
import { LiveTopologyIndex, type TopologyIndex } from './topology-index.ts';
import {
  dequantise,
  edgePoints,
  quantise,
  type EdgeId,
  type NodeId,
  type QPoint,
  type TopoEdge,
  type TopoFace,
  type TopoNode,
  type Topology,
} from './topology.ts';

// One planner's editing of a layer: the topology edited in place (a copy of the base; a 5,000-grid
// city is not copied per edit), an index kept in step, and the undo and redo stacks. The planner's
// Web Worker holds one; the server replays a saved plan's edits through one.

export interface AppliedStep {
  diff: TopologyDiff;
  /** Grids whose shape changed: what to redraw, re-check and re-count. */
  touched: GridId[];
}

interface Step extends AppliedStep {
  edit: TopologyEdit;
}

/** What a plan keeps of a session: every edit made (the redo part too) and how many are applied. */
export interface EditHistory {
  edits: TopologyEdit[];
  cursor: number;
}

export type ReplayResult =
  | { ok: true; session: EditSession }
  | { ok: false; step: number; reason: EditRefusalReason; at: [number, number] };

/** A point to snap to: a node, an edge's inner point, or the nearest point on an edge's segment. */
export type SnapTarget =
  | { kind: 'node'; node: NodeId; at: [number, number] }
  | { kind: 'vertex'; edge: EdgeId; index: number; at: [number, number] }
  | { kind: 'edge'; edge: EdgeId; segment: number; at: [number, number] };

function applyRecords<K, R extends { id: K }>(map: Map<K, R>, d: RecordsDiff<R>): void {
  for (const r of d.removed) map.delete(r.id);
  for (const [, to] of d.updated) map.set(to.id, to);
  for (const r of d.added) map.set(r.id, r);
}

export class EditSession {
  private readonly nodes: Map<NodeId, TopoNode>;
  private readonly edges: Map<EdgeId, TopoEdge>;
  private readonly faces: Map<GridId, TopoFace>;
  /** The layer as it is now; edited in place, so read it, do not keep it. */
  readonly topology: Topology;
  private readonly live: LiveTopologyIndex;
  private readonly done: Step[] = [];
  private readonly undone: Step[] = [];

  constructor(base: Topology) {
    this.nodes = new Map(base.nodes);
    this.edges = new Map(base.edges);
    this.faces = new Map(base.faces);
    this.topology = { nodes: this.nodes, edges: this.edges, faces: this.faces };
    this.live = new LiveTopologyIndex(this.topology);
  }

  /** Replays a saved history on a base: all edits in order (the redo part too), then undoes back to the cursor. */
  static replay(base: Topology, history: EditHistory): ReplayResult {
    const session = new EditSession(base);
    for (const [step, edit] of history.edits.entries()) {
      const d = session.edit(edit);
      if (!d.ok) return { ok: false, step, reason: d.reason, at: d.at };
    }
    const cursor = Math.max(0, Math.min(history.cursor, history.edits.length));
    while (session.done.length > cursor) session.undo();
    return { ok: true, session };
  }

  private apply(diff: TopologyDiff): void {
    applyRecords(this.nodes, diff.nodes);
    applyRecords(this.edges, diff.edges);
    applyRecords(this.faces, diff.faces);
    this.live.update(diff);
  }

  /** Decides an edit against the layer as it is; applies it when allowed (the redo stack is dropped). */
  edit(edit: TopologyEdit): EditDecision {
    const d = decideEdit(this.topology, edit, this.live);
    if (!d.ok) return d;
    this.apply(d.diff);
    this.done.push({ edit, diff: d.diff, touched: d.touched });
    this.undone.length = 0;
    return d;
  }

  undo(): AppliedStep | null {
    const step = this.done.pop();
    if (!step) return null;
    const diff = invertDiff(step.diff);
    this.apply(diff);
    this.undone.push(step);
    return { diff, touched: step.touched };
  }

  redo(): AppliedStep | null {
    const step = this.undone.pop();
    if (!step) return null;
    this.apply(step.diff);
    this.done.push(step);
    return { diff: step.diff, touched: step.touched };
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  get history(): EditHistory {
    return {
      edits: [...this.done, ...[...this.undone].reverse()].map((s) => s.edit),
      cursor: this.done.length,
    };
  }

  /** Every grid any applied edit touched (what a plan changes, for the list and the server's jurisdiction check). */
  touchedGrids(): GridId[] {
    const out = new Set<GridId>();
    for (const s of this.done) for (const g of s.touched) out.add(g);
    return [...out].sort((a, b) => a - b);
  }

  /** The session's index of its layer, kept in step with every edit, undo and redo: read it, do not keep it. */
  get index(): TopologyIndex {
    return this.live;
  }

  /** The edges that start or end at a node, from the session's index (not a scan of the layer). */
  edgesAt(node: NodeId): readonly EdgeId[] {
    return this.live.edgesAt(node);
  }

  /** Problems of the given grids (all when none are given). */
  problems(grids?: Iterable<GridId>, limits: CheckLimits = DEFAULT_CHECK_LIMITS): LayerProblem[] {
    return checkGrids(this.topology, grids ?? this.faces.keys(), this.live, limits);
  }

  /**
   * What a pointer at (lng, lat) snaps to within `tolerance` degrees: a node first, then an inner
   * point, then the nearest point of a segment; null when nothing is that near. While a node is
   * dragged (`skipNode`), it and the edges that move with it are left out.
   */
  snap(lng: number, lat: number, tolerance: number, skipNode: NodeId | null = null): SnapTarget | null {
    const p = quantise(lng, lat);
    const tol = Math.max(1, Math.round(tolerance * 1e7));
    const moving = new Set(skipNode === null ? [] : this.live.edgesAt(skipNode));
    const ids = this.live
      .edgesIn([p[0] - tol, p[1] - tol, p[0] + tol, p[1] + tol])
      .filter((id) => !moving.has(id));
    const dist = (q: QPoint) => Math.hypot(q[0] - p[0], q[1] - p[1]);
    let best: SnapTarget | null = null;
    let bestD = tol;
    const consider = (d: number, target: () => SnapTarget) => {
      if (best ? d < bestD : d <= bestD) [best, bestD] = [target(), d];
    };
    for (const id of ids) {
      const e = this.edges.get(id)!;
      for (const node of [e.start, e.end]) {
        if (node === skipNode) continue;
        const at = this.nodes.get(node)!.at;
        consider(dist(at), () => ({ kind: 'node', node, at: dequantise(at) }));
      }
    }
    if (best) return best;
    for (const id of ids)
      this.edges
        .get(id)!
        .vertices.forEach((v, index) =>
          consider(dist(v), () => ({ kind: 'vertex', edge: id, index, at: dequantise(v) })),
        );
    if (best) return best;
    for (const id of ids) {
      const pts = edgePoints(this.topology, { edge: id, forward: true });
      for (let i = 0; i + 1 < pts.length; i++) {
        const { at, d2 } = nearestOnSegment(p, pts[i]!, pts[i + 1]!);
        consider(Math.sqrt(d2), () => ({ kind: 'edge', edge: id, segment: i, at: dequantise(at) }));
      }
    }
    return best;
  }
}

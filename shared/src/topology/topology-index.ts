import Flatbush from 'flatbush';
import type { EdgeId, NodeId, TopoEdge, Topology } from './topology.ts';
import type { TopologyDiff } from './topology-edit.ts';

// What the edit decisions ask of the layer beyond its records: which edges end at a node, and
// which edges lie near a box. A plain scan answers both for small fixtures; an editing session
// keeps a Flatbush of the edges as they were loaded plus the few edges edits changed since, so
// a check after an edit reads a handful of edges, not the 40,000 of a big city.

export type BBox = readonly [minX: number, minY: number, maxX: number, maxY: number];

export interface TopologyIndex {
  edgesAt(node: NodeId): readonly EdgeId[];
  /** Edges whose bounding box meets the box (quantised units). */
  edgesIn(box: BBox): EdgeId[];
  /** The largest node and edge ids in the layer now (new records are numbered after them). */
  maxNodeId(): number;
  maxEdgeId(): number;
}

function maxKey(m: ReadonlyMap<number, unknown>): number {
  let max = 0;
  for (const k of m.keys()) if (k > max) max = k;
  return max;
}

export function edgeBox(t: Topology, e: TopoEdge): BBox {
  const a = t.nodes.get(e.start)!.at;
  const b = t.nodes.get(e.end)!.at;
  let minX = Math.min(a[0], b[0]);
  let minY = Math.min(a[1], b[1]);
  let maxX = Math.max(a[0], b[0]);
  let maxY = Math.max(a[1], b[1]);
  for (const v of e.vertices) {
    if (v[0] < minX) minX = v[0];
    if (v[1] < minY) minY = v[1];
    if (v[0] > maxX) maxX = v[0];
    if (v[1] > maxY) maxY = v[1];
  }
  return [minX, minY, maxX, maxY];
}

/**
 * The largest key of `m` after a diff was applied to it, from the largest before (null: not known)
 * and the records the diff added. Every key is at most the larger of the two; when that one went
 * (an undo removes the newest records, which hold the largest ids), the next keys down are probed,
 * so an undo does not cost a scan of the layer. Null (a scan when asked) past a few missing ids.
 */
function largestAfter(
  max: number | null,
  added: readonly { id: number }[],
  m: ReadonlyMap<number, unknown>,
): number | null {
  if (max === null) return null;
  let top = max;
  for (const r of added) if (r.id > top) top = r.id;
  for (let k = top; k > 0 && k > top - 64; k--) if (m.has(k)) return k;
  return null;
}

/** Raster cell of the changed-edge lookup: 0.01° (≈ 1 km), a few grids across. */
const CELL = 100_000;
/** A raster cell's key in the lookup (column-major; fewer than 100,000 rows of cells). */
const cellKey = (x: number, y: number) => x * 100_000 + y;

const meets = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Answers by scanning every edge: for tests and one-off decisions. */
export function scanIndex(t: Topology): TopologyIndex {
  return {
    edgesAt(node) {
      const out: EdgeId[] = [];
      for (const e of t.edges.values()) if (e.start === node || e.end === node) out.push(e.id);
      return out;
    },
    edgesIn(box) {
      const out: EdgeId[] = [];
      for (const e of t.edges.values()) if (meets(edgeBox(t, e), box)) out.push(e.id);
      return out;
    },
    maxNodeId: () => maxKey(t.nodes),
    maxEdgeId: () => maxKey(t.edges),
  };
}

/** An index kept in step with a topology that is edited in place (call `update` after each diff is applied). */
export class LiveTopologyIndex implements TopologyIndex {
  private readonly tree: Flatbush | null;
  private readonly treeEdges: EdgeId[];
  /** Edges changed since the tree was built: their box now, or null when removed. */
  private readonly changed = new Map<EdgeId, BBox | null>();
  /** The changed edges by cell of a coarse raster, so a query reads the few near it, not all of them. */
  private readonly cells = new Map<number, Set<EdgeId>>();
  private readonly atNode = new Map<NodeId, EdgeId[]>();
  /** The largest ids, or null after the record holding one was removed (found again when asked). */
  private maxNode: number | null = null;
  private maxEdge: number | null = null;

  constructor(private readonly t: Topology) {
    this.treeEdges = [...t.edges.keys()];
    this.tree = this.treeEdges.length > 0 ? new Flatbush(this.treeEdges.length) : null;
    for (const id of this.treeEdges) {
      const e = t.edges.get(id)!;
      if (this.tree) this.tree.add(...edgeBox(t, e));
      this.link(e);
    }
    this.tree?.finish();
  }

  private link(e: TopoEdge): void {
    for (const n of e.start === e.end ? [e.start] : [e.start, e.end]) {
      let list = this.atNode.get(n);
      if (!list) this.atNode.set(n, (list = []));
      list.push(e.id);
    }
  }

  private unlink(e: TopoEdge): void {
    for (const n of [e.start, e.end]) {
      const list = this.atNode.get(n);
      if (!list) continue;
      const i = list.indexOf(e.id);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.atNode.delete(n);
    }
  }

  /**
   * Follows a diff the topology has just been through. The records the diff names before the
   * change (removed, updated-from) are unlinked, the ones after linked; edges at a moved node
   * changed shape, so their boxes are taken anew.
   */
  update(diff: TopologyDiff): void {
    this.maxNode = largestAfter(this.maxNode, diff.nodes.added, this.t.nodes);
    this.maxEdge = largestAfter(this.maxEdge, diff.edges.added, this.t.edges);
    for (const e of diff.edges.removed) {
      this.unlink(e);
      this.setChanged(e.id, null);
    }
    for (const [from, to] of diff.edges.updated) {
      this.unlink(from);
      this.link(to);
    }
    for (const e of diff.edges.added) this.link(e);
    const reshaped = new Set<EdgeId>([
      ...diff.edges.added.map((e) => e.id),
      ...diff.edges.updated.map(([, to]) => to.id),
    ]);
    for (const [, to] of diff.nodes.updated) for (const id of this.edgesAt(to.id)) reshaped.add(id);
    for (const id of reshaped) {
      const e = this.t.edges.get(id);
      this.setChanged(id, e ? edgeBox(this.t, e) : null);
    }
  }

  private setChanged(id: EdgeId, box: BBox | null): void {
    const old = this.changed.get(id);
    if (old) this.forCells(old, (c) => this.cells.get(c)?.delete(id));
    this.changed.set(id, box);
    if (box)
      this.forCells(box, (c) => {
        let set = this.cells.get(c);
        if (!set) this.cells.set(c, (set = new Set()));
        set.add(id);
      });
  }

  private forCells(box: BBox, f: (cell: number) => void): void {
    const x0 = Math.floor(box[0] / CELL);
    const x1 = Math.floor(box[2] / CELL);
    const y0 = Math.floor(box[1] / CELL);
    const y1 = Math.floor(box[3] / CELL);
    // A box spanning many cells (a long drawn line) is rare; it is filed in each.
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) f(cellKey(x, y));
  }

  edgesAt(node: NodeId): readonly EdgeId[] {
    return this.atNode.get(node) ?? [];
  }

  maxNodeId(): number {
    return (this.maxNode ??= maxKey(this.t.nodes));
  }

  maxEdgeId(): number {
    return (this.maxEdge ??= maxKey(this.t.edges));
  }

  edgesIn(box: BBox): EdgeId[] {
    const out: EdgeId[] = [];
    const { changed, treeEdges } = this;
    // The filter sees every hit: answering false keeps flatbush from building a result array.
    this.tree?.search(box[0], box[1], box[2], box[3], (i) => {
      const id = treeEdges[i]!;
      if (!changed.has(id)) out.push(id);
      return false;
    });
    if (this.cells.size === 0) return out;
    const x0 = Math.floor(box[0] / CELL);
    const x1 = Math.floor(box[2] / CELL);
    const y0 = Math.floor(box[1] / CELL);
    const y1 = Math.floor(box[3] / CELL);
    // An edge filed in several cells is met once per cell; a box in one cell (the usual segment) meets each once.
    const seen = x0 === x1 && y0 === y1 ? null : new Set<EdgeId>();
    for (let x = x0; x <= x1; x++)
      for (let y = y0; y <= y1; y++) {
        const ids = this.cells.get(cellKey(x, y));
        if (!ids) continue;
        for (const id of ids) {
          if (seen) {
            if (seen.has(id)) continue;
            seen.add(id);
          }
          const b = changed.get(id);
          if (b && meets(b, box)) out.push(id);
        }
      }
    return out;
  }
}

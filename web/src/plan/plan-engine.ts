import type { GridId, UnitId } from '@gcc/shared';
import {
  applyDiff,
  decideEdit,
  decodeTopology,
  dequantise,
  edgePoints,
  facePolygon,
  invertDiff,
  isParentBorder,
  quantise,
  type EdgeId,
  type EditDecision,
  type NodeId,
  type QPoint,
  type TopoEdge,
  type Topology,
  type TopologyDiff,
  type TopologyEdit,
} from '@gcc/shared/topology';
import { bandOf } from './band.ts';
import {
  PROVISIONAL_GRID_MIN,
  type Baseline,
  type DragInfo,
  type EdgeBuffers,
  type EditOutcome,
  type FaceBuffers,
  type GestureRefusal,
  type GridStatsRow,
  type Handles,
  type HistoryState,
  type PlanDelta,
  type PlanGesture,
  type PlanGrid,
  type PlanProblem,
  type Snap,
} from './plan.protocol.ts';

// The planner's topology, as the worker holds it: the baseline, the plan's edits with an undo
// cursor, and what the page needs drawn — only what differs from the baseline. Pure (no DOM, no
// messaging) so it is tested without a worker.

type BBox = [number, number, number, number];

/** Snap index cell, in quantised units (0.002° ≈ 200 m). */
const CELL = 20_000;
const cellKey = (cx: number, cy: number) => cx * 1_000_000 + cy;

interface Step {
  edit: TopologyEdit;
  diff: TopologyDiff;
}

export function edgeBuffers(t: Topology, ids: readonly EdgeId[]): EdgeBuffers {
  let n = 0;
  for (const id of ids) {
    const e = t.edges.get(id);
    if (e) n += e.vertices.length + 2;
  }
  const out: EdgeBuffers = {
    ids: new Int32Array(ids.length),
    starts: new Uint32Array(ids.length + 1),
    positions: new Float64Array(n * 2),
    locked: new Uint8Array(ids.length),
  };
  let v = 0;
  ids.forEach((id, i) => {
    out.ids[i] = id;
    out.starts[i] = v;
    if (!t.edges.has(id)) return;
    for (const p of edgePoints(t, { edge: id, forward: true })) {
      out.positions[2 * v] = p[0] / 1e7;
      out.positions[2 * v + 1] = p[1] / 1e7;
      v++;
    }
    out.locked[i] = isParentBorder(t, id) ? 1 : 0;
  });
  out.starts[ids.length] = v;
  return out;
}

export function faceBuffers(t: Topology, grids: readonly GridId[]): FaceBuffers {
  const parts: { grid: GridId; rings: [number, number][][] }[] = [];
  for (const g of grids) for (const rings of facePolygon(t, g)) parts.push({ grid: g, rings });
  let ringCount = 0;
  let vertexCount = 0;
  for (const p of parts) {
    ringCount += p.rings.length;
    for (const r of p.rings) vertexCount += r.length;
  }
  const out: FaceBuffers = {
    grids: new Int32Array(parts.length),
    partRings: new Uint32Array(parts.length + 1),
    ringStarts: new Uint32Array(ringCount + 1),
    positions: new Float64Array(vertexCount * 2),
  };
  let r = 0;
  let v = 0;
  parts.forEach((p, i) => {
    out.grids[i] = p.grid;
    out.partRings[i] = r;
    for (const ring of p.rings) {
      out.ringStarts[r++] = v;
      for (const [x, y] of ring) {
        out.positions[2 * v] = x;
        out.positions[2 * v + 1] = y;
        v++;
      }
    }
  });
  out.partRings[parts.length] = r;
  out.ringStarts[ringCount] = v;
  return out;
}

/**
 * Area in square metres of a grid's polygons: the trapezoid sum with each segment scaled at its
 * own latitude, so the parts of a split add up to the whole (a shared segment cancels exactly).
 */
export function areaM2(polygons: [number, number][][][]): number {
  const K = 111_320;
  let total = 0;
  for (const poly of polygons)
    poly.forEach((ring, r) => {
      let s = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x1, y1] = ring[i]!;
        const [x2, y2] = ring[i + 1]!;
        s += (x2 - x1) * K * Math.cos((((y1 + y2) / 2) * Math.PI) / 180) * ((y1 + y2) / 2) * 110_574;
      }
      total += (r === 0 ? 1 : -1) * Math.abs(s);
    });
  return total;
}

function bboxOf(polygons: [number, number][][][]): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygons)
    for (const [x, y] of poly[0] ?? []) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  return b;
}

/** A point inside-ish a grid for its marker: the area centroid of its largest outer ring. */
function labelPoint(polygons: [number, number][][][]): [number, number] {
  let best: [number, number] = [0, 0];
  let bestArea = -1;
  for (const poly of polygons) {
    const ring = poly[0];
    if (!ring || ring.length < 3) continue;
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const f = ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
      a += f;
      cx += (ring[j]![0] + ring[i]![0]) * f;
      cy += (ring[j]![1] + ring[i]![1]) * f;
    }
    if (Math.abs(a) > bestArea && a !== 0) {
      bestArea = Math.abs(a);
      best = [cx / (3 * a), cy / (3 * a)];
    }
  }
  return best;
}

/**
 * A closed ring without the vertices that lie on the line of their neighbours (within 2 units
 * of 1e-7°: a node added on a border is rounded to the integer grid), starting at its lowest point.
 */
export function essentialRing(ring: readonly [number, number][]): string[] {
  const pts = ring.slice(0, -1).map(([x, y]) => quantise(x, y));
  let changed = true;
  while (changed && pts.length > 3) {
    changed = false;
    for (let i = 0; i < pts.length && pts.length > 3; i++) {
      const a = pts[(i + pts.length - 1) % pts.length]!;
      const b = pts[i]!;
      const c = pts[(i + 1) % pts.length]!;
      const cross = (c[0] - a[0]) * (b[1] - a[1]) - (c[1] - a[1]) * (b[0] - a[0]);
      const len = Math.hypot(c[0] - a[0], c[1] - a[1]);
      const within =
        (b[0] - a[0]) * (c[0] - a[0]) + (b[1] - a[1]) * (c[1] - a[1]) >= 0 &&
        (b[0] - c[0]) * (a[0] - c[0]) + (b[1] - c[1]) * (a[1] - c[1]) >= 0;
      if (len > 0 && within && Math.abs(cross) / len <= 2) {
        pts.splice(i, 1);
        changed = true;
        i--;
      }
    }
  }
  let low = 0;
  pts.forEach((p, i) => {
    const l = pts[low]!;
    if (p[1] < l[1] || (p[1] === l[1] && p[0] < l[0])) low = i;
  });
  return [...pts.slice(low), ...pts.slice(0, low)].map((p) => `${p[0]},${p[1]}`);
}

const samePoints = (a: readonly QPoint[], b: readonly QPoint[]) =>
  a.length === b.length && a.every((p, i) => p[0] === b[i]![0] && p[1] === b[i]![1]);

/** Distance² from p to segment ab, and the nearest point (quantised units). */
function nearestOnSegment(p: QPoint, a: QPoint, b: QPoint): { d2: number; at: [number, number] } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const s = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  const x = a[0] + s * dx;
  const y = a[1] + s * dy;
  return { d2: (p[0] - x) ** 2 + (p[1] - y) ** 2, at: [x, y] };
}

export class PlanEngine {
  readonly base: Topology;
  private current: Topology;
  private readonly info = new Map<
    GridId,
    { code: string; name: string; urban: boolean; households: number; population: number }
  >();
  private readonly steps: Step[] = [];
  private cursor = 0;
  private revision = 0;
  /** Records any applied diff touched: the only ones that can differ from the baseline. */
  private readonly dirtyEdges = new Set<EdgeId>();
  private readonly dirtyGrids = new Set<GridId>();
  private readonly dirtyNodes = new Set<NodeId>();
  /** Grids whose geometry (or existence) differs from the baseline now. */
  private changedGrids = new Set<GridId>();
  private readonly nodeEdges = new Map<NodeId, Set<EdgeId>>();
  private readonly baseBBox = new Map<GridId, BBox>();
  private readonly bbox = new Map<GridId, BBox>();
  /** Baseline snap index: segments (edge, index) and nodes per cell. */
  private readonly segCells = new Map<number, number[]>();
  private readonly nodeCells = new Map<number, NodeId[]>();

  constructor(baseline: Baseline) {
    this.base = decodeTopology(baseline.topology);
    this.current = this.base;
    const g = baseline.grids;
    g.ids.forEach((id, i) =>
      this.info.set(id, {
        code: g.codes[i] ?? '',
        name: g.names[i] ?? '',
        urban: g.urban[i] ?? true,
        households: g.households[i] ?? 0,
        population: g.population[i] ?? 0,
      }),
    );
    for (const e of this.base.edges.values()) this.linkEdge(e);
    for (const id of this.base.faces.keys()) {
      const b = bboxOf(facePolygon(this.base, id));
      this.baseBBox.set(id, b);
      this.bbox.set(id, b);
    }
    this.indexBaseline();
  }

  private linkEdge(e: TopoEdge): void {
    for (const n of [e.start, e.end]) {
      let s = this.nodeEdges.get(n);
      if (!s) this.nodeEdges.set(n, (s = new Set()));
      s.add(e.id);
    }
  }

  private unlinkEdge(e: TopoEdge): void {
    this.nodeEdges.get(e.start)?.delete(e.id);
    this.nodeEdges.get(e.end)?.delete(e.id);
  }

  private indexBaseline(): void {
    const push = <T>(m: Map<number, T[]>, k: number, v: T) => {
      const l = m.get(k);
      if (l) l.push(v);
      else m.set(k, [v]);
    };
    for (const n of this.base.nodes.values())
      push(this.nodeCells, cellKey(Math.floor(n.at[0] / CELL), Math.floor(n.at[1] / CELL)), n.id);
    for (const e of this.base.edges.values()) {
      const pts = edgePoints(this.base, { edge: e.id, forward: true });
      for (let i = 0; i + 1 < pts.length; i++) {
        const a = pts[i]!;
        const b = pts[i + 1]!;
        // An edge id and a segment index in one number (edges have far fewer than 65,536 points).
        const code = e.id * 65_536 + i;
        for (
          let cx = Math.floor(Math.min(a[0], b[0]) / CELL);
          cx <= Math.floor(Math.max(a[0], b[0]) / CELL);
          cx++
        )
          for (
            let cy = Math.floor(Math.min(a[1], b[1]) / CELL);
            cy <= Math.floor(Math.max(a[1], b[1]) / CELL);
            cy++
          )
            push(this.segCells, cellKey(cx, cy), code);
      }
    }
  }

  get topology(): Topology {
    return this.current;
  }

  /** The whole baseline, for the page's static layers. */
  baseGeometry(): { edges: EdgeBuffers; faces: FaceBuffers; bbox: BBox } {
    const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
    for (const x of this.baseBBox.values()) {
      b[0] = Math.min(b[0], x[0]);
      b[1] = Math.min(b[1], x[1]);
      b[2] = Math.max(b[2], x[2]);
      b[3] = Math.max(b[3], x[3]);
    }
    return {
      edges: edgeBuffers(this.base, [...this.base.edges.keys()]),
      faces: faceBuffers(this.base, [...this.base.faces.keys()]),
      bbox: b,
    };
  }

  historyState(): HistoryState {
    return {
      canUndo: this.cursor > 0,
      canRedo: this.cursor < this.steps.length,
      cursor: this.cursor,
      length: this.steps.length,
    };
  }

  history(): { edits: TopologyEdit[]; cursor: number } {
    return { edits: this.steps.map((s) => s.edit), cursor: this.cursor };
  }

  /** A gesture as the topology edit it asks for, or why there is none. */
  toEdit(g: PlanGesture): { edit: TopologyEdit } | { refused: GestureRefusal; at: [number, number] | null } {
    switch (g.type) {
      case 'moveNode':
        return { edit: { type: 'moveNode', node: g.node, to: g.to } };
      case 'merge':
        return { edit: { type: 'mergeGrids', into: g.into, from: g.from } };
      case 'split': {
        const grid = this.splitTarget(g.line, g.prefer);
        if (grid === null) return { refused: 'no-grid-under-line', at: g.line[0] ?? null };
        return { edit: { type: 'splitGrid', grid, line: g.line, newGrid: this.nextGridId() } };
      }
      case 'moveVertex':
      case 'addVertex':
      case 'deleteVertex':
      case 'cutOut':
        // Vertex edits and cut-outs arrive with the shared EditSession.
        return { refused: 'not-supported', at: null };
    }
  }

  /** The grid a drawn line splits: the preferred one if the line crosses it, else any it crosses twice. */
  private splitTarget(line: [number, number][], prefer: GridId | null): GridId | null {
    const xs = line.map((p) => p[0]);
    const ys = line.map((p) => p[1]);
    const lb: BBox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    const candidates: GridId[] = [];
    if (prefer !== null && this.current.faces.has(prefer)) candidates.push(prefer);
    for (const [id, b] of this.bbox)
      if (
        id !== prefer &&
        this.current.faces.has(id) &&
        b[0] <= lb[2] &&
        b[2] >= lb[0] &&
        b[1] <= lb[3] &&
        b[3] >= lb[1]
      )
        candidates.push(id);
    for (const grid of candidates) {
      const d = decideEdit(this.current, { type: 'splitGrid', grid, line, newGrid: this.nextGridId() });
      if (d.ok) return grid;
    }
    return null;
  }

  private nextGridId(): GridId {
    let max = PROVISIONAL_GRID_MIN - 1;
    for (const id of this.current.faces.keys()) if (id > max) max = id;
    return (max + 1) as GridId;
  }

  check(g: PlanGesture): { ok: true } | { ok: false; reason: GestureRefusal } {
    const e = this.toEdit(g);
    if (!('edit' in e)) return { ok: false, reason: e.refused };
    const d = decideEdit(this.current, e.edit);
    return d.ok ? { ok: true } : { ok: false, reason: d.reason };
  }

  apply(g: PlanGesture): EditOutcome {
    const e = this.toEdit(g);
    if (!('edit' in e)) return { ok: false, reason: e.refused, at: e.at };
    const d: EditDecision = decideEdit(this.current, e.edit);
    if (!d.ok) return { ok: false, reason: d.reason, at: d.at };
    // A new edit ends the redo branch.
    this.steps.length = this.cursor;
    this.steps.push({ edit: e.edit, diff: d.diff });
    this.cursor++;
    this.applyChange(d.diff);
    return this.outcome(d.touched);
  }

  undo(): EditOutcome {
    if (this.cursor === 0) return { ok: false, reason: 'nothing', at: null };
    const step = this.steps[--this.cursor]!;
    return this.outcome(this.applyChange(invertDiff(step.diff)));
  }

  redo(): EditOutcome {
    const step = this.steps[this.cursor];
    if (!step) return { ok: false, reason: 'nothing', at: null };
    this.cursor++;
    return this.outcome(this.applyChange(step.diff));
  }

  /** Replays saved edits from the baseline; an edit that no longer applies stops the replay there. */
  load(edits: readonly TopologyEdit[], cursor: number): EditOutcome {
    while (this.cursor > 0) this.undo();
    this.steps.length = 0;
    const touched = new Set<GridId>();
    for (const edit of edits) {
      const d = decideEdit(this.current, edit);
      if (!d.ok) return { ok: false, reason: d.reason, at: d.at };
      this.steps.push({ edit, diff: d.diff });
      this.cursor++;
      for (const g of this.applyChange(d.diff)) touched.add(g);
    }
    while (this.cursor > Math.max(0, Math.min(cursor, this.steps.length))) {
      for (const g of this.applyChange(invertDiff(this.steps[--this.cursor]!.diff))) touched.add(g);
    }
    return this.outcome([...touched]);
  }

  /** Applies a diff, keeps the indexes in step, and answers the grids it touched. */
  private applyChange(diff: TopologyDiff): GridId[] {
    const touched = new Set<GridId>();
    const touchEdge = (e: TopoEdge) => {
      this.dirtyEdges.add(e.id);
      if (e.left !== null) touched.add(e.left);
      if (e.right !== null) touched.add(e.right);
    };
    for (const e of diff.edges.removed) {
      this.unlinkEdge(e);
      touchEdge(e);
    }
    for (const [from, to] of diff.edges.updated) {
      this.unlinkEdge(from);
      this.linkEdge(to);
      touchEdge(from);
      touchEdge(to);
    }
    for (const e of diff.edges.added) {
      this.linkEdge(e);
      touchEdge(e);
    }
    for (const f of [...diff.faces.added, ...diff.faces.removed]) touched.add(f.id);
    for (const [from] of diff.faces.updated) touched.add(from.id);
    this.current = applyDiff(this.current, diff);
    for (const n of [...diff.nodes.added, ...diff.nodes.removed, ...diff.nodes.updated.map(([f]) => f)]) {
      this.dirtyNodes.add(n.id);
      for (const id of this.nodeEdges.get(n.id) ?? []) {
        const e = this.current.edges.get(id);
        if (e) touchEdge(e);
      }
    }
    for (const g of touched) {
      this.dirtyGrids.add(g);
      if (this.current.faces.has(g)) this.bbox.set(g, bboxOf(facePolygon(this.current, g)));
      else this.bbox.delete(g);
    }
    this.revision++;
    return [...touched];
  }

  private outcome(touched: GridId[]): EditOutcome {
    return { ok: true, delta: this.delta(), touched, history: this.historyState() };
  }

  private edgeChanged(id: EdgeId): boolean {
    const cur = this.current.edges.get(id);
    const base = this.base.edges.get(id);
    if (!cur || !base) return true;
    if (cur === base && !this.nodeMoved(cur.start) && !this.nodeMoved(cur.end)) return false;
    return (
      !samePoints(
        edgePoints(this.current, { edge: id, forward: true }),
        edgePoints(this.base, { edge: id, forward: true }),
      ) || isParentBorder(this.current, id) !== isParentBorder(this.base, id)
    );
  }

  private nodeMoved(id: NodeId): boolean {
    return this.dirtyNodes.has(id) && this.current.nodes.get(id) !== this.base.nodes.get(id);
  }

  private gridChanged(id: GridId): boolean {
    const cur = this.current.faces.has(id);
    const base = this.base.faces.has(id);
    if (!cur || !base) return true;
    // A node put on a neighbour's border (a split ending there) leaves its shape as it was.
    const a = facePolygon(this.current, id).map((poly) => poly.map(essentialRing));
    const b = facePolygon(this.base, id).map((poly) => poly.map(essentialRing));
    return JSON.stringify(a) !== JSON.stringify(b);
  }

  /** Everything the plan draws differently from the baseline. */
  delta(): PlanDelta {
    const edges: EdgeId[] = [];
    const hiddenEdges: number[] = [];
    for (const id of this.dirtyEdges) {
      if (!this.edgeChanged(id)) continue;
      if (this.base.edges.has(id)) hiddenEdges.push(id);
      if (this.current.edges.has(id)) edges.push(id);
    }
    const grids: GridId[] = [];
    const hiddenGrids: number[] = [];
    this.changedGrids = new Set();
    for (const id of this.dirtyGrids) {
      if (!this.gridChanged(id)) continue;
      this.changedGrids.add(id);
      if (this.base.faces.has(id)) hiddenGrids.push(id);
      if (this.current.faces.has(id)) grids.push(id);
    }
    return {
      edges: edgeBuffers(this.current, edges),
      hiddenEdges: Int32Array.from(hiddenEdges),
      faces: faceBuffers(this.current, grids),
      hiddenGrids: Int32Array.from(hiddenGrids),
      revision: this.revision,
    };
  }

  /** The grabbable points of the selected grids. */
  handles(grids: readonly GridId[]): Handles {
    const edgeIds = new Set<EdgeId>();
    for (const g of grids)
      for (const ring of this.current.faces.get(g)?.rings ?? []) for (const se of ring) edgeIds.add(se.edge);
    const nodes = new Set<NodeId>();
    const nodeXY: number[] = [];
    const nodeIds: number[] = [];
    const nodeLocked: number[] = [];
    const vertices: number[] = [];
    const vertexEdges: number[] = [];
    const vertexIndex: number[] = [];
    const mids: number[] = [];
    const midEdges: number[] = [];
    const midIndex: number[] = [];
    const midLocked: number[] = [];
    for (const id of edgeIds) {
      const e = this.current.edges.get(id)!;
      const locked = isParentBorder(this.current, id);
      for (const n of [e.start, e.end]) {
        if (nodes.has(n)) continue;
        nodes.add(n);
        const at = dequantise(this.current.nodes.get(n)!.at);
        nodeXY.push(at[0], at[1]);
        nodeIds.push(n);
        nodeLocked.push(
          [...(this.nodeEdges.get(n) ?? [])].some((x) => isParentBorder(this.current, x)) ? 1 : 0,
        );
      }
      e.vertices.forEach((p, i) => {
        vertices.push(p[0] / 1e7, p[1] / 1e7);
        vertexEdges.push(id);
        vertexIndex.push(i);
      });
      const pts = edgePoints(this.current, { edge: id, forward: true });
      for (let i = 0; i + 1 < pts.length; i++) {
        mids.push((pts[i]![0] + pts[i + 1]![0]) / 2e7, (pts[i]![1] + pts[i + 1]![1]) / 2e7);
        midEdges.push(id);
        midIndex.push(i);
        midLocked.push(locked ? 1 : 0);
      }
    }
    return {
      nodes: Float64Array.from(nodeXY),
      nodeIds: Int32Array.from(nodeIds),
      nodeLocked: Uint8Array.from(nodeLocked),
      vertices: Float64Array.from(vertices),
      vertexEdges: Int32Array.from(vertexEdges),
      vertexIndex: Int32Array.from(vertexIndex),
      midpoints: Float64Array.from(mids),
      midEdges: Int32Array.from(midEdges),
      midIndex: Int32Array.from(midIndex),
      midLocked: Uint8Array.from(midLocked),
    };
  }

  /** The paths that move with a dragged node or inner vertex. */
  drag(target: { node: NodeId } | { edge: EdgeId; index: number }): DragInfo {
    if ('node' in target) {
      const paths: DragInfo['paths'] = [];
      for (const id of this.nodeEdges.get(target.node) ?? []) {
        const e = this.current.edges.get(id);
        if (!e) continue;
        const pts = edgePoints(this.current, { edge: id, forward: true });
        const moving: number[] = [];
        if (e.start === target.node) moving.push(0);
        if (e.end === target.node) moving.push(pts.length - 1);
        paths.push({ positions: Float64Array.from(pts.flatMap((p) => [p[0] / 1e7, p[1] / 1e7])), moving });
      }
      return { paths };
    }
    const e = this.current.edges.get(target.edge);
    if (!e) return { paths: [] };
    const pts = edgePoints(this.current, { edge: e.id, forward: true });
    return {
      paths: [
        {
          positions: Float64Array.from(pts.flatMap((p) => [p[0] / 1e7, p[1] / 1e7])),
          moving: [target.index + 1],
        },
      ],
    };
  }

  /** The nearest node (first) or edge point within `toleranceDeg` of a point. */
  snap(at: [number, number], toleranceDeg: number, skipNode: NodeId | null): Snap {
    const p = quantise(at[0], at[1]);
    const tol = Math.max(1, Math.round(toleranceDeg * 1e7));
    const tol2 = tol * tol;
    const cells: number[] = [];
    for (let cx = Math.floor((p[0] - tol) / CELL); cx <= Math.floor((p[0] + tol) / CELL); cx++)
      for (let cy = Math.floor((p[1] - tol) / CELL); cy <= Math.floor((p[1] + tol) / CELL); cy++)
        cells.push(cellKey(cx, cy));

    // Nodes: the baseline's (where they still are) and any a plan moved or made.
    let best: { d2: number; at: [number, number] } | null = null;
    const tryNode = (id: NodeId) => {
      if (id === skipNode) return;
      const n = this.current.nodes.get(id);
      if (!n) return;
      const d2 = (n.at[0] - p[0]) ** 2 + (n.at[1] - p[1]) ** 2;
      if (d2 <= tol2 && (!best || d2 < best.d2)) best = { d2, at: [n.at[0], n.at[1]] };
    };
    for (const k of cells)
      for (const id of this.nodeCells.get(k) ?? []) if (!this.dirtyNodes.has(id)) tryNode(id);
    for (const id of this.dirtyNodes) tryNode(id);
    if (best) return { at: dequantise((best as { at: [number, number] }).at), kind: 'node' };

    // Edges: skip the ones that end at the dragged node (they move with it).
    const skipEdges =
      skipNode === null ? new Set<EdgeId>() : (this.nodeEdges.get(skipNode) ?? new Set<EdgeId>());
    let bestEdge: { d2: number; at: [number, number] } | null = null;
    const trySegment = (a: QPoint, b: QPoint) => {
      const hit = nearestOnSegment(p, a, b);
      if (hit.d2 <= tol2 && (!bestEdge || hit.d2 < bestEdge.d2)) bestEdge = hit;
    };
    for (const k of cells)
      for (const code of this.segCells.get(k) ?? []) {
        const id = Math.floor(code / 65_536) as EdgeId;
        if (this.dirtyEdges.has(id) || skipEdges.has(id)) continue;
        const pts = edgePoints(this.base, { edge: id, forward: true });
        const i = code % 65_536;
        trySegment(pts[i]!, pts[i + 1]!);
      }
    for (const id of this.dirtyEdges) {
      if (skipEdges.has(id) || !this.current.edges.has(id)) continue;
      const pts = edgePoints(this.current, { edge: id, forward: true });
      for (let i = 0; i + 1 < pts.length; i++) trySegment(pts[i]!, pts[i + 1]!);
    }
    if (bestEdge) {
      const b = bestEdge as { at: [number, number] };
      return { at: [b.at[0] / 1e7, b.at[1] / 1e7], kind: 'edge' };
    }
    return { at, kind: null };
  }

  private statsOf(t: Topology, id: GridId, counted: boolean): GridStatsRow {
    const info = this.info.get(id);
    // Counts come from the boundary version's totals only where the grid is as it was there;
    // an edited grid's counts wait for the address points (planning.gridStats).
    return {
      households: counted && info ? info.households : null,
      residents: counted && info ? info.population : null,
      buildings: null,
      areaM2: Math.round(areaM2(facePolygon(t, id))),
      openCases: null,
      cases90d: null,
      staff: null,
    };
  }

  grids(ids: readonly GridId[]): PlanGrid[] {
    const out: PlanGrid[] = [];
    for (const id of ids) {
      const face = this.current.faces.get(id) ?? this.base.faces.get(id);
      if (!face) continue;
      const info = this.info.get(id);
      const inBase = this.base.faces.has(id);
      // A grid made in a plan takes the area type of the grid it was cut from (same community).
      const urban = info?.urban ?? this.urbanOfParent(face.parentId);
      out.push({
        id,
        code: inBase ? (info?.code ?? null) : null,
        name: inBase ? (info?.name ?? null) : null,
        parentId: face.parentId,
        urban,
        before: inBase ? this.statsOf(this.base, id, true) : null,
        after: this.current.faces.has(id) ? this.statsOf(this.current, id, !this.changedGrids.has(id)) : null,
      });
    }
    return out;
  }

  private urbanOfParent(parent: UnitId): boolean {
    for (const f of this.base.faces.values())
      if (f.parentId === parent) return this.info.get(f.id)?.urban ?? true;
    return true;
  }

  community(grid: GridId): { parentId: UnitId; current: GridId[]; before: GridId[] } | null {
    const face = this.current.faces.get(grid) ?? this.base.faces.get(grid);
    if (!face) return null;
    const of = (t: Topology) =>
      [...t.faces.values()].filter((f) => f.parentId === face.parentId).map((f) => f.id);
    return { parentId: face.parentId, current: of(this.current), before: of(this.base) };
  }

  inBox(box: BBox): GridId[] {
    const out: GridId[] = [];
    for (const [id, b] of this.bbox) {
      // Inside the box when its label point is: a box drawn over a few grids picks those grids.
      if (b[2] < box[0] || b[0] > box[2] || b[3] < box[1] || b[1] > box[3]) continue;
      const [x, y] = labelPoint(facePolygon(this.current, id));
      if (x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]) out.push(id);
    }
    return out;
  }

  boundsOf(grids: readonly GridId[]): BBox | null {
    let b: BBox | null = null;
    for (const g of grids) {
      const x = this.bbox.get(g) ?? this.baseBBox.get(g);
      if (!x) continue;
      b = b
        ? [Math.min(b[0], x[0]), Math.min(b[1], x[1]), Math.max(b[2], x[2]), Math.max(b[3], x[3])]
        : [...x];
    }
    return b;
  }

  /** Problems of the grids in scope: household band breaches where the counts are known. */
  problems(scope: readonly GridId[]): PlanProblem[] {
    const out: PlanProblem[] = [];
    for (const row of this.grids(scope)) {
      const h = row.after?.households;
      if (h === null || h === undefined) continue;
      const place = bandOf({ households: h }, row.urban);
      if (place === 'within') continue;
      out.push({
        reason: place === 'over' ? 'households-over' : 'households-under',
        grids: [row.id],
        at: labelPoint(facePolygon(this.current, row.id)),
      });
    }
    return out;
  }
}

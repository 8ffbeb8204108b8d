import type { GridId, UnitId } from '@gcc/shared';
import {
  decideEdit,
  decodeTopology,
  dequantise,
  edgePoints,
  EditSession,
  facePolygon,
  isParentBorder,
  nearestOnSegment,
  nextProvisionalGridId,
  parentsJoined,
  parentsMoved,
  quantise,
  redrawEdge,
  type EdgeId,
  type EditDecision,
  type NodeId,
  type QPoint,
  type TopoEdge,
  type Topology,
  type TopologyDiff,
  type TopologyEdit,
  type TopologyIndex,
} from '@gcc/shared/topology';
import { flattenMultiPolygons, pointInFlatFeature } from '@gcc/shared/geo';
import { bandProblems, gridStats, type PlanningContext } from '@gcc/shared/planning';
import { bandOf, HOUSEHOLD_BANDS, type HouseholdBands } from './band.ts';
import type {
  Baseline,
  DragInfo,
  EdgeBuffers,
  EditOutcome,
  FaceBuffers,
  GestureRefusal,
  GridStatsRow,
  Handles,
  HistoryState,
  PlanDelta,
  PlanGesture,
  PlanGrid,
  PlanProblem,
  Snap,
} from './plan.protocol.ts';

// The planner's topology, as the worker holds it: the baseline, the plan's EditSession (edits,
// undo, redo, checks), and what the page needs drawn — only what differs from the baseline. Pure
// (no DOM, no messaging) so it is tested without a worker.

type BBox = [number, number, number, number];

/** Road snap index cell, in quantised units (0.002° ≈ 200 m). */
const ROAD_CELL = 20_000;

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
 * Area in square metres of a grid's polygons, in an equirectangular projection at the city's
 * latitude `lat0`: a linear map, so the parts of a split add up to the whole exactly.
 */
export function areaM2(polygons: [number, number][][][], lat0: number): number {
  const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const ky = 110_574;
  let total = 0;
  for (const poly of polygons)
    poly.forEach((ring, r) => {
      let s = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x1, y1] = ring[i]!;
        const [x2, y2] = ring[i + 1]!;
        s += x1 * kx * (y2 - lat0) * ky - x2 * kx * (y1 - lat0) * ky;
      }
      total += (r === 0 ? 1 : -1) * Math.abs(s / 2);
    });
  return total;
}

const unlocks = (edit: TopologyEdit) =>
  edit.type !== 'splitGrid' && edit.type !== 'importLayer' && edit.unlockParents === true;

/** Where a gesture happens, to point at when it is refused. */
function editPlace(g: PlanGesture): [number, number] | null {
  switch (g.type) {
    case 'moveNode':
    case 'moveVertex':
      return g.to;
    case 'addVertex':
      return g.at;
    case 'split':
    case 'redraw':
      return g.line[0] ?? null;
    case 'cutOut':
      return g.ring[0] ?? null;
    default:
      return null;
  }
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

export class PlanEngine {
  readonly base: Topology;
  private session: EditSession;
  private readonly info = new Map<
    GridId,
    { code: string; name: string; urban: boolean; households: number; population: number }
  >();
  private revision = 0;
  /** The latitude areas are projected at (the middle of the layer). */
  private readonly lat0: number;
  /** Records any applied diff touched: the only ones that can differ from the baseline. */
  private readonly dirtyEdges = new Set<EdgeId>();
  private readonly dirtyGrids = new Set<GridId>();
  private readonly dirtyNodes = new Set<NodeId>();
  /** Grids whose geometry (or existence) differs from the baseline now. */
  private changedGrids = new Set<GridId>();
  private readonly baseBBox = new Map<GridId, BBox>();
  /** Address, case and staff points the statistics are counted from (planning.context), once loaded. */
  private context: PlanningContext | null = null;
  /** The bands the server counts with by default, and the open plan's own (null: the defaults). */
  private defaultBands: HouseholdBands = HOUSEHOLD_BANDS;
  private planBands: HouseholdBands | null = null;
  private get bands(): HouseholdBands {
    return this.planBands ?? this.defaultBands;
  }
  /** Baseline statistics by grid, counted once. */
  private readonly baseStats = new Map<GridId, GridStatsRow>();
  /** Road centre lines to snap to (quantised), bucketed by cell. */
  private roads: QPoint[][] = [];
  private readonly roadCells = new Map<number, number[]>();
  private readonly bbox = new Map<GridId, BBox>();
  /** The units whose borders this planner may move (strictly inside their jurisdiction). */
  private readonly unlockable: ReadonlySet<UnitId>;
  /** Whether the planner has unlocked parent borders: edits then carry `unlockParents`. */
  private unlock = false;

  constructor(baseline: Baseline) {
    this.unlockable = new Set(baseline.unlockable ?? []);
    this.base = decodeTopology(baseline.topology);
    this.session = new EditSession(this.base);
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
    for (const id of this.base.faces.keys()) {
      const b = bboxOf(facePolygon(this.base, id));
      this.baseBBox.set(id, b);
      this.bbox.set(id, b);
    }
    const all = this.boundsOf([...this.base.faces.keys()]);
    this.lat0 = all ? (all[1] + all[3]) / 2 : 0;
  }

  /** The points to count statistics from: from now on every grid's numbers are counted, edited or not. */
  setContext(context: PlanningContext, bands: HouseholdBands): void {
    this.context = context;
    this.defaultBands = bands;
    this.baseStats.clear();
  }

  /** The open plan's own household bands (null: the defaults): problems are judged against them. */
  setBands(bands: HouseholdBands | null): void {
    this.planBands = bands;
  }

  get counting(): boolean {
    return this.context !== null;
  }

  /** The city's road centre lines ([lng, lat] lines), snapped to after the grid layer's own points. */
  setRoads(lines: readonly (readonly (readonly number[])[])[]): void {
    this.roads = lines.map((l) => l.map(([x, y]) => quantise(x!, y!)));
    this.roadCells.clear();
    this.roads.forEach((line, r) => {
      for (let i = 0; i + 1 < line.length; i++) {
        const a = line[i]!;
        const b = line[i + 1]!;
        const code = r * 65_536 + i;
        for (
          let cx = Math.floor(Math.min(a[0], b[0]) / ROAD_CELL);
          cx <= Math.floor(Math.max(a[0], b[0]) / ROAD_CELL);
          cx++
        )
          for (
            let cy = Math.floor(Math.min(a[1], b[1]) / ROAD_CELL);
            cy <= Math.floor(Math.max(a[1], b[1]) / ROAD_CELL);
            cy++
          ) {
            const k = cx * 1_000_000 + cy;
            const list = this.roadCells.get(k);
            if (list) list.push(code);
            else this.roadCells.set(k, [code]);
          }
      }
    });
  }

  /** The session's index of the layer (kept in step by the session itself). */
  private get ix(): TopologyIndex {
    return this.session.index;
  }

  /** The layer as the plan has it now (edited in place: read it, do not keep it). */
  private get current(): Topology {
    return this.session.topology;
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
    const h = this.session.history;
    return {
      canUndo: this.session.canUndo,
      canRedo: this.session.canRedo,
      cursor: h.cursor,
      length: h.edits.length,
    };
  }

  history(): { edits: TopologyEdit[]; cursor: number } {
    return this.session.history;
  }

  /** Unlocks (or locks again) parent borders for the edits that follow. */
  setUnlock(on: boolean): void {
    this.unlock = on && this.unlockable.size > 0;
  }

  /** A gesture as the topology edit it asks for, or why there is none. */
  toEdit(g: PlanGesture): { edit: TopologyEdit } | { refused: GestureRefusal; at: [number, number] | null } {
    const e = this.editOf(g);
    if ('edit' in e && this.unlock && e.edit.type !== 'splitGrid' && e.edit.type !== 'importLayer')
      e.edit.unlockParents = true;
    return e;
  }

  private editOf(
    g: PlanGesture,
  ): { edit: TopologyEdit } | { refused: GestureRefusal; at: [number, number] | null } {
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
        return { edit: { type: 'moveVertex', edge: g.edge, index: g.index, to: g.to } };
      case 'addVertex':
        // The new point goes before inner vertex `segment` (segment i runs from point i to i + 1).
        return { edit: { type: 'addVertex', edge: g.edge, index: g.segment, at: g.at } };
      case 'deleteVertex':
        return { edit: { type: 'deleteVertex', edge: g.edge, index: g.index } };
      case 'cutOut':
        return { edit: { type: 'cutOut', ring: g.ring, newGrid: this.nextGridId() } };
      case 'redraw': {
        const r = redrawEdge(this.current, this.ix, g.line, g.toleranceDeg);
        return 'edit' in r ? r : { refused: r.refused, at: r.at };
      }
    }
  }

  /**
   * Whether an unlocked edit moves only borders of units this planner may change (the server's
   * rule, so a plan is not refused at save for an unlock the page let through). `touched` are the
   * grids a cut-out's decision touched.
   */
  private unlockAllowed(edit: TopologyEdit, touched: readonly GridId[]): boolean {
    if (!unlocks(edit)) return true;
    const parentOf = (g: GridId) =>
      this.current.faces.get(g)?.parentId ?? this.base.faces.get(g)?.parentId ?? null;
    const parents =
      edit.type === 'cutOut' ? parentsJoined(parentOf, touched) : parentsMoved(this.current, this.ix, edit);
    return parents.every((p) => p !== null && this.unlockable.has(p));
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
      const d = decideEdit(
        this.current,
        { type: 'splitGrid', grid, line, newGrid: this.nextGridId() },
        this.ix,
      );
      if (d.ok) return grid;
    }
    return null;
  }

  private nextGridId(): GridId {
    return nextProvisionalGridId(this.current);
  }

  check(g: PlanGesture): { ok: true } | { ok: false; reason: GestureRefusal } {
    const e = this.toEdit(g);
    if (!('edit' in e)) return { ok: false, reason: e.refused };
    const d = decideEdit(this.current, e.edit, this.ix);
    if (!d.ok) return { ok: false, reason: d.reason };
    return this.unlockAllowed(e.edit, d.touched) ? { ok: true } : { ok: false, reason: 'unlock-forbidden' };
  }

  apply(g: PlanGesture): EditOutcome {
    // A line drawn over the selected grid splits it: decided once, not first tried as a candidate.
    if (g.type === 'split' && g.prefer !== null && this.current.faces.has(g.prefer)) {
      const d = this.session.edit({
        type: 'splitGrid',
        grid: g.prefer,
        line: g.line,
        newGrid: this.nextGridId(),
      });
      if (d.ok) return this.outcome(this.track(d.diff, d.touched));
    }
    const e = this.toEdit(g);
    if (!('edit' in e)) return { ok: false, reason: e.refused, at: e.at };
    if (unlocks(e.edit)) {
      // Decided first without applying: a forbidden unlock must not enter the history.
      const trial = decideEdit(this.current, e.edit, this.ix);
      if (trial.ok && !this.unlockAllowed(e.edit, trial.touched))
        return { ok: false, reason: 'unlock-forbidden', at: editPlace(g) };
    }
    const d: EditDecision = this.session.edit(e.edit);
    if (!d.ok) return { ok: false, reason: d.reason, at: d.at };
    return this.outcome(this.track(d.diff, d.touched));
  }

  undo(): EditOutcome {
    const step = this.session.undo();
    if (!step) return { ok: false, reason: 'nothing', at: null };
    return this.outcome(this.track(step.diff, step.touched));
  }

  redo(): EditOutcome {
    const step = this.session.redo();
    if (!step) return { ok: false, reason: 'nothing', at: null };
    return this.outcome(this.track(step.diff, step.touched));
  }

  /** Replays saved edits from the baseline (EditSession.replay); one that no longer applies is refused with its step. */
  load(edits: readonly TopologyEdit[], cursor: number): EditOutcome {
    const r = EditSession.replay(this.base, { edits: [...edits], cursor });
    if (!r.ok) return { ok: false, reason: r.reason, at: r.at };
    // Everything the old session changed may now be back as it was: look at it again too.
    const before = new Set(this.dirtyGrids);
    this.session = r.session;
    const touched = new Set<GridId>([...before, ...this.session.touchedGrids()]);
    for (const g of touched)
      for (const t of [this.base, this.current])
        for (const ring of t.faces.get(g)?.rings ?? [])
          for (const se of ring) {
            this.dirtyEdges.add(se.edge);
            const e = t.edges.get(se.edge);
            if (e) this.dirtyNodes.add(e.start).add(e.end);
          }
    return this.outcome(this.track(null, [...touched]));
  }

  /** Follows a diff the session has applied: keeps the index in step and notes what may differ from the baseline. */
  private track(diff: TopologyDiff | null, touchedBySession: readonly GridId[]): GridId[] {
    const touched = new Set<GridId>(touchedBySession);
    if (diff) {
      const touchEdge = (e: TopoEdge) => {
        this.dirtyEdges.add(e.id);
        if (e.left !== null) touched.add(e.left);
        if (e.right !== null) touched.add(e.right);
      };
      for (const e of diff.edges.removed) touchEdge(e);
      for (const e of diff.edges.added) touchEdge(e);
      for (const [from, to] of diff.edges.updated) {
        touchEdge(from);
        touchEdge(to);
      }
      for (const f of [...diff.faces.added, ...diff.faces.removed]) touched.add(f.id);
      for (const [from] of diff.faces.updated) touched.add(from.id);
      for (const n of [...diff.nodes.added, ...diff.nodes.removed, ...diff.nodes.updated.map(([f]) => f)]) {
        this.dirtyNodes.add(n.id);
        for (const id of this.ix.edgesAt(n.id)) {
          const e = this.current.edges.get(id);
          if (e) touchEdge(e);
        }
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
    // What is back as it was stops being watched, so a delta costs what the plan changes now.
    for (const id of this.dirtyNodes)
      if (this.current.nodes.get(id) === this.base.nodes.get(id)) this.dirtyNodes.delete(id);
    for (const id of this.dirtyEdges) {
      if (!this.edgeChanged(id)) {
        this.dirtyEdges.delete(id);
        continue;
      }
      if (this.base.edges.has(id)) hiddenEdges.push(id);
      if (this.current.edges.has(id)) edges.push(id);
    }
    const grids: GridId[] = [];
    const hiddenGrids: number[] = [];
    this.changedGrids = new Set();
    for (const id of this.dirtyGrids) {
      if (!this.gridChanged(id)) {
        this.dirtyGrids.delete(id);
        continue;
      }
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
        nodeLocked.push(this.ix.edgesAt(n).some((x) => isParentBorder(this.current, x)) ? 1 : 0);
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
      for (const id of this.ix.edgesAt(target.node)) {
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

  /**
   * What a point snaps to within `toleranceDeg`: a node first, then an edge's inner point, then the
   * nearest point of a segment (EditSession.snap's order), leaving out the dragged node and the
   * edges that move with it.
   */
  snap(at: [number, number], toleranceDeg: number, skipNode: NodeId | null): Snap {
    const hit = this.session.snap(at[0], at[1], toleranceDeg, skipNode);
    if (hit) return { at: hit.at, kind: hit.kind };
    // Then the city's road centre lines (the grid layer's own points come first).
    const p = quantise(at[0], at[1]);
    const tol = Math.max(1, Math.round(toleranceDeg * 1e7));
    let best: { d2: number; at: QPoint } | null = null;
    const seen = new Set<number>();
    for (let cx = Math.floor((p[0] - tol) / ROAD_CELL); cx <= Math.floor((p[0] + tol) / ROAD_CELL); cx++)
      for (let cy = Math.floor((p[1] - tol) / ROAD_CELL); cy <= Math.floor((p[1] + tol) / ROAD_CELL); cy++)
        for (const code of this.roadCells.get(cx * 1_000_000 + cy) ?? []) {
          if (seen.has(code)) continue;
          seen.add(code);
          const line = this.roads[Math.floor(code / 65_536)]!;
          const i = code % 65_536;
          const n = nearestOnSegment(p, line[i]!, line[i + 1]!);
          if (n.d2 <= tol * tol && (!best || n.d2 < best.d2)) best = n;
        }
    const road = best as { at: QPoint } | null;
    return road ? { at: dequantise(road.at), kind: 'road' } : { at, kind: null };
  }

  private statsOf(t: Topology, id: GridId, counted: boolean): GridStatsRow {
    if (this.context) {
      if (t === this.base) {
        let row = this.baseStats.get(id);
        if (!row) this.baseStats.set(id, (row = gridStats(t, id, this.context)));
        return row;
      }
      return gridStats(t, id, this.context);
    }
    const info = this.info.get(id);
    // Without the points, counts come from the boundary version's totals, and only where the grid
    // is as it was there; an edited grid's counts wait for the points.
    return {
      households: counted && info ? info.households : null,
      residents: counted && info ? info.population : null,
      buildings: null,
      areaM2: Math.round(areaM2(facePolygon(t, id), this.lat0)),
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

  /** The grid of the current layer at a place (a click on the map), or null outside every grid. */
  gridAt([x, y]: [number, number]): GridId | null {
    for (const [id, b] of this.bbox) {
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3] || !this.current.faces.has(id)) continue;
      if (pointInFlatFeature(flattenMultiPolygons([facePolygon(this.current, id)]), 0, x, y)) return id;
    }
    return null;
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

  /** Problems of the grids in scope: the session's checks (slivers, crossings, parts…) and household band breaches where counts are known. */
  problems(scope: readonly GridId[]): PlanProblem[] {
    const present = scope.filter((g) => this.current.faces.has(g));
    const out: PlanProblem[] = this.session.problems(present).map((p) => ({ ...p }));
    const rows = this.grids(present).map((r) => ({
      id: r.id,
      urban: r.urban,
      households: r.after?.households,
    }));
    for (const { grid, reason } of bandProblems(rows, this.bands))
      out.push({ reason, grids: [grid], at: labelPoint(facePolygon(this.current, grid)) });
    return out;
  }

  /** The grids furthest outside their household band, the worst first: where a planner starts. */
  worstBand(limit: number): PlanProblem[] {
    const rows: { id: GridId; miss: number; over: boolean }[] = [];
    for (const id of this.current.faces.keys()) {
      const info = this.info.get(id);
      if (!info || this.changedGrids.has(id)) continue;
      const households = this.context ? this.statsOf(this.base, id, true).households! : info.households;
      const place = bandOf({ households }, info.urban, this.bands);
      if (place === 'within') continue;
      const [min, max] = info.urban ? this.bands.urban : this.bands.rural;
      const over = place === 'over';
      rows.push({ id, miss: over ? households / max : min / Math.max(1, households), over });
    }
    rows.sort((a, b) => b.miss - a.miss);
    return rows.slice(0, limit).map((r) => ({
      reason: r.over ? 'households-over' : 'households-under',
      grids: [r.id],
      at: labelPoint(facePolygon(this.current, r.id)),
    }));
  }
}

import type { GridId, UnitId } from '@gcc/shared';
import type { EdgeId, EditRefusalReason, EncodedTopology, NodeId, RedrawRefusal } from '@gcc/shared/topology';
import type { HouseholdBands } from '@gcc/shared/planning';

// What the planner page and its topology worker say to each other. Geometry travels as flat
// typed arrays (transferred, not copied), and only what differs from the baseline: the page
// draws the baseline once and lays the plan's changes over it.

/** What `plans.baseline` answers (kept structural so the worker never imports the tRPC client). */
export interface Baseline {
  version: number;
  topology: EncodedTopology;
  grids: {
    ids: GridId[];
    codes: string[];
    names: string[];
    parentIds: UnitId[];
    urban: boolean[];
    households: number[];
    population: number[];
  };
  /** The units whose borders this planner may unlock and move (strictly inside their jurisdiction). */
  unlockable?: UnitId[];
}

/** Edges as paths: edge `i` is `positions[2*starts[i] .. 2*starts[i+1])` (lng, lat pairs). */
export interface EdgeBuffers {
  ids: Int32Array;
  starts: Uint32Array;
  positions: Float64Array;
  /** 1 where the edge is a parent border (community, street, district, the outline): locked. */
  locked: Uint8Array;
}

/**
 * Grid polygons, one entry per polygon part: part `p` is grid `grids[p]`, rings
 * `partRings[p] .. partRings[p+1]`, ring `r` the vertices `ringStarts[r] .. ringStarts[r+1]`
 * (closed; the first ring outer, the others holes).
 */
export interface FaceBuffers {
  grids: Int32Array;
  partRings: Uint32Array;
  ringStarts: Uint32Array;
  positions: Float64Array;
}

/** The plan drawn over the baseline: changed and new records, and the baseline records they hide. */
export interface PlanDelta {
  edges: EdgeBuffers;
  hiddenEdges: Int32Array;
  faces: FaceBuffers;
  hiddenGrids: Int32Array;
  /** Increases with every change, so layers know when to rebuild. */
  revision: number;
}

/** The statistics of one grid; null where the numbers are not known (yet). */
export interface GridStatsRow {
  households: number | null;
  residents: number | null;
  buildings: number | null;
  areaM2: number | null;
  openCases: number | null;
  cases90d: number | null;
  staff: number | null;
}

/** A grid of the plan as the panels show it. */
export interface PlanGrid {
  id: GridId;
  /** Null for a grid made in this plan: it gets its code at publish (待编码). */
  code: string | null;
  name: string | null;
  parentId: UnitId;
  urban: boolean;
  /** Null when the grid is not in the plan's current layer (merged away). */
  after: GridStatsRow | null;
  /** Null for a new grid. */
  before: GridStatsRow | null;
}

export interface PlanProblem {
  /** A validation reason (EditSession's) or a household band breach. */
  reason: string;
  grids: GridId[];
  at: [number, number];
}

/** Vertices the planner can grab in the selected grids. */
export interface Handles {
  /** [lng, lat] pairs. */
  nodes: Float64Array;
  nodeIds: Int32Array;
  /** 1 where the node sits on a locked parent border. */
  nodeLocked: Uint8Array;
  /** Inner vertices (not nodes): [lng, lat] pairs, with the edge and the vertex index. */
  vertices: Float64Array;
  vertexEdges: Int32Array;
  vertexIndex: Int32Array;
  /** Segment midpoints (drag one to add a vertex): [lng, lat] pairs, edge and segment index. */
  midpoints: Float64Array;
  midEdges: Int32Array;
  midIndex: Int32Array;
  midLocked: Uint8Array;
}

/** The paths that follow a dragged point: the page moves the ends itself on every pointer move. */
export interface DragInfo {
  /** Each incident edge's path; `moving` are the indices of the dragged point in it. */
  paths: { positions: Float64Array; moving: number[] }[];
}

export type SnapKind = 'node' | 'edge' | 'vertex' | 'road';

export interface Snap {
  at: [number, number];
  kind: SnapKind | null;
}

/** A planner's gesture turned into an edit the worker decides. */
export type PlanGesture =
  | { type: 'moveNode'; node: NodeId; to: [number, number] }
  | { type: 'moveVertex'; edge: EdgeId; index: number; to: [number, number] }
  | { type: 'addVertex'; edge: EdgeId; segment: number; at: [number, number] }
  | { type: 'deleteVertex'; edge: EdgeId; index: number }
  | { type: 'split'; line: [number, number][]; prefer: GridId | null }
  | { type: 'merge'; into: GridId; from: GridId }
  | { type: 'cutOut'; ring: [number, number][] }
  /** A line drawn from one place on a border to another: that stretch of the border is redrawn. */
  | { type: 'redraw'; line: [number, number][]; toleranceDeg: number };

/** Why a gesture did not become an edit (the engine's refusals and a few of the page's own). */
export type GestureRefusal =
  EditRefusalReason | RedrawRefusal | 'unlock-forbidden' | 'no-grid-under-line' | 'not-supported' | 'nothing';

export type EditOutcome =
  | { ok: true; delta: PlanDelta; touched: GridId[]; history: HistoryState }
  | { ok: false; reason: GestureRefusal; at: [number, number] | null };

export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
  /** How many edits the plan holds up to its cursor. */
  cursor: number;
  length: number;
}

/** The calls the page makes; the worker answers each with its result. */
export interface EngineCalls {
  init(baseline: Baseline): {
    edges: EdgeBuffers;
    faces: FaceBuffers;
    bbox: [number, number, number, number];
  };
  apply(gesture: PlanGesture): EditOutcome;
  /** Unlocks parent borders for the edits that follow (or locks them again). */
  setUnlock(on: boolean): void;
  /** The open plan's household bands; null: the defaults. */
  setBands(bands: HouseholdBands | null): void;
  /** Answers once the statistics' points are loaded (true), or could not be (false). */
  counting(): boolean;
  /** Whether a gesture would be accepted, without applying it (live feedback while dragging). */
  check(gesture: PlanGesture): { ok: true } | { ok: false; reason: GestureRefusal };
  undo(): EditOutcome;
  redo(): EditOutcome;
  /** Replays a saved plan's edits onto the baseline. */
  load(edits: unknown[], cursor: number): EditOutcome;
  /** The edits up to the cursor and beyond (what a save sends). */
  history(): { edits: unknown[]; cursor: number };
  handles(grids: GridId[]): Handles;
  drag(target: { node: NodeId } | { edge: EdgeId; index: number }): DragInfo;
  snap(at: [number, number], toleranceDeg: number, skipNode: NodeId | null): Snap;
  grids(ids: GridId[]): PlanGrid[];
  /** The grids of the same community as `grid`, in the current layer and in the baseline. */
  community(grid: GridId): { parentId: UnitId; current: GridId[]; before: GridId[] } | null;
  /** The grid at a place in the current layer (what a click selects). */
  gridAt(at: [number, number]): GridId | null;
  inBox(box: [number, number, number, number]): GridId[];
  problems(scope: GridId[]): PlanProblem[];
  /** The grids furthest outside their household band (the list before anything is selected). */
  worstBand(limit: number): PlanProblem[];
  /** Where a grid is: its bounding box. */
  boundsOf(grids: GridId[]): [number, number, number, number] | null;
}

export type CallName = keyof EngineCalls;

export type ToWorker = {
  [K in CallName]: { id: number; call: K; args: Parameters<EngineCalls[K]> };
}[CallName];

export type FromWorker = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** The buffers of a result that can move to the other thread instead of being copied. */
export function transferablesOf(value: unknown, out: Transferable[] = [], depth = 0): Transferable[] {
  if (depth > 4 || value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && !out.includes(value.buffer)) out.push(value.buffer);
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) transferablesOf(v, out, depth + 1);
  return out;
}

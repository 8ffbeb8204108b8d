import type { GridId, UnitId } from '../ids.ts';
import type { EdgeId, NodeId, TopoEdge, TopoFace, TopoNode, Topology } from './topology.ts';
import { scanIndex } from './topology-index.ts';

// Edits of the grid layer as pure decisions, in the shape of the case engine:
// `decideEdit(topology, edit) → { ok: true, diff } | { ok: false, reason, at }`. A diff is
// reversible (from → to of every record it changes): undo is applying its inverse, and the same
// diff is what a plan stores and sends. New ids are a function of the layer as it is (the largest
// id + 1), so the server replaying a plan's edits makes the very ids the planner's client made.
// The decisions themselves live in internal/decide-steps.ts; decideEdit (decide-edit.ts) is their
// public door.

/** Parent borders (community, street, district, the outline) change only when unlocked explicitly. */
interface Unlockable {
  unlockParents?: boolean;
}

/** Move a node: every edge that ends there, and so every grid that uses it, follows. */
export interface MoveNodeEdit extends Unlockable {
  type: 'moveNode';
  node: NodeId;
  /** Where to, in degrees. */
  to: [number, number];
}

/** Move a point inside an edge (both grids beside the edge follow). */
export interface MoveVertexEdit extends Unlockable {
  type: 'moveVertex';
  edge: EdgeId;
  /** Index into the edge's inner vertices. */
  index: number;
  to: [number, number];
}

/** Add a point to an edge (dragging the midpoint of one of its segments): it goes before `vertices[index]`. */
export interface AddVertexEdit extends Unlockable {
  type: 'addVertex';
  edge: EdgeId;
  index: number;
  at: [number, number];
}

/** Remove a point from an edge. */
export interface DeleteVertexEdit extends Unlockable {
  type: 'deleteVertex';
  edge: EdgeId;
  index: number;
}

/** Redraw an edge between its two nodes: the drawn points replace its inner vertices. */
export interface ReshapeEdgeEdit extends Unlockable {
  type: 'reshapeEdge';
  edge: EdgeId;
  vertices: [number, number][];
}

/** Merge two adjacent grids: the edges between them go, `into` keeps its id and code, `from` is retired. */
export interface MergeGridsEdit extends Unlockable {
  type: 'mergeGrids';
  into: GridId;
  from: GridId;
}

/**
 * Split a grid by a line drawn across it: the line between its two crossings of the grid's
 * boundary becomes a new edge, the larger part keeps the grid's id, the other is a new grid
 * (`newGrid`, a provisional id ≥ PROVISIONAL_GRID_ID_MIN until publish assigns a code).
 */
export interface SplitGridEdit {
  type: 'splitGrid';
  grid: GridId;
  line: [number, number][];
  newGrid: GridId;
}

/**
 * Draw a new grid: the drawn ring is cut out of the grids it covers (they keep what lies outside
 * it, under their ids), and what lies inside becomes one grid `newGrid`. A ring inside one grid
 * makes an island in it.
 */
export interface CutOutEdit extends Unlockable {
  type: 'cutOut';
  ring: [number, number][];
  newGrid: GridId;
}

/**
 * Put grids read from a boundary file (an import) in place of grids of the layer: `replaces` go,
 * `grids` come (a grid keeping a replaced id keeps its code; a new one has a provisional id). When
 * grids stay beside them, the imported grids must cover exactly the ground of those replaced
 * (the same outline, point for point); replacing every grid, the outline may change.
 */
export interface ImportLayerEdit {
  type: 'importLayer';
  replaces: GridId[];
  grids: ImportedGrid[];
}

/** One grid of an import: rings as quantised integers, [x0, y0, dx1, dy1, …] (open, outer ring first per part). */
export interface ImportedGrid {
  grid: GridId;
  parentId: UnitId;
  rings: number[][][];
}

export type TopologyEdit =
  | ImportLayerEdit
  | CutOutEdit
  | MoveNodeEdit
  | MoveVertexEdit
  | AddVertexEdit
  | DeleteVertexEdit
  | ReshapeEdgeEdit
  | MergeGridsEdit
  | SplitGridEdit;

/** Grids a plan creates carry ids from here up until publish gives them codes and real ids (below 2^31). */
export const PROVISIONAL_GRID_ID_MIN = 2_000_000_000;

/** The id the next grid a plan creates gets: a function of the layer, so replay makes the same one. */
export function nextProvisionalGridId(t: Topology): GridId {
  let max = PROVISIONAL_GRID_ID_MIN - 1;
  for (const id of t.faces.keys()) if (id > max) max = id;
  return (max + 1) as GridId;
}

export const EDIT_REFUSALS = [
  'unknown-node',
  'unknown-edge',
  'unknown-vertex',
  'unknown-grid',
  'not-adjacent',
  'parent-border-locked',
  'crossing',
  'fold-over',
  'point-taken',
  'edge-too-short',
  'split-needs-two-crossings',
  'split-multipart',
  'grid-exists',
  'not-provisional',
  'cut-needs-area',
  'import-overlap',
  'import-outline',
] as const;
export type EditRefusalReason = (typeof EDIT_REFUSALS)[number];

/** Changes of one kind of record, like tldraw's RecordsDiff: squashable, reversible, sendable. */
export interface RecordsDiff<R> {
  added: R[];
  /** [from, to] */
  updated: [R, R][];
  removed: R[];
}

export interface TopologyDiff {
  nodes: RecordsDiff<TopoNode>;
  edges: RecordsDiff<TopoEdge>;
  faces: RecordsDiff<TopoFace>;
}

export type EditDecision =
  | { ok: true; diff: TopologyDiff; touched: GridId[] }
  | { ok: false; reason: EditRefusalReason; at: [number, number] };

/** The edits that change one edge's shape. */
export type EdgeShapeEdit = MoveVertexEdit | AddVertexEdit | DeleteVertexEdit | ReshapeEdgeEdit;

/** The edges that start or end at a node. */
export function edgesAtNode(t: Topology, node: NodeId): EdgeId[] {
  return [...scanIndex(t).edgesAt(node)];
}

function applyRecords<K, R extends { id: K }>(map: Map<K, R>, d: RecordsDiff<R>): void {
  for (const r of d.removed) map.delete(r.id);
  for (const [, to] of d.updated) map.set(to.id, to);
  for (const r of d.added) map.set(r.id, r);
}

/** The topology after a diff (a new value; the one given is left as it was). */
export function applyDiff(t: Topology, diff: TopologyDiff): Topology {
  const nodes = new Map(t.nodes);
  const edges = new Map(t.edges);
  const faces = new Map(t.faces);
  applyRecords(nodes, diff.nodes);
  applyRecords(edges, diff.edges);
  applyRecords(faces, diff.faces);
  return { nodes, edges, faces };
}

const invertRecords = <R>(d: RecordsDiff<R>): RecordsDiff<R> => ({
  added: d.removed,
  updated: d.updated.map(([from, to]) => [to, from]),
  removed: d.added,
});

/** The diff that undoes `diff`. */
export function invertDiff(diff: TopologyDiff): TopologyDiff {
  return {
    nodes: invertRecords(diff.nodes),
    edges: invertRecords(diff.edges),
    faces: invertRecords(diff.faces),
  };
}

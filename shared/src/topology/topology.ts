import type { Brand, GridId, UnitId } from '../ids.ts';

// The grid layer as a planar topology (the model of PostGIS topology, TopoJSON arcs and
// mapshaper's arc collection): every boundary is stored once, as an edge between two nodes with
// the grid on its left and on its right; a grid is a list of signed edges. Moving a shared node
// moves it for every grid that uses it, so neighbours stay in step by construction. GeoJSON is
// derived from it for drawing and export, never edited.
//
// Coordinates are quantised to integers of 1e-7° (about 1 cm), so a point shared by two grids is
// the same number on both sides.

export type NodeId = Brand<number, 'NodeId'>;
export type EdgeId = Brand<number, 'EdgeId'>;

/** Integers per degree: 1e-7° ≈ 1.1 cm on the ground. */
export const COORD_SCALE = 1e7;

/** A quantised point: [lng, lat] × COORD_SCALE, rounded. */
export type QPoint = readonly [number, number];

export interface TopoNode {
  id: NodeId;
  at: QPoint;
}

export interface TopoEdge {
  id: EdgeId;
  start: NodeId;
  end: NodeId;
  /** The points between start and end, in order. */
  vertices: readonly QPoint[];
  /** The grid on the left walking start → end; null outside the layer. */
  left: GridId | null;
  right: GridId | null;
}

/** An edge walked forward (start → end) or backward. */
export interface SignedEdge {
  edge: EdgeId;
  forward: boolean;
}

export interface TopoFace {
  id: GridId;
  /** The community the grid belongs to: an edge between grids of two parents is a parent border. */
  parentId: UnitId;
  /** Rings with the grid on their left (the outer ring counter-clockwise, holes clockwise); a multi-part grid has several outer rings. */
  rings: readonly (readonly SignedEdge[])[];
}

export interface Topology {
  nodes: ReadonlyMap<NodeId, TopoNode>;
  edges: ReadonlyMap<EdgeId, TopoEdge>;
  faces: ReadonlyMap<GridId, TopoFace>;
}

/** A grid as the boundary version stores it. */
export interface TopologyInputGrid {
  id: GridId;
  parentId: UnitId;
  polygon: readonly (readonly (readonly (readonly number[])[])[])[];
}

export const TOPOLOGY_PROBLEMS = ['overlap', 'degenerate-ring'] as const;
export type TopologyProblemReason = (typeof TOPOLOGY_PROBLEMS)[number];

/** What the input broke: two grids claiming the same side of a segment, or a ring that is no area. */
export interface TopologyProblem {
  reason: TopologyProblemReason;
  grid: GridId;
  /** Where, in degrees. */
  at: [number, number];
}

/** Rounds degrees to the topology's integer grid. */
export function quantise(lng: number, lat: number): QPoint {
  return [Math.round(lng * COORD_SCALE), Math.round(lat * COORD_SCALE)];
}

/** Whether two quantised points are the same point. */
export const samePoint = (p: QPoint, q: QPoint): boolean => p[0] === q[0] && p[1] === q[1];

/** Back to degrees. */
export function dequantise(p: QPoint): [number, number] {
  return [p[0] / COORD_SCALE, p[1] / COORD_SCALE];
}

const key = (p: QPoint): string => `${p[0]},${p[1]}`;
const halfKey = (a: QPoint, b: QPoint): string => `${a[0]},${a[1]}>${b[0]},${b[1]}`;

function signedArea(ring: readonly QPoint[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
  }
  return s / 2;
}

/** A ring quantised, without repeated points or its closing point, turned so the grid lies on its left. */
function normaliseRing(coords: readonly (readonly number[])[], hole: boolean): QPoint[] {
  const out: QPoint[] = [];
  for (const c of coords) {
    const p = quantise(c[0]!, c[1]!);
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) out.pop();
  const area = signedArea(out);
  // Counter-clockwise (positive area) keeps the interior on the left; holes go the other way.
  if ((area < 0 && !hole) || (area > 0 && hole)) out.reverse();
  return out;
}

/**
 * Builds the topology of a grid layer whose shared boundaries have the same vertices on both sides
 * (the generator and the importer make them so). Half-edges claimed by two grids are reported as
 * overlaps and kept with the first grid.
 */
export function buildTopology(grids: readonly TopologyInputGrid[]): {
  topology: Topology;
  problems: TopologyProblem[];
} {
  const problems: TopologyProblem[] = [];
  const faceOfHalf = new Map<string, GridId>();
  const neighbours = new Map<string, Map<string, QPoint>>();
  const point = new Map<string, QPoint>();
  const rings: { grid: GridId; points: QPoint[] }[][] = [];

  for (const g of grids) {
    const gridRings: { grid: GridId; points: QPoint[] }[] = [];
    for (const poly of g.polygon) {
      poly.forEach((ringCoords, r) => {
        const points = normaliseRing(ringCoords, r > 0);
        if (points.length < 3 || signedArea(points) === 0) {
          const at = ringCoords[0];
          problems.push({ reason: 'degenerate-ring', grid: g.id, at: [at?.[0] ?? 0, at?.[1] ?? 0] });
          return;
        }
        gridRings.push({ grid: g.id, points });
        for (let i = 0; i < points.length; i++) {
          const a = points[i]!;
          const b = points[(i + 1) % points.length]!;
          const hk = halfKey(a, b);
          if (faceOfHalf.has(hk)) problems.push({ reason: 'overlap', grid: g.id, at: dequantise(a) });
          else faceOfHalf.set(hk, g.id);
          for (const [p, q] of [
            [a, b],
            [b, a],
          ] as const) {
            point.set(key(p), p);
            let n = neighbours.get(key(p));
            if (!n) neighbours.set(key(p), (n = new Map()));
            n.set(key(q), q);
          }
        }
      });
    }
    rings.push(gridRings);
  }

  // A node wherever the boundary branches (degree ≠ 2); a ring that never branches (a grid inside
  // one other grid) gets its lowest point as a node.
  const nodeAt = new Map<string, NodeId>();
  const nodes = new Map<NodeId, TopoNode>();
  const addNode = (p: QPoint): NodeId => {
    const k = key(p);
    let id = nodeAt.get(k);
    if (id === undefined) {
      id = (nodes.size + 1) as NodeId;
      nodeAt.set(k, id);
      nodes.set(id, { id, at: p });
    }
    return id;
  };
  for (const [k, n] of neighbours) if (n.size !== 2) addNode(point.get(k)!);
  for (const gridRings of rings)
    for (const { points } of gridRings) {
      if (points.some((p) => nodeAt.has(key(p)))) continue;
      let low = points[0]!;
      for (const p of points) if (p[1] < low[1] || (p[1] === low[1] && p[0] < low[0])) low = p;
      addNode(low);
    }

  // Edges: walk from every node along each unvisited direction to the next node.
  const edges = new Map<EdgeId, TopoEdge>();
  const edgeOfHalf = new Map<string, SignedEdge>();
  for (const node of nodes.values()) {
    for (const next of neighbours.get(key(node.at))!.values()) {
      if (edgeOfHalf.has(halfKey(node.at, next))) continue;
      const path: QPoint[] = [node.at, next];
      while (!nodeAt.has(key(path[path.length - 1]!))) {
        const here = path[path.length - 1]!;
        const before = path[path.length - 2]!;
        const onward = [...neighbours.get(key(here))!.values()].find((q) => key(q) !== key(before))!;
        path.push(onward);
      }
      const id = (edges.size + 1) as EdgeId;
      const end = path[path.length - 1]!;
      edges.set(id, {
        id,
        start: node.id,
        end: nodeAt.get(key(end))!,
        vertices: path.slice(1, -1),
        left: faceOfHalf.get(halfKey(node.at, next)) ?? null,
        right: faceOfHalf.get(halfKey(next, node.at)) ?? null,
      });
      edgeOfHalf.set(halfKey(node.at, next), { edge: id, forward: true });
      edgeOfHalf.set(halfKey(end, path[path.length - 2]!), { edge: id, forward: false });
    }
  }

  // Faces: each ring as the signed edges met walking it from one of its nodes.
  const faces = new Map<GridId, TopoFace>();
  grids.forEach((g, gi) => {
    const faceRings: SignedEdge[][] = [];
    for (const { points } of rings[gi]!) {
      const n = points.length;
      const start = points.findIndex((p) => nodeAt.has(key(p)));
      const signed: SignedEdge[] = [];
      let i = start;
      do {
        const se = edgeOfHalf.get(halfKey(points[i]!, points[(i + 1) % n]!))!;
        signed.push(se);
        i = (i + edges.get(se.edge)!.vertices.length + 1) % n;
      } while (i !== start);
      faceRings.push(signed);
    }
    faces.set(g.id, { id: g.id, parentId: g.parentId, rings: faceRings });
  });
  return { topology: { nodes, edges, faces }, problems };
}

/** The points of an edge walked in the given direction, both nodes included. */
export function edgePoints(t: Topology, se: SignedEdge): QPoint[] {
  const e = t.edges.get(se.edge)!;
  const pts = [t.nodes.get(e.start)!.at, ...e.vertices, t.nodes.get(e.end)!.at];
  return se.forward ? pts : pts.reverse();
}

/**
 * Point k of an edge walked forward (0: its start node, `vertices.length + 1`: its end node), read
 * in place: the checks after every edit walk many edges, and a copied point array per edge was most
 * of what an edit allocated.
 */
export function edgePointAt(t: Topology, e: TopoEdge, k: number): QPoint {
  if (k === 0) return t.nodes.get(e.start)!.at;
  return k <= e.vertices.length ? e.vertices[k - 1]! : t.nodes.get(e.end)!.at;
}

/**
 * The signed area of a ring of signed edges (positive counter-clockwise), its points read in
 * place: `ringArea` of the ring's points to the last bit (the same sum, relative to the first
 * point, in the same order). For the edit decisions, which read layers seen through an overlay;
 * the checks' measureRing stays on plain maps, so neither slows the other's optimised code.
 * `edgeOf` reads edges not yet in `t` (a split's new edge).
 */
export function signedEdgesArea(
  t: Topology,
  ring: readonly SignedEdge[],
  edgeOf?: (id: EdgeId) => TopoEdge,
): number {
  let first: QPoint | null = null;
  let prev: QPoint | null = null;
  let n = 0;
  let s = 0;
  for (const se of ring) {
    const e = edgeOf ? edgeOf(se.edge) : t.edges.get(se.edge)!;
    const last = e.vertices.length + 1;
    // Every point of the edge but its last (the next edge starts there), in the walked direction.
    for (let j = 0; j < last; j++) {
      const p = edgePointAt(t, e, se.forward ? j : last - j);
      if (first === null) first = p;
      else if (n >= 2) {
        const [fx, fy] = first;
        s += (prev![0] - fx) * (p[1] - fy) - (p[0] - fx) * (prev![1] - fy);
      }
      prev = p;
      n++;
    }
  }
  return n < 3 ? 0 : s / 2;
}

/** A grid's polygon in degrees (GeoJSON MultiPolygon coordinates, rings closed): derived for drawing and export. */
export function facePolygon(t: Topology, grid: GridId): [number, number][][][] {
  const face = t.faces.get(grid);
  if (!face) return [];
  const polygons: [number, number][][][] = [];
  for (const ring of face.rings) {
    const pts: [number, number][] = [];
    for (const se of ring) for (const p of edgePoints(t, se).slice(0, -1)) pts.push(dequantise(p));
    pts.push(pts[0]!);
    // Outer rings (counter-clockwise) start a polygon; holes (clockwise) join the last one.
    const ccw = signedArea(pts.map((p) => quantise(p[0], p[1]))) > 0;
    if (ccw || polygons.length === 0) polygons.push([pts]);
    else polygons[polygons.length - 1]!.push(pts);
  }
  return polygons;
}

/**
 * Whether an edge is also a border of the grids' parents (a community, street or district border,
 * or the city's outline): such edges are locked, so a grid stays inside its parent by construction.
 */
export function isParentBorder(t: Topology, edge: EdgeId): boolean {
  const e = t.edges.get(edge);
  if (!e) return false;
  if (e.left === null || e.right === null) return true;
  return t.faces.get(e.left)?.parentId !== t.faces.get(e.right)?.parentId;
}

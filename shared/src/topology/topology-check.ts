import type { GridId } from '../ids.ts';
import { joinSegments, type SegmentSet } from './internal/segment-join.ts';
import { metresPerUnit, ringArea, segmentsMeet, segmentsMeetXY } from './planar.ts';
import {
  dequantise,
  edgePointAt,
  edgePoints,
  type EdgeId,
  type QPoint,
  type SignedEdge,
  type Topology,
} from './topology.ts';
import { edgeBox, scanIndex, type TopologyIndex } from './topology-index.ts';

// What is wrong with grids of the layer, with a reason a planner understands and the place to
// show it. The edits refuse crossings as they are made, so on an edited layer these are mostly
// slivers and parts; an imported layer can bring anything, and a full check runs before a plan
// is saved.

export const LAYER_PROBLEMS = [
  'crossing',
  'self-intersection',
  'multipart',
  'degenerate-ring',
  'sliver-area',
  'sliver-width',
  'gap',
  'overlap',
] as const;
export type LayerProblemReason = (typeof LAYER_PROBLEMS)[number];

export interface LayerProblem {
  reason: LayerProblemReason;
  /** The grids concerned (two for a crossing between neighbours). */
  grids: GridId[];
  /** Where to show it, in degrees. */
  at: [number, number];
}

export interface CheckLimits {
  /** Below this a grid is a sliver (m²). Urban grids are ≈ 90,000 m². */
  minAreaM2: number;
  /** Mean width 2·area/perimeter below this (m): a long thin strip, whatever its area. */
  minWidthM: number;
}

export const DEFAULT_CHECK_LIMITS: CheckLimits = { minAreaM2: 5_000, minWidthM: 25 };

const ringPoints = (t: Topology, ring: readonly SignedEdge[]): QPoint[] =>
  ring.flatMap((se) => edgePoints(t, se).slice(0, -1));

/** Math.hypot without its variadic call (metre-sized values: no overflow to guard against). */
const distance = (dx: number, dy: number) => Math.sqrt(dx * dx + dy * dy);

interface RingMeasure {
  points: number;
  /** Signed, quantised units² (positive counter-clockwise). */
  area: number;
  areaM2: number;
  perimeterM: number;
  first: QPoint | null;
}

/**
 * A ring's point count, area and perimeter, its points read in place: the full check measures
 * every ring of the city, so no point arrays and no callback per point.
 */
function measureRing(t: Topology, ring: readonly SignedEdge[]): RingMeasure {
  let n = 0;
  let x0 = 0;
  let y0 = 0;
  let px = 0;
  let py = 0;
  let twice = 0;
  let perimeter = 0;
  let mx = 0;
  let my = 0;
  for (const se of ring) {
    const e = t.edges.get(se.edge)!;
    const vs = e.vertices;
    const nv = vs.length;
    // The edge's points but its last (the next edge starts there): its first node, then its vertices.
    for (let k = -1; k < nv; k++) {
      const p = k < 0 ? t.nodes.get(se.forward ? e.start : e.end)!.at : vs[se.forward ? k : nv - 1 - k]!;
      const x = p[0];
      const y = p[1];
      if (n === 0) {
        x0 = x;
        y0 = y;
        const m = metresPerUnit(y);
        mx = m[0];
        my = m[1];
      } else {
        // Relative to the first point, so no product leaves the exact range of a double.
        twice += (px - x0) * (y - y0) - (x - x0) * (py - y0);
        perimeter += distance((x - px) * mx, (y - py) * my);
      }
      px = x;
      py = y;
      n++;
    }
  }
  if (n > 0) perimeter += distance((x0 - px) * mx, (y0 - py) * my);
  return {
    points: n,
    area: twice / 2,
    areaM2: (twice / 2) * mx * my,
    perimeterM: perimeter,
    first: n > 0 ? [x0, y0] : null,
  };
}

/** Area (m², holes subtracted) and perimeter (m) of a grid, on a local plane (grids are a few hundred metres across). */
export function faceMeasure(t: Topology, grid: GridId): { areaM2: number; perimeterM: number } {
  let areaM2 = 0;
  let perimeterM = 0;
  for (const ring of t.faces.get(grid)?.rings ?? []) {
    const m = measureRing(t, ring);
    areaM2 += m.areaM2;
    perimeterM += m.perimeterM;
  }
  return { areaM2, perimeterM };
}

function shapeProblems(t: Topology, grid: GridId, limits: CheckLimits, out: LayerProblem[]): void {
  const face = t.faces.get(grid);
  if (!face) return;
  let outer = 0;
  let first: QPoint | null = null;
  let areaM2 = 0;
  let perimeterM = 0;
  for (const ring of face.rings) {
    const m = measureRing(t, ring);
    first ??= m.first;
    if (m.points < 3 || m.area === 0)
      out.push({ reason: 'degenerate-ring', grids: [grid], at: dequantise(m.first ?? [0, 0]) });
    if (m.area > 0) outer++;
    areaM2 += m.areaM2;
    perimeterM += m.perimeterM;
  }
  if (!first) return;
  const at = dequantise(first);
  if (outer > 1) out.push({ reason: 'multipart', grids: [grid], at });
  if (areaM2 < limits.minAreaM2) out.push({ reason: 'sliver-area', grids: [grid], at });
  else if (perimeterM > 0 && (2 * areaM2) / perimeterM < limits.minWidthM)
    out.push({ reason: 'sliver-width', grids: [grid], at });
}

const sidesOf = (t: Topology, ids: EdgeId[]): GridId[] => {
  const out = new Set<GridId>();
  for (const id of ids) {
    const e = t.edges.get(id)!;
    if (e.left !== null) out.add(e.left);
    if (e.right !== null) out.add(e.right);
  }
  return [...out].sort((a, b) => a - b);
};

function crossingProblem(t: Topology, a: EdgeId, b: EdgeId, p: QPoint): LayerProblem {
  return { reason: a === b ? 'self-intersection' : 'crossing', grids: sidesOf(t, [a, b]), at: dequantise(p) };
}

/** Whether a segment of edge `id` other than its segment `skip` meets segment ab (points read in place). */
function edgeMeetsSegment(t: Topology, id: EdgeId, a: QPoint, b: QPoint, skip: number): boolean {
  const e = t.edges.get(id)!;
  const vs = e.vertices;
  const last = vs.length;
  let c = t.nodes.get(e.start)!.at;
  for (let j = 0; j <= last; j++) {
    const d = j < last ? vs[j]! : t.nodes.get(e.end)!.at;
    if (j !== skip && segmentsMeet(a, b, c, d)) return true;
    c = d;
  }
  return false;
}

/** The problems of some grids (those an edit touched): their shape, and any segment of theirs meeting another. */
export function checkGrids(
  t: Topology,
  grids: Iterable<GridId>,
  ix: TopologyIndex = scanIndex(t),
  limits: CheckLimits = DEFAULT_CHECK_LIMITS,
): LayerProblem[] {
  const out: LayerProblem[] = [];
  const edges = new Set<EdgeId>();
  for (const g of grids) {
    shapeProblems(t, g, limits, out);
    for (const ring of t.faces.get(g)?.rings ?? []) for (const se of ring) edges.add(se.edge);
  }
  // Keys only once a pair has been reported: on a sound layer (the usual case) none is built.
  const reported = new Set<string>();
  const pairKey = (a: EdgeId, b: EdgeId) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  const near = edges.size <= LOCAL_EDGES ? edgesNear(t, ix, edges) : null;
  for (const id of edges) {
    const e = t.edges.get(id)!;
    const segments = e.vertices.length + 1;
    for (let i = 0; i < segments; i++) {
      const a = edgePointAt(t, e, i);
      const b = edgePointAt(t, e, i + 1);
      const minX = Math.min(a[0], b[0]);
      const minY = Math.min(a[1], b[1]);
      const maxX = Math.max(a[0], b[0]);
      const maxY = Math.max(a[1], b[1]);
      // The edges whose box meets the segment's: what the index answers for that box.
      const candidates = near ? near.ids : ix.edgesIn([minX, minY, maxX, maxY]);
      for (let k = 0; k < candidates.length; k++) {
        if (near) {
          const q = 4 * k;
          const bx = near.boxes;
          if (bx[q]! > maxX || bx[q + 1]! > maxY || bx[q + 2]! < minX || bx[q + 3]! < minY) continue;
        }
        const other = candidates[k]!;
        if (reported.size > 0 && reported.has(pairKey(id, other))) continue;
        if (edgeMeetsSegment(t, other, a, b, other === id ? i : -1)) {
          reported.add(pairKey(id, other));
          out.push(crossingProblem(t, id, other, a));
        }
      }
    }
  }
  return out;
}

/** Up to this many edges checked at once (the grids an edit touched), the index is asked once for all of them. */
const LOCAL_EDGES = 512;

/**
 * The edges near a few edges, with their boxes ([minX, minY, maxX, maxY] each): one question to
 * the index for the box around them all instead of one per segment (a tree search per segment
 * was most of an edit's check). Null when that box holds too many edges to be worth it.
 */
function edgesNear(
  t: Topology,
  ix: TopologyIndex,
  edges: ReadonlySet<EdgeId>,
): { ids: EdgeId[]; boxes: Float64Array } | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const id of edges) {
    const b = edgeBox(t, t.edges.get(id)!);
    if (b[0] < minX) minX = b[0];
    if (b[1] < minY) minY = b[1];
    if (b[2] > maxX) maxX = b[2];
    if (b[3] > maxY) maxY = b[3];
  }
  if (minX > maxX) return null;
  const ids = ix.edgesIn([minX, minY, maxX, maxY]);
  if (ids.length > 8 * LOCAL_EDGES) return null;
  const boxes = new Float64Array(4 * ids.length);
  ids.forEach((id, k) => boxes.set(edgeBox(t, t.edges.get(id)!), 4 * k));
  return { ids, boxes };
}

/**
 * Every segment of the layer against every other: a crossing between two edges, or an edge
 * meeting itself, reported once per pair of edges at the first segment (in edge order) where it happens.
 */
function crossingsOfLayer(t: Topology, out: LayerProblem[]): void {
  let n = 0;
  for (const e of t.edges.values()) n += e.vertices.length + 1;
  const segs: SegmentSet = {
    count: n,
    x0: new Float64Array(n),
    y0: new Float64Array(n),
    x1: new Float64Array(n),
    y1: new Float64Array(n),
  };
  const segEdge: EdgeId[] = new Array<EdgeId>(n);
  let k = 0;
  for (const e of t.edges.values()) {
    let [px, py] = t.nodes.get(e.start)!.at;
    const last = t.nodes.get(e.end)!.at;
    for (let v = 0; v <= e.vertices.length; v++) {
      const q = v < e.vertices.length ? e.vertices[v]! : last;
      segs.x0[k] = px;
      segs.y0[k] = py;
      segs.x1[k] = q[0];
      segs.y1[k] = q[1];
      segEdge[k++] = e.id;
      px = q[0];
      py = q[1];
    }
  }
  const { x0, y0, x1, y1 } = segs;
  const hits: number[] = [];
  joinSegments(segs, (i, j) => {
    // Consecutive segments of one edge share a point by construction.
    if (j === i + 1 && segEdge[i] === segEdge[j]) return;
    if (segmentsMeetXY(x0[i]!, y0[i]!, x1[i]!, y1[i]!, x0[j]!, y0[j]!, x1[j]!, y1[j]!)) hits.push(i, j);
  });
  const order = Array.from({ length: hits.length / 2 }, (_, h) => h).sort(
    (a, b) => hits[2 * a]! - hits[2 * b]! || hits[2 * a + 1]! - hits[2 * b + 1]!,
  );
  const reported = new Set<string>();
  for (const h of order) {
    const i = hits[2 * h]!;
    const ea = segEdge[i]!;
    const eb = segEdge[hits[2 * h + 1]!]!;
    const key = ea < eb ? `${ea}:${eb}` : `${eb}:${ea}`;
    if (reported.has(key)) continue;
    reported.add(key);
    out.push(crossingProblem(t, ea, eb, [x0[i]!, y0[i]!]));
  }
}

/**
 * The whole layer: every grid's shape, every segment against every other (a bucket grid of all
 * segments), and gaps — rings of edges with no grid on the inner side.
 */
export function checkLayer(t: Topology, limits: CheckLimits = DEFAULT_CHECK_LIMITS): LayerProblem[] {
  const out: LayerProblem[] = [];
  for (const g of t.faces.keys()) shapeProblems(t, g, limits, out);

  crossingsOfLayer(t, out);

  // Gaps: walk the sides with no grid; a ring of them enclosing area on its left is a hole in the layer.
  const open: SignedEdge[] = [];
  for (const e of t.edges.values()) {
    if (e.left === null) open.push({ edge: e.id, forward: true });
    if (e.right === null) open.push({ edge: e.id, forward: false });
  }
  const byStart = new Map<number, SignedEdge[]>();
  const startOf = (se: SignedEdge) => (se.forward ? t.edges.get(se.edge)!.start : t.edges.get(se.edge)!.end);
  const endOf = (se: SignedEdge) => (se.forward ? t.edges.get(se.edge)!.end : t.edges.get(se.edge)!.start);
  for (const se of open) byStart.set(startOf(se), [...(byStart.get(startOf(se)) ?? []), se]);
  const used = new Set<SignedEdge>();
  for (const first of open) {
    if (used.has(first)) continue;
    used.add(first);
    const ring = [first];
    while (endOf(ring[ring.length - 1]!) !== startOf(first)) {
      const next = byStart.get(endOf(ring[ring.length - 1]!))?.find((se) => !used.has(se));
      if (!next) break;
      used.add(next);
      ring.push(next);
    }
    const pts = ringPoints(t, ring);
    if (ringArea(pts) > 0)
      out.push({
        reason: 'gap',
        grids: sidesOf(
          t,
          ring.map((se) => se.edge),
        ),
        at: dequantise(pts[0]!),
      });
  }
  return out;
}

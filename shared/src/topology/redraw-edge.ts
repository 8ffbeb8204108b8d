import type { EdgeId } from './topology.ts';
import { nearestOnSegment } from './planar.ts';
import { dequantise, edgePoints, quantise, samePoint, type QPoint, type Topology } from './topology.ts';
import type { ReshapeEdgeEdit } from './topology-edit.ts';
import type { TopologyIndex } from './topology-index.ts';

// Redrawing a border the way a planner draws it (QGIS's "reshape"): a line that starts and ends on
// one edge replaces the stretch of the edge between those two places; starting and ending on the
// edge's two nodes replaces all of it. The answer is an ordinary reshapeEdge edit, so it is
// decided, checked, undone and saved like any other.

export type RedrawRefusal = 'redraw-ends-off-edge' | 'redraw-too-short';

/** Where a point lies along an edge's points: segment `segment`, fraction `s` of it, `d2` away. */
interface Along {
  segment: number;
  s: number;
  d2: number;
}

function along(p: QPoint, pts: readonly QPoint[]): Along {
  let best: Along = { segment: 0, s: 0, d2: Infinity };
  for (let i = 0; i + 1 < pts.length; i++) {
    const { s, d2 } = nearestOnSegment(p, pts[i]!, pts[i + 1]!);
    if (d2 < best.d2) best = { segment: i, s, d2 };
  }
  // A point at the end of a segment is the start of the next one (one way to say each place).
  if (best.s === 1 && best.segment + 2 < pts.length) best = { segment: best.segment + 1, s: 0, d2: best.d2 };
  return best;
}

const position = (a: Along) => a.segment + a.s;

/** The place `a` on the edge's points, rounded to the grid of quantised points. */
function onEdge(pts: readonly QPoint[], a: Along): QPoint {
  const p = pts[a.segment]!;
  const q = pts[a.segment + 1] ?? p;
  if (a.s === 0) return p;
  if (a.s === 1) return q;
  return [Math.round(p[0] + a.s * (q[0] - p[0])), Math.round(p[1] + a.s * (q[1] - p[1]))];
}

/** Mean squared distance of points to an edge's points (how well a drawing follows the edge). */
function meanD2(points: readonly QPoint[], pts: readonly QPoint[]): number {
  if (!points.length) return 0;
  let sum = 0;
  for (const p of points) sum += along(p, pts).d2;
  return sum / points.length;
}

/**
 * The reshape a drawn line asks for: the edge both of its ends lie on (within `toleranceDeg`),
 * with the stretch between them replaced by the line's inner points. Where several edges qualify
 * (both ends on the nodes two borders share), the one the drawing runs closest to.
 */
export function redrawEdge(
  t: Topology,
  ix: TopologyIndex,
  line: readonly (readonly [number, number])[],
  toleranceDeg: number,
): { edit: ReshapeEdgeEdit } | { refused: RedrawRefusal; at: [number, number] | null } {
  const drawn: QPoint[] = [];
  for (const [lng, lat] of line) {
    const q = quantise(lng, lat);
    if (!drawn.length || !samePoint(drawn[drawn.length - 1]!, q)) drawn.push(q);
  }
  const first = drawn[0];
  const last = drawn[drawn.length - 1];
  if (!first || !last || drawn.length < 2)
    return { refused: 'redraw-too-short', at: line[0] ? [...line[0]] : null };
  const tol = Math.max(1, Math.round(toleranceDeg * 1e7));
  const near = (p: QPoint) => new Set(ix.edgesIn([p[0] - tol, p[1] - tol, p[0] + tol, p[1] + tol]));
  const atEnd = near(last);
  let best: { edge: EdgeId; pts: QPoint[]; a: Along; b: Along; score: number } | null = null;
  for (const edge of near(first)) {
    if (!atEnd.has(edge) || !t.edges.has(edge)) continue;
    const pts = edgePoints(t, { edge, forward: true });
    const a = along(first, pts);
    let b = along(last, pts);
    // A ring edge (an island's border) starts and ends at one node: the drawing's end is its end.
    const e = t.edges.get(edge)!;
    if (e.start === e.end && position(a) === 0 && position(b) === 0)
      b = { segment: pts.length - 2, s: 1, d2: b.d2 };
    if (a.d2 > tol * tol || b.d2 > tol * tol || position(a) === position(b)) continue;
    const score = a.d2 + b.d2 + meanD2(drawn.slice(1, -1), pts);
    if (!best || score < best.score) best = { edge, pts, a, b, score };
  }
  if (!best) {
    // Point at the end that is off: the first when nothing is near it, else the last.
    const startOn = [...near(first)].some((e) => t.edges.has(e));
    return { refused: 'redraw-ends-off-edge', at: dequantise(startOn ? last : first) };
  }
  const { pts } = best;
  // Drawn against the edge's direction: turn the drawing round.
  const forward = position(best.a) < position(best.b);
  const path = forward ? [...drawn] : [...drawn].reverse();
  const [from, to] = forward ? [best.a, best.b] : [best.b, best.a];
  // The ends are put on the edge exactly, so the stretches kept do not kink where the drawing starts.
  path[0] = onEdge(pts, from);
  path[path.length - 1] = onEdge(pts, to);
  const out: QPoint[] = pts.slice(0, from.segment + 1);
  for (const p of path) if (!samePoint(out[out.length - 1]!, p)) out.push(p);
  const tail = pts.slice(to.s === 0 ? to.segment : to.segment + 1);
  for (const p of tail) if (!samePoint(out[out.length - 1]!, p)) out.push(p);
  return { edit: { type: 'reshapeEdge', edge: best.edge, vertices: out.slice(1, -1).map(dequantise) } };
}

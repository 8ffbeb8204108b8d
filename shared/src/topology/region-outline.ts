import type { GridId, UnitId } from '../ids.ts';
import { pointInRing, ringArea } from './planar.ts';
import {
  dequantise,
  edgePoints,
  type NodeId,
  type QPoint,
  type SignedEdge,
  type Topology,
} from './topology.ts';

// The outline of a set of grids (a community, a street, a district), walked from the topology:
// the edges with one of the set on one side and not on the other, the set on their left. It is
// exact (the same points as the grids' own borders), so a parent unit drawn from it holds its grids
// by construction — what a publish that moved a parent border stores as the unit's new shape.

/** The region's outline in degrees (GeoJSON MultiPolygon coordinates, rings closed); [] for no grid. */
export function regionOutline(t: Topology, grids: ReadonlySet<GridId>): [number, number][][][] {
  // Border half-edges, the region on their left (each face walks its rings with itself on the left).
  const out = new Map<NodeId, SignedEdge[]>();
  let count = 0;
  for (const g of grids) {
    const face = t.faces.get(g);
    if (!face) continue;
    for (const ring of face.rings)
      for (const se of ring) {
        const e = t.edges.get(se.edge)!;
        const other = se.forward ? e.right : e.left;
        if (other !== null && grids.has(other)) continue;
        const from = se.forward ? e.start : e.end;
        const list = out.get(from);
        if (list) list.push(se);
        else out.set(from, [se]);
        count++;
      }
  }
  const rings: QPoint[][] = [];
  while (count > 0) {
    const [startNode, list] = [...out.entries()].find(([, l]) => l.length > 0)!;
    const first = list.pop()!;
    count--;
    const ring: QPoint[] = [];
    for (let se = first; ;) {
      const pts = edgePoints(t, se);
      for (const p of pts.slice(0, -1)) ring.push(p);
      const e = t.edges.get(se.edge)!;
      const at = se.forward ? e.end : e.start;
      const next = out.get(at) ?? [];
      // Back at the start, the ring closes unless the walk turns more sharply into another part.
      const candidates = at === startNode ? [...next, first] : next;
      if (!candidates.length) break; // not closed: only a broken topology gets here
      const chosen = leftmost(t, candidates, pts[pts.length - 2]!, pts[pts.length - 1]!);
      if (chosen === first) break;
      next.splice(next.indexOf(chosen), 1);
      count--;
      se = chosen;
    }
    if (ring.length >= 3) rings.push(ring);
  }
  return assemble(rings);
}

/**
 * At a node where the region touches itself, the next border edge is the sharpest left turn: the
 * walk hugs the region, so two parts meeting at a point come out as two rings, not a figure eight.
 */
function leftmost(t: Topology, candidates: readonly SignedEdge[], from: QPoint, at: QPoint): SignedEdge {
  let best = 0;
  if (candidates.length > 1) {
    const inAngle = Math.atan2(at[1] - from[1], at[0] - from[0]);
    let bestTurn = -Infinity;
    candidates.forEach((c, i) => {
      const to = edgePoints(t, c)[1]!;
      let turn = Math.atan2(to[1] - at[1], to[0] - at[0]) - inAngle;
      while (turn <= -Math.PI) turn += 2 * Math.PI;
      while (turn > Math.PI) turn -= 2 * Math.PI;
      if (turn > bestTurn) [best, bestTurn] = [i, turn];
    });
  }
  return candidates[best]!;
}

/** Outer rings (counter-clockwise) with the holes (clockwise) that lie in them. */
function assemble(rings: readonly QPoint[][]): [number, number][][][] {
  const outers = rings.filter((r) => ringArea(r) > 0);
  const holes = rings.filter((r) => ringArea(r) < 0);
  const closed = (r: readonly QPoint[]) => [...r, r[0]!].map(dequantise);
  const polygons = outers.map((r) => [closed(r)]);
  for (const h of holes) {
    // The smallest outer ring holding the hole's first point.
    let owner = -1;
    outers.forEach((o, i) => {
      if (pointInRing(h[0]!, o) && (owner < 0 || ringArea(o) < ringArea(outers[owner]!))) owner = i;
    });
    if (owner >= 0) polygons[owner]!.push(closed(h));
  }
  return polygons;
}

/** The grids of each parent unit, from the faces' communities up through `parentOf` (community → street → district). */
export function gridsByUnit(
  t: Topology,
  parentOf: (unit: UnitId) => UnitId | null,
): Map<UnitId, Set<GridId>> {
  const by = new Map<UnitId, Set<GridId>>();
  for (const face of t.faces.values())
    for (let u: UnitId | null = face.parentId; u !== null; u = parentOf(u)) {
      const set = by.get(u);
      if (set) set.add(face.id);
      else by.set(u, new Set([face.id]));
    }
  return by;
}

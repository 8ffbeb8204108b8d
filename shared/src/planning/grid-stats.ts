import type { GridId } from '../ids.ts';
import { COORD_SCALE, type Topology, type TopoFace } from '../topology/topology.ts';
import { CASE_OPEN, CASE_RECENT } from './planning-points.codec.ts';
import type { PlanningPoints } from './planning-points.ts';

// Live statistics of one grid of a topology, counted from points, never from stored totals:
// a bounding-box query on the points' R-tree, then an exact point-in-polygon test on the face's
// rings in the topology's integer coordinates.
//
// Border rule (half-open): a point is counted as if moved an infinitesimal step east, then a
// far smaller step north. A point on a north–south border therefore belongs to the grid east of
// it, a point on an east–west border to the grid north of it, and a shared corner to the grid
// north-east of it: on a tiling, every point counts in exactly one grid. The crossing test is
// done in exact integer arithmetic (products of coordinate differences inside the face's box,
// below 2^53 for any face smaller than about 9°), so both neighbours agree on every border point.

/** What the planner sees of a grid while editing. */
export interface GridStats {
  households: number;
  residents: number;
  /** Address points (楼栋 / 标准地址) inside: one point is one building. */
  buildings: number;
  /** On the sphere, as turf.area computes it. */
  areaM2: number;
  openCases: number;
  /** Cases reported in the last 90 days (open or not). */
  cases90d: number;
  /** Staff (一长三员) whose home grid this is; 0 for a grid a plan created (待配置 until publish assigns staff). */
  staff: number;
}

/** What `gridStats` counts from. */
export interface PlanningContext {
  points: PlanningPoints;
  /** Staff per grid of the boundary version in force (workers by their home grid). */
  staff: ReadonlyMap<GridId, number>;
}

/** turf's earth radius (@turf/helpers earthRadius), so areas match turf.area. */
const EARTH_RADIUS_M = 6_371_008.8;
const AREA_FACTOR = (EARTH_RADIUS_M * EARTH_RADIUS_M) / 2;
const RAD_PER_UNIT = Math.PI / 180 / COORD_SCALE;

/** A face's rings as flat integer coordinates: ring r is vertices [ringStart[r], ringStart[r + 1]). */
interface FlatRings {
  xs: number[];
  ys: number[];
  ringStart: number[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function flattenFace(t: Topology, face: TopoFace): FlatRings {
  const xs: number[] = [];
  const ys: number[] = [];
  const ringStart: number[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const push = (p: readonly [number, number]): void => {
    xs.push(p[0]);
    ys.push(p[1]);
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  };
  for (const ring of face.rings) {
    ringStart.push(xs.length);
    // Each edge from its first point up to, not including, its last: the next edge starts there.
    for (const se of ring) {
      const e = t.edges.get(se.edge);
      if (!e) continue;
      const start = t.nodes.get(e.start)!.at;
      const end = t.nodes.get(e.end)!.at;
      if (se.forward) {
        push(start);
        for (const v of e.vertices) push(v);
      } else {
        push(end);
        for (let k = e.vertices.length - 1; k >= 0; k--) push(e.vertices[k]!);
      }
    }
  }
  ringStart.push(xs.length);
  return { xs, ys, ringStart, minX, minY, maxX, maxY };
}

/** Even-odd crossing test with the half-open border rule above, exact on integer coordinates. */
function inside(f: FlatRings, x: number, y: number): boolean {
  const { xs, ys, ringStart } = f;
  let odd = false;
  for (let r = 0; r + 1 < ringStart.length; r++) {
    const start = ringStart[r]!;
    const end = ringStart[r + 1]!;
    for (let i = start, j = end - 1; i < end; j = i++) {
      const yi = ys[i]!;
      const yj = ys[j]!;
      if (yi > y === yj > y) continue;
      const xi = xs[i]!;
      // x < xi + (y − yi)(xj − xi)/(yj − yi), multiplied out so no division rounds.
      const lhs = (x - xi) * (yj - yi);
      const rhs = (y - yi) * (xs[j]! - xi);
      if (yj > yi ? lhs < rhs : lhs > rhs) odd = !odd;
    }
  }
  return odd;
}

/** Area of the face on the sphere, m²: turf.area's ring formula; rings keep the grid on their left, so holes subtract by their sign. */
function areaM2(f: FlatRings): number {
  const { xs, ys, ringStart } = f;
  let total = 0;
  for (let r = 0; r + 1 < ringStart.length; r++) {
    const start = ringStart[r]!;
    const n = ringStart[r + 1]! - start;
    if (n < 3) continue;
    let s = 0;
    for (let k = 0; k < n; k++) {
      const lower = start + k;
      const middle = start + ((k + 1) % n);
      const upper = start + ((k + 2) % n);
      s += (xs[upper]! - xs[lower]!) * RAD_PER_UNIT * Math.sin(ys[middle]! * RAD_PER_UNIT);
    }
    // Counter-clockwise rings come out negative in this formula.
    total -= s;
  }
  return total * AREA_FACTOR;
}

const EMPTY: GridStats = Object.freeze({
  households: 0,
  residents: 0,
  buildings: 0,
  areaM2: 0,
  openCases: 0,
  cases90d: 0,
  staff: 0,
});

/** Live statistics of one grid of `t`, counted from the points in `ctx`; zeros for a grid `t` does not hold. */
export function gridStats(t: Topology, grid: GridId, ctx: PlanningContext): GridStats {
  const face = t.faces.get(grid);
  if (!face) return { ...EMPTY };
  const f = flattenFace(t, face);
  const { points } = ctx;
  const na = points.addressCount;
  const { qx, qy, households: hh, residents: res, caseFlags } = points;
  const s: GridStats = { ...EMPTY, areaM2: areaM2(f), staff: ctx.staff.get(grid) ?? 0 };
  if (f.xs.length === 0) return s;
  points.visit(f.minX, f.minY, f.maxX, f.maxY, (i) => {
    if (!inside(f, qx[i]!, qy[i]!)) return;
    if (i < na) {
      s.households += hh[i]!;
      s.residents += res[i]!;
      s.buildings++;
    } else {
      const flags = caseFlags[i - na]!;
      if (flags & CASE_OPEN) s.openCases++;
      if (flags & CASE_RECENT) s.cases90d++;
    }
  });
  return s;
}

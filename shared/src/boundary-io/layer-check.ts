import type { GridId, UnitId } from '../ids.ts';
import { crossingOn, segmentsMeet } from '../topology/planar.ts';
import { buildTopology, COORD_SCALE, edgePoints, type QPoint, type Topology } from '../topology/topology.ts';
import {
  idRingArea,
  type IdPolygon,
  type PointTable,
  type ReadFeature,
  type ReadLayer,
} from './layer-read.ts';
import type { ImportLevel, ImportProgressListener, ProblemList } from './import-report.ts';

// The checks of a layer read from a file, on the shared point table: duplicates and codes, then
// snapping within the user's tolerance (points of neighbours closer than it become one point, and
// a point near a neighbour's border is put on it as well, so both sides share it — fixed and
// listed), then what is still wrong (rings crossing themselves, neighbours crossing or covering
// each other, holes between them: each refused with where it is), then the topology.

/** Lets the event loop run between phases: a server streams progress and answers others meanwhile. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Metres per 1e-7° of latitude. */
const M_PER_UNIT = 111_320 / COORD_SCALE;

/** A feature as the checks leave it: polygons in degrees (GeoJSON MultiPolygon coordinates, rings closed). */
export interface CheckedFeature {
  index: number;
  code: string | null;
  name: string | null;
  parentCode: string | null;
  households: number | null;
  polygon: [number, number][][][];
}

export interface CheckedLayer {
  features: CheckedFeature[];
  /** The layer's topology (face ids are 1 + the position in `features`); null when errors stopped the checks. */
  topology: Topology | null;
  snapped: number;
}

const deg = (pts: PointTable, id: number): [number, number] => [
  pts.xs[id]! / COORD_SCALE,
  pts.ys[id]! / COORD_SCALE,
];

/** The ring turned to start at its smallest point id: two copies of one ring give the same key. */
function ringKey(ring: readonly number[]): string {
  let m = 0;
  for (let i = 1; i < ring.length; i++) if (ring[i]! < ring[m]!) m = i;
  return [...ring.slice(m), ...ring.slice(0, m)].join(',');
}

const featureKey = (f: ReadFeature) =>
  f.polygons
    .map((p) => p.map(ringKey).join('|'))
    .sort()
    .join('/');

function dropDuplicates(layer: ReadLayer, level: ImportLevel, problems: ProblemList): ReadFeature[] {
  const seen = new Map<string, ReadFeature>();
  const kept: ReadFeature[] = [];
  for (const f of layer.features) {
    const key = featureKey(f);
    const first = seen.get(key);
    if (first) {
      // The same shape twice: a repeated record is dropped; two codes on one shape is two grids in one place.
      const same = first.code === f.code;
      problems.add({
        reason: 'duplicate-feature',
        severity: same ? 'fixed' : 'error',
        feature: f.index,
        code: f.code,
        other: first.index,
        at: deg(layer.points, f.polygons[0]![0]![0]!),
      });
      if (same) continue;
    } else seen.set(key, f);
    kept.push(f);
  }
  const byCode = new Map<string, ReadFeature>();
  for (const f of kept) {
    const at = deg(layer.points, f.polygons[0]![0]![0]!);
    if (f.code === null) {
      // A grid without a code gets one on publish; a parent level is matched by its codes.
      problems.add({
        reason: 'missing-code',
        severity: level === 'grids' ? 'warning' : 'error',
        feature: f.index,
        code: null,
        at,
      });
      continue;
    }
    const first = byCode.get(f.code);
    if (first)
      problems.add({
        reason: 'duplicate-code',
        severity: 'error',
        feature: f.index,
        code: f.code,
        other: first.index,
        at,
      });
    else byCode.set(f.code, f);
  }
  return kept;
}

/** A uniform grid of buckets over the plane (x scaled by cos(latitude), so cells are square on the ground). */
class Buckets {
  private readonly cells = new Map<number, number[]>();
  constructor(
    private readonly size: number,
    private readonly kx: number,
  ) {}
  private cell(cx: number, cy: number): number {
    return (cx + 1_000_000) * 2_000_003 + cy;
  }
  range(x0: number, y0: number, x1: number, y1: number, each: (cellKey: number) => void): void {
    const cx0 = Math.floor((x0 * this.kx) / this.size);
    const cx1 = Math.floor((x1 * this.kx) / this.size);
    const cy0 = Math.floor(y0 / this.size);
    const cy1 = Math.floor(y1 / this.size);
    for (let cx = cx0; cx <= cx1; cx++) for (let cy = cy0; cy <= cy1; cy++) each(this.cell(cx, cy));
  }
  add(x0: number, y0: number, x1: number, y1: number, item: number): void {
    this.range(x0, y0, x1, y1, (k) => {
      const list = this.cells.get(k);
      if (list) list.push(item);
      else this.cells.set(k, [item]);
    });
  }
  near(x0: number, y0: number, x1: number, y1: number, each: (item: number) => void): void {
    this.range(x0, y0, x1, y1, (k) => {
      const list = this.cells.get(k);
      if (list) for (const i of list) each(i);
    });
  }
  get buckets(): IterableIterator<number[]> {
    return this.cells.values();
  }
}

interface Snapper {
  pts: PointTable;
  features: ReadFeature[];
  kx: number;
  tol: number;
  problems: ProblemList;
}

/** Lists a snap once per pair of features (positions in `features`): where it happened and how far it moved. */
function listSnap(s: Snapper, listed: Set<string>, from: number, to: number, at: number, d2: number): void {
  const pair = `${from}>${to}`;
  if (listed.has(pair)) return;
  listed.add(pair);
  const f = s.features[from]!;
  s.problems.add({
    reason: 'snapped',
    severity: 'fixed',
    feature: f.index,
    code: f.code,
    other: s.features[to]!.index,
    at: deg(s.pts, at),
    metres: Math.round(Math.sqrt(d2) * M_PER_UNIT * 100) / 100,
  });
}

/** Features using each point (by position in `features`). */
function ownersOf(pts: PointTable, features: readonly ReadFeature[]): number[][] {
  const owners: number[][] = Array.from({ length: pts.xs.length }, () => []);
  features.forEach((f, fi) => {
    for (const poly of f.polygons)
      for (const ring of poly)
        for (const p of ring) {
          const o = owners[p]!;
          if (o[o.length - 1] !== fi) o.push(fi);
        }
  });
  return owners;
}

const disjoint = (a: readonly number[], b: readonly number[]) => !a.some((x) => b.includes(x));

/** A ring without repeated points in a row and without spikes (a → b → a). */
function tidyRing(ring: number[]): number[] {
  const out: number[] = [];
  for (const p of ring) {
    if (out[out.length - 1] === p) continue;
    if (out.length >= 2 && out[out.length - 2] === p) {
      out.pop();
      continue;
    }
    out.push(p);
  }
  while (out.length > 1 && out[0] === out[out.length - 1]) out.pop();
  while (out.length >= 3 && out[1] === out[out.length - 1]) {
    out.shift();
    out.pop();
  }
  return out;
}

/** Snaps points of different features within the tolerance into one (the first met stays), listing each pair of features once. */
function snapPoints(s: Snapper): number {
  const { pts, features, kx, tol } = s;
  const owners = ownersOf(pts, features);
  const n = pts.xs.length;
  const target = new Int32Array(n).fill(-1);
  const reps = new Buckets(Math.max(tol, 1), kx);
  const listed = new Set<string>();
  let moved = 0;
  for (let i = 0; i < n; i++) {
    if (owners[i]!.length === 0) continue;
    const x = pts.xs[i]!;
    const y = pts.ys[i]!;
    let best = -1;
    let bestD = tol * tol;
    reps.near(x - tol / kx, y - tol, x + tol / kx, y + tol, (r) => {
      const dx = (pts.xs[r]! - x) * kx;
      const dy = pts.ys[r]! - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD && disjoint(owners[r]!, owners[i]!)) [best, bestD] = [r, d];
    });
    if (best < 0) {
      target[i] = i;
      reps.add(x, y, x, y, i);
      continue;
    }
    target[i] = best;
    owners[best]!.push(...owners[i]!);
    moved++;
    listSnap(s, listed, owners[i]![0]!, owners[best]![0]!, best, bestD);
  }
  if (moved)
    for (const f of features)
      f.polygons = f.polygons.map((poly) => poly.map((ring) => tidyRing(ring.map((p) => target[p]!))));
  return moved;
}

/**
 * Puts each point that lies within the tolerance of a neighbour's border segment (and is not one
 * of its ends) on that segment, and into it: a T-junction or a slightly open seam becomes a point
 * both features share.
 */
function snapOntoSegments(s: Snapper): number {
  const { pts, features, kx, tol } = s;
  const owners = ownersOf(pts, features);
  // Segments by their two ends (smaller id first), with the features that use them.
  const segA: number[] = [];
  const segB: number[] = [];
  const segOwners: number[][] = [];
  const segOf = new Map<string, number>();
  let total = 0;
  features.forEach((f, fi) => {
    for (const poly of f.polygons)
      for (const ring of poly)
        for (let i = 0; i < ring.length; i++) {
          const a = Math.min(ring[i]!, ring[(i + 1) % ring.length]!);
          const b = Math.max(ring[i]!, ring[(i + 1) % ring.length]!);
          const k = `${a},${b}`;
          let id = segOf.get(k);
          if (id === undefined) {
            id = segA.length;
            segA.push(a);
            segB.push(b);
            segOwners.push([]);
            segOf.set(k, id);
            const dx = (pts.xs[a]! - pts.xs[b]!) * kx;
            const dy = pts.ys[a]! - pts.ys[b]!;
            total += Math.sqrt(dx * dx + dy * dy);
          }
          const o = segOwners[id]!;
          if (!o.includes(fi)) o.push(fi);
        }
  });
  if (segA.length === 0) return 0;
  const size = Math.max(tol * 4, total / segA.length);
  const buckets = new Buckets(size, kx);
  for (let i = 0; i < segA.length; i++) {
    const a = segA[i]!;
    const b = segB[i]!;
    buckets.add(
      Math.min(pts.xs[a]!, pts.xs[b]!) - tol / kx,
      Math.min(pts.ys[a]!, pts.ys[b]!) - tol,
      Math.max(pts.xs[a]!, pts.xs[b]!) + tol / kx,
      Math.max(pts.ys[a]!, pts.ys[b]!) + tol,
      i,
    );
  }
  const inserts = new Map<number, { t: number; p: number }[]>();
  const listed = new Set<string>();
  let moved = 0;
  for (let p = 0; p < pts.xs.length; p++) {
    if (owners[p]!.length === 0) continue;
    const x = pts.xs[p]!;
    const y = pts.ys[p]!;
    let best = -1;
    let bestD = tol * tol;
    let bestT = 0;
    buckets.near(x, y, x, y, (sg) => {
      const a = segA[sg]!;
      const b = segB[sg]!;
      if (a === p || b === p || !disjoint(segOwners[sg]!, owners[p]!)) return;
      const ax = pts.xs[a]! * kx;
      const ay = pts.ys[a]!;
      const bx = pts.xs[b]! * kx - ax;
      const by = pts.ys[b]! - ay;
      const len2 = bx * bx + by * by;
      if (len2 === 0) return;
      const t = ((x * kx - ax) * bx + (y - ay) * by) / len2;
      if (t <= 0 || t >= 1) return;
      const dx = ax + t * bx - x * kx;
      const dy = ay + t * by - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD) [best, bestD, bestT] = [sg, d, t];
    });
    if (best < 0) continue;
    const a = segA[best]!;
    const b = segB[best]!;
    // On the segment (to the integer grid): both sides now run through the same point.
    pts.xs[p] = Math.round(pts.xs[a]! + bestT * (pts.xs[b]! - pts.xs[a]!));
    pts.ys[p] = Math.round(pts.ys[a]! + bestT * (pts.ys[b]! - pts.ys[a]!));
    let list = inserts.get(best);
    if (!list) inserts.set(best, (list = []));
    list.push({ t: bestT, p });
    if (bestD > 0) moved++;
    if (bestD > 0) listSnap(s, listed, owners[p]![0]!, segOwners[best]![0]!, p, bestD);
  }
  if (inserts.size === 0) return 0;
  for (const list of inserts.values()) list.sort((u, v) => u.t - v.t);
  for (const f of features)
    f.polygons = f.polygons.map((poly) =>
      poly.map((ring) => {
        const out: number[] = [];
        for (let i = 0; i < ring.length; i++) {
          const from = ring[i]!;
          const to = ring[(i + 1) % ring.length]!;
          out.push(from);
          const sg = segOf.get(`${Math.min(from, to)},${Math.max(from, to)}`);
          const list = sg === undefined ? undefined : inserts.get(sg);
          if (!list) continue;
          const forward = from < to;
          const ordered = forward ? list : [...list].reverse();
          for (const { p } of ordered) if (p !== from && p !== to) out.push(p);
        }
        return tidyRing(out);
      }),
    );
  return moved;
}

/**
 * Segments that cross or run along each other: within one feature a self-intersection, between
 * two an overlap (wider than the tolerance, or snapping would have joined them). A segment both
 * neighbours use in the same direction means one covers the other there: an overlap too.
 */
function findCrossings(
  pts: PointTable,
  features: readonly ReadFeature[],
  kx: number,
  problems: ProblemList,
): boolean {
  const segA: number[] = [];
  const segB: number[] = [];
  const segF: number[] = [];
  const directed = new Map<string, number>();
  const undirected = new Set<string>();
  let bad = false;
  let total = 0;
  const at = (a: number): [number, number] => deg(pts, a);
  features.forEach((f, fi) => {
    for (const poly of f.polygons)
      for (const ring of poly)
        for (let i = 0; i < ring.length; i++) {
          const a = ring[i]!;
          const b = ring[(i + 1) % ring.length]!;
          const dk = `${a}>${b}`;
          const other = directed.get(dk);
          if (other !== undefined) {
            bad = true;
            const same = other === fi;
            problems.add({
              reason: same ? 'self-intersection' : 'overlap',
              severity: 'error',
              feature: f.index,
              code: f.code,
              ...(same ? {} : { other: features[other]!.index }),
              at: at(a),
            });
            continue;
          }
          directed.set(dk, fi);
          const uk = a < b ? `${a},${b}` : `${b},${a}`;
          if (undirected.has(uk)) continue;
          undirected.add(uk);
          segA.push(a);
          segB.push(b);
          segF.push(fi);
          total += Math.abs(pts.xs[a]! - pts.xs[b]!) * kx + Math.abs(pts.ys[a]! - pts.ys[b]!);
        }
  });
  const buckets = new Buckets(Math.max(1, (2 * total) / Math.max(1, segA.length)), kx);
  for (let i = 0; i < segA.length; i++) {
    const a = segA[i]!;
    const b = segB[i]!;
    buckets.add(
      Math.min(pts.xs[a]!, pts.xs[b]!),
      Math.min(pts.ys[a]!, pts.ys[b]!),
      Math.max(pts.xs[a]!, pts.xs[b]!),
      Math.max(pts.ys[a]!, pts.ys[b]!),
      i,
    );
  }
  const q = (id: number): QPoint => [pts.xs[id]!, pts.ys[id]!];
  const checked = new Set<number>();
  const listed = new Set<string>();
  for (const bucket of buckets.buckets) {
    for (let u = 0; u < bucket.length; u++)
      for (let v = u + 1; v < bucket.length; v++) {
        const i = Math.min(bucket[u]!, bucket[v]!);
        const j = Math.max(bucket[u]!, bucket[v]!);
        const pair = i * segA.length + j;
        if (checked.has(pair)) continue;
        checked.add(pair);
        const a = q(segA[i]!);
        const b = q(segB[i]!);
        const c = q(segA[j]!);
        const d = q(segB[j]!);
        // Boxes apart: the common case in a bucket, decided without the exact predicates.
        if (
          Math.max(a[0], b[0]) < Math.min(c[0], d[0]) ||
          Math.max(c[0], d[0]) < Math.min(a[0], b[0]) ||
          Math.max(a[1], b[1]) < Math.min(c[1], d[1]) ||
          Math.max(c[1], d[1]) < Math.min(a[1], b[1])
        )
          continue;
        if (!segmentsMeet(a, b, c, d)) continue;
        bad = true;
        const fi = segF[i]!;
        const fj = segF[j]!;
        const key = `${Math.min(fi, fj)}-${Math.max(fi, fj)}`;
        if (listed.has(key)) continue;
        listed.add(key);
        const x = crossingOn(a, b, c, d);
        const where: [number, number] = x
          ? [(a[0] + x.s * (b[0] - a[0])) / COORD_SCALE, (a[1] + x.s * (b[1] - a[1])) / COORD_SCALE]
          : at(segB[i]!);
        const f = features[fi]!;
        problems.add({
          reason: fi === fj ? 'self-intersection' : 'overlap',
          severity: 'error',
          feature: f.index,
          code: f.code,
          ...(fi === fj ? {} : { other: features[fj]!.index }),
          at: where,
        });
      }
  }
  return bad;
}

/**
 * Holes between neighbours: the boundary of the layer walked with the outside on the left; a ring
 * of it that turns counter-clockwise encloses ground no feature covers.
 */
export function layerGaps(t: Topology): { at: [number, number]; areaUnits2: number }[] {
  type Half = { edge: number; forward: boolean; from: number; to: number };
  const out = new Map<number, Half[]>();
  const halves: Half[] = [];
  for (const e of t.edges.values()) {
    const hs: Half[] = [];
    if (e.left === null) hs.push({ edge: e.id, forward: true, from: e.start, to: e.end });
    if (e.right === null) hs.push({ edge: e.id, forward: false, from: e.end, to: e.start });
    for (const h of hs) {
      halves.push(h);
      let l = out.get(h.from);
      if (!l) out.set(h.from, (l = []));
      l.push(h);
    }
  }
  const pointsOf = (h: Half) => edgePoints(t, { edge: h.edge as never, forward: h.forward });
  const seen = new Set<Half>();
  const gaps: { at: [number, number]; areaUnits2: number }[] = [];
  for (const start of halves) {
    if (seen.has(start)) continue;
    const ring: QPoint[] = [];
    let h: Half | undefined = start;
    while (h && !seen.has(h)) {
      seen.add(h);
      const pts = pointsOf(h);
      ring.push(...pts.slice(0, -1));
      const cands: Half[] = out.get(h.to) ?? [];
      if (cands.length <= 1) {
        h = cands[0];
        continue;
      }
      // Outside on the left: the sharpest left turn, the first candidate clockwise from the way back.
      const v = pts[pts.length - 1]!;
      const back = pts[pts.length - 2]!;
      const aBack = Math.atan2(back[1] - v[1], back[0] - v[0]);
      let best: Half | undefined;
      let bestA = Infinity;
      for (const c of cands) {
        if (seen.has(c)) continue;
        const n = pointsOf(c)[1]!;
        let a = aBack - Math.atan2(n[1] - v[1], n[0] - v[0]);
        while (a <= 0) a += 2 * Math.PI;
        if (a < bestA) [best, bestA] = [c, a];
      }
      h = best;
    }
    let s = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const cross = ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
      s += cross;
      cx += ring[i]![0];
      cy += ring[i]![1];
    }
    if (s > 0 && ring.length)
      gaps.push({ at: [cx / ring.length / COORD_SCALE, cy / ring.length / COORD_SCALE], areaUnits2: s / 2 });
  }
  return gaps;
}

/** Lists the holes between neighbours of a layer (layerGaps) as refusals, with their place and area in m². */
export function listGaps(t: Topology, problems: ProblemList): void {
  let sum = 0;
  for (const n of t.nodes.values()) sum += n.at[1];
  const kx = Math.cos(((t.nodes.size ? sum / t.nodes.size / COORD_SCALE : 0) * Math.PI) / 180);
  const m2 = M_PER_UNIT * M_PER_UNIT * kx;
  for (const gap of layerGaps(t))
    problems.add({
      reason: 'gap',
      severity: 'error',
      feature: null,
      code: null,
      at: gap.at,
      metres: Math.round(gap.areaUnits2 * m2),
    });
}

/**
 * Checks a layer read from a file: duplicates and codes, snapping within `toleranceM`, crossings,
 * overlaps and gaps; builds its topology when nothing is wrong (unless `topology` is false: the
 * importer builds the layer's topology in its plan edit and lists the gaps from that one).
 */
export async function checkLayer(
  layer: ReadLayer,
  opts: { level: ImportLevel; toleranceM: number; topology?: boolean },
  problems: ProblemList,
  progress: ImportProgressListener = () => undefined,
): Promise<CheckedLayer> {
  const pts = layer.points;
  const features = dropDuplicates(layer, opts.level, problems);
  let latSum = 0;
  for (const y of pts.ys) latSum += y;
  const lat0 = pts.ys.length ? latSum / pts.ys.length / COORD_SCALE : 0;
  const kx = Math.cos((lat0 * Math.PI) / 180);
  const tol = opts.toleranceM / M_PER_UNIT;
  progress({ phase: 'snap', fraction: 0.3 });
  let snapped = 0;
  if (tol >= 1) {
    const s: Snapper = { pts, features, kx, tol, problems };
    snapped = snapPoints(s);
    progress({ phase: 'snap', fraction: 0.4 });
    await nextTurn();
    snapped += snapOntoSegments(s);
  }
  // A feature snapping crushed to nothing is refused (it was a sliver narrower than the tolerance).
  for (const f of features)
    for (const poly of f.polygons)
      for (const ring of poly)
        if (ring.length < 3 || idRingArea(pts, ring) === 0)
          problems.add({
            reason: 'degenerate-ring',
            severity: 'error',
            feature: f.index,
            code: f.code,
            at: ring[0] === undefined ? null : deg(pts, ring[0]),
          });
  progress({ phase: 'check', fraction: 0.5 });
  await nextTurn();
  const crossing = findCrossings(pts, features, kx, problems);
  const checked: CheckedFeature[] = features.map((f) => ({
    index: f.index,
    code: f.code,
    name: f.name,
    parentCode: f.parentCode,
    households: f.households,
    polygon: f.polygons.map((poly: IdPolygon) =>
      poly.map((ring) => {
        const r = ring.map((p) => deg(pts, p));
        r.push(r[0]!);
        return r;
      }),
    ),
  }));
  if (problems.errors > 0 || crossing) return { features: checked, topology: null, snapped };
  if (!opts.topology) return { features: checked, topology: null, snapped };
  progress({ phase: 'topology', fraction: 0.65 });
  await nextTurn();
  const { topology } = buildTopology(
    checked.map((f, i) => ({ id: (i + 1) as GridId, parentId: 0 as UnitId, polygon: f.polygon })),
  );
  listGaps(topology, problems);
  return { features: checked, topology: problems.errors > 0 ? null : topology, snapped };
}

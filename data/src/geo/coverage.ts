// A polygon coverage on an integer lattice: the cells of a partition, snap-rounded together as
// one arrangement and stored as shared edges (a planar graph whose faces are labelled with the
// cell they belong to). Every polygon written from it — a cell, or the union of any set of
// cells — is made of the same lattice edges, so neighbours share their boundary vertex for
// vertex at every level, and nothing thinner than the lattice survives as a spike, a slit or
// a zero-width second part.
//
// Why snap rounding (Hobby; Guibas & Marimont): rounding each polygon's vertices on its own
// lets a vertex cross a nearby edge, turns a notch thinner than the lattice into a zero-width
// spike and splits a polygon along a slit. Snap rounding routes every segment through every
// "hot pixel" (a lattice square holding a vertex or an intersection) it passes, which keeps
// the arrangement planar: fragments meet only at their ends. Faces are then labelled by
// winding number, which is exact whatever collapsed.

import Flatbush from 'flatbush';

/** A point in lattice units: the lattice points are the integers. */
export type LatticeXY = [number, number];

/** One cell: polygons of rings (first outer), in lattice units, open or closed. */
export type CellRings = readonly (readonly (readonly LatticeXY[])[])[];

export interface CoverageOptions {
  /**
   * Cells of the same group are preferred when a stray piece must join a neighbour (the
   * district of a grid cell), so pieces stay on their side of a group border where they can.
   */
  group?: readonly number[];
  /**
   * Uncovered faces of at most this area (lattice units²) that the cells surround are cracks
   * between them and are given to a neighbour; bigger ones are holes and stay. Default 1e4.
   */
  maxGapArea?: number;
}

/** A region's polygons in lattice integers, first ring outer (counter-clockwise), then holes. */
export type LatticeMultiPolygon = LatticeXY[][][];

export interface Coverage {
  /** Cells sharing at least one edge with each cell, ascending. */
  neighbours(): number[][];
  /** Area of each cell in lattice units² (0 when it vanished). */
  cellAreas(): Float64Array;
  /**
   * The polygons of every region, where `regionOf(cell)` puts each cell in a region (or -1 for
   * none): a region's boundary is the cell edges with another region (or nothing) on the other
   * side. Rings are closed; all vertices on them are kept, so two regions' common boundary has
   * the same vertices whichever way it is read.
   */
  regions(count: number, regionOf: (cell: number) => number): LatticeMultiPolygon[];
}

const cross = (ax: number, ay: number, bx: number, by: number): number => ax * by - ay * bx;

/** Upper half-plane (angle in [0, π)) first, then counter-clockwise within a half: exact on integers. */
function compareDirection(ax: number, ay: number, bx: number, by: number): number {
  const ha = ay > 0 || (ay === 0 && ax > 0) ? 0 : 1;
  const hb = by > 0 || (by === 0 && bx > 0) ? 0 : 1;
  if (ha !== hb) return ha - hb;
  return -Math.sign(cross(ax, ay, bx, by));
}

/** Parameters where segment a→b is inside the closed square of half-side 0.5 around c, or null. */
function clipToPixel(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
): [number, number] | null {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  const sides: [number, number][] = [
    [-dx, ax - (cx - 0.5)],
    [dx, cx + 0.5 - ax],
    [-dy, ay - (cy - 0.5)],
    [dy, cy + 0.5 - ay],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return null;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return null;
      if (r < t1) t1 = r;
    }
  }
  return [t0, t1];
}

/** Snap-rounds the cells' rings to the integer lattice and labels the faces with cells. */
export function buildCoverage(cells: readonly CellRings[], options: CoverageOptions = {}): Coverage {
  const maxGapArea = options.maxGapArea ?? 1e4;

  // 1. Rings (outer counter-clockwise, holes clockwise, so the cell is on the left of every
  //    segment) and their distinct segments; neighbours share Voronoi edges bit for bit, so
  //    most segments are shared and routed once.
  const segKey = new Map<string, number>();
  const seg: number[] = [];
  const rings: { cell: number; segs: number[] }[] = [];
  cells.forEach((polys, cell) => {
    for (const poly of polys)
      poly.forEach((raw, ri) => {
        const pts = raw.filter((p, i) => i === 0 || p[0] !== raw[i - 1]![0] || p[1] !== raw[i - 1]![1]);
        const f = pts[0];
        const l = pts[pts.length - 1];
        if (f && l && pts.length > 1 && f[0] === l[0] && f[1] === l[1]) pts.pop();
        if (pts.length < 3) return;
        let area = 0;
        for (let i = 0, j = pts.length - 1; i < pts.length; j = i++)
          area += cross(pts[j]![0] - f![0], pts[j]![1] - f![1], pts[i]![0] - f![0], pts[i]![1] - f![1]);
        if (area === 0) return;
        if ((ri === 0) !== area > 0) pts.reverse();
        const segs: number[] = [];
        for (let i = 0; i < pts.length; i++) {
          const a = pts[i]!;
          const b = pts[(i + 1) % pts.length]!;
          const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
          const [p, q] = forward ? [a, b] : [b, a];
          const k = `${p[0]},${p[1]},${q[0]},${q[1]}`;
          let s = segKey.get(k);
          if (s === undefined) {
            s = seg.length / 4;
            segKey.set(k, s);
            seg.push(p[0], p[1], q[0], q[1]);
          }
          // Segment s, walked forward (2s) or backward (2s + 1).
          segs.push(forward ? 2 * s : 2 * s + 1);
        }
        rings.push({ cell, segs });
      });
  });
  const nSeg = seg.length / 4;

  // 2. Hot pixels: every vertex and every intersection of two segments, rounded.
  const pixelKey = new Map<string, number>();
  const px: number[] = [];
  const py: number[] = [];
  const hot = (x: number, y: number): number => {
    const ix = Math.round(x);
    const iy = Math.round(y);
    const k = `${ix},${iy}`;
    let id = pixelKey.get(k);
    if (id === undefined) {
      id = px.length;
      pixelKey.set(k, id);
      px.push(ix);
      py.push(iy);
    }
    return id;
  };
  for (let s = 0; s < nSeg; s++) {
    hot(seg[4 * s]!, seg[4 * s + 1]!);
    hot(seg[4 * s + 2]!, seg[4 * s + 3]!);
  }
  const segIndex = new Flatbush(Math.max(1, nSeg));
  for (let s = 0; s < nSeg; s++) {
    const [ax, ay, bx, by] = [seg[4 * s]!, seg[4 * s + 1]!, seg[4 * s + 2]!, seg[4 * s + 3]!];
    segIndex.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
  }
  if (nSeg === 0) segIndex.add(0, 0, 0, 0);
  segIndex.finish();
  for (let s = 0; s < nSeg; s++) {
    const [ax, ay, bx, by] = [seg[4 * s]!, seg[4 * s + 1]!, seg[4 * s + 2]!, seg[4 * s + 3]!];
    for (const t of segIndex.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
      if (t <= s) continue;
      const [cx, cy, dx, dy] = [seg[4 * t]!, seg[4 * t + 1]!, seg[4 * t + 2]!, seg[4 * t + 3]!];
      const den = cross(bx - ax, by - ay, dx - cx, dy - cy);
      // Parallel segments meet, if at all, at each other's ends, which are hot already.
      if (den === 0) continue;
      const u = cross(cx - ax, cy - ay, dx - cx, dy - cy) / den;
      const v = cross(cx - ax, cy - ay, bx - ax, by - ay) / den;
      if (u < 0 || u > 1 || v < 0 || v > 1) continue;
      hot(ax + u * (bx - ax), ay + u * (by - ay));
    }
  }

  // 3. Each segment becomes the chain of hot pixels it passes, in order along it.
  const pixelIndex = new Flatbush(Math.max(1, px.length));
  for (let i = 0; i < px.length; i++) pixelIndex.add(px[i]!, py[i]!, px[i]!, py[i]!);
  if (px.length === 0) pixelIndex.add(0, 0, 0, 0);
  pixelIndex.finish();
  const chains: number[][] = [];
  for (let s = 0; s < nSeg; s++) {
    const [ax, ay, bx, by] = [seg[4 * s]!, seg[4 * s + 1]!, seg[4 * s + 2]!, seg[4 * s + 3]!];
    const hits: [number, number][] = [];
    for (const p of pixelIndex.search(
      Math.min(ax, bx) - 0.5,
      Math.min(ay, by) - 0.5,
      Math.max(ax, bx) + 0.5,
      Math.max(ay, by) + 0.5,
    )) {
      const clip = clipToPixel(ax, ay, bx, by, px[p]!, py[p]!);
      if (clip) hits.push([(clip[0] + clip[1]) / 2, p]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const first = pixelKey.get(`${Math.round(ax)},${Math.round(ay)}`)!;
    const last = pixelKey.get(`${Math.round(bx)},${Math.round(by)}`)!;
    const chain = [first];
    for (const [, p] of hits) if (p !== chain[chain.length - 1] && p !== first && p !== last) chain.push(p);
    if (last !== chain[chain.length - 1]) chain.push(last);
    chains.push(chain);
  }

  // 4. The graph: lattice nodes, edges between them (each stored once), and which cells walk
  //    each half-edge (edge e runs from its lower node to its higher as 2e, back as 2e + 1).
  const nodeOfPixel = new Int32Array(px.length).fill(-1);
  const nx: number[] = [];
  const ny: number[] = [];
  const node = (p: number): number => {
    let n = nodeOfPixel[p]!;
    if (n < 0) {
      n = nx.length;
      nodeOfPixel[p] = n;
      nx.push(px[p]!);
      ny.push(py[p]!);
    }
    return n;
  };
  const edgeKey = new Map<number, number>();
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const walkers: number[][] = [];
  const halfEdge = (a: number, b: number): number => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const k = lo * 0x4000000 + hi;
    let e = edgeKey.get(k);
    if (e === undefined) {
      e = edgeFrom.length;
      edgeKey.set(k, e);
      edgeFrom.push(lo);
      edgeTo.push(hi);
      walkers.push([], []);
    }
    return a === lo ? 2 * e : 2 * e + 1;
  };
  for (const ring of rings) {
    const seq: number[] = [];
    for (const ds of ring.segs) {
      const chain = chains[ds >> 1]!;
      const ordered = ds & 1 ? [...chain].reverse() : chain;
      for (const p of ordered) {
        const n = node(p);
        if (n !== seq[seq.length - 1]) seq.push(n);
      }
    }
    if (seq.length > 1 && seq[0] === seq[seq.length - 1]) seq.pop();
    for (let i = 0; i < seq.length && seq.length > 1; i++)
      walkers[halfEdge(seq[i]!, seq[(i + 1) % seq.length]!)]!.push(ring.cell);
  }
  const nEdge = edgeFrom.length;
  const origin = (h: number): number => (h & 1 ? edgeTo[h >> 1]! : edgeFrom[h >> 1]!);
  assertPlanar(nx, ny, edgeFrom, edgeTo);

  // Outgoing half-edges around each node, counter-clockwise.
  const out: number[][] = nx.map(() => []);
  for (let h = 0; h < 2 * nEdge; h++) out[origin(h)]!.push(h);
  const slot = new Int32Array(2 * nEdge);
  out.forEach((list, n) => {
    const dir = (h: number): [number, number] => {
      const m = origin(h ^ 1);
      return [nx[m]! - nx[n]!, ny[m]! - ny[n]!];
    };
    list.sort((a, b) => {
      const [ax, ay] = dir(a);
      const [bx, by] = dir(b);
      return compareDirection(ax, ay, bx, by);
    });
    list.forEach((h, i) => {
      slot[h] = i;
    });
  });
  /** The outgoing half-edge next clockwise from outgoing half-edge h around its origin. */
  const clockwise = (h: number): number => {
    const list = out[origin(h)]!;
    return list[(slot[h]! - 1 + list.length) % list.length]!;
  };
  // The face on the left of h continues with the edge next clockwise from h's reverse.
  const next = (h: number): number => clockwise(h ^ 1);

  // 5. Faces, their areas, and the cells covering them by winding number.
  const faceOf = new Int32Array(2 * nEdge).fill(-1);
  const faceFirst: number[] = [];
  const faceArea: number[] = [];
  for (let h = 0; h < 2 * nEdge; h++) {
    if (faceOf[h]! >= 0) continue;
    const f = faceFirst.length;
    faceFirst.push(h);
    const o = origin(h);
    let area = 0;
    let g = h;
    do {
      faceOf[g] = f;
      const a = origin(g);
      const b = origin(g ^ 1);
      area += cross(nx[a]! - nx[o]!, ny[a]! - ny[o]!, nx[b]! - nx[o]!, ny[b]! - ny[o]!);
      g = next(g);
    } while (g !== h);
    faceArea.push(area / 2);
  }
  const nFace = faceFirst.length;
  const label = new Int32Array(nFace).fill(-1);
  const winding: (Map<number, number> | null)[] = new Array<Map<number, number> | null>(nFace).fill(null);
  const queue: number[] = [];
  // Each connected piece of the graph has one face that is not bounded (area ≤ 0): outside
  // every cell. Cells are never nested inside one another's holes with nothing between, so
  // the outside of each piece is outside everything.
  for (let f = 0; f < nFace; f++)
    if (faceArea[f]! <= 0) {
      winding[f] = new Map();
      queue.push(f);
    }
  while (queue.length > 0) {
    const f = queue.pop()!;
    const w = winding[f]!;
    let h = faceFirst[f]!;
    do {
      const g = faceOf[h ^ 1]!;
      if (winding[g] === null) {
        // Crossing h from its left (f) to its right (g): leaving the cells that walk h,
        // entering those that walk its reverse.
        const m = new Map(w);
        for (const c of walkers[h]!) m.set(c, (m.get(c) ?? 0) - 1);
        for (const c of walkers[h ^ 1]!) m.set(c, (m.get(c) ?? 0) + 1);
        for (const [c, k] of m) if (k === 0) m.delete(c);
        winding[g] = m;
        queue.push(g);
      }
      h = next(h);
    } while (h !== faceFirst[f]);
  }
  for (let f = 0; f < nFace; f++) {
    if (faceArea[f]! <= 0) continue;
    let best = -1;
    // Where two cells overlap (clipped against neighbouring zones that overlap a little), the
    // face goes to the first; the other keeps the rest of itself.
    for (const [c, k] of winding[f] ?? []) if (k > 0 && (best < 0 || c < best)) best = c;
    label[f] = best;
  }

  const edgeLength = (h: number): number => {
    const a = origin(h);
    const b = origin(h ^ 1);
    return Math.hypot(nx[a]! - nx[b]!, ny[a]! - ny[b]!);
  };
  /** Length of boundary face f shares with each labelled neighbour. */
  const borders = (faces: readonly number[]): Map<number, number> => {
    const inside = new Set(faces);
    const m = new Map<number, number>();
    for (const f of faces) {
      let h = faceFirst[f]!;
      do {
        const g = faceOf[h ^ 1]!;
        const c = label[g]!;
        if (!inside.has(g) && c >= 0) m.set(c, (m.get(c) ?? 0) + edgeLength(h));
        h = next(h);
      } while (h !== faceFirst[f]);
    }
    return m;
  };
  const pick = (m: Map<number, number>, own: number): number => {
    let best = -1;
    let bestLen = -1;
    const same = (c: number): boolean =>
      own >= 0 && options.group !== undefined && options.group[c] === options.group[own];
    for (const [c, len] of m) {
      // A neighbour in the same group beats any other; then the longest common border.
      const better =
        best < 0 ||
        (same(c) && !same(best)) ||
        (same(c) === same(best) && (len > bestLen || (len === bestLen && c < best)));
      if (better) {
        best = c;
        bestLen = len;
      }
    }
    return best;
  };

  // 6. Cracks between cells that are wider than the lattice (gaps between zones' clippings)
  //    go to the neighbour they share most boundary with.
  for (let changed = true; changed;) {
    changed = false;
    for (let f = 0; f < nFace; f++) {
      if (label[f]! >= 0 || faceArea[f]! <= 0 || faceArea[f]! > maxGapArea) continue;
      const c = pick(borders([f]), -1);
      if (c >= 0) {
        label[f] = c;
        changed = true;
      }
    }
  }

  // 7. One piece per cell: a clipped Voronoi cell can fall into pieces (a bay of the zone
  //    runs through it, or an overlap took its middle). The biggest piece is the cell; each
  //    other piece joins the neighbour it shares most boundary with, so no land is lost.
  for (let round = 0; round < 8; round++) {
    const parent = new Int32Array(nFace);
    for (let f = 0; f < nFace; f++) parent[f] = f;
    const find = (f: number): number => {
      while (parent[f] !== f) {
        parent[f] = parent[parent[f]!]!;
        f = parent[f]!;
      }
      return f;
    };
    for (let e = 0; e < nEdge; e++) {
      const a = faceOf[2 * e]!;
      const b = faceOf[2 * e + 1]!;
      if (label[a]! >= 0 && label[a] === label[b]) parent[find(a)] = find(b);
    }
    const pieces = new Map<number, number[]>();
    for (let f = 0; f < nFace; f++) {
      if (label[f]! < 0) continue;
      const r = find(f);
      const list = pieces.get(r);
      if (list) list.push(f);
      else pieces.set(r, [f]);
    }
    const byCell = new Map<number, number[][]>();
    for (const faces of pieces.values()) {
      const c = label[faces[0]!]!;
      const list = byCell.get(c);
      if (list) list.push(faces);
      else byCell.set(c, [faces]);
    }
    let moved = 0;
    for (const [c, list] of [...byCell.entries()].sort((a, b) => a[0] - b[0])) {
      if (list.length < 2) continue;
      const area = (faces: readonly number[]): number => faces.reduce((a, f) => a + faceArea[f]!, 0);
      list.sort((a, b) => area(b) - area(a) || a[0]! - b[0]!);
      for (const faces of list.slice(1)) {
        const to = pick(borders(faces), c);
        // An island with no neighbour stays a second part of its cell.
        if (to < 0 || to === c) continue;
        for (const f of faces) label[f] = to;
        moved++;
      }
    }
    if (moved === 0) break;
  }

  return {
    neighbours() {
      const sets = cells.map(() => new Set<number>());
      for (let e = 0; e < nEdge; e++) {
        const a = label[faceOf[2 * e]!]!;
        const b = label[faceOf[2 * e + 1]!]!;
        if (a < 0 || b < 0 || a === b) continue;
        sets[a]!.add(b);
        sets[b]!.add(a);
      }
      return sets.map((s) => [...s].sort((x, y) => x - y));
    },
    cellAreas() {
      const areas = new Float64Array(cells.length);
      for (let f = 0; f < nFace; f++) if (label[f]! >= 0) areas[label[f]!] = areas[label[f]!]! + faceArea[f]!;
      return areas;
    },
    regions(count, regionOf) {
      const regionOfFace = (f: number): number => (label[f]! < 0 ? -1 : regionOf(label[f]!));
      const isBoundary = (h: number): boolean => {
        const r = regionOfFace(faceOf[h]!);
        return r >= 0 && r !== regionOfFace(faceOf[h ^ 1]!);
      };
      const shells: LatticeXY[][][] = Array.from({ length: count }, () => []);
      const holes: LatticeXY[][][] = Array.from({ length: count }, () => []);
      const seen = new Uint8Array(2 * nEdge);
      for (let h0 = 0; h0 < 2 * nEdge; h0++) {
        if (seen[h0] || !isBoundary(h0)) continue;
        const r = regionOfFace(faceOf[h0]!);
        const walk: number[] = [];
        let h = h0;
        do {
          seen[h] = 1;
          walk.push(origin(h));
          // Turn clockwise around the end node through the region's own faces to the next edge
          // with something else on its right: two parts of a region that touch at a node get
          // a ring each.
          let g = h ^ 1;
          do g = clockwise(g);
          while (!isBoundary(g));
          h = g;
        } while (h !== h0);
        // A hole that touches the outer ring at a node comes out of the walk as a loop of the
        // outer ring (an "inverted" ring, which OGC and JTS reject): cut every loop off at the
        // node it returns to; clockwise loops are holes.
        for (const loop of splitLoops(walk)) {
          const ring: LatticeXY[] = loop.map((n) => [nx[n]!, ny[n]!]);
          ring.push([ring[0]![0], ring[0]![1]]);
          let area = 0;
          const [ox, oy] = ring[0]!;
          for (let i = 0; i + 1 < ring.length; i++)
            area += cross(ring[i]![0] - ox, ring[i]![1] - oy, ring[i + 1]![0] - ox, ring[i + 1]![1] - oy);
          (area > 0 ? shells : holes)[r]!.push(ring);
        }
      }
      return shells.map((list, r) => {
        const polys: LatticeMultiPolygon = list.map((s) => [s]);
        for (const hole of holes[r]!) {
          const target =
            polys.length === 1 ? polys[0] : (polys.find((p) => ringContainsRing(p[0]!, hole)) ?? polys[0]);
          target?.push(hole);
        }
        return polys;
      });
    },
  };
}

/** A closed walk through nodes cut into simple loops wherever it comes back to a node it passed. */
function splitLoops(walk: readonly number[]): number[][] {
  const loops: number[][] = [];
  const stack: number[] = [];
  const at = new Map<number, number>();
  for (const n of walk) {
    const i = at.get(n);
    if (i !== undefined) {
      const loop = stack.splice(i);
      for (const m of loop) at.delete(m);
      loops.push(loop);
    }
    at.set(n, stack.length);
    stack.push(n);
  }
  if (stack.length > 0) loops.push(stack);
  return loops;
}

/** True when `inner` lies inside `outer` (rings of one planar arrangement: tested at an edge midpoint). */
function ringContainsRing(outer: readonly LatticeXY[], inner: readonly LatticeXY[]): boolean {
  const x = (inner[0]![0] + inner[1]![0]) / 2;
  const y = (inner[0]![1] + inner[1]![1]) / 2;
  let inside = false;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const a = outer[i]!;
    const b = outer[j]!;
    if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/**
 * Snap rounding's promise, checked exactly on the integers: edges meet only at shared ends. A
 * broken promise would be a bug here, and every polygon built on it would be wrong.
 */
function assertPlanar(
  nx: readonly number[],
  ny: readonly number[],
  from: readonly number[],
  to: readonly number[],
): void {
  const n = from.length;
  if (n === 0) return;
  const index = new Flatbush(n);
  for (let e = 0; e < n; e++) {
    const a = from[e]!;
    const b = to[e]!;
    index.add(
      Math.min(nx[a]!, nx[b]!),
      Math.min(ny[a]!, ny[b]!),
      Math.max(nx[a]!, nx[b]!),
      Math.max(ny[a]!, ny[b]!),
    );
  }
  index.finish();
  const orient = (a: number, b: number, c: number): number =>
    Math.sign(cross(nx[b]! - nx[a]!, ny[b]! - ny[a]!, nx[c]! - nx[a]!, ny[c]! - ny[a]!));
  /** c strictly inside segment a–b. */
  const within = (a: number, b: number, c: number): boolean =>
    orient(a, b, c) === 0 &&
    Math.min(nx[a]!, nx[b]!) <= nx[c]! &&
    nx[c]! <= Math.max(nx[a]!, nx[b]!) &&
    Math.min(ny[a]!, ny[b]!) <= ny[c]! &&
    ny[c]! <= Math.max(ny[a]!, ny[b]!) &&
    c !== a &&
    c !== b;
  for (let e = 0; e < n; e++) {
    const a = from[e]!;
    const b = to[e]!;
    for (const f of index.search(
      Math.min(nx[a]!, nx[b]!),
      Math.min(ny[a]!, ny[b]!),
      Math.max(nx[a]!, nx[b]!),
      Math.max(ny[a]!, ny[b]!),
    )) {
      if (f <= e) continue;
      const c = from[f]!;
      const d = to[f]!;
      const touching = within(a, b, c) || within(a, b, d) || within(c, d, a) || within(c, d, b);
      const crossing =
        a !== c &&
        a !== d &&
        b !== c &&
        b !== d &&
        orient(a, b, c) * orient(a, b, d) < 0 &&
        orient(c, d, a) * orient(c, d, b) < 0;
      if (touching || crossing)
        throw new Error(`coverage: edges cross near lattice point ${nx[a]},${ny[a]} (snap rounding failed)`);
    }
  }
}

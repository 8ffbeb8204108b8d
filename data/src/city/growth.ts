// Grouping cells into units. Children must tile their parent, so units are built from whole
// cells: each unit grows outward from a seed cell across shared edges (so it stays in one
// piece) until it holds its quota, nearer cells first (so it stays compact).

import type { Rng } from '../random.ts';
import type { XY } from '../geo/plane.ts';

export interface GrowthCell {
  x: number;
  y: number;
  /** 0 = urban, 1 = rural: a unit's quota is counted per class. */
  cls: 0 | 1;
  /** What the cell counts for against a quota (1 for a grid, its area for a parcel). */
  weight: number;
}

export interface GrowthRegion {
  /** Index of the cell the region starts from (distinct per region), or -1 to grow only from cells it already owns. */
  seed: number;
  /** Where distances are measured from. */
  at: XY;
  /** Quota per class [urban, rural]. */
  quota: [number, number];
}

export interface GrowthOptions {
  /** Cells already owned (region index) before this pass, -1 for free; they do not count against quotas. */
  owner?: Int32Array;
  /** Cells this pass may take (default: all). Cells outside stay free for a later pass. */
  allow?: Uint8Array;
  /**
   * 'distance' (default): a cell's cost is its straight distance from the region's `at`.
   * 'path': the length of the path through the region's own cells, so a region that already
   * owns cells grows outward from its edge (used when growing from pre-owned cells).
   */
  metric?: 'distance' | 'path';
  /** Scale costs by each region's reach (default true); false grows all regions at one speed. */
  weighted?: boolean;
  /** Give cells no region could take within its quota to a neighbour (default true); false leaves them free. */
  fill?: boolean;
}

/** Binary min-heap of (priority, region, cell) with deterministic tie-breaks. */
class Heap {
  private pr: number[] = [];
  private rg: number[] = [];
  private cl: number[] = [];
  get size(): number {
    return this.pr.length;
  }
  private less(i: number, j: number): boolean {
    const a = this.pr[i]!;
    const b = this.pr[j]!;
    if (a !== b) return a < b;
    if (this.rg[i] !== this.rg[j]) return this.rg[i]! < this.rg[j]!;
    return this.cl[i]! < this.cl[j]!;
  }
  private swap(i: number, j: number): void {
    [this.pr[i], this.pr[j]] = [this.pr[j]!, this.pr[i]!];
    [this.rg[i], this.rg[j]] = [this.rg[j]!, this.rg[i]!];
    [this.cl[i], this.cl[j]] = [this.cl[j]!, this.cl[i]!];
  }
  push(p: number, r: number, c: number): void {
    this.pr.push(p);
    this.rg.push(r);
    this.cl.push(c);
    let i = this.pr.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): [number, number, number] {
    const top: [number, number, number] = [this.pr[0]!, this.rg[0]!, this.cl[0]!];
    const lastP = this.pr.pop()!;
    const lastR = this.rg.pop()!;
    const lastC = this.cl.pop()!;
    if (this.pr.length > 0) {
      this.pr[0] = lastP;
      this.rg[0] = lastR;
      this.cl[0] = lastC;
      let i = 0;
      const n = this.pr.length;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && this.less(l, m)) m = l;
        if (r < n && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

/**
 * Assigns cells to regions. Distances are scaled by each region's reach (the square root of its
 * total quota) so that a big unit extends further than a small one, like a weighted Voronoi
 * diagram that follows cell edges. Cells no region could take within its quota go to the
 * adjacent region that is nearest in that scaled distance; allowed cells with no path to any
 * region (islands) go to the nearest region outright. Returns the owner of every cell (-1 for
 * cells not allowed in this pass and not owned before).
 */
export function growRegions(
  cells: readonly GrowthCell[],
  neighbours: readonly (readonly number[])[],
  regions: readonly GrowthRegion[],
  options: GrowthOptions = {},
): Int32Array {
  const owner = options.owner ? Int32Array.from(options.owner) : new Int32Array(cells.length).fill(-1);
  const allow = options.allow;
  const free = (c: number): boolean => owner[c] === -1 && (!allow || allow[c] === 1);
  const used: [number, number][] = regions.map(() => [0, 0]);
  const reach = regions.map((r) => {
    if (options.weighted === false) return 1;
    const q = Math.min(r.quota[0], 1e6) + Math.min(r.quota[1], 1e6);
    return Math.sqrt(Math.max(1, q));
  });
  const cost = (r: number, c: number): number => {
    const reg = regions[r]!;
    const cell = cells[c]!;
    return Math.hypot(cell.x - reg.at[0], cell.y - reg.at[1]) / reach[r]!;
  };
  const path = options.metric === 'path';
  const reached = new Float64Array(cells.length);
  const step = (r: number, from: number, to: number): number => {
    if (!path) return cost(r, to);
    const a = cells[from]!;
    const b = cells[to]!;
    return reached[from]! + Math.hypot(a.x - b.x, a.y - b.y) / reach[r]!;
  };
  const heap = new Heap();
  regions.forEach((reg, r) => {
    if (reg.seed < 0) return;
    if (owner[reg.seed] !== -1) throw new Error(`seed cell ${reg.seed} of region ${r} is already owned`);
    owner[reg.seed] = r;
    const cell = cells[reg.seed]!;
    used[r]![cell.cls] += cell.weight;
  });
  for (let c = 0; c < cells.length; c++) {
    const r = owner[c]!;
    if (r < 0) continue;
    for (const n of neighbours[c]!) if (free(n)) heap.push(step(r, c, n), r, n);
  }
  while (heap.size > 0) {
    const [k, r, c] = heap.pop();
    if (!free(c)) continue;
    const cell = cells[c]!;
    const u = used[r]!;
    if (u[cell.cls]! + cell.weight > regions[r]!.quota[cell.cls] + 1e-9) continue;
    owner[c] = r;
    reached[c] = k;
    u[cell.cls] += cell.weight;
    for (const n of neighbours[c]!) if (free(n)) heap.push(step(r, c, n), r, n);
  }
  if (options.fill === false) return owner;
  // Leftovers: flood from owned neighbours, nearest (scaled) region first.
  for (;;) {
    const pending: [number, number][] = [];
    for (let c = 0; c < cells.length; c++) {
      if (!free(c)) continue;
      let best = -1;
      let bestCost = Infinity;
      for (const n of neighbours[c]!) {
        const r = owner[n]!;
        if (r < 0 || r >= regions.length) continue;
        const k = cost(r, c);
        if (k < bestCost || (k === bestCost && r < best)) {
          bestCost = k;
          best = r;
        }
      }
      if (best >= 0) pending.push([c, best]);
    }
    if (pending.length === 0) break;
    for (const [c, r] of pending) owner[c] = r;
  }
  if (regions.length > 0)
    for (let c = 0; c < cells.length; c++) {
      if (!free(c)) continue;
      let best = 0;
      let bestCost = Infinity;
      for (let r = 0; r < regions.length; r++) {
        const k = cost(r, c);
        if (k < bestCost) {
          bestCost = k;
          best = r;
        }
      }
      owner[c] = best;
    }
  return owner;
}

/**
 * Picks k well-spread points out of candidates (k-means++ start, a few Lloyd rounds, each centre
 * snapped to a distinct candidate). Returns candidate indices. `avoid` points repel the picks
 * during initialisation (e.g. keep town centres away from the city core).
 */
export function spreadPicks(
  candidates: readonly XY[],
  k: number,
  rng: Rng,
  avoid: readonly XY[] = [],
): number[] {
  const n = candidates.length;
  if (k <= 0 || n === 0) return [];
  if (k >= n) return candidates.map((_, i) => i);
  const d2 = new Float64Array(n).fill(Infinity);
  const touch = (p: XY): void => {
    for (let i = 0; i < n; i++) {
      const c = candidates[i]!;
      const d = (c[0] - p[0]) ** 2 + (c[1] - p[1]) ** 2;
      if (d < d2[i]!) d2[i] = d;
    }
  };
  for (const a of avoid) touch(a);
  const centres: XY[] = [];
  for (let j = 0; j < k; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += d2[i] === Infinity ? 1 : d2[i]!;
    let r = rng.next() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= d2[i] === Infinity ? 1 : d2[i]!;
      if (r < 0) {
        pick = i;
        break;
      }
    }
    const c = candidates[pick]!;
    centres.push([c[0], c[1]]);
    touch(c);
  }
  // Lloyd: move each centre to the mean of the candidates nearest to it.
  const assign = new Int32Array(n);
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < n; i++) {
      const c = candidates[i]!;
      let best = 0;
      let bd = Infinity;
      for (let j = 0; j < k; j++) {
        const m = centres[j]!;
        const d = (c[0] - m[0]) ** 2 + (c[1] - m[1]) ** 2;
        if (d < bd) {
          bd = d;
          best = j;
        }
      }
      assign[i] = best;
    }
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const cnt = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const j = assign[i]!;
      sx[j] = sx[j]! + candidates[i]![0];
      sy[j] = sy[j]! + candidates[i]![1];
      cnt[j] = cnt[j]! + 1;
    }
    for (let j = 0; j < k; j++) if (cnt[j]! > 0) centres[j] = [sx[j]! / cnt[j]!, sy[j]! / cnt[j]!];
  }
  const taken = new Uint8Array(n);
  return centres.map((m) => {
    let best = -1;
    let bd = Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const c = candidates[i]!;
      const d = (c[0] - m[0]) ** 2 + (c[1] - m[1]) ** 2;
      if (d < bd) {
        bd = d;
        best = i;
      }
    }
    taken[best] = 1;
    return best;
  });
}

/** True when the cells of `region` other than `without` still form one connected piece. */
function staysConnected(
  owner: Int32Array,
  neighbours: readonly (readonly number[])[],
  region: number,
  without: number,
): boolean {
  let start = -1;
  let total = 0;
  for (let c = 0; c < owner.length; c++) {
    if (owner[c] !== region || c === without) continue;
    total++;
    if (start < 0) start = c;
  }
  if (total === 0) return false;
  const seen = new Uint8Array(owner.length);
  seen[start] = 1;
  const stack = [start];
  let reached = 1;
  while (stack.length > 0) {
    const c = stack.pop()!;
    for (const n of neighbours[c]!) {
      if (seen[n] || n === without || owner[n] !== region) continue;
      seen[n] = 1;
      reached++;
      stack.push(n);
    }
  }
  return reached === total;
}

/**
 * Moves border cells to regions holding fewer than `need` cells from neighbouring regions that
 * can spare them (a street needs at least one cell per community), never cutting the giver in
 * two. Nearest cells to the taker's `at` go first. Returns how many cells moved.
 */
export function rebalance(
  owner: Int32Array,
  cells: readonly GrowthCell[],
  neighbours: readonly (readonly number[])[],
  need: readonly number[],
  at: readonly XY[],
): number {
  const count = need.map(() => 0);
  for (const r of owner) if (r >= 0) count[r]!++;
  let moved = 0;
  for (let guard = 0; guard < owner.length; guard++) {
    const r = count.findIndex((n, i) => n < need[i]!);
    if (r < 0) break;
    const options: [number, number][] = [];
    for (let c = 0; c < owner.length; c++) {
      const d = owner[c]!;
      if (d === r || d < 0 || count[d]! <= need[d]!) continue;
      if (!neighbours[c]!.some((n) => owner[n] === r)) continue;
      const cell = cells[c]!;
      options.push([Math.hypot(cell.x - at[r]![0], cell.y - at[r]![1]), c]);
    }
    options.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const pick = options.find(([, c]) => staysConnected(owner, neighbours, owner[c]!, c));
    if (!pick) {
      // Nothing to take: stop asking for this region.
      (need as number[])[r] = count[r]!;
      continue;
    }
    const c = pick[1];
    count[owner[c]!]!--;
    owner[c] = r;
    count[r]!++;
    moved++;
  }
  return moved;
}

/**
 * Gives every region one piece. Growth can leave a region in parts (a town centre closed in by
 * a neighbour's growth, leftovers handed to the nearest region outright); a unit in parts is
 * no polygon a planner can edit. The biggest piece of each region stays; every other piece
 * joins the adjacent region it touches most. A piece that touches no other region (an island)
 * stays. Returns how many cells moved.
 */
export function connectRegions(owner: Int32Array, neighbours: readonly (readonly number[])[]): number {
  let moved = 0;
  for (let round = 0; round < 16; round++) {
    const piece = new Int32Array(owner.length).fill(-1);
    const pieces: number[][] = [];
    for (let c = 0; c < owner.length; c++) {
      if (piece[c] !== -1 || owner[c]! < 0) continue;
      const id = pieces.length;
      const list = [c];
      piece[c] = id;
      for (let i = 0; i < list.length; i++)
        for (const n of neighbours[list[i]!]!)
          if (piece[n] === -1 && owner[n] === owner[c]) {
            piece[n] = id;
            list.push(n);
          }
      pieces.push(list);
    }
    const biggest = new Map<number, number>();
    pieces.forEach((list, id) => {
      const r = owner[list[0]!]!;
      const b = biggest.get(r);
      if (b === undefined || list.length > pieces[b]!.length) biggest.set(r, id);
    });
    let changed = 0;
    pieces.forEach((list, id) => {
      const r = owner[list[0]!]!;
      if (biggest.get(r) === id) return;
      const touch = new Map<number, number>();
      for (const c of list)
        for (const n of neighbours[c]!) {
          const o = owner[n]!;
          if (o >= 0 && o !== r) touch.set(o, (touch.get(o) ?? 0) + 1);
        }
      let to = -1;
      for (const [o, k] of touch)
        if (to < 0 || k > touch.get(to)! || (k === touch.get(to)! && o < to)) to = o;
      if (to < 0) return;
      for (const c of list) owner[c] = to;
      changed += list.length;
    });
    moved += changed;
    if (changed === 0) break;
  }
  return moved;
}

// Address points (标准地址) with the buildings (楼栋) standing on them: what a planner's live
// statistics are counted from. Every grid's households are cut into buildings — urban grids into
// residential blocks of tens of households, rural grids into small village houses of one to five
// — and every grid's population is shared over them in proportion, so the points inside a grid
// sum to exactly its totals. Points stand strictly inside their grid, a margin away from its
// border (the planner's border rule never has to decide them), and off water.

import type { GeneratedAddressPoints, GeneratedGrid, LngLat } from '../city.ts';
import type { BBox, Plane, XY } from '../geo/plane.ts';
import type { Rng } from '../random.ts';
import { stem } from '../places/places.ts';

export interface AddressInput {
  grids: readonly GeneratedGrid[];
  plane: Plane;
  /** Road vertices in each grid with the road's name (by grid index). */
  roadSpots: readonly (readonly { at: LngLat; road: string }[])[];
  isWater: (p: XY) => boolean;
  /** False for a box of the plane with no water in it (see waterNearTest). */
  waterNear: (box: BBox) => boolean;
  /** A point inside grid i: the last resort for a grid no sampling fits in. */
  interiorPoint: (i: number) => LngLat;
  rng: Rng;
}

/** Distance kept from a grid border, km: far above the 1e-6° (≈ 0.1 m) output rounding. */
const MARGIN_KM = { urban: 0.008, rural: 0.015 };
/** Least distance between two buildings, km. */
const SPACING_KM = { urban: 0.02, rural: 0.012 };
/** Households of one rural house (1–5), by weight: extended families share a 自建房. */
const RURAL_HOUSE_WEIGHTS = [0.15, 0.3, 0.3, 0.15, 0.1];

/** A grid's rings in the plane, with a test for "inside, and at least `margin` from every border". */
class GridShape {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly ringStart: number[] = [];

  constructor(grid: GeneratedGrid, plane: Plane) {
    const pts: XY[] = [];
    for (const poly of grid.polygon)
      for (const ring of poly) {
        this.ringStart.push(pts.length);
        // Output rings are closed: the closing point is left out (the test wraps around).
        for (let k = 0; k + 1 < ring.length; k++) pts.push(plane.toXY(ring[k]![0], ring[k]![1]));
      }
    this.ringStart.push(pts.length);
    this.xs = Float64Array.from(pts, (p) => p[0]);
    this.ys = Float64Array.from(pts, (p) => p[1]);
    this.minX = Math.min(...this.xs);
    this.maxX = Math.max(...this.xs);
    this.minY = Math.min(...this.ys);
    this.maxY = Math.max(...this.ys);
  }

  fits(x: number, y: number, margin: number): boolean {
    const { xs, ys, ringStart } = this;
    const m2 = margin * margin;
    let odd = false;
    for (let r = 0; r + 1 < ringStart.length; r++) {
      const start = ringStart[r]!;
      const end = ringStart[r + 1]!;
      for (let i = start, j = end - 1; i < end; j = i++) {
        const xi = xs[i]!;
        const yi = ys[i]!;
        const xj = xs[j]!;
        const yj = ys[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
        // Squared distance to the segment j → i.
        const dx = xi - xj;
        const dy = yi - yj;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - xj) * dx + (y - yj) * dy) / len2)) : 0;
        const ex = xj + t * dx - x;
        const ey = yj + t * dy - y;
        if (ex * ex + ey * ey < m2) return false;
      }
    }
    return odd;
  }
}

/** Occupied spots on a square lattice of `spacing`: a new building keeps clear of the 3 × 3 cells around it. */
class Spacing {
  // Cell (cx, cy) → the point in it; cells are small integers around the plane's origin.
  private readonly taken = new Map<number, XY>();
  constructor(private readonly spacing: number) {}

  private static key(cx: number, cy: number): number {
    return (cx + 0x100000) * 0x200000 + (cy + 0x100000);
  }

  free(x: number, y: number): boolean {
    const cx = Math.floor(x / this.spacing);
    const cy = Math.floor(y / this.spacing);
    const s2 = this.spacing * this.spacing;
    for (let i = -1; i <= 1; i++)
      for (let j = -1; j <= 1; j++) {
        const p = this.taken.get(Spacing.key(cx + i, cy + j));
        if (p && (p[0] - x) ** 2 + (p[1] - y) ** 2 < s2) return false;
      }
    return true;
  }

  take(x: number, y: number): void {
    this.taken.set(Spacing.key(Math.floor(x / this.spacing), Math.floor(y / this.spacing)), [x, y]);
  }
}

/** Households of each building of a grid, summing to `total`. */
function buildingSizes(total: number, urban: boolean, rng: Rng): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left > 0) {
    let size: number;
    if (urban) {
      // Mostly six-storey walk-ups (12–36 households), some high-rise blocks (40–96).
      size = rng.chance(0.7) ? rng.int(12, 36) : rng.int(40, 96);
    } else {
      let u = rng.next();
      size = 1;
      for (const w of RURAL_HOUSE_WEIGHTS) {
        if ((u -= w) < 0) break;
        size++;
      }
      size = Math.min(size, RURAL_HOUSE_WEIGHTS.length);
    }
    // A remainder too small for a block of its own joins the last block.
    if (urban && left - size > 0 && left - size < 12) size = left;
    size = Math.min(size, left);
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** Shares `total` residents over the buildings in proportion to households (largest remainder), exactly. */
export function shareResidents(households: readonly number[], total: number): number[] {
  const sum = households.reduce((a, b) => a + b, 0);
  if (sum === 0) return households.map(() => 0);
  const exact = households.map((h) => (h * total) / sum);
  const out = exact.map((e) => Math.floor(e));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((_, i) => i).sort((a, b) => exact[b]! - out[b]! - (exact[a]! - out[a]!) || a - b);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!]!++;
  return out;
}

interface Placed {
  at: XY;
  households: number;
}

/** Places the buildings of one grid; a building no spot is found for joins the one placed last. */
function placeGrid(
  i: number,
  grid: GeneratedGrid,
  input: AddressInput,
  sizes: readonly number[],
): { placed: Placed[]; road: (string | null)[] } {
  const { plane, rng } = input;
  const shape = new GridShape(grid, plane);
  const kind = grid.urban ? 'urban' : 'rural';
  const margin = MARGIN_KM[kind];
  const spacing = new Spacing(SPACING_KM[kind]);
  const spots = (input.roadSpots[i] ?? []).map((s) => ({ at: plane.toXY(s.at[0], s.at[1]), road: s.road }));
  // Cheapest test first: the water test walks whole river outlines, so it runs only in grids
  // that water comes near.
  const wet = input.waterNear([shape.minX, shape.minY, shape.maxX, shape.maxY]);
  const dry = (x: number, y: number): boolean => !wet || !input.isWater([x, y]);
  const ok = (x: number, y: number, m: number): boolean =>
    spacing.free(x, y) && shape.fits(x, y, m) && dry(x, y);
  const uniform = (): XY => [rng.range(shape.minX, shape.maxX), rng.range(shape.minY, shape.maxY)];

  // Rural houses gather in villages (自然村) around a few centres, by a road where there is one.
  const centres: XY[] = [];
  if (!grid.urban) {
    const want = Math.max(1, Math.min(6, Math.round(sizes.length / 70)));
    for (let k = 0; k < 40 * want && centres.length < want; k++) {
      const p = spots.length > 0 && rng.chance(0.8) ? rng.pick(spots).at : uniform();
      if (shape.fits(p[0], p[1], 0.05) && dry(p[0], p[1])) centres.push([p[0], p[1]]);
    }
  }
  const spread = Math.max(0.06, Math.min(0.2, Math.sqrt(grid.areaKm2) / 8));
  const candidate = (): XY => {
    if (centres.length === 0) return uniform();
    const c = rng.pick(centres);
    return [c[0] + rng.normal() * spread, c[1] + rng.normal() * spread];
  };

  const placed: Placed[] = [];
  const road: (string | null)[] = [];
  for (const households of sizes) {
    let at: XY | null = null;
    for (let k = 0; k < 60 && !at; k++) {
      const p = k < 40 ? candidate() : uniform();
      if (ok(p[0], p[1], margin)) at = p;
    }
    if (!at) {
      const last = placed[placed.length - 1];
      if (last) {
        last.households += households;
        continue;
      }
      // Nothing fits the grid's rules (a sliver, or all water): its interior point, which
      // lies inside, carries the whole grid.
      const q = input.interiorPoint(i);
      at = plane.toXY(q[0], q[1]);
    }
    spacing.take(at[0], at[1]);
    placed.push({ at, households });
    // Urban blocks take the number of the road they stand by (within 150 m).
    let best: string | null = null;
    if (grid.urban) {
      let bestD = 0.15 * 0.15;
      for (const s of spots) {
        const d = (s.at[0] - at[0]) ** 2 + (s.at[1] - at[1]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = s.road;
        }
      }
    }
    road.push(best);
  }
  return { placed, road };
}

/** Address points for every grid, in grid order; sums per grid equal the grid's households and population. */
export function buildAddressPoints(input: AddressInput): GeneratedAddressPoints {
  const { grids, plane, rng } = input;
  const lng: number[] = [];
  const lat: number[] = [];
  const households: number[] = [];
  const residents: number[] = [];
  const gridOf: number[] = [];
  const labels: string[] = [];
  // House numbers run on along each road, and per village.
  // House numbers run on along each road (a few skipped, as on a real street), and per village;
  // block numbers per residential compound.
  const last = new Map<string, number>();
  const number = (key: string, skips: boolean): number => {
    const n = (last.get(key) ?? 0) + 1 + (skips && rng.chance(0.3) ? 1 : 0);
    last.set(key, n);
    return n;
  };
  grids.forEach((grid, i) => {
    const sizes = buildingSizes(grid.households, grid.urban, rng);
    const { placed, road } = placeGrid(i, grid, input, sizes);
    const people = shareResidents(
      placed.map((p) => p.households),
      grid.population,
    );
    const community = grid.name.replace(/第\d+网格$/, '');
    const compound = `${stem(community)}小区`;
    placed.forEach((p, k) => {
      const [x, y] = plane.toLngLat(p.at[0], p.at[1]);
      lng.push(x);
      lat.push(y);
      households.push(p.households);
      residents.push(people[k]!);
      gridOf.push(i);
      const r = road[k];
      // "人民路25号" by a road; "金桂小区3栋" inside a block; "童村碓村12号" in a village.
      labels.push(
        r
          ? `${r}${number(r, true)}号`
          : grid.urban
            ? `${compound}${number(compound, false)}栋`
            : `${community}${number(community, true)}号`,
      );
    });
  });
  return {
    lng: Float64Array.from(lng),
    lat: Float64Array.from(lat),
    households: Uint16Array.from(households),
    residents: Uint16Array.from(residents),
    grid: Uint32Array.from(gridOf),
    labels,
  };
}

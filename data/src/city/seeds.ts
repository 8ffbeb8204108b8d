// Where grid seeds go inside one district. Urban grids (300–500 households on ~0.09 km²) pack
// the district's core around its government seat and the small town centres of townships that
// have residents' committees; rural grids (a village or part of one) spread over the rest at a
// much lower density. The counts are exact: one seed per grid the district was allotted.

import Flatbush from 'flatbush';
import type { Rng } from '../random.ts';
import type { MultiPolygonXY, XY } from '../geo/plane.ts';
import { bboxOfMulti, insideTest } from '../geo/plane.ts';
import { spreadPicks } from './growth.ts';

export interface SeedPlanStreet {
  /** Urban grids of the street (its 社区' grids) and rural grids (its 村' grids). */
  urbanGrids: number;
  ruralGrids: number;
  /** True when the street's urban grids belong in the district core (街道). */
  inCore: boolean;
}

export interface Core {
  centre: XY;
  /** Index into the seed list of each urban seed of this core. */
  seeds: number[];
  /** Streets whose centre this is (the core's 街道, or one township). */
  streets: number[];
}

export interface SeedLayout {
  seeds: XY[];
  /** Core index for urban seeds, -1 for rural seeds. */
  core: number[];
  /** Core 0 is the district core at the seat; then one per township. */
  cores: Core[];
  /** Centre of each street: the core centre for 街道, the town centre for townships. */
  streetCentres: XY[];
  urbanSpacing: number;
  ruralSpacing: number;
}

const HEX_H = Math.sqrt(3) / 2;

/** Jittered hexagonal lattice points covering a box. */
function hexLattice(box: [number, number, number, number], spacing: number, jitter: number, rng: Rng): XY[] {
  const [x0, y0, x1, y1] = box;
  const out: XY[] = [];
  const rows = Math.ceil((y1 - y0) / (spacing * HEX_H)) + 1;
  const cols = Math.ceil((x1 - x0) / spacing) + 2;
  for (let j = 0; j < rows; j++) {
    const y = y0 + j * spacing * HEX_H;
    const shift = j % 2 === 0 ? 0 : spacing / 2;
    for (let i = 0; i < cols; i++) {
      const x = x0 + i * spacing + shift;
      out.push([x + rng.range(-jitter, jitter) * spacing, y + rng.range(-jitter, jitter) * spacing]);
    }
  }
  return out;
}

/** Smooth random wobble of a core's radius with direction, so cores are not discs. */
function angularNoise(rng: Rng): (angle: number) => number {
  const terms = [2, 3, 5].map((k) => ({
    k,
    a: rng.range(0.08, 0.22) / Math.sqrt(k - 1),
    p: rng.range(0, 2 * Math.PI),
  }));
  return (t) => 1 + terms.reduce((s, h) => s + h.a * Math.sin(h.k * t + h.p), 0);
}

class PointSet {
  private pts: XY[] = [];
  private cellSize: number;
  private buckets = new Map<string, XY[]>();
  constructor(cellSize: number) {
    this.cellSize = cellSize;
  }
  private key(x: number, y: number): string {
    return `${Math.floor(x / this.cellSize)},${Math.floor(y / this.cellSize)}`;
  }
  add(p: XY): void {
    this.pts.push(p);
    const k = this.key(p[0], p[1]);
    const b = this.buckets.get(k);
    if (b) b.push(p);
    else this.buckets.set(k, [p]);
  }
  /** True when a stored point lies within r (r must not exceed the bucket size). */
  near(p: XY, r: number): boolean {
    const cx = Math.floor(p[0] / this.cellSize);
    const cy = Math.floor(p[1] / this.cellSize);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        const b = this.buckets.get(`${cx + dx},${cy + dy}`);
        if (!b) continue;
        for (const q of b) if ((q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2 < r * r) return true;
      }
    return false;
  }
}

export interface SeedPlanInput {
  zone: MultiPolygonXY;
  areaKm2: number;
  seat: XY;
  streets: readonly SeedPlanStreet[];
  urbanGridKm2: number;
  rng: Rng;
}

/** Lays out the seeds of one district. */
export function planSeeds(input: SeedPlanInput): SeedLayout {
  const { zone, seat, streets, rng } = input;
  const inside = insideTest(zone);
  const inZone = (p: XY): boolean => inside(p[0], p[1]);
  const box = bboxOfMulti(zone);

  const coreStreets = streets.map((s, i) => (s.inCore ? i : -1)).filter((i) => i >= 0);
  const townStreets = streets.map((s, i) => (s.inCore ? -1 : i)).filter((i) => i >= 0);
  const urbanTotal = streets.reduce((a, s) => a + s.urbanGrids, 0);
  const ruralTotal = streets.reduce((a, s) => a + s.ruralGrids, 0);
  const coreUrban = coreStreets.reduce((a, i) => a + streets[i]!.urbanGrids, 0);

  // A district too small for its urban grids at the nominal density gets denser grids.
  let aU = input.urbanGridKm2;
  if (ruralTotal === 0) aU = input.areaKm2 / Math.max(1, urbanTotal);
  else aU = Math.min(aU, (0.5 * input.areaKm2) / Math.max(1, urbanTotal));
  const aR = ruralTotal > 0 ? Math.max(aU * 2, (input.areaKm2 - urbanTotal * aU) / ruralTotal) : aU;
  const sU = Math.sqrt(aU / HEX_H);
  let sR = Math.sqrt(aR / HEX_H);
  const coreRadius = Math.sqrt((coreUrban * aU) / Math.PI);

  // Town centres: spread over the district away from the core.
  const townCentres: XY[] = [];
  if (townStreets.length > 0) {
    const step = Math.sqrt(input.areaKm2 / (60 * townStreets.length) / HEX_H);
    const all = hexLattice(box, step, 0.3, rng).filter(inZone);
    const away = all.filter((p) => Math.hypot(p[0] - seat[0], p[1] - seat[1]) > 1.2 * coreRadius + sR);
    const candidates = away.length >= townStreets.length ? away : all;
    const picks = spreadPicks(candidates, townStreets.length, rng, [seat]);
    for (const i of picks) townCentres.push(candidates[i]!);
  }

  const seeds: XY[] = [];
  const coreOf: number[] = [];
  const taken = new PointSet(Math.max(sU, 1e-3));
  const cores: Core[] = [];
  const streetCentres: XY[] = streets.map(() => seat);

  const growCore = (centre: XY, count: number): number[] => {
    const mine: number[] = [];
    if (count <= 0) return mine;
    const noise = angularNoise(rng);
    let radius = 2 * Math.sqrt((count * aU) / Math.PI) + 2 * sU;
    for (let attempt = 0; attempt < 8 && mine.length < count; attempt++) {
      const pts = hexLattice(
        [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
        sU,
        0.22,
        rng,
      )
        .map((p) => {
          const d = Math.hypot(p[0] - centre[0], p[1] - centre[1]);
          return { p, k: d / noise(Math.atan2(p[1] - centre[1], p[0] - centre[0])) };
        })
        .sort((a, b) => a.k - b.k);
      for (const { p } of pts) {
        if (mine.length >= count) break;
        if (!inZone(p) || taken.near(p, 0.6 * sU)) continue;
        taken.add(p);
        mine.push(seeds.length);
        seeds.push(p);
        coreOf.push(cores.length);
      }
      radius *= 1.6;
    }
    return mine;
  };

  cores.push({ centre: seat, seeds: growCore(seat, coreUrban), streets: coreStreets });
  townStreets.forEach((s, t) => {
    const centre = townCentres[t] ?? seat;
    streetCentres[s] = centre;
    cores.push({ centre, seeds: growCore(centre, streets[s]!.urbanGrids), streets: [s] });
  });

  // Rural seeds: a jittered lattice outside the urban areas, trimmed to the exact count.
  const urbanIndex = seeds.length > 0 ? new Flatbush(seeds.length) : null;
  if (urbanIndex) {
    for (const p of seeds) urbanIndex.add(p[0], p[1], p[0], p[1]);
    urbanIndex.finish();
  }
  let rural: XY[] = [];
  for (let attempt = 0; attempt < 8 && ruralTotal > 0; attempt++) {
    const clearance = 0.5 * (sR + sU);
    rural = hexLattice(box, sR, 0.3, rng).filter(
      (p) => inZone(p) && (!urbanIndex || urbanIndex.neighbors(p[0], p[1], 1, clearance).length === 0),
    );
    if (rural.length >= ruralTotal) break;
    sR *= Math.sqrt(rural.length / ruralTotal) * 0.95 || 0.7;
  }
  if (rural.length > ruralTotal) {
    const order = rural.map((_, i) => i);
    rng.shuffle(order);
    const keep = order.slice(0, ruralTotal).sort((a, b) => a - b);
    rural = keep.map((i) => rural[i]!);
  }
  // Still short (a sliver of a district): rejection-sample the rest.
  for (let guard = 0; rural.length < ruralTotal && guard < 100000; guard++) {
    const p: XY = [rng.range(box[0], box[2]), rng.range(box[1], box[3])];
    if (!inZone(p) || taken.near(p, 0.3 * sU)) continue;
    if (rural.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < 0.3 * sR)) continue;
    rural.push(p);
  }
  for (const p of rural) {
    seeds.push(p);
    coreOf.push(-1);
  }
  return { seeds, core: coreOf, cores, streetCentres, urbanSpacing: sU, ruralSpacing: sR };
}

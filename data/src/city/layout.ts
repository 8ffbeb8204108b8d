// The city's geometry before it is written out: districts' land, grid cells, and which cell
// belongs to which community, street and district. Everything here is in the local km plane.

import type { Rng } from '../random.ts';
import type { ProfileParams } from '../profiles.ts';
import type { DivisionCommunity, DivisionDistrict, DivisionStreet } from '../names/divisions.ts';
import type { MultiPolygonXY, Plane, XY } from '../geo/plane.ts';
import { multiPolygonArea } from '../geo/plane.ts';
import type { Coverage } from '../geo/coverage.ts';
import { buildCoverage } from '../geo/coverage.ts';
import type { Cell } from './cells.ts';
import { voronoiCells } from './cells.ts';
import { allocateGrids } from './allocation.ts';
import type { GrowthCell, GrowthRegion } from './growth.ts';
import { connectRegions, growRegions, rebalance, spreadPicks } from './growth.ts';
import { planSeeds } from './seeds.ts';

export interface LayoutZone {
  district: DivisionDistrict;
  poly: MultiPolygonXY;
  seat: XY;
}

export interface LayoutStreet {
  div: DivisionStreet;
  district: number;
  centre: XY;
}

export interface LayoutCommunity {
  div: DivisionCommunity;
  street: number;
  district: number;
  /** Grids allotted before layout; the cells it ends up with may differ by a few. */
  planned: number;
}

export interface LayoutCell extends Cell {
  zone: number;
  /** The seed was placed as an urban (dense) seed. */
  urbanSeed: boolean;
  /** Index into Layout.cores for urban seeds, -1 for rural ones. */
  core: number;
  /** Index into Layout.communities. */
  community: number;
}

export interface LayoutCore {
  centre: XY;
  district: number;
  cells: number[];
  /** The district's own core at its seat (as opposed to a town centre). */
  main: boolean;
}

export interface Layout {
  zones: LayoutZone[];
  streets: LayoutStreet[];
  communities: LayoutCommunity[];
  cells: LayoutCell[];
  cores: LayoutCore[];
  /** Cells sharing an edge of the coverage. */
  neighbours: number[][];
  /** The cells snap-rounded to the output lattice as one arrangement: what every polygon is written from. */
  coverage: Coverage;
  urbanSpacing: number;
}

export interface LayoutInput {
  params: ProfileParams;
  rng: Rng;
  /** The plane the zones are in; its lattice is the output's. */
  plane: Plane;
  /** District land in the plane, one per district, in the same order as `districts`. */
  zones: readonly { poly: MultiPolygonXY; seat: XY }[];
  districts: readonly DivisionDistrict[];
  /** Grids per community (flattened district → street → community order). */
  planned: readonly number[];
}

/** Grid allotment for the selected units, in flattened order. */
export function planGrids(districts: readonly DivisionDistrict[], total: number, rng: Rng): number[] {
  const flat = districts.flatMap((d) => d.streets.flatMap((s) => s.communities));
  return allocateGrids(flat, total, rng);
}

export function layoutCity(input: LayoutInput): Layout {
  const { params, rng, districts } = input;
  const streets: LayoutStreet[] = [];
  const communities: LayoutCommunity[] = [];
  let k = 0;
  districts.forEach((d, di) => {
    for (const s of d.streets) {
      const si = streets.length;
      streets.push({ div: s, district: di, centre: [0, 0] });
      for (const c of s.communities)
        communities.push({ div: c, street: si, district: di, planned: input.planned[k++]! });
    }
  });

  const cells: LayoutCell[] = [];
  const cores: LayoutCore[] = [];
  const zones: LayoutZone[] = [];
  let urbanSpacing = Math.sqrt(params.urbanGridKm2);
  input.zones.forEach((z, zi) => {
    const district = districts[zi]!;
    zones.push({ district, poly: z.poly, seat: z.seat });
    const myStreets = streets.map((s, i) => (s.district === zi ? i : -1)).filter((i) => i >= 0);
    const hasCoreStreet = myStreets.some((i) => streets[i]!.div.urban);
    const plan = myStreets.map((si, j) => {
      const comms = communities.filter((c) => c.street === si);
      return {
        urbanGrids: comms.filter((c) => c.div.urban).reduce((a, c) => a + c.planned, 0),
        ruralGrids: comms.filter((c) => !c.div.urban).reduce((a, c) => a + c.planned, 0),
        // Without any 街道 the first township hosts the county seat.
        inCore: hasCoreStreet ? streets[si]!.div.urban : j === 0,
      };
    });
    const seeds = planSeeds({
      zone: z.poly,
      areaKm2: multiPolygonArea(z.poly),
      seat: z.seat,
      streets: plan,
      urbanGridKm2: params.urbanGridKm2,
      rng: rng.fork(`seeds:${district.code}`),
    });
    if (zi === 0) urbanSpacing = seeds.urbanSpacing;
    myStreets.forEach((si, j) => {
      streets[si]!.centre = seeds.streetCentres[j]!;
    });
    const coreBase = cores.length;
    seeds.cores.forEach((c, ci) => {
      cores.push({
        centre: c.centre,
        district: zi,
        cells: c.seeds.map((s) => s + cells.length),
        main: ci === 0,
      });
    });
    const zoneCells = voronoiCells(seeds.seeds, z.poly);
    zoneCells.forEach((c, i) => {
      const core = seeds.core[i]!;
      cells.push({
        ...c,
        zone: zi,
        urbanSeed: core >= 0,
        core: core >= 0 ? coreBase + core : -1,
        community: -1,
      });
    });
  });

  // Cells are clipped zone by zone, and a zone's outline can hold cracks and notches thinner
  // than the output's 1e-6° (from the union of its parcels): rounded polygon by polygon they
  // would collapse into spikes, slits and vertices on a neighbour's edge. Snap-rounding all
  // cells together gives one planar arrangement; every cell (and later every unit) is read
  // back from its shared edges.
  const { plane } = input;
  const coverage = buildCoverage(
    cells.map((c) => c.poly.map((poly) => poly.map((ring) => ring.map((p) => plane.toLattice(p[0], p[1]))))),
    { group: cells.map((c) => c.zone) },
  );
  coverage
    .regions(cells.length, (c) => c)
    .forEach((mp, i) => {
      cells[i]!.poly = mp.map((poly) =>
        poly.map((ring) => ring.map(([ix, iy]) => plane.fromLattice(ix, iy))),
      );
    });
  const neighbours = coverage.neighbours();

  zones.forEach((zone, zi) => {
    const zoneCells = cells
      .map((c, i) => (c.zone === zi && c.poly.length > 0 ? i : -1))
      .filter((i) => i >= 0);
    const myStreets = streets.map((s, i) => (s.district === zi ? i : -1)).filter((i) => i >= 0);
    const streetOf = assignStreets(
      zone,
      zi,
      zoneCells,
      myStreets,
      streets,
      communities,
      cells,
      cores,
      neighbours,
      rng,
    );
    for (const si of myStreets) {
      const streetCells = zoneCells.filter((_, j) => streetOf[j] === si);
      assignCommunities(
        si,
        streetCells,
        communities,
        cells,
        neighbours,
        rng.fork(`communities:${streets[si]!.div.code}`),
      );
    }
  });

  return { zones, streets, communities, cells, cores, neighbours, coverage, urbanSpacing };
}

/** Restricts the global neighbour lists to a subset of cells, renumbered locally. */
function localGraph(subset: readonly number[], neighbours: readonly (readonly number[])[]): number[][] {
  const local = new Map<number, number>();
  subset.forEach((g, l) => local.set(g, l));
  return subset.map((g) => neighbours[g]!.map((n) => local.get(n) ?? -1).filter((n) => n >= 0));
}

function assignStreets(
  zone: LayoutZone,
  zi: number,
  zoneCells: readonly number[],
  myStreets: readonly number[],
  streets: readonly LayoutStreet[],
  communities: readonly LayoutCommunity[],
  cells: readonly LayoutCell[],
  cores: readonly LayoutCore[],
  neighbours: readonly (readonly number[])[],
  rng: Rng,
): number[] {
  const quota = (si: number): [number, number] => {
    const comms = communities.filter((c) => c.street === si);
    return [
      comms.filter((c) => c.div.urban).reduce((a, c) => a + c.planned, 0),
      comms.filter((c) => !c.div.urban).reduce((a, c) => a + c.planned, 0),
    ];
  };
  const local = new Map<number, number>();
  zoneCells.forEach((g, l) => local.set(g, l));
  const toLocal = (list: readonly number[]): number[] =>
    list.map((g) => local.get(g) ?? -1).filter((l) => l >= 0);
  const growthCells = zoneCells.map((g): GrowthCell => {
    const c = cells[g]!;
    return { x: c.seed[0], y: c.seed[1], cls: c.urbanSeed ? 0 : 1, weight: 1 };
  });
  const graph = localGraph(zoneCells, neighbours);
  const mainCore = cores.find((c) => c.district === zi && c.main);
  const coreStreets = myStreets.filter((si) => streets[si]!.centre === zone.seat);
  const at: XY[] = myStreets.map((si) => streets[si]!.centre);
  let owner: Int32Array = new Int32Array(zoneCells.length).fill(-1);

  // Pass 1: the district core's urban cells are shared among its 街道, which start spread over
  // the core; those with more villages start nearer its edge, to reach the countryside.
  if (coreStreets.length > 0) {
    let candidates = mainCore ? toLocal(mainCore.cells) : [];
    if (candidates.length < coreStreets.length) {
      candidates = zoneCells
        .map((_, l) => l)
        .sort((a, b) => distSq(growthCells[a]!, zone.seat) - distSq(growthCells[b]!, zone.seat))
        .slice(0, coreStreets.length * 3);
    }
    // 街道 without villages start in the middle of the core; those with villages on its edge,
    // spread around it, so that each touches the countryside its villages are in.
    const radius = (l: number): number => Math.sqrt(distSq(growthCells[l]!, zone.seat));
    const rMax = Math.max(...candidates.map(radius));
    const withVillages = coreStreets.filter((si) => quota(si)[1] > 0);
    const inner = coreStreets.filter((si) => quota(si)[1] === 0);
    const streetRng = rng.fork(`streets:${zi}`);
    const seedOf = new Map<number, number>();
    const pickAmong = (group: readonly number[], ring: (l: number) => boolean): void => {
      if (group.length === 0) return;
      let pool = candidates.filter((l) => ring(l) && ![...seedOf.values()].includes(l));
      if (pool.length < group.length) pool = candidates.filter((l) => ![...seedOf.values()].includes(l));
      const picks = spreadPicks(
        pool.map((l) => [growthCells[l]!.x, growthCells[l]!.y] as XY),
        group.length,
        streetRng,
      ).map((i) => pool[i]!);
      group.forEach((si, j) => {
        const p = picks[j];
        if (p !== undefined) seedOf.set(si, p);
      });
    };
    const coreSet = new Set(candidates);
    const onEdge = (l: number): boolean => graph[l]!.some((n) => !coreSet.has(n));
    pickAmong(withVillages, onEdge);
    pickAmong(inner, (l) => radius(l) < 0.55 * rMax);
    const allow = new Uint8Array(zoneCells.length);
    for (const l of candidates) allow[l] = 1;
    const regions: GrowthRegion[] = myStreets.map((si, r) => {
      const seed = seedOf.get(si);
      if (seed === undefined) return { seed: -1, at: at[r]!, quota: [0, 0] };
      at[r] = [growthCells[seed]!.x, growthCells[seed]!.y];
      return { seed, at: at[r]!, quota: [quota(si)[0], 0] };
    });
    owner = growRegions(growthCells, graph, regions, { allow });
  }
  // Town centres' urban cells belong to their township.
  myStreets.forEach((si, r) => {
    if (coreStreets.includes(si)) return;
    const core = cores.find((c) => c.district === zi && !c.main && c.centre === streets[si]!.centre);
    if (core) for (const l of toLocal(core.cells)) if (owner[l] === -1) owner[l] = r;
  });
  // Pass 2: the countryside next to the core goes to the 街道 first, all growing at one speed
  // from the core's edge so that none is closed in by a bigger neighbour.
  if (coreStreets.length > 0) {
    owner = growRegions(
      growthCells,
      graph,
      myStreets.map((si, r) => ({
        seed: -1,
        at: at[r]!,
        quota: [0, coreStreets.includes(si) ? quota(si)[1] : 0],
      })),
      { owner, metric: 'path', weighted: false, fill: false },
    );
  }
  // Pass 3: the townships share the rest, from their centres.
  const owned = new Set<number>();
  for (let l = 0; l < owner.length; l++) if (owner[l]! >= 0) owned.add(owner[l]!);
  const taken = new Set<number>();
  const regions: GrowthRegion[] = myStreets.map((si, r) => {
    let seed = -1;
    if (!owned.has(r)) {
      let bd = Infinity;
      growthCells.forEach((c, l) => {
        if (owner[l] !== -1 || taken.has(l)) return;
        const d = distSq(c, at[r]!);
        if (d < bd) {
          bd = d;
          seed = l;
        }
      });
      if (seed >= 0) taken.add(seed);
    }
    return { seed, at: at[r]!, quota: [0, quota(si)[1]] };
  });
  owner = growRegions(growthCells, graph, regions, { owner, metric: 'path' });
  // Every community needs a grid: a street closed in by its neighbours borrows border cells.
  const need = myStreets.map((si) => communities.filter((c) => c.street === si).length);
  connectRegions(owner, graph);
  rebalance(owner, growthCells, graph, need, at);
  return zoneCells.map((_, l) => myStreets[owner[l]!] ?? myStreets[0]!);
}

function distSq(a: XY | GrowthCell, b: XY): number {
  const ax = Array.isArray(a) ? a[0] : a.x;
  const ay = Array.isArray(a) ? a[1] : a.y;
  return (ax - b[0]) ** 2 + (ay - b[1]) ** 2;
}

function assignCommunities(
  si: number,
  streetCells: readonly number[],
  communities: readonly LayoutCommunity[],
  cells: LayoutCell[],
  neighbours: readonly (readonly number[])[],
  rng: Rng,
): void {
  const mine = communities.map((c, i) => (c.street === si ? i : -1)).filter((i) => i >= 0);
  if (mine.length === 0 || streetCells.length === 0) return;
  // More communities than cells (only in degenerate layouts): the smallest ones are left out.
  const kept = [...mine]
    .sort((a, b) => communities[b]!.planned - communities[a]!.planned || a - b)
    .slice(0, streetCells.length);
  kept.sort((a, b) => a - b);
  const growthCells = streetCells.map((g): GrowthCell => {
    const c = cells[g]!;
    return { x: c.seed[0], y: c.seed[1], cls: c.urbanSeed ? 0 : 1, weight: 1 };
  });
  const urbanPool = growthCells.map((c, l) => (c.cls === 0 ? l : -1)).filter((l) => l >= 0);
  const ruralPool = growthCells.map((c, l) => (c.cls === 1 ? l : -1)).filter((l) => l >= 0);
  const urbanComms = kept.filter((c) => communities[c]!.div.urban);
  const ruralComms = kept.filter((c) => !communities[c]!.div.urban);
  // Decide every community's starting cell first: villages on rural cells and 社区 on urban
  // ones; whoever finds none of its kind starts on the other kind (a 城中村, or a town 社区).
  const seedOf = new Map<number, number>();
  const place = (comms: readonly number[], pool: number[], limit: number): number[] => {
    const k = Math.min(comms.length, pool.length, limit);
    const picks = spreadPicks(
      pool.map((l) => [growthCells[l]!.x, growthCells[l]!.y] as XY),
      k,
      rng,
    ).map((i) => pool[i]!);
    picks.forEach((cell, j) => seedOf.set(comms[j]!, cell));
    const used = new Set(picks);
    pool.splice(0, pool.length, ...pool.filter((l) => !used.has(l)));
    return comms.slice(k);
  };
  const villagesLeft = place(ruralComms, ruralPool, Infinity);
  const urbanLeft = place(urbanComms, urbanPool, Math.max(0, urbanPool.length - villagesLeft.length));
  place(villagesLeft, urbanPool, Infinity);
  place(urbanLeft, ruralPool, Infinity);

  const order = kept.filter((c) => seedOf.has(c));
  const graph = localGraph(streetCells, neighbours);
  const onUrban = (ci: number): boolean => growthCells[seedOf.get(ci)!]!.cls === 0;
  const atOf = (ci: number): XY => {
    const c = growthCells[seedOf.get(ci)!]!;
    return [c.x, c.y];
  };
  const allowUrban = new Uint8Array(streetCells.length);
  for (const l of urbanPool) allowUrban[l] = 1;
  for (const ci of order) if (onUrban(ci)) allowUrban[seedOf.get(ci)!] = 1;
  let owner: Int32Array = growRegions(
    growthCells,
    graph,
    order.map((ci) =>
      onUrban(ci)
        ? { seed: seedOf.get(ci)!, at: atOf(ci), quota: [communities[ci]!.planned, 0] as [number, number] }
        : { seed: -1, at: atOf(ci), quota: [0, 0] as [number, number] },
    ),
    { allow: allowUrban },
  );
  owner = growRegions(
    growthCells,
    graph,
    order.map((ci) =>
      onUrban(ci)
        ? { seed: -1, at: atOf(ci), quota: [0, 0] as [number, number] }
        : { seed: seedOf.get(ci)!, at: atOf(ci), quota: [0, communities[ci]!.planned] as [number, number] },
    ),
    { owner, metric: 'path' },
  );
  connectRegions(owner, graph);
  streetCells.forEach((g, l) => {
    cells[g]!.community = order[owner[l]!] ?? order[0]!;
  });
}

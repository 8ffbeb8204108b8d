import { gridId as gid, unitId as uid, workerId as wid } from '@gcc/shared/testing';
import { DUTY_STATES, dutyIndex, STAFF_ROLES, type StaffRole } from '@gcc/shared';
import { MESSAGES } from '@gcc/shared/messages';
import { GridIndex } from '@gcc/shared/geo';
import { generateCity, type City } from '@gcc/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGridAdjacency, type GridAdjacency } from './grid-adjacency.ts';
import { greatCircleM } from '@gcc/shared/geo';
import {
  FIELD_ROLE_FIT,
  LEAD_ROLE_FIT,
  LOAD_PENALTY_M,
  NEAR_MATCH_M,
  REASON_CODES,
  Recommender,
  ROLE_PENALTY_M,
  type RecommendRequest,
  type RoleFit,
  type RosterWorker,
} from './recommender.ts';

// Exactness of the recommender against an independent brute force written here from the
// ranking rule alone (not from the recommender's code), on thousands of random cases.

let seed = 7;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

interface World {
  city: City;
  grids: { id: number; communityId: number; polygon: City['grids'][number]['polygon'] }[];
  roster: RosterWorker[];
  adjacency: GridAdjacency;
  index: GridIndex;
  lng: Float64Array;
  lat: Float64Array;
  duty: Uint8Array;
  present: Uint8Array;
  load: Int32Array;
  at: Float64Array;
}

function makeWorld(profile: 'tiny' | 'demo'): World {
  const city = generateCity({ profile });
  const communityId = new Map(
    city.units.filter((u) => u.level === 'community').map((u, i) => [u.code, uid(i + 1)]),
  );
  const gridId = new Map(city.grids.map((g, i) => [g.code, gid(i + 1)]));
  const grids = city.grids.map((g, i) => ({
    id: gid(i + 1),
    communityId: communityId.get(g.communityCode)!,
    polygon: g.polygon,
  }));
  const roster = city.staff.map((s) => ({ id: wid(s.id), gridId: gridId.get(s.gridCode)!, role: s.role }));
  const n = roster.length;
  const w: World = {
    city,
    grids,
    roster,
    adjacency: buildGridAdjacency(grids),
    index: new GridIndex(grids),
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    duty: new Uint8Array(n),
    present: new Uint8Array(n),
    load: new Int32Array(n),
    at: new Float64Array(n),
  };
  shuffleWorld(w);
  return w;
}

// Workers mostly near home (±~400 m), some anywhere in the city; random duty and load.
function shuffleWorld(w: World): void {
  const [x0, y0, x1, y1] = w.city.bbox;
  w.city.staff.forEach((s, i) => {
    if (rnd() < 0.8) {
      w.lng[i] = s.home[0] + (rnd() - 0.5) * 0.008;
      w.lat[i] = s.home[1] + (rnd() - 0.5) * 0.008;
    } else {
      w.lng[i] = x0 + rnd() * (x1 - x0);
      w.lat[i] = y0 + rnd() * (y1 - y0);
    }
    w.duty[i] = rnd() < 0.55 ? dutyIndex('available') : Math.floor(rnd() * DUTY_STATES.length);
    w.present[i] = rnd() < 0.97 ? 1 : 0;
    w.load[i] = rnd() < 0.5 ? 0 : Math.floor(rnd() * 5);
    w.at[i] = 1000 + Math.floor(rnd() * 100) * 1000;
  });
}

function recommenderFor(w: World): Recommender {
  const r = new Recommender(w.roster, w.adjacency);
  r.rebuild({ lng: w.lng, lat: w.lat, duty: w.duty, at: w.at, present: (s) => w.present[s] === 1 });
  return r;
}

function randomCase(w: World): RecommendRequest {
  const [x0, y0, x1, y1] = w.city.bbox;
  let lng: number, lat: number;
  if (rnd() < 0.85) {
    const s = w.city.staff[Math.floor(rnd() * w.city.staff.length)]!;
    lng = s.home[0] + (rnd() - 0.5) * 0.004;
    lat = s.home[1] + (rnd() - 0.5) * 0.004;
  } else {
    lng = x0 + rnd() * (x1 - x0);
    lat = y0 + rnd() * (y1 - y0);
  }
  const roleFit: RoleFit =
    rnd() < 0.5
      ? FIELD_ROLE_FIT
      : rnd() < 0.5
        ? LEAD_ROLE_FIT
        : { leader: rnd(), fulltime: rnd(), parttime: rnd(), instructor: rnd() };
  const excludeWorkerIds = rnd() < 0.2 ? [w.roster[Math.floor(rnd() * w.roster.length)]!.id] : [];
  return {
    lng,
    lat,
    gridId: w.index.locate(lng, lat),
    roleFit,
    surge: rnd() < 0.25,
    excludeWorkerIds,
    ...(rnd() < 0.2 ? { heardSince: 1000 + Math.floor(rnd() * 100) * 1000 } : {}),
    ...(rnd() < 0.2 ? { reporterWorkerId: w.roster[Math.floor(rnd() * w.roster.length)]!.id } : {}),
    limit: rnd() < 0.9 ? 5 : 1 + Math.floor(rnd() * 8),
  };
}

// The ranking rule, implemented from scratch: sort every eligible worker but the reporter by
// (mismatch while a fitting worker is within NEAR_MATCH_M, tier, score, id); the reporter last,
// when the list has room.
function bruteForce(w: World, req: RecommendRequest): { id: number; tier: number; score: number }[] {
  const a = w.adjacency;
  const wide = new Set<number>();
  if (req.surge && req.gridId !== null) {
    for (const g of a.neighbours.get(req.gridId) ?? []) wide.add(g);
    const c = a.communityOf.get(req.gridId)!;
    for (const g of a.gridsOfCommunity.get(c) ?? []) wide.add(g);
    for (const nc of a.communityNeighbours.get(c) ?? [])
      for (const g of a.gridsOfCommunity.get(nc) ?? []) wide.add(g);
  }
  const fit = req.roleFit ?? FIELD_ROLE_FIT;
  const all = w.roster.flatMap((r, s) => {
    if (
      w.duty[s] !== dutyIndex('available') ||
      !w.present[s] ||
      req.excludeWorkerIds?.includes(r.id) ||
      w.at[s]! < (req.heardSince ?? -Infinity)
    )
      return [];
    const tier = r.gridId === req.gridId ? 0 : wide.has(r.gridId) ? 1 : 2;
    const f = Math.min(1, Math.max(0, fit[r.role]));
    const d = greatCircleM(req.lng, req.lat, w.lng[s]!, w.lat[s]!);
    const score = d + LOAD_PENALTY_M * w.load[s]! + ROLE_PENALTY_M * (1 - f);
    return [{ id: r.id, tier, score, f, d }];
  });
  const limit = req.limit ?? 5;
  const others = all.filter((x) => x.id !== req.reporterWorkerId);
  const nearFit = others.some((x) => x.f > 0 && x.d <= NEAR_MATCH_M);
  const late = (x: { f: number }) => (nearFit && x.f === 0 ? 1 : 0);
  others.sort((x, y) => late(x) - late(y) || x.tier - y.tier || x.score - y.score || x.id - y.id);
  const out = others.slice(0, limit);
  const reporter = all.find((x) => x.id === req.reporterWorkerId);
  if (reporter && out.length < limit) out.push(reporter);
  return out.map(({ id, tier, score }) => ({ id, tier, score }));
}

describe('Recommender', () => {
  let demo: World;
  let tiny: World;
  beforeAll(() => {
    demo = makeWorld('demo');
    tiny = makeWorld('tiny');
  });

  it('returns exactly the brute force top 5 on thousands of random cases (demo city, 5,000 workers)', () => {
    let compared = 0,
      searched = 0;
    for (let round = 0; round < 4; round++) {
      shuffleWorld(demo);
      const r = recommenderFor(demo);
      for (let i = 0; i < 750; i++) {
        const req = randomCase(demo);
        const load = rnd() < 0.5 ? demo.load : new Map(demo.roster.map((w, s) => [w.id, demo.load[s]!]));
        const got = r.recommend(req, load).map((x) => ({ id: x.workerId, tier: x.tier, score: x.score }));
        expect(got).toEqual(bruteForce(demo, req));
        if (got.some((x) => x.tier === 2)) searched++;
        compared++;
      }
    }
    expect(compared).toBe(3000);
    expect(searched).toBeGreaterThan(300); // the k-d search path, not only the grid lists, is exercised
  });

  it('is exact on a tiny city where fewer workers are available than asked for', () => {
    for (let round = 0; round < 20; round++) {
      shuffleWorld(tiny);
      for (let s = 0; s < tiny.roster.length; s++) if (rnd() < 0.8) tiny.duty[s] = dutyIndex('off');
      const r = recommenderFor(tiny);
      for (let i = 0; i < 100; i++) {
        const req = randomCase(tiny);
        expect(r.recommend(req, tiny.load).map((x) => x.workerId)).toEqual(
          bruteForce(tiny, req).map((x) => x.id),
        );
        expect(r.recommend(req, tiny.load)).toEqual(r.scan(req, tiny.load));
      }
    }
  });

  it('never recommends an unavailable, unpositioned or excluded worker', () => {
    shuffleWorld(demo);
    const r = recommenderFor(demo);
    for (let i = 0; i < 500; i++) {
      const req = randomCase(demo);
      for (const x of r.recommend(req, demo.load)) {
        expect(DUTY_STATES[demo.duty[x.slot]!]).toBe('available');
        expect(demo.present[x.slot]).toBe(1);
        expect(req.excludeWorkerIds).not.toContain(x.workerId);
        expect(demo.at[x.slot]).toBeGreaterThanOrEqual(req.heardSince ?? -Infinity);
      }
    }
    // Duty is read live: taking everyone off duty empties the list without a rebuild.
    demo.duty.fill(dutyIndex('off'));
    expect(r.recommend(randomCase(demo))).toEqual([]);
    demo.duty.fill(dutyIndex('busy'));
    expect(r.recommend(randomCase(demo))).toEqual([]);
  });

  it('ranks the own grid first, then by distance, open cases and role fit, with reasons', () => {
    shuffleWorld(demo);
    const r = recommenderFor(demo);
    const s0 = 0;
    const home = demo.roster[s0]!;
    const req: RecommendRequest = { lng: demo.lng[s0]!, lat: demo.lat[s0]!, gridId: home.gridId };
    demo.duty[s0] = dutyIndex('available');
    const top = r.recommend(req, demo.load);
    const tiers = top.map((x) => x.tier);
    expect([...tiers].sort()).toEqual(tiers);
    const own = top.filter((x) => x.tier === 0);
    for (const x of own) expect(x.reason).toMatchObject({ inGrid: true, crossGrid: false, scope: 'grid' });
    for (const x of top.filter((y) => y.tier === 2))
      expect(x.reason.codes).toEqual(expect.arrayContaining(['nearby', 'crossGrid']));
    for (const x of top) {
      expect(x.score).toBeCloseTo(
        x.reason.distanceM + LOAD_PENALTY_M * x.reason.openCases + ROLE_PENALTY_M * (1 - x.reason.roleFit),
        6,
      );
      expect(x.reason.codes).toContain(
        x.reason.roleFit >= 1 ? 'roleMatch' : x.reason.roleFit > 0 ? 'rolePartial' : 'roleMismatch',
      );
    }
  });

  it('never puts a role mismatch first while a fitting worker is near, nor favours the reporter, and says why each stands where it does', () => {
    // Two workers a few metres from a field case: the instructor (岗位不匹配) in the case's grid,
    // a full-time worker of the next grid, 300 m away; and the reporter on the spot.
    const world = makeWorld('tiny');
    world.duty.fill(dutyIndex('off'));
    const slotOf = (role: StaffRole, not: number[] = []) =>
      world.roster.findIndex((r, s) => r.role === role && !not.includes(s));
    const instructor = slotOf('instructor');
    const home = world.roster[instructor]!.gridId;
    const other = world.roster.findIndex((r) => r.role === 'fulltime' && r.gridId !== home);
    const reporter = world.roster.findIndex(
      (r, s) => r.role === 'fulltime' && r.gridId === home && s !== other,
    );
    expect([instructor, other, reporter].every((s) => s >= 0)).toBe(true);
    const [lng, lat] = [world.lng[instructor]!, world.lat[instructor]!];
    const place = (s: number, dLng: number) => {
      world.lng[s] = lng + dLng;
      world.lat[s] = lat;
      world.duty[s] = dutyIndex('available');
      world.present[s] = 1;
      world.load[s] = 0;
    };
    place(instructor, 0.00001);
    place(other, 0.003); // ≈ 290 m at this latitude
    place(reporter, 0);
    const r = recommenderFor(world);
    const req: RecommendRequest = {
      lng,
      lat,
      gridId: home,
      roleFit: FIELD_ROLE_FIT,
      reporterWorkerId: world.roster[reporter]!.id,
    };
    const top = r.recommend(req, world.load);
    expect(top.map((x) => x.slot)).toEqual([other, instructor, reporter]);
    expect(top.map((x) => x.reason.standing.code)).toEqual(['best', 'mismatch', 'reporter']);
    expect(top[1]!.reason.codes).toEqual(expect.arrayContaining(['roleMismatch', 'mismatchAfterMatch']));
    expect(top[2]!.reason.codes).toContain('reporter');
    expect(top).toEqual(r.scan(req, world.load));
    // With the fitting worker far away, the mismatch in the grid keeps its place.
    place(other, 0.05);
    const far = recommenderFor(world).recommend(req, world.load);
    expect(far.map((x) => x.slot)).toEqual([instructor, other, reporter]);
    expect(far[1]!.reason.standing).toEqual({ code: 'tier', above: world.roster[instructor]!.id });
  });

  it('names the part of the score that puts a worker below the one above it', () => {
    shuffleWorld(demo);
    const r = recommenderFor(demo);
    for (let i = 0; i < 300; i++) {
      const top = r.recommend(randomCase(demo), demo.load);
      top.forEach((x, k) => {
        const s = x.reason.standing;
        if (k === 0) return expect(s.code).toBe('best');
        const prev = top[k - 1]!;
        expect(s).toMatchObject({ above: prev.workerId });
        if (s.code === 'farther') expect(s.m).toBe(Math.round(x.reason.distanceM - prev.reason.distanceM));
        if (s.code === 'busier') expect(s.n).toBe(x.reason.openCases - prev.reason.openCases);
        if (s.code === 'tier') expect(x.tier).toBeGreaterThan(prev.tier);
      });
    }
  });

  it('surge mode widens to neighbouring grids and communities, marked cross-grid', () => {
    shuffleWorld(demo);
    const gridId = demo.roster[0]!.gridId;
    const g = demo.grids[gridId - 1]!;
    const neighbours = demo.adjacency.neighbours.get(gridId)!;
    expect(neighbours.length).toBeGreaterThan(0);
    // The own grid's staff are all busy: normal mode falls back to the nearest anywhere, surge
    // mode to the neighbourhood first.
    demo.roster.forEach((w, s) => {
      if (w.gridId === gridId) demo.duty[s] = dutyIndex('busy');
    });
    const r = recommenderFor(demo);
    const p = demo.city.staff[0]!.home;
    const normal = r.recommend({ lng: p[0], lat: p[1], gridId });
    const surge = r.recommend({ lng: p[0], lat: p[1], gridId, surge: true });
    expect(normal.length).toBe(5);
    expect(surge.length).toBe(5);
    for (const x of normal)
      expect(x.reason).toMatchObject({ crossGrid: true, surge: false, inGrid: false, scope: 'nearby' });
    const wide = new Set([...neighbours, ...demo.adjacency.gridsOfCommunity.get(g.communityId)!]);
    for (const c of demo.adjacency.communityNeighbours.get(g.communityId)!)
      for (const h of demo.adjacency.gridsOfCommunity.get(c)!) wide.add(h);
    for (const x of surge) {
      expect(x.tier).toBe(1);
      expect(wide.has(x.homeGridId)).toBe(true);
      expect(x.reason).toMatchObject({ crossGrid: true, surge: true, inGrid: false });
      expect(x.reason.codes).toEqual(expect.arrayContaining(['crossGrid', 'surge']));
      if (neighbours.includes(x.homeGridId)) expect(x.reason.scope).toBe('neighbourGrid');
    }
  });

  it('follows positions after a rebuild', () => {
    shuffleWorld(demo);
    const r = recommenderFor(demo);
    const req: RecommendRequest = {
      lng: demo.city.staff[10]!.home[0],
      lat: demo.city.staff[10]!.home[1],
      gridId: null,
    };
    const far = demo.roster.findIndex(
      (_, s) =>
        demo.duty[s] === dutyIndex('available') &&
        demo.present[s] &&
        demo.load[s] === 0 &&
        demo.roster[s]!.role === 'fulltime' &&
        greatCircleM(req.lng, req.lat, demo.lng[s]!, demo.lat[s]!) > 5000,
    );
    expect(far).toBeGreaterThanOrEqual(0);
    expect(r.recommend(req, demo.load).map((x) => x.slot)).not.toContain(far);
    demo.lng[far] = req.lng;
    demo.lat[far] = req.lat;
    r.rebuild({
      lng: demo.lng,
      lat: demo.lat,
      duty: demo.duty,
      at: demo.at,
      present: (s) => demo.present[s] === 1,
    });
    expect(r.recommend(req, demo.load)[0]!.slot).toBe(far);
  });
});

describe('grid adjacency', () => {
  it('is symmetric and every grid of the tiny city touches another', () => {
    const w = makeWorld('tiny');
    for (const [g, ns] of w.adjacency.neighbours) {
      expect(ns.length).toBeGreaterThan(0);
      for (const h of ns) expect(w.adjacency.neighbours.get(h)).toContain(g);
    }
    for (const [c, ns] of w.adjacency.communityNeighbours)
      for (const d of ns) expect(w.adjacency.communityNeighbours.get(d)).toContain(c);
  });
  it('finds squares that share an edge or a corner, not those apart', () => {
    const sq = (x: number, y: number) => [
      [
        [
          [x, y],
          [x + 1, y],
          [x + 1, y + 1],
          [x, y + 1],
          [x, y],
        ],
      ],
    ];
    const a = buildGridAdjacency([
      { id: gid(1), communityId: uid(1), polygon: sq(0, 0) },
      { id: gid(2), communityId: uid(1), polygon: sq(1, 0) },
      { id: gid(3), communityId: uid(2), polygon: sq(2, 1) },
      { id: gid(4), communityId: uid(3), polygon: sq(5, 5) },
    ]);
    expect(a.neighbours.get(1)).toEqual([2]);
    expect(a.neighbours.get(2)).toEqual([1, 3]);
    expect(a.neighbours.get(4)).toEqual([]);
    expect(a.communityNeighbours.get(1)).toEqual([2]);
  });
});

// Roles must stay in the order the recommender indexes them by.
it('covers every staff role in the default fits', () => {
  for (const role of STAFF_ROLES as readonly StaffRole[]) {
    expect(FIELD_ROLE_FIT[role]).toBeGreaterThanOrEqual(0);
    expect(LEAD_ROLE_FIT[role]).toBeGreaterThanOrEqual(0);
  }
});

it('has a message in both tables for every standing code', () => {
  for (const code of ['best', 'tier', 'mismatch', 'reporter', 'farther', 'busier', 'roleFit', 'level'])
    for (const table of Object.values(MESSAGES))
      expect((table as Record<string, string>)[`dispatch.rank.${code}`], code).toBeTruthy();
});

it('has a message in both tables for every reason code', () => {
  for (const code of REASON_CODES)
    for (const table of Object.values(MESSAGES))
      expect(table[`dispatch.reason.${code}` as keyof typeof table]).toBeTruthy();
});

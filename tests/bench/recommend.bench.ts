import { gridId as gid, unitId as uid, workerId as wid } from '@gcc/shared/testing';
import { distance, point } from '@turf/turf';
import { generateCity } from '@gcc/data';
import { DUTY_STATES, dutyIndex, type WorkerId } from '@gcc/shared';
import { GridIndex } from '@gcc/shared/geo';
import { buildGridAdjacency } from '../../server/src/dispatch/grid-adjacency.ts';
import {
  FIELD_ROLE_FIT,
  LEAD_ROLE_FIT,
  LOAD_PENALTY_M,
  Recommender,
  ROLE_PENALTY_M,
  type Recommendation,
  type RecommendRequest,
} from '../../server/src/dispatch/recommender.ts';
import { RoadRouter, travelModeFor } from '../../server/src/dispatch/road-router.ts';
import { buildRoadGraph } from '../../server/src/sim/road-graph.ts';
import { pct, report } from './report.ts';

// Worker recommendations on the `stress` city (5,000 grids, 40,000 staff): p99 per
// recommendation (ranking with full scoring and reasons: own grid, then distance, open cases,
// role fit) against the naive linear scan with turf `distance` computing the same score, the
// two top-5 lists compared on every baseline case; then the road ETAs of the five shown.

const CASES = 5_000;
const WARMUP = 500;
const BASELINE_SAMPLE = 300;
const ETA_CASES = 1_000;
const REBUILDS = 20;

/** A percentile to four significant digits (the extra fields are printed as they are). */
const pct4 = (xs: number[], p: number) => Number(pct(xs, p).toPrecision(4));

export async function run(): Promise<void> {
  let seed = 4242;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const t0 = performance.now();
  const city = generateCity({ profile: 'stress' });
  const genMs = performance.now() - t0;

  const communityId = new Map(
    city.units.filter((u) => u.level === 'community').map((u, i) => [u.code, uid(i + 1)]),
  );
  const gridIdOf = new Map(city.grids.map((g, i) => [g.code, gid(i + 1)]));
  const grids = city.grids.map((g, i) => ({
    id: gid(i + 1),
    communityId: communityId.get(g.communityCode)!,
    polygon: g.polygon,
  }));
  const roster = city.staff.map((s) => ({ id: wid(s.id), gridId: gridIdOf.get(s.gridCode)!, role: s.role }));
  const gridIndex = new GridIndex(grids);
  const t1 = performance.now();
  const adjacency = buildGridAdjacency(grids);
  const adjacencyMs = performance.now() - t1;

  // Positions in the city: most workers near their home grid, some anywhere; a day-time mix of
  // duty states and open cases.
  const n = roster.length;
  const [x0, y0, x1, y1] = city.bbox;
  const lng = new Float64Array(n),
    lat = new Float64Array(n),
    duty = new Uint8Array(n),
    load = new Int32Array(n);
  city.staff.forEach((s, i) => {
    if (rnd() < 0.85) {
      lng[i] = s.home[0] + (rnd() - 0.5) * 0.008;
      lat[i] = s.home[1] + (rnd() - 0.5) * 0.008;
    } else {
      lng[i] = x0 + rnd() * (x1 - x0);
      lat[i] = y0 + rnd() * (y1 - y0);
    }
    duty[i] = rnd() < 0.6 ? dutyIndex('available') : Math.floor(rnd() * DUTY_STATES.length);
    load[i] = rnd() < 0.5 ? 0 : Math.floor(rnd() * 4);
  });
  const available = duty.reduce((a, d) => a + (d === dutyIndex('available') ? 1 : 0), 0);

  const rec = new Recommender(roster, adjacency);
  const src = { lng, lat, duty, present: () => true };
  const rebuildMs: number[] = [];
  for (let i = 0; i < REBUILDS; i++) {
    const t = performance.now();
    rec.rebuild(src);
    rebuildMs.push(performance.now() - t);
  }

  const cases: RecommendRequest[] = [];
  for (let i = 0; i < CASES + WARMUP; i++) {
    let x: number, y: number;
    if (rnd() < 0.9) {
      const s = city.staff[Math.floor(rnd() * n)]!;
      x = s.home[0] + (rnd() - 0.5) * 0.004;
      y = s.home[1] + (rnd() - 0.5) * 0.004;
    } else {
      x = x0 + rnd() * (x1 - x0);
      y = y0 + rnd() * (y1 - y0);
    }
    cases.push({
      lng: x,
      lat: y,
      gridId: gridIndex.locate(x, y),
      roleFit: rnd() < 0.7 ? FIELD_ROLE_FIT : LEAD_ROLE_FIT,
    });
  }

  for (let i = 0; i < WARMUP; i++) rec.recommend(cases[CASES + i]!, load);
  const times: number[] = [];
  const results: Recommendation[][] = [];
  for (let i = 0; i < CASES; i++) {
    const t = performance.now();
    const r = rec.recommend(cases[i]!, load);
    times.push(performance.now() - t);
    results.push(r);
  }
  const surgeTimes: number[] = [];
  for (let i = 0; i < CASES; i++) {
    const t = performance.now();
    rec.recommend({ ...cases[i]!, surge: true }, load);
    surgeTimes.push(performance.now() - t);
  }

  // Naive baseline: every worker, turf distance, the same score and order.
  const workerPoints = city.staff.map((_, i) => point([lng[i]!, lat[i]!]));
  const baseTimes: number[] = [];
  let mismatches = 0;
  const AVAILABLE = dutyIndex('available');
  for (let i = 0; i < BASELINE_SAMPLE; i++) {
    const c = cases[i]!;
    const t = performance.now();
    const at = point([c.lng, c.lat]);
    const fit = c.roleFit ?? FIELD_ROLE_FIT;
    const top: { id: WorkerId; tier: number; score: number }[] = [];
    for (let s = 0; s < n; s++) {
      if (duty[s] !== AVAILABLE) continue;
      const w = roster[s]!;
      const tier = w.gridId === c.gridId ? 0 : 2;
      const score =
        distance(at, workerPoints[s]!, { units: 'meters' }) +
        LOAD_PENALTY_M * load[s]! +
        ROLE_PENALTY_M * (1 - fit[w.role]);
      const e = { id: w.id, tier, score };
      const better = (a: typeof e, b: typeof e) => a.tier - b.tier || a.score - b.score || a.id - b.id;
      if (top.length === 5 && better(e, top[4]!) >= 0) continue;
      top.push(e);
      top.sort(better);
      if (top.length > 5) top.pop();
    }
    baseTimes.push(performance.now() - t);
    const ours = results[i]!.map((r) => r.workerId).join(',');
    if (ours !== top.map((x) => x.id).join(',')) mismatches++;
  }

  const p99 = pct4(times, 99),
    base99 = pct4(baseTimes, 99);
  report({
    bench: 'recommend',
    metric: 'recommend_p99_ms',
    value: p99,
    unit: 'ms',
    baseline: base99,
    ratio: base99 / p99,
    p50Ms: pct4(times, 50),
    baselineP50Ms: pct4(baseTimes, 50),
    surgeP99Ms: pct4(surgeTimes, 99),
    workers: n,
    available,
    grids: grids.length,
    cases: CASES,
    baselineSample: BASELINE_SAMPLE,
    mismatches,
    indexRebuildMs: Number(pct4(rebuildMs, 50).toFixed(2)),
    indexRebuildMaxMs: Number(Math.max(...rebuildMs).toFixed(2)),
    adjacencyMs: Math.round(adjacencyMs),
    cityGenerateMs: Math.round(genMs),
  });

  // Road ETAs for the five shown (per recommendation, all five routes): the typed-array A*
  // against ngraph.path's NBA* on the same weights and heuristic, same routes, lengths compared.
  const graph = buildRoadGraph(city.roads);
  const t2 = performance.now();
  const router = new RoadRouter(graph);
  const routerBuildMs = performance.now() - t2;
  const reference = new RoadRouter(graph, 'ngraph');
  const timeEtas = (r: RoadRouter) => {
    const perCase: number[] = [],
      perRoute: number[] = [],
      lengths: number[] = [];
    let fallbacks = 0;
    for (let i = 0; i < ETA_CASES + 100; i++) {
      const c = cases[i]!;
      const t = performance.now();
      for (const w of results[i]!) {
        const tr = performance.now();
        const e = r.route([w.lng, w.lat], [c.lng, c.lat], travelModeFor(w.role));
        if (i < 100) continue; // warm-up
        perRoute.push(performance.now() - tr);
        lengths.push(e.distanceM);
        if (e.fallback) fallbacks++;
      }
      if (i >= 100) perCase.push(performance.now() - t);
    }
    return { perCase, perRoute, lengths, fallbacks };
  };
  const ours = timeEtas(router);
  const base = timeEtas(reference);
  const lengthMismatches = ours.lengths.filter(
    (m, i) => Math.abs(m - base.lengths[i]!) > 1e-6 * Math.max(1, m),
  ).length;
  const eta99 = pct4(ours.perCase, 99),
    baseEta99 = pct4(base.perCase, 99);
  report({
    bench: 'recommend',
    metric: 'eta_p99_ms',
    value: eta99,
    unit: 'ms',
    baseline: baseEta99,
    ratio: baseEta99 / eta99,
    baselineEngine: 'ngraph.path nba',
    p50Ms: pct4(ours.perCase, 50),
    perRouteP99Ms: pct4(ours.perRoute, 99),
    recommendations: ETA_CASES,
    routes: ours.lengths.length,
    fallbacks: ours.fallbacks,
    lengthMismatches,
    meanRouteM: Math.round(ours.lengths.reduce((a, b) => a + b, 0) / Math.max(1, ours.lengths.length)),
    roadNodes: router.nodeCount,
    routerBuildMs: Math.round(routerBuildMs),
  });
}

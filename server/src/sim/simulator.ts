import KDBush from 'kdbush';
import { CATEGORIES, localHour, type CaseSource, type Position, type WorkerId } from '@gcc/shared';
import { roads } from '../db/schema.ts';
import { ingestPositions, MAX_POSITION_BATCH } from '../live/position-ingest.ts';
import type { Services } from '../services.ts';
import { buildRoadGraph, metres, type RoadGraph } from './road-graph.ts';

// The demo city's life: grid workers walk the roads of their grids by a duty rhythm and report
// positions through the same ingest a device uses; cases come in at a realistic rate with a
// day/night rhythm through the same intake a hotline operator uses. SIM_SPEED scales time.

const TICK_MS = 1000;
/** Share of each role on duty by local hour (patrols by day, a few on call at night). */
function onDutyShare(role: string, hour: number): number {
  const day = hour >= 8 && hour < 18;
  const evening = hour >= 18 && hour < 22;
  if (role === 'fulltime' || role === 'leader') return day ? 0.9 : evening ? 0.35 : 0.12;
  if (role === 'parttime') return day ? 0.45 : evening ? 0.25 : 0.05;
  return day ? 0.3 : 0.02; // instructors
}
/** Relative case intake by local hour (quiet at night, peaks mid-morning and afternoon). */
const HOURLY = [0.2, 0.12, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1.3, 1.7, 1.8, 1.5, 1.1, 1.2, 1.6, 1.7, 1.5, 1.3, 1.0, 0.9, 0.8, 0.6, 0.45, 0.3];
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / 24;
const SOURCES: [CaseSource, number][] = [['patrol', 0.78], ['hotline', 0.12], ['resident', 0.07], ['sensor', 0.02], ['superior', 0.01]];
const TOTAL_WEIGHT = CATEGORIES.reduce((a, c) => a + c.weight, 0);

interface Walker {
  id: number;
  role: string;
  slot: number;
  /** Stable per worker in [0, 1): decides who is on duty at a given share. */
  rank: number;
  onDuty: boolean;
  from: number;
  to: number;
  /** metres walked along the current edge */
  along: number;
  edgeLen: number;
  speed: number;
  homeGrid: number;
}

export interface Simulator {
  stop(): Promise<void>;
}

/** Starts the simulator's tick; returns a handle to stop it. */
export function startSimulator(services: Services, seed = 1): Simulator {
  let state = seed >>> 0 || 1;
  const rnd = () => {
    // xorshift32: the simulator need not be reproducible, only cheap.
    state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
  let graph: RoadGraph | null = null;
  let walkers: Walker[] = [];
  let nodeGrid = new Int32Array(0);
  const log = services.log.child({ part: 'sim' });
  const speedFactor = services.config.SIM_SPEED;
  const casesPerDay = services.config.SIM_CASES_PER_DAY ?? Math.round(services.boundary().grids.length * 1.2);
  let stopped = false;
  let inFlight = 0;

  const ready = (async () => {
    const rows = await services.database.db.select({ name: roads.name, coords: roads.coords }).from(roads);
    graph = buildRoadGraph(rows);
    const g = graph;
    const n = g.lng.length;
    const index = services.boundary().index;
    nodeGrid = new Int32Array(n);
    for (let i = 0; i < n; i++) nodeGrid[i] = index.locate(g.lng[i]!, g.lat[i]!) ?? -1;
    const kd = new KDBush(n);
    for (let i = 0; i < n; i++) kd.add(g.lng[i]!, g.lat[i]!);
    kd.finish();
    walkers = services.roster.map((w) => {
      // Start on the road node nearest home (homes are generated on road vertices).
      const near = kd.within(w.homeLng, w.homeLat, 0.01);
      let best = near[0] ?? Math.floor(rnd() * n);
      let bestD = Infinity;
      for (const i of near) {
        const d = metres(w.homeLng, w.homeLat, g.lng[i]!, g.lat[i]!);
        if (d < bestD) { bestD = d; best = i; }
      }
      return {
        id: w.id, role: w.role, slot: services.positions.slotOf(w.id)!, rank: rnd(), onDuty: false,
        from: best, to: best, along: 0, edgeLen: 0, speed: w.role === 'fulltime' ? 2.5 + rnd() * 2 : 1.1 + rnd() * 0.5, homeGrid: w.gridId,
      };
    });
    log.info({ nodes: n, walkers: walkers.length, casesPerDay, speedFactor }, 'simulator ready');
  })();

  const pickNext = (w: Walker, g: RoadGraph): number => {
    const s = g.adjStart[w.to]!;
    const e = g.adjStart[w.to + 1]!;
    if (e === s) return w.to;
    // Prefer roads that stay in the worker's own grid; avoid turning straight back.
    let choice = -1;
    for (let tries = 0; tries < 6; tries++) {
      const c = g.adj[s + Math.floor(rnd() * (e - s))]!;
      if (c === w.from && e - s > 1) continue;
      choice = c;
      if (nodeGrid[c] === w.homeGrid) break;
    }
    if (choice < 0) choice = g.adj[s]!;
    return choice;
  };

  const tick = () => {
    const g = graph;
    if (!g || stopped) return;
    const now = Date.now();
    const dt = (TICK_MS / 1000) * speedFactor;
    const hour = localHour(now);
    const fixes: Position[] = [];
    for (const w of walkers) {
      const onDuty = w.rank < onDutyShare(w.role, hour);
      if (onDuty !== w.onDuty) {
        w.onDuty = onDuty;
        services.positions.setDuty(w.id, onDuty ? 'available' : 'off');
      }
      if (!onDuty) continue;
      w.along += w.speed * dt;
      while (w.along >= w.edgeLen) {
        w.along -= w.edgeLen;
        const next = pickNext(w, g);
        w.from = w.to;
        w.to = next;
        w.edgeLen = metres(g.lng[w.from]!, g.lat[w.from]!, g.lng[w.to]!, g.lat[w.to]!);
        if (w.edgeLen === 0) { w.along = 0; break; }
      }
      const t = w.edgeLen > 0 ? w.along / w.edgeLen : 0;
      const lng = g.lng[w.from]! + (g.lng[w.to]! - g.lng[w.from]!) * t;
      const lat = g.lat[w.from]! + (g.lat[w.to]! - g.lat[w.from]!) * t;
      const heading = (Math.atan2((g.lng[w.to]! - g.lng[w.from]!) * Math.cos((lat * Math.PI) / 180), g.lat[w.to]! - g.lat[w.from]!) * 180) / Math.PI;
      fixes.push({ workerId: w.id as WorkerId, lng, lat, at: now, speed: w.speed, heading: (heading + 360) % 360, accuracy: 5 + rnd() * 10 });
    }
    // Same batch limit as a device's upload.
    for (let i = 0; i < fixes.length; i += MAX_POSITION_BATCH) ingestPositions(services, fixes.slice(i, i + MAX_POSITION_BATCH));

    // Cases: Poisson arrivals at the hour's rate.
    const perSecond = (casesPerDay / 86_400) * (HOURLY[hour]! / HOURLY_MEAN);
    let expected = perSecond * dt;
    while (expected > 0 && inFlight < 20) {
      if (rnd() >= Math.min(1, expected)) break;
      expected -= 1;
      reportOne(g, now);
    }
  };

  const reportOne = (g: RoadGraph, now: number) => {
    let r = rnd();
    let source: CaseSource = 'patrol';
    for (const [s, p] of SOURCES) { if ((r -= p) < 0) { source = s; break; } }
    let c = rnd() * TOTAL_WEIGHT;
    const category = CATEGORIES.find((k) => (c -= k.weight) < 0) ?? CATEGORIES[0]!;
    let lng: number;
    let lat: number;
    let node: number;
    let workerId: number | null = null;
    const patrols = source === 'patrol' ? walkers.filter((w) => w.onDuty) : [];
    if (patrols.length) {
      const w = patrols[Math.floor(rnd() * patrols.length)]!;
      const cols = services.positions.cols;
      lng = cols.lng[w.slot]!;
      lat = cols.lat[w.slot]!;
      node = w.to;
      workerId = w.id;
    } else {
      node = Math.floor(rnd() * g.lng.length);
      lng = g.lng[node]! + (rnd() - 0.5) * 4e-4;
      lat = g.lat[node]! + (rnd() - 0.5) * 4e-4;
    }
    const description = `${g.roadName[node] ?? ''}附近${category.zh}，请尽快处置`;
    inFlight++;
    services.cases
      .report({ category: category.code, lng, lat, description, source }, { userId: null, workerId }, { at: now })
      .catch((err: unknown) => log.debug({ err }, 'simulated report refused'))
      .finally(() => { inFlight--; });
  };

  const timer = setInterval(() => {
    try {
      tick();
    } catch (err) {
      log.error({ err }, 'simulator tick failed');
    }
  }, TICK_MS);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ready;
    },
  };
}

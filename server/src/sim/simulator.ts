import KDBush from 'kdbush';
import {
  CATEGORIES,
  findCategory,
  localHour,
  type CaseSource,
  type CaseStatus,
  type CaseTier,
  type DutyState,
  type Position,
  type WorkerId,
  type CaseId,
  type GridId,
} from '@gcc/shared';
import { translate } from '@gcc/shared/messages';
import { onWorkersHands } from '../cases/case-row.ts';
import { cases, roads } from '../db/schema.ts';
import {
  deviceFeedback,
  deviceReport,
  deviceStep,
  uploadDevicePhoto,
  type DeviceWorker,
} from '../devices/device-cases.ts';
import type { RoadRouter } from '../dispatch/road-router.ts';
import { ingestPositions, MAX_POSITION_BATCH } from '../live/position-ingest.ts';
import type { Services } from '../services.ts';
import { buildRoadGraph, metres, type RoadGraph } from './road-graph.ts';
import { createSimDesk, type SimDesk } from './sim-desk.ts';
import { simPhoto } from './sim-photo.ts';

/** What this part uses of the services (not the whole composition root). */
type SimulatorDeps = Pick<
  Services,
  | 'boundary'
  | 'cases'
  | 'caseReads'
  | 'config'
  | 'database'
  | 'dispatch'
  | 'log'
  | 'positions'
  | 'roster'
  | 'deadlines'
  | 'bus'
  | 'fieldDuty'
>;

// The demo city's life: grid workers walk the roads of their grids by a duty rhythm and report
// positions through the same ingest a device uses; cases come in at a realistic rate with a
// day/night rhythm through the same intake a hotline operator uses. The loop closes by itself:
// a simulated desk (sim-desk.ts) registers, dispatches, verifies and closes, and the workers
// run their cases through the device case functions a phone's requests reach
// (devices/device-cases.ts): accept within minutes, ride or walk the road route to the site,
// handle for a time that fits the case, feed back with a photo, and patrol again. Patrol
// workers handle most of what they find on the spot (微事自办). SIM_SPEED scales all of it.
// A worker with a real phone (a device credential, or a device reported for it in the last
// hour: field-duty.ts) is the phone's: the simulator neither moves it, nor sets its duty, nor
// works its cases.

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
const HOURLY = [
  0.2, 0.12, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1.3, 1.7, 1.8, 1.5, 1.1, 1.2, 1.6, 1.7, 1.5, 1.3, 1.0, 0.9, 0.8,
  0.6, 0.45, 0.3,
];
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / 24;
const SOURCES: [CaseSource, number][] = [
  ['patrol', 0.78],
  ['hotline', 0.12],
  ['resident', 0.07],
  ['sensor', 0.02],
  ['superior', 0.01],
];
const TOTAL_WEIGHT = CATEGORIES.reduce((a, c) => a + c.weight, 0);
/** Share of what a patrol finds that its worker handles on the spot (Suzhou: 84.33% 现场处置率). */
const ON_SITE_SHARE = 0.84;
const MINUTE_S = 60;
/** Simulated minutes a worker takes to accept (签收) a dispatched case, then to set off. */
const ACCEPT_MIN: [number, number] = [1, 6];
const SET_OFF_MIN: [number, number] = [0.5, 2];
/** Simulated minutes of work on site by tier (四事分流); at most half the category's handling limit. */
const HANDLE_MIN: Readonly<Record<CaseTier, [number, number]>> = {
  micro: [5, 20],
  small: [15, 50],
  large: [40, 120],
  hard: [60, 180],
};
/** Cases assigned to workers are looked up this often (real ms); a phone polls its task list alike. */
const TASK_POLL_MS = 2000;

type Phase = 'waiting' | 'setting-off' | 'walking' | 'handling' | 'acting';

/** A case a simulated worker is working on. */
interface Task {
  caseId: CaseId;
  status: CaseStatus;
  version: number;
  lng: number;
  lat: number;
  category: string;
  tier: CaseTier;
  phase: Phase;
  dueAt: number;
  /** The road route to the site and how far along it the worker is (metres). */
  route: Route | null;
}

interface Route {
  path: [number, number][];
  /** Metres from the start to each vertex. */
  cum: number[];
  /** Metres walked. */
  along: number;
}

function makeRoute(path: [number, number][]): Route {
  const cum = [0];
  for (let i = 1; i < path.length; i++)
    cum.push(cum[i - 1]! + metres(path[i - 1]![0], path[i - 1]![1], path[i]![0], path[i]![1]));
  return { path, cum, along: 0 };
}

/** Walks `metresMore` further along a route: where the walker is, its heading, and whether it arrived. */
function walkOn(r: Route, metresMore: number): { lng: number; lat: number; heading: number; done: boolean } {
  const total = r.cum[r.cum.length - 1]!;
  r.along = Math.min(total, r.along + metresMore);
  let i = 1;
  while (i < r.cum.length - 1 && r.cum[i]! < r.along) i++;
  const [a, b] = [r.path[i - 1]!, r.path[i] ?? r.path[i - 1]!];
  const seg = r.cum[i]! - r.cum[i - 1]!;
  const f = seg > 0 ? (r.along - r.cum[i - 1]!) / seg : 1;
  const lng = a[0] + (b[0] - a[0]) * f;
  const lat = a[1] + (b[1] - a[1]) * f;
  const heading = (Math.atan2((b[0] - a[0]) * Math.cos((lat * Math.PI) / 180), b[1] - a[1]) * 180) / Math.PI;
  return { lng, lat, heading: (heading + 360) % 360, done: r.along >= total };
}

interface Walker {
  id: WorkerId;
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
  homeGrid: GridId;
  home: [number, number];
  /** The road node nearest home, where patrols start and end. */
  homeNode: number;
  /** The road route back into the own grid after a case elsewhere (a worker returns to its post). */
  homeward: Route | null;
  /** The worker's phone as the device case API knows it. */
  device: DeviceWorker;
  task: Task | null;
  /** The last case the worker fed back and its version after that: an older row read by a slow poll is not work. */
  lastDone: { caseId: CaseId; version: number } | null;
}

export interface Simulator {
  stop(): Promise<void>;
}

/** Starts the simulator's tick; returns a handle to stop it. */
export function startSimulator(services: SimulatorDeps, seed = 1): Simulator {
  let state = seed >>> 0 || 1;
  const rnd = () => {
    // xorshift32: the simulator need not be reproducible, only cheap.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  let graph: RoadGraph | null = null;
  let walkers: Walker[] = [];
  let nodeGrid = new Int32Array(0);
  let kd: KDBush | null = null;
  let router: RoadRouter | null = null;
  let desk: SimDesk | null = null;
  const byWorker = new Map<WorkerId, Walker>();
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
    const index2 = new KDBush(n);
    for (let i = 0; i < n; i++) index2.add(g.lng[i]!, g.lat[i]!);
    index2.finish();
    kd = index2;
    const boundary = services.boundary();
    walkers = services.roster.map((w) => {
      // Start on the road node nearest home (homes are generated on road vertices).
      const best = nearestNode(g, w.homeLng, w.homeLat) ?? Math.floor(rnd() * n);
      // A device credential's unit is the community of the worker's grid (as admin.issueDeviceToken scopes it).
      const unitId = boundary.gridById.get(w.gridId)!.communityId;
      return {
        id: w.id,
        role: w.role,
        slot: services.positions.slotOf(w.id)!,
        rank: rnd(),
        onDuty: false,
        from: best,
        to: best,
        along: 0,
        edgeLen: 0,
        speed: w.role === 'fulltime' ? 2.5 + rnd() * 2 : 1.1 + rnd() * 0.5,
        homeGrid: w.gridId,
        home: [w.homeLng, w.homeLat],
        homeNode: best,
        homeward: null,
        device: { workerId: w.id, unitId },
        task: null,
        lastDone: null,
      };
    });
    for (const w of walkers) byWorker.set(w.id, w);
    // Routes to the site along the same roads the dispatch ETAs use.
    router = (await services.dispatch.advisor()).router;
    if (services.config.SIM_DESK) desk = await createSimDesk(services, rnd, speedFactor);
    log.info(
      { nodes: n, walkers: walkers.length, casesPerDay, speedFactor, desk: desk !== null },
      'simulator ready',
    );
  })();

  const nearestNode = (g: RoadGraph, lng: number, lat: number): number | null => {
    if (!kd) return null;
    let best: number | null = null;
    let bestD = Infinity;
    for (let r = 0.002; r <= 0.05 && best === null; r *= 3) {
      for (const i of kd.within(lng, lat, r)) {
        const d = metres(lng, lat, g.lng[i]!, g.lat[i]!);
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
    }
    return best;
  };

  const pickNext = (w: Walker, g: RoadGraph): number => {
    const s = g.adjStart[w.to]!;
    const e = g.adjStart[w.to + 1]!;
    if (e === s) return w.to;
    // A patrol keeps to the roads of its own grid (its post); it turns straight back only at a dead end.
    let inside = 0;
    let pick = -1;
    let back = false;
    for (let k = s; k < e; k++) {
      const c = g.adj[k]!;
      if (nodeGrid[c] !== w.homeGrid) continue;
      if (c === w.from) {
        back = true;
        continue;
      }
      // Reservoir sampling: a uniform choice among the roads that stay inside.
      if (rnd() * ++inside < 1) pick = c;
    }
    if (pick >= 0) return pick;
    if (back) return w.from;
    // No road stays inside: any but the way back (the tick then sends the worker home by the roads).
    const k = Math.floor(rnd() * (e - s));
    const c = g.adj[s + k]!;
    return c === w.from && e - s > 1 ? g.adj[s + ((k + 1) % (e - s))]! : c;
  };

  /** Duty as the simulation has it, for a worker that is still the simulator's. */
  const setSimDuty = (w: Walker, duty: DutyState) => {
    if (services.fieldDuty.simulated(w.id)) services.positions.setDuty(w.id, duty);
  };

  const later = (now: number, [lo, hi]: [number, number]) =>
    now + ((lo + rnd() * (hi - lo)) * MINUTE_S * 1000) / speedFactor;
  /** Where the worker is: its last fix, or its road node before it ever sent one. */
  const here = (w: Walker): [number, number] => {
    const p = services.positions;
    if (p.hasPosition(w.slot)) return [p.cols.lng[w.slot]!, p.cols.lat[w.slot]!];
    return graph ? [graph.lng[w.to]!, graph.lat[w.to]!] : [0, 0];
  };

  /** Back to patrol from wherever the worker is: onto the nearest road node. */
  const endTask = (w: Walker) => {
    w.task = null;
    const g = graph;
    if (g) {
      const [lng, lat] = here(w);
      // Done elsewhere (a case in another grid): back to the own grid by the roads before patrolling.
      const p = services.positions;
      w.homeward =
        router && p.hasPosition(w.slot) && p.gridAt(w.slot) !== w.homeGrid
          ? makeRoute(router.route([lng, lat], w.home, w.role === 'fulltime' ? 'ebike' : 'walk').path)
          : null;
      // Patrol resumes from the end of the way back, or from here.
      const [pl, pa] = w.homeward ? w.home : [lng, lat];
      const node = nearestNode(g, pl, pa);
      if (node !== null) {
        w.from = node;
        w.to = node;
        w.along = 0;
        w.edgeLen = 0;
      }
    }
    setSimDuty(w, w.onDuty ? 'available' : 'off');
  };

  /** Runs one device step of a task; a refusal (the case moved on: reassigned, reworked, parked…) ends the task until the next poll. */
  const step = (w: Walker, t: Task, run: () => Promise<boolean>) => {
    t.phase = 'acting';
    const done = run()
      .then((ok) => {
        if (!ok && w.task === t) endTask(w);
      })
      .catch((err: unknown) => {
        if (!stopped) log.warn({ err, caseId: t.caseId }, 'simulated device step failed');
        if (w.task === t) endTask(w);
      })
      .finally(() => pending.delete(done));
    pending.add(done);
  };

  const handleMinutes = (t: Task): [number, number] => {
    const [lo, hi] = HANDLE_MIN[t.tier];
    const cap = ((findCategory(t.category)?.limits.handle ?? 24) * 60) / 2;
    return [Math.min(lo, cap / 2), Math.min(hi, cap)];
  };

  const advanceTask = (w: Walker, t: Task, now: number, dt: number): Position | null => {
    if (t.phase === 'waiting' && now >= t.dueAt) {
      step(w, t, async () => {
        const r = await deviceStep(
          services,
          w.device,
          t.caseId,
          'accept',
          { expectedVersion: t.version },
          Date.now(),
        );
        if (!r.ok) return false;
        Object.assign(t, {
          status: r.value.status,
          version: r.value.version,
          phase: 'setting-off',
          dueAt: later(Date.now(), SET_OFF_MIN),
        });
        setSimDuty(w, 'busy');
        return true;
      });
      return null;
    }
    if (t.phase === 'waiting' || t.phase === 'acting') return null;
    const [lng0, lat0] = here(w);
    if (t.phase === 'setting-off') {
      if (now < t.dueAt) return fixAt(w, lng0, lat0, 0, 0, now);
      const path = router
        ? router.route([lng0, lat0], [t.lng, t.lat], w.role === 'fulltime' ? 'ebike' : 'walk').path
        : ([
            [lng0, lat0],
            [t.lng, t.lat],
          ] as [number, number][]);
      t.route = makeRoute(path);
      t.phase = 'walking';
      setSimDuty(w, 'enroute');
    }
    if (t.phase === 'walking' && t.route) {
      const r = t.route;
      const { lng, lat, heading, done } = walkOn(r, w.speed * dt);
      if (done) {
        // On site: 处置 starts (unless the case was already being handled before a restart).
        const arrived = () => {
          t.phase = 'handling';
          t.dueAt = later(Date.now(), handleMinutes(t));
          setSimDuty(w, 'onsite');
        };
        if (t.status === 'handling') arrived();
        else {
          step(w, t, async () => {
            const res = await deviceStep(
              services,
              w.device,
              t.caseId,
              'start',
              { expectedVersion: t.version },
              Date.now(),
            );
            if (!res.ok) return false;
            Object.assign(t, { status: res.value.status, version: res.value.version });
            arrived();
            return true;
          });
        }
      }
      return fixAt(w, lng, lat, done ? 0 : w.speed, heading, now);
    }
    if (t.phase === 'handling' && now >= t.dueAt) {
      step(w, t, async () => {
        // 反馈: a photo of the result, then the feedback that references it.
        const photo = await uploadDevicePhoto(
          services,
          w.device,
          'image/png',
          simPhoto(t.caseId * 7 + t.version),
          Date.now(),
        );
        if (!photo.ok) return false;
        const onSite = t.tier === 'micro' || t.tier === 'small';
        const r = await deviceFeedback(
          services,
          w.device,
          t.caseId,
          {
            expectedVersion: t.version,
            photos: [photo.value.id],
            note: translate('sim.feedbackNote', 'zh-CN'),
            onSite,
          },
          Date.now(),
        );
        if (!r.ok) return false;
        w.lastDone = { caseId: t.caseId, version: r.value.version };
        endTask(w);
        return true;
      });
    }
    return fixAt(w, t.lng, t.lat, 0, 0, now);
  };

  const fixAt = (
    w: Walker,
    lng: number,
    lat: number,
    speed: number,
    heading: number,
    now: number,
  ): Position => ({
    workerId: w.id,
    lng,
    lat,
    at: now,
    speed,
    heading,
    accuracy: 5 + rnd() * 10,
  });

  /** The cases assigned to simulated workers, as each phone's task list would show them. */
  const pollTasks = async (now: number) => {
    const rows = await services.database.db
      .select({
        id: cases.id,
        status: cases.status,
        version: cases.version,
        lng: cases.lng,
        lat: cases.lat,
        category: cases.category,
        tier: cases.tier,
        assigneeId: cases.assigneeId,
        deadlineAt: cases.deadlineAt,
      })
      .from(cases)
      .where(onWorkersHands())
      .orderBy(cases.deadlineAt)
      .limit(20_000);
    const mine = new Map<number, typeof rows>();
    for (const r of rows) {
      const list = mine.get(r.assigneeId!);
      if (list) list.push(r);
      else mine.set(r.assigneeId!, [r]);
    }
    for (const w of walkers) {
      if (!services.fieldDuty.simulated(w.id, now)) continue;
      const list = mine.get(w.id);
      const t = w.task;
      if (t && t.phase === 'acting') continue;
      const current = t ? list?.find((r) => r.id === t.caseId) : undefined;
      if (t && !current) {
        endTask(w);
      }
      // Only a newer version counts: a step of the worker's may have finished while this poll read the table.
      else if (t && current && current.version > t.version) {
        // Changed under the worker (e.g. 返工 sent it back): take it up again from its new step.
        if (current.status === 'dispatched')
          Object.assign(t, {
            status: 'dispatched',
            version: current.version,
            phase: 'waiting',
            dueAt: later(now, ACCEPT_MIN),
            route: null,
          });
        else Object.assign(t, { status: current.status, version: current.version });
      }
      const ld = w.lastDone;
      const r = list?.find((x) => !ld || x.id !== ld.caseId || x.version >= ld.version);
      if (w.task || !r) continue;
      const status = r.status as CaseStatus;
      w.task = {
        caseId: r.id,
        status,
        version: r.version,
        lng: r.lng,
        lat: r.lat,
        category: r.category,
        tier: r.tier as CaseTier,
        route: null,
        phase: status === 'dispatched' ? 'waiting' : 'setting-off',
        dueAt: later(now, status === 'dispatched' ? ACCEPT_MIN : SET_OFF_MIN),
      };
      if (status !== 'dispatched') setSimDuty(w, 'busy');
    }
  };

  let polledAt = 0;
  let background: Promise<void> | null = null;

  const tick = () => {
    const g = graph;
    if (!g || stopped) return;
    const now = Date.now();
    const dt = (TICK_MS / 1000) * speedFactor;
    const hour = localHour(now);
    const fixes: Position[] = [];
    for (const w of walkers) {
      if (!services.fieldDuty.simulated(w.id, now)) {
        // A real phone reports for this worker from now on: what the simulation held is dropped.
        if (w.onDuty || w.task) services.fieldDuty.release(w.id, now);
        w.onDuty = false;
        w.task = null;
        w.homeward = null;
        continue;
      }
      // A worker with a case stays on duty until it is handled.
      const onDuty = w.task !== null || w.rank < onDutyShare(w.role, hour);
      if (onDuty !== w.onDuty) {
        w.onDuty = onDuty;
        if (!w.task) setSimDuty(w, onDuty ? 'available' : 'off');
      }
      if (!onDuty) continue;
      if (w.task && w.task.phase !== 'waiting') {
        const fix = advanceTask(w, w.task, now, dt);
        if (fix) fixes.push(fix);
        continue;
      }
      if (w.task) advanceTask(w, w.task, now, dt);
      if (w.homeward) {
        const { lng, lat, heading, done } = walkOn(w.homeward, w.speed * dt);
        if (done) w.homeward = null;
        fixes.push(fixAt(w, lng, lat, done ? 0 : w.speed, heading, now));
        continue;
      }
      if (!w.task && router && nodeGrid[w.to] !== w.homeGrid && w.to !== w.homeNode) {
        // Off its grid on patrol (a boundary road led out): back to the post by the roads.
        w.homeward = makeRoute(router.route(here(w), w.home, w.role === 'fulltime' ? 'ebike' : 'walk').path);
        w.from = w.homeNode;
        w.to = w.homeNode;
        w.along = 0;
        w.edgeLen = 0;
        continue;
      }
      w.along += w.speed * dt;
      while (w.along >= w.edgeLen) {
        w.along -= w.edgeLen;
        const next = pickNext(w, g);
        w.from = w.to;
        w.to = next;
        w.edgeLen = metres(g.lng[w.from]!, g.lat[w.from]!, g.lng[w.to]!, g.lat[w.to]!);
        if (w.edgeLen === 0) {
          w.along = 0;
          break;
        }
      }
      const t = w.edgeLen > 0 ? w.along / w.edgeLen : 0;
      const lng = g.lng[w.from]! + (g.lng[w.to]! - g.lng[w.from]!) * t;
      const lat = g.lat[w.from]! + (g.lat[w.to]! - g.lat[w.from]!) * t;
      const heading =
        (Math.atan2(
          (g.lng[w.to]! - g.lng[w.from]!) * Math.cos((lat * Math.PI) / 180),
          g.lat[w.to]! - g.lat[w.from]!,
        ) *
          180) /
        Math.PI;
      fixes.push(fixAt(w, lng, lat, w.speed, (heading + 360) % 360, now));
    }
    // Same batch limit as a device's upload.
    for (let i = 0; i < fixes.length; i += MAX_POSITION_BATCH)
      ingestPositions(services, fixes.slice(i, i + MAX_POSITION_BATCH));

    // The desk and the task lists: one round at a time, never piling up behind a slow database.
    if (!background && now - polledAt >= TASK_POLL_MS) {
      polledAt = now;
      background = (async () => {
        await pollTasks(now);
        await desk?.tick(now);
      })()
        .catch((err: unknown) => log.error({ err }, 'simulated desk or task poll failed'))
        .finally(() => {
          background = null;
        });
    }

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
    for (const [s, p] of SOURCES) {
      if ((r -= p) < 0) {
        source = s;
        break;
      }
    }
    let c = rnd() * TOTAL_WEIGHT;
    const category = CATEGORIES.find((k) => (c -= k.weight) < 0) ?? CATEGORIES[0]!;
    let lng: number;
    let lat: number;
    let node: number;
    let walker: Walker | null = null;
    // What a patrol finds, it reports from its phone where it stands.
    const patrols =
      source === 'patrol' ? walkers.filter((w) => w.onDuty && (!w.task || w.task.phase === 'waiting')) : [];
    if (patrols.length) {
      walker = patrols[Math.floor(rnd() * patrols.length)]!;
      [lng, lat] = here(walker);
      node = walker.to;
    } else {
      node = Math.floor(rnd() * g.lng.length);
      lng = g.lng[node]! + (rnd() - 0.5) * 4e-4;
      lat = g.lat[node]! + (rnd() - 0.5) * 4e-4;
    }
    const description = `${g.roadName[node] ?? ''}附近${category.zh}，请尽快处置`;
    // A 12345 call comes with its caller and the hotline's ticket, as intake takes them.
    const caller = source === 'hotline' ? simCaller(rnd, now) : null;
    const hotline = () =>
      services.cases.report(
        { category: category.code, lng, lat, description, source, ...(caller ? { caller } : {}) },
        { userId: null, workerId: walker?.id ?? null },
        { at: now },
      );
    track(
      (async () => {
        if (!walker) return void (await hotline());
        const w = walker;
        // 微事自办: most small things a patrol finds are handled on the spot, with a photo; not what needs a department or is urgent.
        const micro =
          (category.tier === 'micro' || category.tier === 'small') &&
          category.urgency !== 'red' &&
          rnd() < ON_SITE_SHARE;
        let body: Record<string, unknown> = { category: category.code, lng, lat, description };
        if (micro) {
          const photo = await uploadDevicePhoto(
            services,
            w.device,
            'image/png',
            simPhoto(Math.floor(rnd() * 1e6)),
            now,
          );
          if (photo.ok)
            body = {
              ...body,
              micro: { photos: [photo.value.id], note: translate('sim.microNote', 'zh-CN') },
            };
        }
        const r = await deviceReport(services, w.device, body, now);
        // A worker who wandered past its community's edge reports as a call would come in.
        if (!r.ok && r.failure.code === 'outside-jurisdiction') await hotline();
        else if (!r.ok) log.debug({ failure: r.failure }, 'simulated patrol report refused');
      })(),
    );
  };

  const pending = new Set<Promise<unknown>>();
  /** Keeps a background step counted (reports are capped) and awaited on stop. */
  function track(p: Promise<unknown>) {
    inFlight++;
    const done = p
      .catch((err: unknown) => log.debug({ err }, 'simulated step refused'))
      .finally(() => {
        inFlight--;
        pending.delete(done);
      });
    pending.add(done);
  }

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
      await background;
      await Promise.all([...pending]);
    },
  };
}

const SIM_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚';

/** A simulated 12345 caller: 王先生 / 李女士 as operators record a caller who gives no full name, a mobile, a ticket of the day. */
function simCaller(rnd: () => number, now: number): { name: string; phone: string; ticket: string } {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  const surname = SIM_SURNAMES[Math.floor(rnd() * SIM_SURNAMES.length)]!;
  const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return {
    name: `${surname}${rnd() < 0.5 ? '先生' : '女士'}`,
    phone: `1${3 + Math.floor(rnd() * 7)}${digits(9)}`,
    ticket: `GD${day}${digits(5)}`,
  };
}

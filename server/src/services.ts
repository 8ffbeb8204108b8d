import { count, eq, inArray, sql } from 'drizzle-orm';
import { CITY_DEPARTMENTS, generateCity, PROFILES, type City, type Profile } from '@gcc/data';
import { AuthService } from './auth/auth-service.ts';
import { AuditLog } from './audit/audit-log.ts';
import { DeviceRegistry } from './devices/device-registry.ts';
import { CaseAccess } from './cases/case-access.ts';
import { CaseClocks } from './cases/case-clocks.ts';
import { CaseCommands } from './cases/case-commands.ts';
import { CaseQueries } from './cases/case-queries.ts';
import { IndicatorService } from './indicators/indicator-service.ts';
import { backfillCaseFacts, factTerms, rejudgeCaseFacts, settleRejudged } from './indicators/case-facts.ts';
import { UserAdmin } from './auth/user-admin.ts';
import { DepartmentDirectory } from './departments/department-directory.ts';
import { DeadlineDirectory } from './deadlines/deadline-directory.ts';
import type { Config } from './config/config.ts';
import { openDatabase, type Database } from './db/connect.ts';
import { cases, city, roads, units, workers, workerPositions } from './db/schema.ts';
import { DispatchAdvisor } from './dispatch/advisor.ts';
import { FieldDuty } from './duty/field-duty.ts';
import { busSpace, localBus, redisBus, type ClusterBus } from './live/cluster-bus.ts';
import { buildRoadGraph } from './sim/road-graph.ts';
import { EventHub } from './live/event-hub.ts';
import { EventLog } from './live/event-log.ts';
import { CaseTrips } from './live/case-trips.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { PositionStore } from './live/position-store.ts';
import { TrajectoryRecorder } from './live/trajectory-recorder.ts';
import { StreamQuota } from './live/stream-quota.ts';
import { SessionStreams } from './live/session-streams.ts';
import type { Logger } from './log.ts';
import { PlanStore } from './plans/plan-store.ts';
import { backfillAddressPoints, seedCity, seededGridIds } from './seed/seed-city.ts';
import { planHistory, splitHistory, type PlannedCase } from './seed/seed-history.ts';
import { HistoryLoader } from './seed/history-loader.ts';
import { generateOffThread } from './seed/generate-off-thread.ts';
import { AddressPointLoader, pointRows, type PointRows } from './seed/address-point-loader.ts';
import { BoundaryKeeper } from './boundaries/boundary-keeper.ts';
import { BoundaryPublisher } from './boundaries/publish.ts';
import { unitsMovedBetween } from './boundaries/unit-shapes.ts';
import { relayDuty } from './live/duty-relay.ts';
import { buildBasemap, type Basemap } from './basemap/basemap.ts';
import { BoundaryExporter } from './boundaries/io/boundary-export.ts';
import { BoundaryImporter } from './boundaries/io/boundary-import.ts';
import { Boundary } from './spatial/boundary.ts';
import { versionLayer } from './boundaries/version-reads.ts';
import { Gazetteer } from './gazetteer/gazetteer.ts';
import { labelPoint } from './spatial/label-point.ts';
import type { GridId, StaffRole, UnitId, WorkerId } from '@gcc/shared';

// The composition root: opens the record, seeds the demo city on first start, builds the
// in-memory boundary and position store. Everything the API, the streams and the simulator
// use hangs off `Services`.

export interface RosterEntry {
  id: WorkerId;
  name: string;
  role: StaffRole;
  gridId: GridId;
  homeLng: number;
  homeLat: number;
}

export interface CityInfo {
  name: string;
  code: string;
  profile: string;
  bbox: [number, number, number, number];
  /** A label point per unit (interior point of its polygon). */
  unitCenters: Map<UnitId, [number, number]>;
}

export interface Services {
  config: Config;
  log: Logger;
  database: Database;
  cityInfo: CityInfo;
  boundary(): Boundary;
  roster: RosterEntry[];
  positions: PositionStore;
  /** Downsampled tracks for replay. */
  trajectories: TrajectoryRecorder;
  eventLog: EventLog;
  /** Other server processes (Redis), or a local stand-in. */
  bus: ClusterBus;
  /** Open position sockets and event subscriptions per user on this process. */
  streamQuota: StreamQuota;
  /** Ends a session's or a user's live streams (the position stream registers itself). */
  streams: SessionStreams;
  /** This process's reader of the event table, fanning out to every open stream. */
  events: EventHub;
  /** The write side of cases: report, command, merge. */
  cases: CaseCommands;
  /** The read side of cases: lists, queues, counts, one case, duplicates. */
  caseReads: CaseQueries;
  /** Who may do what to a case (rule table ∩ engine), as desks and queues ask. */
  caseAccess: CaseAccess;
  /** Assessment indicators (考核指标) over the case timelines. */
  indicators: IndicatorService;
  /** Handling departments (专业部门). */
  departments: DepartmentDirectory;
  /** The category table with administrators' overrides, the work calendars and their units (kept in step across processes). */
  deadlines: DeadlineDirectory;
  /** Why workers outside their grid are there (on the way to or at a case): the 离岗 alert's exceptions. */
  caseTrips: CaseTrips;
  /** Worker recommendations for dispatch (built on first use: the road graph costs a moment on a big city). */
  dispatch: DispatchDesk;
  auth: AuthService;
  /** People's accounts as administrators manage them (用户管理). */
  users: UserAdmin;
  /** Device and gateway credentials (positions only). */
  devices: DeviceRegistry;
  /** Duty from the field: 上岗/下岗, the grids' weekly rosters (排班), reports inside a shift; the simulator's guard. */
  fieldDuty: FieldDuty;
  audit: AuditLog;
  /** Boundary plans (网格调整方案): drafts of grid edits, replayed and checked on every save. */
  plans: PlanStore;
  /** The gazetteer (roads, places, units, grids, address points) intake searches, built on first use. */
  gazetteer: Gazetteer;
  /** Boundary versions: the one in force (swapped live), publishing a plan as the next one. */
  boundaries: {
    keeper: BoundaryKeeper;
    publisher: BoundaryPublisher;
    /** Boundary files in (into a plan) and out (any version). */
    importer: BoundaryImporter;
    exporter: BoundaryExporter;
  };
  /**
   * Per-user call budget; a tight one for sign-in attempts per address (password guessing);
   * requests per device (a phone reports about once a second) and per gateway.
   */
  limits: { calls: RateLimiter; logins: RateLimiter; devices: RateLimiter; gateways: RateLimiter };
  /** The offline base map's style and sources, as served now (they follow a version's unit moves). */
  basemap(): Basemap;
  /** The older case history of a first start, written behind the listening server: its progress. */
  history: HistoryLoader;
  /** A first start's address points, written behind the listening server before that history. */
  addressPoints: AddressPointLoader;
  /** Starts writing that history (once the server listens); `beforeBatch` lets a test hold it mid-way. */
  loadHistory(opts?: {
    beforeBatch?: (index: number, signal: AbortSignal) => Promise<void>;
    /** The same before each piece of address points (they go in first). */
    beforePointPiece?: (index: number, signal: AbortSignal) => Promise<void>;
  }): void;
  close(): Promise<void>;
}

export interface DispatchDesk {
  advisor(): Promise<DispatchAdvisor>;
  /** Open cases per assigned worker, at most LOAD_CACHE_MS old (every desk asks on every selection). */
  load(now?: number): Promise<Map<WorkerId, number>>;
}

const LOAD_CACHE_MS = 5_000;

const isProfile = (p: string): p is Profile => Object.hasOwn(PROFILES, p);

/**
 * The history cases a stopped first start did not write, from `generated` — the city generated
 * again from what the record keeps (profile, seed, the instant it was made, the days), which gives
 * the same history, numbered the same way; the cases already in the record are left out.
 */
async function resumableHistory(
  db: Database['db'],
  generated: City,
  createdAt: number,
  gridIds: Map<string, GridId>,
  terms: DeadlineDirectory,
  log: Logger,
): Promise<PlannedCase[]> {
  const t0 = performance.now();
  const plan = planHistory(generated, (code) => gridIds.get(code)!, terms);
  const present = new Set(
    (
      await db
        .select({ id: cases.id })
        .from(cases)
        .where(sql`${cases.id} <= ${plan.cases.length}`)
    ).map((r) => r.id),
  );
  const older = splitHistory(plan, createdAt).older.filter((p) => !present.has(p.id));
  // Written to the end by another process (or killed after its last piece): nothing to resume.
  if (older.length === 0) await db.update(city).set({ historyCompleteFrom: null }).where(eq(city.id, 1));
  log.info(
    { missing: older.length, of: plan.cases.length, ms: Math.round(performance.now() - t0) },
    'case history to finish',
  );
  return older;
}

const DEV_SECRET = 'gcc-demo-secret-not-for-production';

/** Opens everything; seeds the configured city profile into an empty database. */
export async function createServices(config: Config, log: Logger): Promise<Services> {
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    templates: config.PGLITE_TEMPLATES === 'off' ? null : config.PGLITE_TEMPLATES,
  });
  const { db } = database;
  // Every transaction run by an audited call carries the call's audit row (audit-log.ts).
  const audit = new AuditLog(db);
  audit.carry(db);
  log.info({ kind: database.kind }, 'database open, migrations applied');

  // The boundary comes after the seed; until then every grid runs on the default calendar.
  const loaded: { boundary?: Boundary } = {};
  const deadlines = await new DeadlineDirectory(
    db,
    () => loaded.boundary,
    log.child({ part: 'deadlines' }),
  ).load();
  let [cityRow] = await db.select().from(city).where(eq(city.id, 1));
  const facts = factTerms(deadlines);
  // What a first start leaves for behind the listening server (or a stopped one left behind): the
  // address points, then the older history. A resumed start generates the city again for them,
  // after it listens.
  let behind: { points: PointRows | null; older: PlannedCase[] } | null = null;
  if (!cityRow) {
    const now = Date.now();
    const historyDays = config.SEED_HISTORY_DAYS ?? PROFILES[config.CITY_PROFILE].historyDays;
    // First start says what it is doing; the address points and the older history are written after the server listens.
    log.info(
      { profile: config.CITY_PROFILE, historyDays },
      'first start: generating the demo city and its case history',
    );
    const t0 = performance.now();
    const generated = generateCity({
      profile: config.CITY_PROFILE,
      seed: config.CITY_SEED,
      now,
      historyDays,
    });
    log.info({ profile: config.CITY_PROFILE, ms: Math.round(performance.now() - t0) }, 'generated demo city');
    const seeded = await seedCity(db, generated, log, now, deadlines, {
      history: 'recent',
      points: 'behind',
      historyDays,
      facts,
    });
    if (seeded.seeded) behind = { points: seeded.points, older: seeded.older };
    [cityRow] = await db.select().from(city).where(eq(city.id, 1));
  }
  const resumed = cityRow;
  const resume =
    !behind &&
    resumed &&
    isProfile(resumed.profile) &&
    (resumed.addressPointsLoading || resumed.historyCompleteFrom !== null)
      ? async (): Promise<{ points: PointRows | null; older: PlannedCase[] }> => {
          const profile = resumed.profile as Profile;
          const t0 = performance.now();
          log.info(
            { profile, historyDays: resumed.historyDays },
            'the first start is incomplete: generating the city again to finish it',
          );
          // On a thread of its own: the server listens meanwhile.
          const generated = await generateOffThread(
            {
              profile,
              seed: resumed.seed,
              now: resumed.createdAt,
              historyDays: resumed.historyDays ?? PROFILES[profile].historyDays,
            },
            log,
          );
          log.info({ profile, ms: Math.round(performance.now() - t0) }, 'generated demo city again');
          const gridIds = await seededGridIds(db);
          return {
            points: resumed.addressPointsLoading
              ? pointRows(generated.addressPoints, (g) => {
                  const code = generated.grids[g]!.code;
                  return gridIds.has(code) ? code : null;
                })
              : null,
            older:
              resumed.historyCompleteFrom !== null
                ? await resumableHistory(db, generated, resumed.createdAt, gridIds, deadlines, log)
                : [],
          };
        }
      : null;
  const departments = await new DepartmentDirectory(db).load(CITY_DEPARTMENTS);
  const secret = config.SESSION_SECRET ?? DEV_SECRET;
  const auth = new AuthService(db, secret);
  if (config.demoMode) {
    await auth.ensureDemoUsers();
  } else {
    const weak = await auth.demoAccountsWithDemoPasswords();
    if (weak.length)
      throw new Error(
        `production mode refuses to start: demo accounts with demo passwords: ${weak.join(', ')}`,
      );
  }

  const boundary = await Boundary.load(db);
  loaded.boundary = boundary;
  const seededProfile = cityRow?.profile ?? '';
  // A first start's points still going in (AddressPointLoader) are not backfilled.
  if (isProfile(seededProfile) && cityRow && !cityRow.addressPointsLoading)
    await backfillAddressPoints(
      db,
      () => generateCity({ profile: seededProfile, seed: cityRow.seed, historyDays: 0 }).addressPoints,
      (lng, lat) => {
        const g = boundary.index.locate(lng, lat);
        return g === null ? null : boundary.gridById.get(g)!.code;
      },
      log,
    );
  deadlines.start();
  const unitRows = await db.select({ id: units.id, polygon: units.polygon }).from(units);
  const unitCenters = new Map<UnitId, [number, number]>();
  for (const u of unitRows) unitCenters.set(u.id, labelPoint(u.polygon));
  // The offline base map (district and street lines): redrawn when a version moves one of them.
  let basemap = await buildBasemap(db, cityRow!.bbox);

  const rosterRows = await db.select().from(workers).orderBy(workers.id);
  const roster: RosterEntry[] = rosterRows.map((w) => ({
    id: w.id,
    name: w.name,
    role: w.role,
    gridId: w.gridId,
    homeLng: w.homeLng,
    homeLat: w.homeLat,
  }));
  const positions = new PositionStore(
    rosterRows.map((w) => ({ id: w.id, homeGridId: w.gridId, duty: w.duty })),
    boundary.index,
  );
  const last = await db.select().from(workerPositions);
  positions.ingest(
    last.map((p) => ({
      workerId: p.workerId,
      lng: p.lng,
      lat: p.lat,
      at: p.at,
      speed: p.speed,
      heading: p.heading,
      accuracy: p.accuracy,
    })),
  );
  // What was just read from the table need not be written back.
  positions.takeUnpersistedRows();

  const eventLog = new EventLog(db);
  // REDIS_URL comes with DATABASE_URL (config.ts): the bus is named after that record.
  const bus =
    config.REDIS_URL && config.DATABASE_URL
      ? await redisBus(config.REDIS_URL, busSpace(config.DATABASE_URL), log.child({ part: 'bus' }))
      : localBus();
  // The version in force is the keeper's: every `() => keeper.get()` below reads the newest one.
  const keeper = new BoundaryKeeper(db, eventLog, bus, log.child({ part: 'boundary' }), boundary);
  eventLog.notifyOthers = () => bus.publishEventWake();
  bus.onRemoteEventWake(() => eventLog.appendedElsewhere());
  bus.onRemoteFixes((fixes) => positions.ingest(fixes, { relayed: true }));
  if (bus.clustered) relayDuty(positions, bus);
  const events = new EventHub(eventLog);
  await events.start();
  const devices = new DeviceRegistry(db, secret, log.child({ part: 'devices' }));
  await devices.start();
  const fieldDuty = new FieldDuty({
    db,
    positions,
    homeGridOf: (id) => workerById.get(id)?.gridId,
    hasDevice: (id) => devices.hasDevice(id),
    freshMs: config.ALERT_SILENT_MINUTES * 60_000,
    log: log.child({ part: 'duty' }),
  });
  await fieldDuty.start();
  const caseAccess = new CaseAccess(() => keeper.get());
  const caseClocks = new CaseClocks(deadlines);
  const caseCommands = new CaseCommands(
    db,
    eventLog,
    () => keeper.get(),
    caseClocks,
    caseAccess,
    () => departments.codes,
    (id) => {
      const w = workerById.get(id);
      return w && { gridId: w.gridId, duty: positions.dutyOf(id) ?? 'off' };
    },
  );
  const caseReads = new CaseQueries(db, caseClocks, caseAccess);
  const workerById = new Map(roster.map((w) => [w.id, w]));
  const indicators = new IndicatorService(
    db,
    () => keeper.get(),
    (id) => workerById.get(id),
    deadlines,
    (code) => departments.get(code)?.nameZh,
    (version) => versionLayer(db, version),
  );
  // Cases written before case_facts existed (or seeded just now) get their facts in the
  // background; until then the indicators replay timelines, as they always did.
  const factsStop = new AbortController();
  const factsLog = log.child({ part: 'indicators' });
  indicators.factsWritten = backfillCaseFacts(db, facts, factsLog, factsStop.signal).then(
    () => {
      if (!factsStop.signal.aborted) indicators.factsReady();
    },
    (err: unknown) => {
      if (!factsStop.signal.aborted)
        factsLog.error({ err }, 'case facts not written; indicators replay timelines');
    },
  );
  // A calendar edit that moves working days re-judges 按期 in the case facts judged on it, in its
  // transaction; cases a command wrote meanwhile on the old body are settled once it is loaded.
  deadlines.onWorkingTimeChange = async (tx, { calendarId, window, terms }) => {
    const written = await rejudgeCaseFacts(tx, calendarId, window, factTerms(terms));
    factsLog.info({ calendarId, cases: written.size }, 'calendar edited: case facts re-judged');
    return () =>
      settleRejudged(db, calendarId, window, written, factTerms(deadlines)).then(
        (cases) => {
          if (cases > 0)
            factsLog.info({ calendarId, cases }, 'calendar edited: case facts re-judged after it');
        },
        (err: unknown) => factsLog.error({ err, calendarId }, 'case facts of a calendar edit not re-judged'),
      );
  };
  const caseTrips = new CaseTrips((id) => {
    const slot = positions.slotOf(id);
    if (slot === undefined || !positions.hasPosition(slot)) return null;
    return { lng: positions.cols.lng[slot]!, lat: positions.cols.lat[slot]! };
  });
  let advisor: Promise<DispatchAdvisor> | null = null;
  let load: { at: number; value: Promise<Map<WorkerId, number>> } | null = null;
  const dispatch: DispatchDesk = {
    advisor: () =>
      (advisor ??= (async () => {
        // The same roads the simulator walks; workers in PositionStore slot order (the roster's).
        const rows = await db.select({ name: roads.name, coords: roads.coords }).from(roads);
        const built = new DispatchAdvisor({
          grids: keeper.get().grids,
          roster,
          positions,
          roads: buildRoadGraph(rows),
          maxIndexAgeMs: 1000,
        });
        // Case corridors follow the roads a worker takes (walking and e-bike routes are the same roads).
        caseTrips.useRoutes((from, to) => built.router.route(from, to, 'walk').path);
        return built;
      })()),
    load: (now = Date.now()) => {
      if (!load || now - load.at > LOAD_CACHE_MS) {
        const value = caseReads.openLoadByWorker();
        load = { at: now, value };
        value.catch(() => {
          load = null;
        });
      }
      return load.value;
    },
  };
  const plansStore = new PlanStore({ database, boundary: () => keeper.get() });
  // A new version: workers' home grids as the publish re-keyed them, read before the swap; then the
  // index, the home grids and the desks' lookups change in one tick; dispatch rebuilds on next use.
  keeper.onSwap(async (next, previous) => {
    // Re-keyed workers are those now in a grid the previous version did not have.
    const fresh = next.grids.filter((g) => !previous.isCurrent(g.id)).map((g) => g.id);
    const homes = fresh.length
      ? await db
          .select({ id: workers.id, gridId: workers.gridId })
          .from(workers)
          .where(inArray(workers.gridId, fresh))
      : [];
    const home = new Map(homes.map((w) => [w.id, w.gridId]));
    // Units whose border the version moved: their labels go to the new shape, and a street or
    // district line to the base map (communities are not on it).
    const moved = await unitsMovedBetween(db, previous.version, next.version);
    const redrawn = moved.some((u) => u.level === 'street' || u.level === 'district')
      ? await buildBasemap(db, cityRow!.bbox)
      : null;
    return () => {
      for (const u of moved) unitCenters.set(u.id, labelPoint(u.polygon));
      if (redrawn) basemap = redrawn;
      loaded.boundary = next;
      for (const w of roster) w.gridId = home.get(w.id) ?? w.gridId;
      positions.useGrids(next.index, (id) => home.get(id));
      advisor = null;
    };
  });
  await keeper.start();
  const history = new HistoryLoader();
  const points = new AddressPointLoader();
  // Periods the load completes are asked again, not answered from a cohort read before.
  history.onProgress(() => indicators.historyMoved());
  if (cityRow?.historyCompleteFrom != null) {
    // Loading from the first answer on, though the points go in first (and a resumed start generates the city again).
    const [row] = await db
      .select({ n: count() })
      .from(cases)
      .where(sql`${cases.id} <= ${cityRow.historyCases}`);
    history.expect({
      loaded: row?.n ?? 0,
      total: cityRow.historyCases,
      completeFrom: cityRow.historyCompleteFrom,
    });
  }
  let historyStarted = false;
  const loadHistory: Services['loadHistory'] = (opts = {}) => {
    if (historyStarted || (!behind && !resume)) return;
    historyStarted = true;
    const pause = config.SEED_HISTORY_PAUSE_MS;
    const pausing =
      pause > 0
        ? (_k: number, signal: AbortSignal) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, pause);
              signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
            })
        : undefined;
    const work = behind ? Promise.resolve(behind) : resume!();
    // Written rows need not stay in memory once they are in.
    behind = null;
    const historyLog = log.child({ part: 'history' });
    history.done = work.then(
      async ({ points: rows, older }) => {
        if (rows) {
          points.start({
            db,
            rows: rows,
            piece: config.SEED_POINT_PIECE,
            log: log.child({ part: 'points' }),
            ...(pausing ? { beforePiece: pausing } : {}),
            ...(opts.beforePointPiece ? { beforePiece: opts.beforePointPiece } : {}),
          });
          await points.done;
          if (points.status().failed) history.fail(new Error('address points not written'), historyLog);
          if (points.status().loading) return;
        }
        if (older.length === 0 || history.stopped()) {
          history.finish();
          return;
        }
        history.start({
          db,
          ...(pausing ? { beforeBatch: pausing } : {}),
          older,
          total: cityRow!.historyCases,
          terms: deadlines,
          facts,
          log: historyLog,
          ...(opts.beforeBatch ? { beforeBatch: opts.beforeBatch } : {}),
        });
        await history.done;
      },
      (err: unknown) => history.fail(err, historyLog),
    );
  };
  const publisher = new BoundaryPublisher({
    log: log.child({ part: 'boundary' }),
    database,
    plans: plansStore,
    eventLog,
    keeper,
  });
  return {
    config,
    log,
    database,
    roster,
    positions,
    eventLog,
    events,
    bus,
    auth,
    users: new UserAdmin(
      db,
      () => keeper.get(),
      (id) => departments.byId(id) !== undefined,
    ),
    devices,
    fieldDuty,
    streams: new SessionStreams(),
    streamQuota: new StreamQuota(config.STREAMS_PER_USER),
    trajectories: new TrajectoryRecorder(db, positions),
    cityInfo: {
      name: cityRow!.name,
      code: cityRow!.code,
      profile: cityRow!.profile,
      bbox: cityRow!.bbox,
      unitCenters,
    },
    boundary: () => keeper.get(),
    basemap: () => basemap,
    cases: caseCommands,
    caseReads,
    caseAccess,
    indicators,
    departments,
    deadlines,
    dispatch,
    caseTrips,
    audit,
    plans: plansStore,
    gazetteer: new Gazetteer(db, () => keeper.get(), log.child({ part: 'gazetteer' })),
    boundaries: {
      keeper,
      publisher,
      importer: new BoundaryImporter({ database, boundary: () => keeper.get(), plans: plansStore }),
      exporter: new BoundaryExporter({ database, boundary: () => keeper.get() }),
    },
    limits: {
      calls: new RateLimiter({ perSecond: 50, burst: 200 }),
      logins: new RateLimiter({ perSecond: 10 / 60, burst: 10 }),
      devices: new RateLimiter({
        perSecond: config.DEVICE_RATE_PER_SECOND,
        burst: config.DEVICE_RATE_PER_SECOND * 20,
      }),
      gateways: new RateLimiter({ perSecond: 2000, burst: 4000 }),
    },
    history,
    addressPoints: points,
    loadHistory,
    close: async () => {
      await Promise.all([points.stop(), history.stop()]);
      factsStop.abort();
      await indicators.factsWritten;
      keeper.stop();
      devices.stop();
      fieldDuty.stop();
      deadlines.stop();
      await events.stop();
      await bus.close();
      await database.close();
    },
  };
}

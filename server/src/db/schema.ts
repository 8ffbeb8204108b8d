import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  AlertId,
  AlertKind,
  BoundaryVersion,
  CaseId,
  CaseSource,
  CaseStatus,
  CaseTier,
  DutyState,
  EventKind,
  GridId,
  PhotoId,
  PlanId,
  ResponsibleLevel,
  Role,
  StaffRole,
  UnitId,
  UnitLevel,
  UserId,
  WorkerId,
} from '@gcc/shared';
import type { HouseholdBands, PlanStatus } from '@gcc/shared/planning';
import type { TopologyEdit } from '@gcc/shared/topology';

// The record. Times are ms since epoch (bigint, read as JS numbers) to match the wire format.
// Geometry is GeoJSON coordinates in jsonb: spatial queries run in the server's in-memory index,
// not in the database (PostGIS is not available for PGlite).

const ms = (name: string) => bigint(name, { mode: 'number' });

// Id columns carry the domain's branded id types, so rows come out typed and a worker id can
// never be written where a grid id belongs; text columns that hold a domain union carry it.
const unitId = (name: string) => integer(name).$type<UnitId>();
const gridId = (name: string) => integer(name).$type<GridId>();
const workerId = (name: string) => integer(name).$type<WorkerId>();
const caseId = (name: string) => integer(name).$type<CaseId>();
const userId = (name: string) => integer(name).$type<UserId>();
type Coords = number[][][][];

export const city = pgTable('city', {
  id: integer('id').primaryKey().default(1),
  name: text('name').notNull(),
  code: text('code').notNull(),
  profile: text('profile').notNull(),
  seed: integer('seed').notNull(),
  bbox: jsonb('bbox').$type<[number, number, number, number]>().notNull(),
  outline: jsonb('outline').$type<Coords>().notNull(),
  /** When the city was generated: the end of its case history (a resumed history load generates it again from here). */
  createdAt: ms('created_at').notNull(),
  /** Cases of the generated history (ids 1…N), and the days it spans (null: the profile's). */
  historyCases: integer('history_cases').notNull().default(0),
  historyDays: integer('history_days'),
  /**
   * While older history is still being written behind a first start (HistoryLoader): periods from
   * this instant on are complete, earlier ones still lack history. Null once it is all in.
   */
  historyCompleteFrom: ms('history_complete_from'),
  /** True while a first start's address points are still being written (AddressPointLoader). */
  addressPointsLoading: boolean('address_points_loading').notNull().default(false),
});

export const units = pgTable(
  'units',
  {
    id: serial('id').$type<UnitId>().primaryKey(),
    level: text('level').$type<UnitLevel>().notNull(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    parentId: unitId('parent_id'),
    urban: boolean('urban').notNull().default(true),
    polygon: jsonb('polygon').$type<Coords>().notNull(),
  },
  (t) => [index('units_parent_idx').on(t.parentId)],
);

/**
 * The shapes a parent unit (community, street, district) had across boundary versions: a row per
 * version whose publish moved the unit's border (unlocked in the plan), and the shape before the
 * first such publish at version 1. `units.polygon` holds the shape of the version in force
 * (written when a version takes effect); this keeps the history for past versions.
 */
export const unitShapes = pgTable(
  'unit_shapes',
  {
    unitId: unitId('unit_id').notNull(),
    /** The first version with this shape. */
    version: integer('version').$type<BoundaryVersion>().notNull(),
    polygon: jsonb('polygon').$type<Coords>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.version] })],
);

/**
 * Boundary versions (边界版本): version 1 is the seeded layer, each publish of a plan adds N+1. A
 * version is in force from `effective_at` (the newest version whose time has come); it is
 * activated once, by whichever server process comes first (`activated_at` set in the transaction
 * that re-keys the rows of changed grids). A published version is superseded, never edited.
 */
export const boundaryVersions = pgTable('boundary_versions', {
  /** The primary key is what makes two racing publishes of N+1 one winner and one conflict. */
  version: integer('version').$type<BoundaryVersion>().primaryKey(),
  publishedAt: ms('published_at').notNull(),
  /** The version's name as screens show it (the plan's name; "初始网格划分" for the seed). */
  note: text('note').notNull(),
  effectiveAt: ms('effective_at').notNull(),
  /** When the version took effect and its rows were re-keyed; null while it is scheduled. */
  activatedAt: ms('activated_at'),
  /** The plan it was published from (null for the seeded version). */
  planId: integer('plan_id')
    .$type<PlanId>()
    .references(() => plans.id),
  publishedBy: userId('published_by'),
  /** The change report (变更清单, `BoundaryChangeReport`); null for the seeded version. */
  report: jsonb('report').$type<Record<string, unknown>>(),
});

/**
 * Grids, one row per shape: a row holds from `version` until the version it is `retired_in`
 * (null: still held by the newest version). An unchanged grid keeps its row, id and code across
 * versions, so nothing keyed to it is rewritten; a reshaped grid gets a new row with the same
 * code; a retired grid's row stays (closed cases keep pointing at it) and its code is never given
 * again. The grids of version v: `version <= v and (retired_in is null or retired_in > v)`.
 */
export const grids = pgTable(
  'grids',
  {
    id: serial('id').$type<GridId>().primaryKey(),
    /** The version this shape first belongs to. */
    version: integer('version').$type<BoundaryVersion>().notNull(),
    /** The first version without this shape (reshaped or retired there); null while the newest version holds it. */
    retiredIn: integer('retired_in').$type<BoundaryVersion>(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    communityId: unitId('community_id').notNull(),
    polygon: jsonb('polygon').$type<Coords>().notNull(),
    households: integer('households').notNull(),
    population: integer('population').notNull(),
    areaKm2: real('area_km2').notNull(),
    urban: boolean('urban').notNull(),
  },
  (t) => [
    uniqueIndex('grids_version_code_idx').on(t.version, t.code),
    // One shape per code in the newest version (a reshape retires the old row in the same transaction).
    uniqueIndex('grids_live_code_idx')
      .on(t.code)
      .where(sql`retired_in is null`),
  ],
);

/**
 * Address points (标准地址), one building (楼栋) each, with its households and residents: what the
 * planner's live statistics are counted from (never from `grids.households`). `grid_code` is the
 * code of the grid of the version in force that contains the point; publishing a plan re-keys it.
 */
export const addressPoints = pgTable(
  'address_points',
  {
    id: serial('id').primaryKey(),
    /**
     * The code of the grid holding the point (a code outlives reshapes: a version that moves a
     * grid's border rewrites only the points that crossed it, not every point of the grid).
     */
    gridCode: text('grid_code').notNull(),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    households: integer('households').notNull(),
    residents: integer('residents').notNull(),
    label: text('label').notNull(),
  },
  (t) => [index('address_points_grid_code_idx').on(t.gridCode)],
);

export const workers = pgTable(
  'workers',
  {
    id: workerId('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<StaffRole>().notNull(),
    gridId: gridId('grid_id').notNull(),
    phone: text('phone').notNull(),
    duty: text('duty').$type<DutyState>().notNull().default('off'),
    homeLng: doublePrecision('home_lng').notNull(),
    homeLat: doublePrecision('home_lat').notNull(),
  },
  (t) => [index('workers_grid_idx').on(t.gridId)],
);

/** Newest known position per worker (written behind the live store; the live store is the fast path). */
export const workerPositions = pgTable('worker_positions', {
  workerId: workerId('worker_id').primaryKey(),
  lng: doublePrecision('lng').notNull(),
  lat: doublePrecision('lat').notNull(),
  at: ms('at').notNull(),
  speed: real('speed').notNull(),
  heading: real('heading').notNull(),
  accuracy: real('accuracy').notNull(),
  gridId: gridId('grid_id'),
});

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * Trajectories for replay, downsampled (live/trajectory-recorder.ts): one row per worker per hour,
 * the points packed (about 7 bytes each; live/trajectory-codec.ts). Sized for 40,000 workers × 30
 * days: ≈ 10 on-duty hours a day → 12 M rows, ≈ 120 points a row → ≈ 10 GB. A replay reads one
 * worker's rows by primary key; retention deletes by `hour_start` (a partition per day is the
 * next step on a large PostgreSQL: drop instead of delete).
 */
export const trajectoryChunks = pgTable(
  'trajectory_chunks',
  {
    workerId: workerId('worker_id').notNull(),
    hourStart: ms('hour_start').notNull(),
    points: bytea('points').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workerId, t.hourStart] }), index('trajectory_hour_idx').on(t.hourStart)],
);

export const cases = pgTable(
  'cases',
  {
    id: serial('id').$type<CaseId>().primaryKey(),
    code: text('code').notNull().unique(),
    source: text('source').$type<CaseSource>().notNull(),
    category: text('category').notNull(),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    gridId: gridId('grid_id').notNull(),
    /**
     * The boundary version `grid_id` was found in (at intake, or when a publish re-keyed the open
     * case). A closed case keeps it with its grid, so history is counted on the grids it was handled under.
     */
    boundaryVersion: integer('boundary_version')
      .$type<BoundaryVersion>()
      .notNull()
      .default(1 as BoundaryVersion), // rows before versions existed: the seeded version 1
    status: text('status').$type<CaseStatus>().notNull(),
    tier: text('tier').$type<CaseTier>().notNull(),
    level: text('level').$type<ResponsibleLevel>().notNull(),
    description: text('description').notNull(),
    assigneeId: workerId('assignee_id'),
    /** A department (专业部门) assignee, when the case went to a department instead of a worker. */
    assigneeDepartment: text('assignee_department'),
    reworkCount: integer('rework_count').notNull().default(0),
    onSite: boolean('on_site').notNull().default(false),
    reportedAt: ms('reported_at').notNull(),
    deadlineAt: ms('deadline_at'),
    closedAt: ms('closed_at'),
    updatedAt: ms('updated_at').notNull(),
    /** Number of events in the timeline; a command is applied only `where version = expected` (no double assignment from two desks). */
    version: integer('version').notNull().default(1),
    /** Parked (挂账) since; the deadline clock pauses. */
    parkedAt: ms('parked_at'),
    /** A merged duplicate's primary case. */
    mergedInto: caseId('merged_into'),
    /**
     * 来电人, 联系电话 (stored form: 11-digit mobile or 区号-号码) and the 12345 工单号 of a call-in
     * case. Personal data: only `callerOf(row, 'full')` for the posts that call back shows it whole.
     */
    callerName: text('caller_name'),
    callerPhone: text('caller_phone'),
    ticketNo: text('ticket_no'),
    /** The address intake chose for the place (address search), as shown there; null for a point only. */
    address: text('address'),
  },
  (t) => [
    index('cases_status_idx').on(t.status),
    index('cases_grid_idx').on(t.gridId),
    index('cases_reported_idx').on(t.reportedAt),
    // Intake asks whether a ticket was registered already (the same work order twice).
    index('cases_ticket_idx')
      .on(t.ticketNo)
      .where(sql`ticket_no is not null`),
  ],
);

/**
 * The indicator facts of a case (考核指标, shared/case-indicators.ts `CaseFacts`), written in the
 * transaction of every case write, so an indicator query sums a period's cases in SQL instead of
 * replaying their timelines. `version` is the case's version the facts were taken at: the
 * backfill at start mends a row that lags its case (a database from before the table).
 */
export const caseFacts = pgTable(
  'case_facts',
  {
    caseId: caseId('case_id').primaryKey(),
    /** The case's grid as its row has it (a publish re-keys open cases here too): what areas group by. */
    gridId: gridId('grid_id').notNull(),
    version: integer('version').notNull(),
    /** First 立案 (or 微事自办); null while not registered. */
    registeredAt: ms('registered_at'),
    /** The local day (localDay) of registeredAt: what trends group by, a column the planner has statistics on. */
    registeredDay: integer('registered_day'),
    lastEventAt: ms('last_event_at').notNull(),
    voided: boolean('voided').notNull(),
    merged: boolean('merged').notNull(),
    parkedAtEnd: boolean('parked_at_end').notNull(),
    closed: boolean('closed').notNull(),
    closedOnTime: boolean('closed_on_time').notNull(),
    /** 结案 time; a merged duplicate closing with its primary is not a closure of its own. */
    closedAt: ms('closed_at'),
    closedWithPrimary: boolean('closed_with_primary').notNull(),
    handled: boolean('handled').notNull(),
    onSite: boolean('on_site').notNull(),
    inGrid: boolean('in_grid').notNull(),
    verifiedOnce: boolean('verified_once').notNull(),
    reworked: boolean('reworked').notNull(),
    handledLate: boolean('handled_late').notNull(),
    handleDeadlineAt: ms('handle_deadline_at'),
    /** The last feedback's worker (id as text) and department: the 'worker' and 'department' groups. */
    worker: text('worker'),
    department: text('department'),
    /** Per timed step (register … close, TIMED_STEPS order): summed elapsed ms and completions. */
    stepMs: bigint('step_ms', { mode: 'number' }).array().notNull(),
    stepCount: integer('step_count').array().notNull(),
    /** The calendar its deadlines were judged on (recorded at the report, else its grid's): an edit of it re-judges the row. */
    calendarId: text('calendar_id'),
  },
  (t) => [
    index('case_facts_registered_idx').on(t.registeredAt),
    index('case_facts_closed_idx').on(t.closedAt),
  ],
);

/**
 * Photo evidence uploaded by worker devices or department desks (反馈, 微事自办), JPEG or PNG ≤ 2 MB.
 * A photo belongs to its uploader (a worker or a user) until a case references it; then `case_id`
 * decides who may see it (users in whose jurisdiction the case lies, the departments on it).
 */
export const photos = pgTable(
  'photos',
  {
    id: serial('id').$type<PhotoId>().primaryKey(),
    workerId: workerId('worker_id'),
    /** The desk user who uploaded it (a department handling a case), when no worker did. */
    userId: userId('user_id'),
    caseId: caseId('case_id'),
    contentType: text('content_type').notNull(),
    bytes: bytea('bytes').notNull(),
    size: integer('size').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [
    index('photos_case_idx').on(t.caseId),
    check('photos_uploader_check', sql`${t.workerId} is not null or ${t.userId} is not null`),
  ],
);

/**
 * The reliable event stream and every case's timeline: append-only, `seq` strictly increasing
 * in commit order (appends take a transaction-scoped advisory lock).
 */
export const events = pgTable(
  'events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    at: ms('at').notNull(),
    kind: text('kind').$type<EventKind>().notNull(),
    type: text('type').notNull(),
    caseId: caseId('case_id'),
    /** Grid the event happened in, for jurisdiction filters (属地). */
    gridId: gridId('grid_id'),
    userId: userId('user_id'),
    workerId: workerId('worker_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index('events_case_idx').on(t.caseId),
    // Indicators (考核指标) find a range's registrations and closures by type and time, not by scanning every event.
    index('events_type_at_idx').on(t.type, t.at),
  ],
);

export const alerts = pgTable(
  'alerts',
  {
    id: serial('id').$type<AlertId>().primaryKey(),
    kind: text('kind').$type<AlertKind>().notNull(),
    gridId: gridId('grid_id'),
    caseId: caseId('case_id'),
    workerId: workerId('worker_id'),
    raisedAt: ms('raised_at').notNull(),
    resolvedAt: ms('resolved_at'),
    message: text('message').notNull(),
  },
  (t) => [
    // One open alert per kind and worker, however many server processes watch (see alert-monitor.ts).
    uniqueIndex('alerts_open_worker_idx')
      .on(t.kind, t.workerId)
      .where(sql`resolved_at is null and worker_id is not null`),
    // One open alert per kind and case (超期督办 raised once; see cases/overdue-monitor.ts).
    uniqueIndex('alerts_open_case_idx')
      .on(t.kind, t.caseId)
      .where(sql`resolved_at is null and case_id is not null`),
    index('alerts_open_idx').on(t.resolvedAt),
  ],
);

/**
 * Handling departments (专业部门): what a whistle (吹哨) calls in and a case may be dispatched to.
 * `code` is the stable id the case timelines carry; names are shown as they are (Chinese first).
 */
export const departments = pgTable('departments', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
});

/**
 * An administrator's edit of one category subclass (categories.ts is the default table): the
 * `CategoryOverrideSchema` JSON without its code. Cases keep the limits recorded at their report.
 */
export const categoryOverrides = pgTable('category_overrides', {
  code: text('code').primaryKey(),
  override: jsonb('override').$type<Record<string, unknown>>().notNull(),
  updatedBy: userId('updated_by'),
  updatedAt: ms('updated_at').notNull(),
});

/**
 * Work calendars (`WorkCalendarSchema` JSON, its `id` the row's) that units may be assigned. A
 * deleted calendar keeps its row (`deleted_at`): cases that recorded it still count on it.
 */
export const workCalendars = pgTable('work_calendars', {
  id: text('id').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  calendar: jsonb('calendar').$type<Record<string, unknown>>().notNull(),
  updatedBy: userId('updated_by'),
  updatedAt: ms('updated_at').notNull(),
  deletedAt: ms('deleted_at'),
});

/** The calendar of an administrative unit; a unit without a row inherits its parent's (the city's default: DEFAULT_CALENDAR). */
export const unitCalendars = pgTable(
  'unit_calendars',
  {
    unitId: unitId('unit_id')
      .primaryKey()
      .references(() => units.id),
    // An assigned calendar cannot be deleted (restrict), whichever process tries.
    calendarId: text('calendar_id')
      .notNull()
      .references(() => workCalendars.id, { onDelete: 'restrict' }),
    updatedBy: userId('updated_by'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('unit_calendars_calendar_idx').on(t.calendarId)],
);

/**
 * One row per setting table that server processes hold in memory (`deadline-terms`: category
 * overrides, calendars and their assignment); every write bumps `version` in its transaction, and
 * each process re-reads the tables when it sees a new one (a cheap poll).
 */
export const settingsVersions = pgTable('settings_versions', {
  name: text('name').primaryKey(),
  version: integer('version').notNull(),
});

/**
 * 排班: the weekly roster of a grid (`RosterShiftSchema[]`, local time). A worker reporting from
 * the field inside a shift of its home grid is on duty; a grid without a row has no hours.
 */
export const dutyRosters = pgTable('duty_rosters', {
  gridId: gridId('grid_id').primaryKey(),
  shifts: jsonb('shifts').$type<{ weekday: number; start: string; end: string }[]>().notNull(),
  updatedBy: userId('updated_by'),
  updatedAt: ms('updated_at').notNull(),
});

export const users = pgTable(
  'users',
  {
    id: serial('id').$type<UserId>().primaryKey(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role').$type<Role>().notNull(),
    unitId: unitId('unit_id').notNull(),
    /** The department a `department` user works for (its 报到 and handling are that department's). */
    departmentId: integer('department_id').references(() => departments.id),
    passwordHash: text('password_hash').notNull(),
    demo: boolean('demo').notNull().default(false),
    createdAt: ms('created_at').notNull(),
    /** Set while the account is disabled (停用): it cannot sign in and its sessions are ended. */
    disabledAt: ms('disabled_at'),
    lastSignInAt: ms('last_sign_in_at'),
  },
  // One account per name whatever its case (the administration desk refuses 'Bob' beside 'bob'; so
  // does the record, also when two desks create them at once).
  (t) => [uniqueIndex('users_username_lower_idx').on(sql`lower(${t.username})`)],
);

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: userId('user_id').notNull(),
  createdAt: ms('created_at').notNull(),
  expiresAt: ms('expires_at').notNull(),
});

/** Kiosk (wall) and device tokens: random, stored hashed, scoped, revocable. */
export const accessTokens = pgTable('access_tokens', {
  id: serial('id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  kind: text('kind').notNull(),
  label: text('label').notNull(),
  unitId: unitId('unit_id').notNull(),
  workerId: workerId('worker_id'),
  createdAt: ms('created_at').notNull(),
  revokedAt: ms('revoked_at'),
  /** A kiosk token's last sign-in of a wall (devices are seen through their positions instead). */
  lastUsedAt: ms('last_used_at'),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ms('at').notNull(),
    userId: userId('user_id'),
    role: text('role').$type<Role>(),
    action: text('action').notNull(),
    input: jsonb('input'),
    ip: text('ip'),
    ok: boolean('ok').notNull(),
    /** Why a call failed: its error code and reason (`FORBIDDEN last-admin`); null when it worked. */
    outcome: text('outcome'),
  },
  // The administration desk pages one user's calls newest first.
  (t) => [index('audit_log_user_idx').on(t.userId, t.id)],
);

export const roads = pgTable('roads', {
  id: integer('id').primaryKey(),
  class: text('class').notNull(),
  name: text('name').notNull(),
  coords: jsonb('coords').$type<[number, number][]>().notNull(),
});

export const water = pgTable('water', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  polygon: jsonb('polygon').$type<Coords>().notNull(),
});

export const places = pgTable('places', {
  id: serial('id').primaryKey(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  lng: doublePrecision('lng').notNull(),
  lat: doublePrecision('lat').notNull(),
  gridId: gridId('grid_id'),
});

/**
 * Boundary plans (网格调整方案): a planner's edits of one boundary version, the whole history with
 * the redo part (`cursor` of them applied), replayed and checked by the server on every save.
 * `touched` and `problems` are what the last save's replay found, for the list.
 */
export const plans = pgTable(
  'plans',
  {
    id: serial('id').$type<PlanId>().primaryKey(),
    name: text('name').notNull(),
    authorId: userId('author_id')
      .notNull()
      .references(() => users.id),
    version: integer('version').$type<BoundaryVersion>().notNull(),
    edits: jsonb('edits').$type<TopologyEdit[]>().notNull(),
    cursor: integer('cursor').notNull(),
    /** The plan's own household targets; null keeps the defaults. */
    bands: jsonb('bands').$type<HouseholdBands>(),
    touched: jsonb('touched').$type<GridId[]>().notNull(),
    problems: integer('problems').notNull(),
    status: text('status').$type<PlanStatus>().notNull(),
    /** Bumped by every write: a save names the revision it was read at (optimistic concurrency). */
    revision: integer('revision').notNull(),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    index('plans_version_idx').on(t.version, t.status),
    check('plans_cursor_in_edits', sql`${t.cursor} >= 0 and ${t.cursor} <= jsonb_array_length(${t.edits})`),
  ],
);

import { ROLES, type CaseId, type GridId, type UnitId, type UserId, type WorkerId } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/src/api/router.ts';
import { createCallerFactory, type Context } from '../../server/src/api/trpc.ts';
import { auditLog, users } from '../../server/src/db/schema.ts';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { startTestServer } from '../support/test-server.ts';

// The authorization matrix: every tRPC procedure × every role (and no session) × an object
// inside and outside the caller's jurisdiction (属地), with the answer each must get in ONE
// table (MATRIX). Callers are users of one street; "inside" names a case, grid, worker, unit,
// token or calendar of that street, "outside" one of another street. A procedure added without
// a row fails the first test. server/src/api/router.test.ts holds the declared roles; this table
// holds what the running server answers, jurisdiction included.
//
// Cells: `ok` answered; `LEAK` answered with a grid outside the jurisdiction (a `gridId` or
// `homeGridId` anywhere in the answer); otherwise the HTTP status of the refusal (401 no
// session, 403 refused, 404 not found — outside the jurisdiction things do not exist —, 400
// refused input, 409 conflict). Probes that change state either fail after the checks (a stale
// version: 409 means "allowed, and only the version was wrong") or change something harmless.
// Where a procedure names no object of a jurisdiction (plans, calendars.create, …) inside and
// outside send the same input.

const IDENTITIES = ['anonymous', ...ROLES] as const;
type Identity = (typeof IDENTITIES)[number];

// prettier-ignore
//                             anon     admin    dispatch planner  wall     device   inspect  intake   shiftld  dept
//                             in  out  in  out  in  out  in  out  in  out  in  out  in  out  in  out  in  out  in  out
const MATRIX: Record<string, string> = {
  'address.nearest':          '401 401  ok  ok   ok  ok   403 403  403 403  403 403  ok  ok   ok  ok   403 403  403 403',
  'address.search':           '401 401  ok  ok   ok  ok   403 403  403 403  403 403  ok  ok   ok  ok   403 403  403 403',
  'admin.auditEntry':         '401 401  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.auditLog':           '401 401  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.createUser':         '401 401  ok  400  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.issueUnitDeviceTokens':'401 401  ok  400  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.kioskTokens':        '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.resetPassword':      '401 401  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.setUserDisabled':    '401 401  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.units':              '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.updateUser':         '401 401  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.users':              '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.workers':            '401 401  ok  400  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.devices':            '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.issueDeviceToken':   '401 401  ok  400  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.issueDeviceTokens':  '401 401  ok  400  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.issueKioskToken':    '401 401  ok  400  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'admin.revokeToken':        '401 401  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'alerts.open':              '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   403 403',
  'auth.kiosk':               '401 401  401 401  401 401  401 401  401 401  401 401  401 401  401 401  401 401  401 401',
  'auth.login':               '401 401  401 401  401 401  401 401  401 401  401 401  401 401  401 401  401 401  401 401',
  'auth.logout':              '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'auth.me':                  'ok  ok   ok  ok   ok  ok   ok  ok   ok  ok   ok  ok   ok  ok   ok  ok   ok  ok   ok  ok',
  'boundaries.list':          '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'boundaries.report':        '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'boundaries.import':        '401 401  ok  ok   403 403  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403',
  'boundaries.export':        '401 401  ok  ok   403 403  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403',
  'calendars.assign':         '401 401  ok  400  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'calendars.create':         '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'calendars.delete':         '401 401  ok  403  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'calendars.due':            '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'calendars.list':           '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'calendars.update':         '401 401  ok  403  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'cases.allowed':            '401 401  ok  404  ok  404  ok  404  ok  404  403 403  ok  404  ok  404  ok  404  404 404',
  'cases.command':            '401 401  403 404  409 404  403 403  403 403  403 403  403 404  403 404  403 404  404 404',
  'cases.duplicates':         '401 401  ok  404  ok  404  ok  404  ok  404  403 403  ok  404  ok  404  ok  404  403 403',
  'cases.get':                '401 401  ok  404  ok  404  ok  404  ok  404  403 403  ok  404  ok  404  ok  404  404 404',
  'cases.list':               '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'cases.merge':              '401 401  403 403  409 404  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'cases.report':             '401 401  ok  403  ok  403  403 403  403 403  ok  403  ok  403  ok  403  403 403  403 403',
  'cases.queueCounts':        '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'cases.today':              '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   403 403',
  'categories.clearOverride': '401 401  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'categories.effective':     '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'categories.setOverride':   '401 401  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'categories.table':         '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'city.history':             '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'city.info':                '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'departments.list':         '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'dispatch.assignBulk':      '401 401  403 403  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'dispatch.recommend':       '401 401  ok  404  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'duty.roster':              '401 401  ok  404  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'duty.setRoster':           '401 401  ok  404  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'events.head':              '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   403 403',
  'events.stream':            '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   403 403',
  'grids.layer':              '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   ok  ok',
  'indicators.summary':       '401 401  ok  403  ok  403  ok  403  ok  403  403 403  ok  403  ok  403  ok  403  403 403',
  'indicators.trend':         '401 401  ok  403  ok  403  ok  403  ok  403  403 403  ok  403  ok  403  ok  403  403 403',
  'planning.context':         '401 401  ok  ok   403 403  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403',
  'plans.baseline':           '401 401  ok  ok   403 403  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403',
  'plans.create':             '401 401  ok  ok   403 403  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403',
  'plans.discard':            '401 401  ok  409  403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'plans.get':                '401 401  ok  ok   403 403  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403',
  'plans.list':               '401 401  ok  ok   403 403  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403',
  'plans.publish':            '401 401  404 404  403 403  404 404  403 403  403 403  403 403  403 403  403 403  403 403',
  'plans.rename':             '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'plans.save':               '401 401  ok  ok   403 403  403 403  403 403  403 403  403 403  403 403  403 403  403 403',
  'workers.away':             '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   403 403',
  'workers.snapshot':         '401 401  ok  ok   ok  ok   ok  ok   ok  ok   403 403  ok  ok   ok  ok   ok  ok   403 403',
  'workers.trajectory':       '401 401  ok  404  ok  404  ok  404  403 403  403 403  403 403  403 403  403 403  403 403',
};

interface Fixtures {
  street: UnitId;
  otherStreet: UnitId;
  grid: [GridId, GridId];
  worker: [WorkerId, WorkerId];
  place: [[number, number], [number, number]];
  case: [CaseId, CaseId];
  case2: [CaseId, CaseId];
  token: [number, number];
  community: [UnitId, UnitId];
  /** People's accounts of the street and of the other street (not the callers: these get disabled). */
  user: [UserId, UserId];
  username: [string, string];
  audit: [number, number];
  calendar: [string, string];
  calendarToDelete: [string, string];
  plan: number;
  planToDiscard: number;
  planRevision: (id: number) => Promise<number>;
}

type Probe = (f: Fixtures, side: 0 | 1, identity: Identity) => unknown | Promise<unknown>;
const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;

const week = 7 * 86_400_000;
const calendarBody = (name: string) => ({
  nameZh: name,
  calendar: {
    workWeekdays: [1, 2, 3, 4, 5],
    periods: [[510, 720]] as [number, number][],
    holidays: [],
    workdays: [],
  },
});

/** The input each procedure is called with, inside (side 0) and outside (side 1) the caller's street. */
const PROBES: Record<string, Probe> = {
  // A name of its own per caller: wrong passwords for one name lock it (sign-in back-off).
  'auth.login': (_f, s, who) => ({ username: `nobody-${who}-${s}`, password: 'wrong' }),
  'auth.kiosk': () => ({ token: 'x'.repeat(40) }),
  'auth.me': () => undefined,
  'auth.logout': () => undefined,
  'admin.issueKioskToken': (f, s) => ({ label: '大屏', unitId: s ? f.otherStreet : f.street }),
  'admin.issueDeviceToken': (f, s) => ({ kind: 'device', workerId: f.worker[s] }),
  'admin.issueDeviceTokens': (f, s) => ({ workerIds: [f.worker[s]] }),
  'admin.devices': () => undefined,
  'admin.revokeToken': (f, s) => ({ id: f.token[s] }),
  'admin.units': () => undefined,
  'admin.users': () => undefined,
  'admin.createUser': (f, s, who) => ({
    username: `mx-${who}-${s}`,
    displayName: '矩阵新用户',
    role: 'dispatcher',
    unitId: s ? f.otherStreet : f.street,
    password: 'matrix-new-1',
  }),
  'admin.updateUser': (f, s) => ({ id: f.user[s], displayName: '矩阵改名' }),
  'admin.setUserDisabled': (f, s) => ({ id: f.user[s], disabled: true }),
  'admin.resetPassword': (f, s) => ({ id: f.user[s], password: 'matrix-new-2' }),
  'admin.workers': (f, s) => ({ unitId: f.community[s] }),
  'admin.issueUnitDeviceTokens': (f, s) => ({ unitId: f.community[s] }),
  'admin.kioskTokens': () => undefined,
  'admin.auditLog': (f, s) => ({ username: f.username[s] }),
  'admin.auditEntry': (f, s) => ({ id: f.audit[s] }),
  'planning.context': () => undefined,
  'city.info': () => undefined,
  'city.history': () => undefined,
  'grids.layer': () => undefined,
  'workers.snapshot': () => undefined,
  'workers.away': () => undefined,
  'workers.trajectory': (f, s) => ({ workerId: f.worker[s], from: Date.now() - 3600_000, to: Date.now() }),
  'alerts.open': () => undefined,
  'cases.list': (f, s) => ({ gridId: f.grid[s], limit: 20 }),
  'cases.get': (f, s) => ({ id: f.case[s] }),
  'cases.report': (f, s) => ({
    category: 'S0101',
    lng: f.place[s][0],
    lat: f.place[s][1],
    description: '井盖缺失',
    source: 'hotline',
  }),
  'cases.command': (f, s) => ({
    caseId: f.case[s],
    command: { type: 'park', expectedVersion: 999, reason: '等待' },
  }),
  'cases.merge': (f, s) => ({
    duplicateId: f.case2[s],
    primaryId: f.case[s],
    duplicateVersion: 999,
    primaryVersion: 999,
  }),
  'cases.duplicates': (f, s) => ({ caseId: f.case[s] }),
  // Outside the street nothing is found: the answer holds no grid of it (else LEAK).
  'address.search': (_f, s) => ({ q: s ? '号' : '网格', limit: 20 }),
  'address.nearest': (f, s) => ({ lng: f.place[s][0], lat: f.place[s][1] }),
  'cases.allowed': (f, s) => ({ caseId: f.case[s] }),
  'cases.queueCounts': (f, s) => ({ gridId: f.grid[s] }),
  'cases.today': () => undefined,
  'dispatch.recommend': (f, s) => ({ caseId: f.case[s] }),
  'dispatch.assignBulk': (f, s) => ({ caseIds: [f.case[s]] }),
  'duty.roster': (f, s) => ({ gridId: f.grid[s] }),
  'duty.setRoster': (f, s) => ({ gridId: f.grid[s], shifts: [] }),
  'indicators.summary': (f, s) => ({
    from: Date.now() - week,
    to: Date.now(),
    groupBy: 'grid',
    unitId: s ? f.otherStreet : f.street,
  }),
  'indicators.trend': (f, s) => ({
    from: Date.now() - week,
    to: Date.now(),
    unitId: s ? f.otherStreet : f.street,
  }),
  'departments.list': () => undefined,
  'categories.effective': () => undefined,
  'categories.table': () => undefined,
  'categories.setOverride': () => ({ code: 'S0101', weight: 0.5 }),
  'categories.clearOverride': () => ({ code: 'S0101' }),
  'calendars.list': () => undefined,
  'calendars.due': () => undefined,
  'calendars.create': () => calendarBody('矩阵日历'),
  'calendars.update': (f, s) => ({ id: f.calendar[s], ...calendarBody('矩阵日历（改）') }),
  'calendars.delete': (f, s) => ({ id: f.calendarToDelete[s] }),
  'calendars.assign': (f, s) => ({ unitId: s ? f.otherStreet : f.street, calendarId: f.calendar[0] }),
  'events.head': () => undefined,
  'events.stream': () => undefined,
  'plans.baseline': () => undefined,
  'plans.list': () => undefined,
  'plans.get': (f) => ({ id: f.plan }),
  'plans.create': () => ({ name: '矩阵方案' }),
  'plans.save': async (f) => ({ id: f.plan, revision: await f.planRevision(f.plan), edits: [], cursor: 0 }),
  'plans.rename': async (f) => ({
    id: f.plan,
    revision: await f.planRevision(f.plan),
    name: '矩阵方案（改）',
  }),
  'plans.discard': async (f) => ({ id: f.planToDiscard, revision: await f.planRevision(f.planToDiscard) }),
  // A plan that does not exist: publishing a real one would swap the city's boundary under the other probes.
  'plans.publish': () => ({ planId: 2_000_000_000, revision: 1 }),
  'boundaries.list': () => undefined,
  'boundaries.report': () => ({ version: 1 }),
  // A dry run of an empty file: checked and refused, nothing stored.
  'boundaries.import': () => ({
    level: 'grids',
    crs: 'wgs84',
    toleranceM: 1,
    name: '矩阵导入',
    dryRun: true,
    file: { type: 'FeatureCollection', features: [] },
  }),
  'boundaries.export': () => ({ format: 'geojson', crs: 'wgs84' }),
};

/** Grid ids named anywhere in an answer (`gridId`, `homeGridId`). */
function gridsIn(value: unknown, out: Set<number>, depth = 0): Set<number> {
  if (depth > 8 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const v of value) gridsIn(v, out, depth + 1);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'gridId' || k === 'homeGridId') && typeof v === 'number') out.add(v);
    else gridsIn(v, out, depth + 1);
  }
  return out;
}

/** A row of the table: cells padded to 3, inside and outside of one identity together. */
function row(cells: readonly string[]): string {
  const pairs: string[] = [];
  for (let i = 0; i < cells.length; i += 2) pairs.push(`${cells[i]!.padEnd(3)} ${cells[i + 1]!.padEnd(3)}`);
  return pairs.join('  ').trimEnd();
}

const STATUS: Record<string, string> = {
  UNAUTHORIZED: '401',
  FORBIDDEN: '403',
  NOT_FOUND: '404',
  BAD_REQUEST: '400',
  CONFLICT: '409',
  TOO_MANY_REQUESTS: '429',
  INTERNAL_SERVER_ERROR: '500',
};

describe('authorization matrix: procedure × role × jurisdiction', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let fx: Fixtures;
  const callers = new Map<Identity, { call: Caller; grids: Set<number> | null }>();

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    const s = server.services;
    const b = s.boundary();
    const streetOf = (g: GridId) =>
      b.unitById.get(b.unitById.get(b.gridById.get(g)!.communityId)!.parentId!)!.id;
    const w0 = s.roster[0]!;
    const street = streetOf(w0.gridId);
    const w1 = s.roster.find((w) => streetOf(w.gridId) !== street)!;
    const otherStreet = streetOf(w1.gridId);
    const report = async (w: typeof w0) =>
      (
        await s.cases.report(
          { category: 'S0101', lng: w.homeLng, lat: w.homeLat, description: '矩阵', source: 'hotline' },
          { userId: null, workerId: null },
        )
      ).id as CaseId;
    const gateway = async (unitId: UnitId) =>
      (await s.devices.issue({ kind: 'gateway', label: '网关', unitId, workerId: null })).id;
    const [dept] = s.departments.list();
    // One user per role in the street (the department user works for a department).
    const password = await hashPassword('matrix123');
    for (const role of ROLES)
      await s.database.db.insert(users).values({
        username: `matrix-${role}`,
        displayName: `矩阵 ${role}`,
        role,
        unitId: street,
        departmentId: role === 'department' ? (dept?.id ?? null) : null,
        passwordHash: password,
        createdAt: Date.now(),
      });
    const contextOf = async (identity: Identity, i: number): Promise<Context> => {
      const user =
        identity === 'anonymous'
          ? null
          : ((await s.auth.login(`matrix-${identity}`, 'matrix123'))?.user ?? null);
      return {
        services: s,
        user,
        sessionToken: undefined,
        ip: `10.9.0.${i + 1}`,
        csrfHeader: true,
        foreignOrigin: false,
        requestId: `matrix-${identity}`,
        setSessionCookie: () => {},
      };
    };
    for (const [i, identity] of IDENTITIES.entries())
      callers.set(identity, {
        call: createCaller(await contextOf(identity, i)),
        grids: identity === 'anonymous' ? null : new Set(b.gridIdsUnder(street)),
      });
    // A city administrator and planner make what the street's callers are probed with.
    const cityAdmin = createCaller({
      ...(await contextOf('anonymous', 100)),
      user: (await s.auth.login('admin', 'admin123'))!.user,
    });
    const cityPlanner = createCaller({
      ...(await contextOf('anonymous', 101)),
      user: (await s.auth.login('planner', 'plan123'))!.user,
    });
    const calendar = async (name: string) => (await cityAdmin.calendars.create(calendarBody(name))).id;
    const calOut = await calendar('外街日历');
    await cityAdmin.calendars.assign({ unitId: otherStreet, calendarId: calOut });
    const plan = (await cityPlanner.plans.create({ name: '市级方案' })).id;
    const person = async (username: string, unitId: UnitId) => {
      const [row] = await s.database.db
        .insert(users)
        .values({
          username,
          displayName: username,
          role: 'dispatcher',
          unitId,
          passwordHash: password,
          createdAt: Date.now(),
        })
        .returning({ id: users.id });
      const [entry] = await s.database.db
        .insert(auditLog)
        .values({
          at: Date.now(),
          userId: row!.id,
          role: 'dispatcher',
          action: 'cases.command',
          input: { x: 1 },
          ip: '10.0.0.1',
          ok: true,
        })
        .returning({ id: auditLog.id });
      return { id: row!.id, username, audit: entry!.id };
    };
    const personIn = await person('mx-person-in', street);
    const personOut = await person('mx-person-out', otherStreet);
    const planToDiscard = (await cityPlanner.plans.create({ name: '待弃方案' })).id;
    fx = {
      street,
      otherStreet,
      grid: [w0.gridId, w1.gridId],
      worker: [w0.id, w1.id],
      place: [
        [w0.homeLng, w0.homeLat],
        [w1.homeLng, w1.homeLat],
      ],
      case: [await report(w0), await report(w1)],
      case2: [await report(w0), await report(w1)],
      token: [await gateway(street), await gateway(otherStreet)],
      community: [b.gridById.get(w0.gridId)!.communityId, b.gridById.get(w1.gridId)!.communityId],
      user: [personIn.id, personOut.id],
      username: [personIn.username, personOut.username],
      audit: [personIn.audit, personOut.audit],
      calendar: [await calendar('本街日历'), calOut],
      calendarToDelete: [await calendar('待删日历'), calOut],
      plan,
      planToDiscard,
      planRevision: async (id) => (await cityPlanner.plans.get({ id })).revision,
    };
  });
  afterAll(async () => {
    await server?.stop();
  });

  const procedures = () => Object.keys(appRouter._def.procedures).sort();

  it('has a row (and a probe) for every procedure of the router', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(procedures());
    expect(Object.keys(PROBES).sort()).toEqual(procedures());
  });

  it('answers every procedure × role × inside/outside as the table says', { timeout: 300_000 }, async () => {
    const actual: Record<string, string> = {};
    for (const path of procedures()) {
      const cells: string[] = [];
      for (const identity of IDENTITIES) {
        const { call, grids } = callers.get(identity)!;
        for (const side of [0, 1] as const) {
          const input = await PROBES[path]!(fx, side, identity);
          const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], call) as (
            i: unknown,
          ) => Promise<unknown>;
          try {
            const answer = await fn(input);
            if (answer && typeof (answer as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
              await (answer as AsyncGenerator<unknown>).return?.(undefined);
            }
            const foreign = grids ? [...gridsIn(answer, new Set())].filter((g) => !grids.has(g)) : [];
            cells.push(foreign.length ? 'LEAK' : 'ok');
          } catch (e) {
            const code =
              (e as { name?: string; code?: string }).name === 'TRPCError'
                ? (e as { code: string }).code
                : 'THROWN';
            cells.push(STATUS[code] ?? code);
          }
        }
      }
      actual[path] = row(cells);
    }
    if (process.env.MATRIX_PRINT)
      console.log(
        Object.entries(actual)
          .map(([k, v]) => `  '${k}': '${v}',`)
          .join('\n'),
      );
    expect(actual).toEqual(MATRIX);
  });
});

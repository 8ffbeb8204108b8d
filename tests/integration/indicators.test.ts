import { userId as uid } from '@gcc/shared/testing';
import type { CaseId, GridId, UnitId } from '@gcc/shared';
import type { WorkerId } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import type { CommandActor } from '../../server/src/cases/case-access.ts';
import { users } from '../../server/src/db/schema.ts';
import { createClient, failure, illTyped } from '../support/client.ts';
import { sayOnDuty } from '../support/on-duty.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// Assessment indicators (考核指标) through the API on a real server: cases run through the loop
// (立案, 派遣, 签收, 处置, 反馈, 核查, 结案; one reworked, one parked, one voided, one never
// registered, one registered before the range), and indicators.summary/trend must give the
// hand-computed numbers, cut to the caller's jurisdiction; the assessed roles and bad input are
// refused. Grid workers act through CaseService with a grid-worker actor, as their device does.

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];
const DAY = 86_400_000;

const workerActor = (workerId: WorkerId): CommandActor => ({
  userId: null,
  workerId,
  posts: ['grid-worker'],
  unitId: null,
  unitLevel: 'grid',
});

describe.each(kinds)('indicators on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const login = async (username: string, password: string) => {
    const c = createClient(server.url);
    await c.trpc.auth.login.mutate({ username, password });
    return c;
  };
  let intake: ReturnType<typeof createClient>;
  let dispatcher: ReturnType<typeof createClient>;
  let inspector: ReturnType<typeof createClient>;
  let shiftLead: ReturnType<typeof createClient>;
  let from: number;
  let worker: WorkerId;
  let gridId: GridId;
  let streetId: UnitId;

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    // The simulator is off: the workers' devices say 上岗, so desks may dispatch to them.
    sayOnDuty(server);
    [intake, dispatcher, inspector, shiftLead] = await Promise.all([
      login('intake', 'intake123'),
      login('dispatcher', 'dispatch123'),
      login('inspector', 'inspect123'),
      login('shiftlead', 'shift123'),
    ]);
    const b = server.services.boundary();
    const w0 = server.services.roster[0]!;
    const site: [number, number] = [w0.homeLng + 0.0002, w0.homeLat + 0.0001];
    gridId = b.index.locate(site[0], site[1])!;
    streetId = b.unitById.get(b.gridById.get(gridId)!.communityId)!.parentId!;
    worker = server.services.roster.find((w) => w.gridId === gridId)!.id;
    const cases = server.services.cases;
    const report = (description: string) =>
      intake.trpc.cases.report.mutate({
        category: 'S0101',
        lng: site[0],
        lat: site[1],
        description,
        source: 'hotline',
      });
    const register = async (id: CaseId, v: number) =>
      (
        await intake.trpc.cases.command.mutate({
          caseId: id,
          command: { type: 'register', tier: 'small', expectedVersion: v },
        })
      ).case.version;
    const dispatch = async (id: CaseId, v: number) =>
      (
        await dispatcher.trpc.cases.command.mutate({
          caseId: id,
          command: { type: 'dispatch', workerId: worker, department: null, expectedVersion: v },
        })
      ).case.version;
    const handle = async (id: CaseId, v: number, onSite: boolean) => {
      v = (await cases.command(id, { type: 'accept', expectedVersion: v }, workerActor(worker))).case.version;
      v = (await cases.command(id, { type: 'start', expectedVersion: v }, workerActor(worker))).case.version;
      return (
        await cases.command(
          id,
          { type: 'feedback', onSite, note: '已处置', photos: ['photos/after.jpg'], expectedVersion: v },
          workerActor(worker),
        )
      ).case.version;
    };
    const verify = async (id: CaseId, v: number, passed: boolean) =>
      (
        await inspector.trpc.cases.command.mutate({
          caseId: id,
          command: { type: 'verify', passed, note: passed ? '已处置到位' : '处置不到位', expectedVersion: v },
        })
      ).case.version;
    const close = async (id: CaseId, v: number) =>
      (
        await shiftLead.trpc.cases.command.mutate({
          caseId: id,
          command: { type: 'close', expectedVersion: v },
        })
      ).case.version;

    // Registered two days before the range and closed inside it: not in the cohort, but a closure of the range.
    const old = await cases.report(
      { category: 'S0101', lng: site[0], lat: site[1], description: '旧案', source: 'hotline' },
      { userId: null, workerId: null },
      { at: Date.now() - 2 * DAY },
    );
    const intakeActor: CommandActor = {
      userId: uid(1),
      workerId: null,
      posts: ['intake'],
      unitId: b.units.find((u) => u.parentId === null)!.id,
      unitLevel: 'city',
    };
    let ov = (
      await cases.command(old.id, { type: 'register', tier: 'small', expectedVersion: 1 }, intakeActor, {
        at: Date.now() - 2 * DAY + 600_000,
      })
    ).case.version;
    from = Date.now();
    ov = await dispatch(old.id, ov);
    ov = await verify(old.id, await handle(old.id, ov, true), true);
    await close(old.id, ov);

    // A: on time, feedback not on the spot, verified first time, closed.
    const a = await report('暴露垃圾 A');
    let v = await dispatch(a.id, await register(a.id, 1));
    v = await verify(a.id, await handle(a.id, v, false), true);
    await close(a.id, v);
    // B: reworked once (返工), then handled on the spot, verified, closed.
    const bCase = await report('暴露垃圾 B');
    v = await dispatch(bCase.id, await register(bCase.id, 1));
    v = await verify(bCase.id, await handle(bCase.id, v, false), false);
    v = await verify(bCase.id, await handle(bCase.id, v, true), true);
    await close(bCase.id, v);
    // C: dispatched and parked (挂账): deferred (缓办).
    const c = await report('暴露垃圾 C');
    v = await dispatch(c.id, await register(c.id, 1));
    await dispatcher.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'park', reason: '待协调', expectedVersion: v },
    });
    // D: registered, returned to intake, rejected: a voided registration (准确立案率).
    const d = await report('暴露垃圾 D');
    v = await register(d.id, 1);
    v = (
      await dispatcher.trpc.cases.command.mutate({
        caseId: d.id,
        command: { type: 'return', reason: '非本辖区', expectedVersion: v },
      })
    ).case.version;
    await intake.trpc.cases.command.mutate({
      caseId: d.id,
      command: { type: 'reject', reason: '非本辖区', expectedVersion: v },
    });
    // E: reported, never registered: not in the cohort.
    await report('暴露垃圾 E');
  });
  afterAll(async () => {
    await server?.stop();
  });

  const range = () => ({ from, to: Date.now() + 1 });

  it('gives the hand-computed totals for the cases registered in the range', async () => {
    const s = await shiftLead.trpc.indicators.summary.query({ ...range(), groupBy: 'grid' });
    // Cohort A, B, C, D (registered 4, voided D, deferred C): 应结案 3, base 3 − 1 = 2.
    expect(s.total).toMatchObject({
      registered: 4,
      due: 3,
      deferred: 1,
      closed: 2,
      closedOnTime: 2,
      closureRate: { numerator: 2, denominator: 2, rate: 1 },
      onTimeClosureRate: { numerator: 2, denominator: 2, rate: 1 },
      // Last feedback on the spot: B only (A's was not).
      onSiteRate: { numerator: 1, denominator: 2, rate: 0.5 },
      inGridRate: { numerator: 2, denominator: 2, rate: 1 },
      reworkRate: { numerator: 1, denominator: 2, rate: 0.5 },
      accurateRegistrationRate: { numerator: 3, denominator: 4, rate: 0.75 },
    });
    expect(s.total.meanStepMs.dispatch.count).toBe(3);
    expect(s.total.meanStepMs.verify.count).toBe(3);
    expect(s.total.meanStepMs.close.count).toBe(2);
    expect(s.groups).toHaveLength(1);
    expect(s.groups[0]).toMatchObject({
      key: String(gridId),
      name: server.services.boundary().gridById.get(gridId)!.name,
    });
    expect(s.groups[0]!.indicators).toEqual(s.total);
  });

  it('groups by street and by the handling worker, with display names', async () => {
    const b = server.services.boundary();
    const byStreet = await dispatcher.trpc.indicators.summary.query({ ...range(), groupBy: 'street' });
    expect(byStreet.groups.map((g) => [g.key, g.name, g.indicators.registered])).toEqual([
      [String(streetId), b.unitById.get(streetId)!.name, 4],
    ]);
    const byWorker = await dispatcher.trpc.indicators.summary.query({ ...range(), groupBy: 'worker' });
    // A and B were handled (反馈) by the worker; C and D never were.
    expect(byWorker.groups).toHaveLength(1);
    expect(byWorker.groups[0]).toMatchObject({
      key: String(worker),
      name: server.services.roster.find((w) => w.id === worker)!.name,
    });
    expect(byWorker.groups[0]!.indicators).toMatchObject({
      registered: 2,
      closed: 2,
      reworkRate: { numerator: 1, denominator: 2 },
    });
    // Ranges split at `from` add up: the seeded history and the old case fall before, A–D after.
    const before = await dispatcher.trpc.indicators.summary.query({
      from: from - 3 * DAY,
      to: from,
      groupBy: 'grid',
    });
    const both = await dispatcher.trpc.indicators.summary.query({
      from: from - 3 * DAY,
      to: range().to,
      groupBy: 'grid',
    });
    expect(before.total.registered).toBeGreaterThanOrEqual(1);
    expect(both.total.registered).toBe(before.total.registered + 4);
  });

  it('gives a daily trend whose buckets add up: registrations of the cohort, closures of the range', async () => {
    const t = await dispatcher.trpc.indicators.trend.query({ ...range(), bucket: 'day' });
    expect(t.bucket).toBe('day');
    expect(t.points.length).toBeGreaterThanOrEqual(1);
    expect(t.points[0]!.start).toBe(from);
    expect(t.points.at(-1)!.end).toBe(t.to);
    expect(t.points.reduce((n, p) => n + p.registered, 0)).toBe(4);
    // A, B and the old case closed in the range.
    expect(t.points.reduce((n, p) => n + p.closed, 0)).toBe(3);
    expect(t.points.reduce((n, p) => n + p.reworkRate.numerator, 0)).toBe(1);
    const week = await dispatcher.trpc.indicators.trend.query({
      from: from - 40 * DAY,
      to: Date.now() + 1,
      bucket: 'week',
    });
    expect(week.points.length).toBeGreaterThanOrEqual(6);
    expect(week.points.reduce((n, p) => n + p.registered, 0)).toBeGreaterThanOrEqual(5);
  });

  it('cuts the answer to the jurisdiction (属地) and refuses an area outside it', async () => {
    const b = server.services.boundary();
    const otherStreet = b.units.find((u) => u.level === 'street' && u.id !== streetId)!;
    await server.services.database.db.insert(users).values([
      {
        username: 'other-street',
        displayName: '另一街道调度员',
        role: 'dispatcher',
        unitId: otherStreet.id,
        passwordHash: await hashPassword('other123'),
        createdAt: Date.now(),
      },
      {
        username: 'dept',
        displayName: '城管执法',
        role: 'department',
        unitId: otherStreet.id,
        passwordHash: await hashPassword('dept123'),
        createdAt: Date.now(),
      },
    ]);
    const other = await login('other-street', 'other123');
    expect(
      (await other.trpc.indicators.summary.query({ ...range(), groupBy: 'grid' })).total.registered,
    ).toBe(0);
    expect((await other.trpc.indicators.trend.query(range())).points.reduce((n, p) => n + p.closed, 0)).toBe(
      0,
    );
    const refused = await failure(
      other.trpc.indicators.summary.query({ ...range(), groupBy: 'grid', unitId: streetId }),
    );
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('outside-jurisdiction');
    // The city desk narrows to the street of the cases, and to another street (none there).
    expect(
      (await dispatcher.trpc.indicators.summary.query({ ...range(), groupBy: 'community', unitId: streetId }))
        .total.registered,
    ).toBe(4);
    expect(
      (
        await dispatcher.trpc.indicators.summary.query({
          ...range(),
          groupBy: 'community',
          unitId: otherStreet.id,
        })
      ).total.registered,
    ).toBe(0);
    expect(
      (
        await failure(
          dispatcher.trpc.indicators.summary.query({ ...range(), groupBy: 'grid', unitId: 99_999_999 }),
        )
      ).code,
    ).toBe('NOT_FOUND');
  });

  it('refuses the assessed roles, the signed-out and bad input', async () => {
    const dept = await login('dept', 'dept123');
    expect((await failure(dept.trpc.indicators.summary.query({ ...range(), groupBy: 'grid' }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await failure(dept.trpc.indicators.trend.query(range()))).code).toBe('FORBIDDEN');
    const anonymous = createClient(server.url);
    expect(
      (await failure(anonymous.trpc.indicators.summary.query({ ...range(), groupBy: 'grid' }))).code,
    ).toBe('UNAUTHORIZED');
    const now = Date.now();
    for (const bad of [
      { from: now, to: now, groupBy: 'grid' },
      { from: now, to: now - DAY, groupBy: 'grid' },
      { from: now - 367 * DAY, to: now, groupBy: 'grid' },
      { from: -1, to: now, groupBy: 'grid' },
      { from: Number.NaN, to: now, groupBy: 'grid' },
      { from: now - DAY, to: now, groupBy: 'household' },
      { from: now - DAY, to: now, groupBy: 'grid', limit: 0 },
    ]) {
      const f = await failure(dispatcher.trpc.indicators.summary.query(illTyped(bad)));
      expect(f.code, JSON.stringify(bad)).toBe('BAD_REQUEST');
    }
    const f = await failure(dispatcher.trpc.indicators.trend.query({ from: now, to: now - 1 }));
    expect(f.code).toBe('BAD_REQUEST');
    expect(f.message).toContain('to must be after from');
  });
});

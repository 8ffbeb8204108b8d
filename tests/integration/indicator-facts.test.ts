import {
  DEFAULT_CALENDAR,
  INDICATOR_GROUPS,
  dayToIso,
  localDay,
  localMidnight,
  localWeekday,
  type CaseId,
  type GridId,
  type UnitId,
  type WorkerId,
} from '@gcc/shared';
import { PROVISIONAL_GRID_ID_MIN } from '@gcc/shared/topology';
import { gridId as gid, userId as uid } from '@gcc/shared/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CommandActor } from '../../server/src/cases/case-access.ts';
import { eq } from 'drizzle-orm';
import { caseFacts, cases, users } from '../../server/src/db/schema.ts';
import type { IndicatorScope } from '../../server/src/indicators/indicator-service.ts';
import { backfillCaseFacts, factTerms } from '../../server/src/indicators/case-facts.ts';
import { planBaseline } from '../../server/src/plans/baseline.ts';
import { cutAcross } from '../support/plan-edits.ts';
import { sayOnDuty } from '../support/on-duty.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// The indicators summed from case_facts must be exactly those of replaying every timeline (the
// query before the facts table), on the same data: every grouping, the trend, ranges that end in
// the past while their cases moved on afterwards, after a boundary publish (closed cases keep the
// grid they were handled under, open ones are re-keyed), for a case counted while open that is
// re-keyed by a publish and then closed, for a facts row that lags its case, and after a holiday
// is entered on the calendar cases ran on (按期 re-judged in the edit's transaction).

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A desk of every supervising and commanding post, 属地 the whole city. */
const cityDesk = (root: UnitId): CommandActor => ({
  userId: uid(1),
  workerId: null,
  posts: ['intake', 'dispatcher', 'inspector', 'shift-lead'],
  unitId: root,
  unitLevel: 'city',
});
/** A grid worker's device. */
const fieldWorker = (workerId: WorkerId): CommandActor => ({
  userId: null,
  workerId,
  posts: ['grid-worker'],
  unitId: null,
  unitLevel: 'grid',
});

describe.each(kinds)('indicators from case facts on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let now: number;

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl, env: { SEED_HISTORY_DAYS: '10' } });
    // The simulator is off: the workers' devices say 上岗, so desks may dispatch to them.
    sayOnDuty(server);
    await server.services.indicators.factsWritten;
    now = Date.now();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Every answer of a scope, from one source. */
  async function answers(source: 'facts' | 'replay', scope: IndicatorScope) {
    const s = server.services.indicators;
    s.source = source;
    const out: unknown[] = [];
    for (const groupBy of INDICATOR_GROUPS)
      out.push(await s.summary(scope, groupBy, { sort: 'registered', order: 'desc', limit: 5000 }));
    out.push(await s.trend(scope, 'day'), await s.trend(scope, 'week'));
    return out;
  }

  const ranges = () => [
    // The whole history up to now.
    { from: now - 11 * DAY, to: now },
    // Ranges that end in the past: cases registered in them moved on (closed, reworked) after.
    { from: now - 6 * DAY, to: now - 4 * DAY - 7 * HOUR },
    { from: now - 2 * DAY, to: now - DAY + 3 * HOUR },
    // The last hours: open cases not yet late are left out of 按期结案率.
    { from: now - 5 * HOUR, to: now },
  ];

  it('writes the facts of every seeded case', async () => {
    const d = server.services.database.db;
    const [all, facts] = await Promise.all([
      d.select({ id: cases.id }).from(cases),
      d.select().from(caseFacts),
    ]);
    expect(all.length).toBeGreaterThan(50);
    expect(facts.length).toBe(all.length);
    expect(server.services.indicators.source).toBe('facts');
  });

  it('gives exactly the replayed indicators, whole city and one street', async () => {
    const b = server.services.boundary();
    const street = b.units.find((u) => u.level === 'street')!;
    for (const r of ranges()) {
      for (const gridIds of [undefined, b.gridIdsUnder(street.id as UnitId)]) {
        const scope = { ...r, gridIds };
        const facts = await answers('facts', scope);
        const replay = await answers('replay', scope);
        expect(facts, JSON.stringify(r)).toEqual(replay);
      }
    }
    // The ranges hold real figures, not empty answers that agree.
    const s = (await answers('facts', { ...ranges()[0]!, gridIds: undefined }))[0] as {
      total: { registered: number; closed: number };
    };
    expect(s.total.registered).toBeGreaterThan(50);
    expect(s.total.closed).toBeGreaterThan(30);
  });

  it('stays identical after a publish: closed cases keep their old grid', async () => {
    const services = server.services;
    const b0 = services.boundary();
    const root = b0.units.find((u) => u.parentId === null)!.id as UnitId;
    const admin = (await services.database.db.select().from(users)).find((u) => u.username === 'admin')!;
    const publisher = { id: admin.id, role: 'admin' as const, unitId: root };
    // Split the busiest grid of the history.
    const busiest = (
      await services.indicators.summary({ from: now - 11 * DAY, to: now, gridIds: undefined }, 'grid', {
        sort: 'registered',
        order: 'desc',
        limit: 1,
      })
    ).groups[0]!;
    const topo = (await planBaseline(b0)).topology;
    const edit = cutAcross(topo, Number(busiest.key) as GridId, gid(PROVISIONAL_GRID_ID_MIN + 1));
    expect(edit).not.toBeNull();
    const plan = await services.plans.create(publisher, { name: '考核口径测试拆分' });
    const saved = await services.plans.save(publisher, {
      id: plan.id,
      revision: plan.revision,
      edits: [edit!],
      cursor: 1,
    });
    await services.boundaries.publisher.publish(publisher, { planId: saved.id, revision: saved.revision });
    expect(services.boundary().version).toBe(b0.version + 1);
    for (const r of ranges()) {
      const scope = { ...r, gridIds: undefined };
      expect(await answers('facts', scope)).toEqual(await answers('replay', scope));
    }
    // The cases keep the grid row they were closed under; by grid they count for the grid's code,
    // shown as its row in force (the split gave it a new row): one grid across the publish.
    const line = services.boundary().gridLine(Number(busiest.key) as GridId);
    expect(line).not.toBe(Number(busiest.key));
    const byGrid = (await answers('facts', { ...ranges()[0]!, gridIds: undefined }))[0] as {
      groups: { key: string; indicators: { closed: number } }[];
    };
    expect(byGrid.groups.find((g) => g.key === busiest.key)).toBeUndefined();
    expect(byGrid.groups.find((g) => g.key === String(line))?.indicators.closed).toBeGreaterThan(0);
  });

  it('follows a case that moves on after it was counted, with a publish between', async () => {
    const services = server.services;
    const s = services.indicators;
    const d = services.database.db;
    const b0 = services.boundary();
    const root = b0.units.find((u) => u.parentId === null)!.id as UnitId;
    const admin = (await d.select().from(users)).find((u) => u.username === 'admin')!;
    const publisher = { id: admin.id, role: 'admin' as const, unitId: root };
    const desk = cityDesk(root);
    // A worker whose home grid the plan below splits (the first one that splits).
    const topo = (await planBaseline(b0)).topology;
    let split: {
      w: (typeof services.roster)[number];
      grid: GridId;
      edit: NonNullable<ReturnType<typeof cutAcross>>;
    } | null = null;
    for (const w of services.roster.slice(1)) {
      const grid = b0.index.locate(w.homeLng, w.homeLat);
      const edit = grid === null ? null : cutAcross(topo, grid, gid(PROVISIONAL_GRID_ID_MIN + 1));
      if (edit && grid !== null) {
        split = { w, grid, edit };
        break;
      }
    }
    expect(split).not.toBeNull();
    const { w, grid, edit } = split!;
    const field = fieldWorker(w.id as WorkerId);
    const t0 = Date.now() - 3 * HOUR;
    const c = await services.cases.report(
      { category: 'S0101', lng: w.homeLng, lat: w.homeLat, description: '计入后续办', source: 'hotline' },
      { userId: null, workerId: null },
      { at: t0 },
    );
    expect(c.gridId).toBe(grid);
    let v = 1;
    const step = async (command: Record<string, unknown>, actor: CommandActor, at?: number) =>
      (v = (
        await services.cases.command(
          c.id,
          { ...command, expectedVersion: v } as never,
          actor,
          at ? { at } : {},
        )
      ).case.version);
    await step({ type: 'register', tier: 'small' }, desk, t0 + 600_000);
    await step({ type: 'dispatch', workerId: w.id, department: null }, desk, t0 + 1_200_000);
    /** Both sources judged at one instant, on the whole span and on a span that ends while the case was open. */
    const agree = async () => {
      const at = Date.now();
      s.now = () => at;
      try {
        for (const r of [
          { from: t0 - DAY, to: at + DAY },
          { from: t0 - DAY, to: t0 + 1_800_000 },
        ]) {
          const scope = { ...r, gridIds: undefined };
          expect(await answers('facts', scope), JSON.stringify(r)).toEqual(await answers('replay', scope));
        }
      } finally {
        s.now = Date.now;
      }
    };
    // Every facts row carries its case's grid.
    const strays = async () =>
      (
        await d
          .select({ id: cases.id, grid: cases.gridId, facts: caseFacts.gridId })
          .from(cases)
          .innerJoin(caseFacts, eq(caseFacts.caseId, cases.id))
      ).filter((r) => r.grid !== r.facts);
    expect(await strays()).toEqual([]);
    // Counted while open.
    await agree();
    // The plan splits its grid: the open case is re-keyed to the grid that now holds it.
    const plan = await services.plans.create(publisher, { name: '考核口径测试再拆分' });
    const saved = await services.plans.save(publisher, {
      id: plan.id,
      revision: plan.revision,
      edits: [edit],
      cursor: 1,
    });
    await services.boundaries.publisher.publish(publisher, { planId: saved.id, revision: saved.revision });
    const [row] = await d.select().from(cases).where(eq(cases.id, c.id));
    const [facts] = await d.select().from(caseFacts).where(eq(caseFacts.caseId, c.id));
    expect(row!.gridId).toBe(services.boundary().index.locate(w.homeLng, w.homeLat));
    expect(facts!.gridId).toBe(row!.gridId);
    expect(await strays()).toEqual([]);
    await agree();
    // It moves on: handled, verified and closed under its new grid.
    await step({ type: 'accept' }, field);
    await step({ type: 'start' }, field);
    await step({ type: 'feedback', onSite: true, note: '已处置', photos: ['photos/after.jpg'] }, field);
    await step({ type: 'verify', passed: true, note: '已处置到位' }, desk);
    await step({ type: 'close' }, desk);
    await agree();
    // Registered at t0 + 10 min, closed now: counted as closed under the grid it was re-keyed to.
    const byGrid = (
      await answers('facts', { from: t0 + 595_000, to: Date.now() + 1, gridIds: undefined })
    )[0] as {
      groups: { key: string; indicators: { registered: number; closed: number } }[];
    };
    expect(
      byGrid.groups.find((g) => g.key === String(row!.gridId))?.indicators.closed,
    ).toBeGreaterThanOrEqual(1);
  });

  it('mends a facts row that lags its case at the backfill (a database from before the table)', async () => {
    const d = server.services.database.db;
    const row = (await d.select().from(caseFacts)).find((r) => r.closed && r.registeredAt! > now - 3 * DAY);
    // As if an older server had written the case: the row says "not closed" at an older version.
    const lagging = { closed: false, version: row!.version - 1 };
    await d
      .insert(caseFacts)
      .values({ ...row!, ...lagging })
      .onConflictDoUpdate({ target: caseFacts.caseId, set: lagging });
    expect(await backfillCaseFacts(d, factTerms(server.services.deadlines))).toBe(1);
    const mended = (await d.select().from(caseFacts)).find((r) => r.caseId === row!.caseId);
    expect(mended).toEqual(row);
    const scope = { ...ranges()[0]!, gridIds: undefined };
    expect(await answers('facts', scope)).toEqual(await answers('replay', scope));
  });

  it('keeps the facts of cases worked through the engine, as they happen', async () => {
    const services = server.services;
    const b = services.boundary();
    const g = b.grids[0]!;
    const w = services.roster.find((x) => x.gridId === g.id)!;
    const c = await services.cases.report(
      { category: 'S0101', lng: w.homeLng, lat: w.homeLat, description: '指标测试', source: 'hotline' },
      { userId: null, workerId: null },
    );
    // A city desk that registers and dispatches (the rule table's posts, 属地 the whole city).
    const desk: CommandActor = {
      userId: uid(1),
      workerId: null,
      posts: ['intake', 'dispatcher'],
      unitId: b.units.find((u) => u.parentId === null)!.id,
      unitLevel: 'city',
    };
    let v = (
      await services.cases.command(c.id, { type: 'register', tier: 'small', expectedVersion: 1 }, desk)
    ).case.version;
    v = (
      await services.cases.command(
        c.id,
        { type: 'dispatch', workerId: w.id, department: null, expectedVersion: v },
        desk,
      )
    ).case.version;
    const row = (await services.database.db.select().from(caseFacts)).find((r) => r.caseId === c.id);
    expect(row).toMatchObject({ version: v, closed: false, gridId: c.gridId });
    expect(row!.registeredAt).not.toBeNull();
    // A range that runs on past now: both sources judge open deadlines at the same instant.
    const at = Date.now();
    services.indicators.now = () => at;
    const scope = { from: now - DAY, to: at + DAY, gridIds: undefined };
    expect(await answers('facts', scope)).toEqual(await answers('replay', scope));
    services.indicators.now = Date.now;
  });

  it('re-judges 按期 in the facts when a holiday is entered on the calendar the cases ran on', async () => {
    const services = server.services;
    const d = services.database.db;
    const b = services.boundary();
    const admin = (await d.select().from(users)).find((u) => u.username === 'admin')!;
    const root = b.units.find((u) => u.parentId === null)!.id as UnitId;
    const editor = { userId: admin.id, unitId: root };
    const w = services.roster[0]!;
    // The grid the cases fall in (a publish above may have moved the worker's home grid).
    const grid = b.gridById.get(b.index.locate(w.homeLng, w.homeLat)!)!;
    const { id: _default, ...body } = DEFAULT_CALENDAR;
    const cal = await services.deadlines.createCalendar(
      { nameZh: '考核测试日历', nameEn: 'Assessment test calendar', calendar: body },
      editor,
    );
    await services.deadlines.assign(grid.communityId, cal.id, editor);
    // A Monday three weeks back whose working week has no holiday.
    let monday = localDay(now) - 21;
    while (localWeekday(localMidnight(monday)) !== 1) monday--;
    while ([0, 1, 2, 3, 4].some((k) => body.holidays.includes(dayToIso(monday + k)))) monday -= 7;
    const at = (day: number, hhmm: string) => {
      const [h, m] = hhmm.split(':').map(Number) as [number, number];
      return localMidnight(monday + day) + h * HOUR + m * 60_000;
    };
    const desk = cityDesk(root);
    const field = fieldWorker(w.id as WorkerId);
    /** A case of 暴露垃圾 (4 working hours to handle) dispatched at `dispatchAt`, fed back at `feedbackAt` (open if null) and closed. */
    const run = async (day: number, dispatchAt: string, feedbackAt: string | null): Promise<CaseId> => {
      const c = await services.cases.report(
        { category: 'S0101', lng: w.homeLng, lat: w.homeLat, description: '按期测试', source: 'hotline' },
        { userId: null, workerId: null },
        { at: at(day, '09:00') },
      );
      let v = 1;
      const step = async (command: Record<string, unknown>, actor: CommandActor, t: number) =>
        (v = (
          await services.cases.command(c.id, { ...command, expectedVersion: v } as never, actor, { at: t })
        ).case.version);
      await step({ type: 'register', tier: 'small' }, desk, at(day, '09:10'));
      await step({ type: 'dispatch', workerId: w.id, department: null }, desk, at(day, dispatchAt));
      await step({ type: 'accept' }, field, at(day, dispatchAt) + 600_000);
      if (feedbackAt === null) return c.id;
      await step({ type: 'start' }, field, at(day, dispatchAt) + 1_200_000);
      await step(
        { type: 'feedback', onSite: true, note: '已处置', photos: ['photos/after.jpg'] },
        field,
        at(day + 1, feedbackAt),
      );
      await step({ type: 'verify', passed: true, note: '已处置到位' }, desk, at(day + 1, feedbackAt) + HOUR);
      await step({ type: 'close' }, desk, at(day + 1, feedbackAt) + 2 * HOUR);
      return c.id;
    };
    // A: dispatched Monday 10:00, due 15:30 that day, fed back Tuesday 09:00: late.
    const a = await run(0, '10:00', '09:00');
    // B: dispatched Monday 11:00 and still being handled: due 16:30.
    const bId = await run(0, '11:00', null);
    // C: dispatched Wednesday, fed back late on Thursday: after the edited day, untouched by it.
    const c = await run(2, '10:00', '09:00');
    const facts = async () => new Map((await d.select().from(caseFacts)).map((r) => [r.caseId, r]));
    const before = await facts();
    expect(before.get(a)).toMatchObject({
      closed: true,
      closedOnTime: false,
      handledLate: true,
      calendarId: cal.id,
    });
    expect(before.get(bId)).toMatchObject({ closed: false, handleDeadlineAt: at(0, '16:30') });
    expect(before.get(c)).toMatchObject({ closed: true, closedOnTime: false });

    // An edit that moves no working time (a holiday on a Sunday) re-judges nothing: the re-judge is
    // not even asked for (rewriting rows with the same values would leave them equal anyway).
    const rejudge = services.deadlines.onWorkingTimeChange!;
    const windows: { from: number; to: number }[] = [];
    services.deadlines.onWorkingTimeChange = (tx, change) => {
      windows.push(change.window);
      return rejudge(tx, change);
    };
    const sunday = dayToIso(monday - 1);
    await services.deadlines.updateCalendar(
      cal.id,
      {
        nameZh: '考核测试日历',
        nameEn: 'Assessment test calendar',
        calendar: { ...body, holidays: [...body.holidays, sunday] },
      },
      editor,
    );
    expect(windows).toEqual([]);
    expect(await facts()).toEqual(before);

    // Monday becomes a holiday: A was due Tuesday 14:00 and was on time; B's deadline moves there too.
    await services.deadlines.updateCalendar(
      cal.id,
      {
        nameZh: '考核测试日历',
        nameEn: 'Assessment test calendar',
        calendar: { ...body, holidays: [...body.holidays, sunday, dayToIso(monday)] },
      },
      editor,
    );
    // Only the Monday is re-judged.
    expect(windows).toEqual([{ from: localMidnight(monday), to: localMidnight(monday + 1) }]);
    const after = await facts();
    expect(after.get(a)).toMatchObject({ closed: true, closedOnTime: true, handledLate: false });
    expect(after.get(bId)).toMatchObject({ closed: false, handleDeadlineAt: at(1, '14:00') });
    // Nothing else moved: C and every case on other calendars keep their rows.
    for (const [id, row] of before)
      if (id !== a && id !== bId) expect(after.get(id), String(id)).toEqual(row);
    for (const r of [
      { from: localMidnight(monday), to: localMidnight(monday + 7) },
      { from: localMidnight(monday - 1), to: now },
    ]) {
      const scope = { ...r, gridIds: undefined };
      expect(await answers('facts', scope)).toEqual(await answers('replay', scope));
    }
    // Other working hours (07:00–21:00) move every case judged on the calendar, C's deadline too;
    // the cases on other calendars keep their rows.
    await services.deadlines.updateCalendar(
      cal.id,
      {
        nameZh: '考核测试日历',
        nameEn: 'Assessment test calendar',
        calendar: {
          ...body,
          periods: [[7 * 60, 21 * 60]],
          holidays: [...body.holidays, sunday, dayToIso(monday)],
        },
      },
      editor,
    );
    const longDays = await facts();
    expect(longDays.get(bId)).toMatchObject({ handleDeadlineAt: at(1, '11:00') });
    for (const [id, row] of before)
      if (id !== a && id !== bId && id !== c) expect(longDays.get(id), String(id)).toEqual(row);
    const scope = { from: localMidnight(monday - 1), to: now, gridIds: undefined };
    expect(await answers('facts', scope)).toEqual(await answers('replay', scope));
    await services.deadlines.assign(grid.communityId, null, editor);
  });
});

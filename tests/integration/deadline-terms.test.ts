import type { GridId, UnitId } from '@gcc/shared';
import { addWorkingHoursOn, type Case, type CaseTerms } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, startServer, type RunningServer } from '@gcc/server';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { auditLog, categoryOverrides, users } from '../../server/src/db/schema.ts';
import { failure, sessionClient, type Client } from '../support/client.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// The category table and work calendars as an administrator edits them, through the real API:
// an edited limit applies to cases reported afterwards and never moves an existing case's
// deadline; refusals (wrong role, a limit over its urgency's ceiling, a bad calendar, a unit
// outside the admin's jurisdiction) change nothing; a street's calendar makes its grids' cases
// count working time on it; another server process on the same database sees an edit.

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

const HOUR = 3_600_000;

describe.each(kinds)('deadline terms on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: Client;
  let intake: Client;
  let dispatcher: Client;
  let streetAdmin: Client;
  /** Two report points whose grids lie in different streets. */
  let here: { lng: number; lat: number; gridId: GridId; streetId: UnitId };
  let there: { lng: number; lat: number; gridId: GridId; streetId: UnitId };

  const streetOf = (gridId: GridId): UnitId => {
    const b = server.services.boundary();
    let unit: UnitId | null = b.gridById.get(gridId)!.communityId;
    while (unit !== null && b.unitById.get(unit)!.level !== 'street') unit = b.unitById.get(unit)!.parentId;
    return unit!;
  };
  const report = (at: { lng: number; lat: number }, category: string, description: string) =>
    intake.trpc.cases.report.mutate({ category, lng: at.lng, lat: at.lat, description, source: 'hotline' });
  /** Reported, registered and dispatched to a department: the handling clock runs. */
  const dispatched = async (category: string, description: string): Promise<Case> => {
    let c = await report(here, category, description);
    c = (
      await intake.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'register', tier: 'small', expectedVersion: c.version },
      })
    ).case;
    return (
      await dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: {
          type: 'dispatch',
          workerId: null,
          department: 'urban-management',
          expectedVersion: c.version,
        },
      })
    ).case;
  };
  const timeline = async (id: number) => (await admin.trpc.cases.get.query({ id })).timeline;
  const termsOf = async (id: number) => (await timeline(id))[0]!.payload.terms as CaseTerms;
  const handleLimit = async (code: string) =>
    (await admin.trpc.categories.table.query()).items.find((c) => c.code === code)!.limits.handle;
  /** The deadline a dispatched case should have on its recorded terms. */
  const handleDeadline = async (c: Case) => {
    const t = await timeline(c.id);
    const terms = t[0]!.payload.terms as CaseTerms;
    const at = t.find((e) => e.type === 'case.dispatched')!.at;
    return addWorkingHoursOn(
      server.services.deadlines.calendarById(terms.calendarId)!,
      at,
      terms.limits.handle,
    );
  };

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    const b = server.services.boundary();
    const spots = server.services.roster.map((w) => {
      const gridId = b.index.locate(w.homeLng, w.homeLat)!;
      return { lng: w.homeLng, lat: w.homeLat, gridId, streetId: streetOf(gridId) };
    });
    here = spots[0]!;
    there = spots.find((s) => s.streetId !== here.streetId)!;
    expect(there, 'the tiny city has two streets with workers').toBeDefined();
    // An administrator of `there`'s street only (属地).
    await server.services.database.db.insert(users).values({
      username: 'jiedao-admin',
      displayName: '街道管理员',
      role: 'admin',
      unitId: there.streetId,
      passwordHash: await hashPassword('street123'),
      createdAt: Date.now(),
    });
    [admin, intake, dispatcher, streetAdmin] = await Promise.all([
      sessionClient(server, 'admin', 'admin123'),
      sessionClient(server, 'intake', 'intake123'),
      sessionClient(server, 'dispatcher', 'dispatch123'),
      sessionClient(server, 'jiedao-admin', 'street123'),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an edited handling limit applies to cases reported afterwards; an existing case keeps its deadline', async () => {
    const before = await dispatched('S0101', '暴露垃圾，修改时限前上报');
    expect((await termsOf(before.id)).limits.handle).toBe(4);
    expect(before.deadlineAt).toBe(await handleDeadline(before));

    const edited = await admin.trpc.categories.setOverride.mutate({ code: 'S0101', limits: { handle: 8 } });
    expect(edited.limits.handle).toBe(8);
    const row = (await admin.trpc.categories.table.query()).items.find((c) => c.code === 'S0101')!;
    expect(row.overridden).toEqual(['limits.handle']);
    expect(row.defaults.limits.handle).toBe(4);
    // The desks read the table in force (default 立案 tier, urgency colours).
    expect(
      (await dispatcher.trpc.categories.effective.query()).find((c) => c.code === 'S0101')!.limits.handle,
    ).toBe(8);

    // The existing case: its row and its clock after a further step both keep the 4 h deadline.
    expect((await admin.trpc.cases.get.query({ id: before.id })).case.deadlineAt).toBe(before.deadlineAt);
    const urban = await sessionClient(server, 'chengguan', 'dept123');
    const accepted = (
      await urban.trpc.cases.command.mutate({
        caseId: before.id,
        command: { type: 'accept', expectedVersion: before.version },
      })
    ).case;
    expect(accepted.deadlineAt).toBe(before.deadlineAt);
    expect((await server.services.caseReads.state(before.id))!.clock.deadlineAt).toBe(before.deadlineAt);

    const after = await dispatched('S0101', '暴露垃圾，修改时限后上报');
    expect((await termsOf(after.id)).limits.handle).toBe(8);
    expect(after.deadlineAt).toBe(await handleDeadline(after));
    expect(after.deadlineAt! - before.deadlineAt!).toBeGreaterThan(0);

    // Audited like every admin write.
    const audit = (await server.services.database.db.select().from(auditLog)).filter(
      (a) => a.action === 'categories.setOverride',
    );
    expect(audit.some((a) => a.ok && (a.input as { code?: string }).code === 'S0101')).toBe(true);

    // Reset to default: new cases are back on 4 h.
    await admin.trpc.categories.clearOverride.mutate({ code: 'S0101' });
    expect(await handleLimit('S0101')).toBe(4);
    expect(
      (await admin.trpc.categories.table.query()).items.find((c) => c.code === 'S0101')!.overridden,
    ).toEqual([]);
  });

  it('refuses a non-admin, a limit over the urgency ceiling and an unknown code, and changes nothing', async () => {
    expect(
      (await failure(dispatcher.trpc.categories.setOverride.mutate({ code: 'S0102', limits: { handle: 3 } })))
        .code,
    ).toBe('FORBIDDEN');
    expect((await failure(dispatcher.trpc.categories.table.query())).code).toBe('FORBIDDEN');
    expect((await failure(dispatcher.trpc.calendars.list.query())).code).toBe('FORBIDDEN');
    // 燃气泄漏 is red: its handling limit may not exceed 2 h.
    const over = await failure(
      admin.trpc.categories.setOverride.mutate({ code: 'S0402', limits: { handle: 3 } }),
    );
    expect(over.code).toBe('BAD_REQUEST');
    expect(over.message).toContain('处置时限超过紧急程度上限');
    expect(over.message).toContain('(handle-over-urgency)');
    // Nor by lowering the urgency ceiling under an existing limit: 暴露垃圾 (4 h) made red.
    expect(
      (await failure(admin.trpc.categories.setOverride.mutate({ code: 'S0101', urgency: 'red' }))).message,
    ).toContain('(handle-over-urgency)');
    const unknown = await failure(
      admin.trpc.categories.setOverride.mutate({ code: 'S9999', limits: { handle: 1 } }),
    );
    expect(unknown.message).toContain('事件小类不存在');
    expect(unknown.message).toContain('(unknown-category)');
    // The category table is the city's: a street administrator may not edit it.
    expect(
      (
        await failure(
          streetAdmin.trpc.categories.setOverride.mutate({ code: 'S0102', limits: { handle: 1 } }),
        )
      ).message,
    ).toContain('(city-admin-only)');
    const table = await admin.trpc.categories.table.query();
    expect(table.items.find((c) => c.code === 'S0402')!.limits.handle).toBe(1);
    expect(table.items.filter((c) => c.overridden.length > 0)).toEqual([]);
    const refused = (await server.services.database.db.select().from(auditLog)).filter(
      (a) => a.action === 'categories.setOverride',
    );
    expect(refused.filter((a) => !a.ok).length).toBeGreaterThanOrEqual(4);
    // A row edited by hand past its ceiling is ignored on load; the other overrides still apply.
    const db = server.services.database.db;
    await db.insert(categoryOverrides).values([
      { code: 'S0402', override: { limits: { handle: 5 } }, updatedBy: null, updatedAt: Date.now() },
      { code: 'S0601', override: { limits: { handle: 12 } }, updatedBy: null, updatedAt: Date.now() },
    ]);
    await server.services.deadlines.load();
    expect(server.services.deadlines.categoryOf('S0402')!.limits.handle).toBe(1);
    expect(server.services.deadlines.categoryOf('S0601')!.limits.handle).toBe(12);
    await db.delete(categoryOverrides);
    await server.services.deadlines.load();
    expect(server.services.deadlines.categoryOf('S0601')!.limits.handle).toBe(24);
  });

  it('a calendar assigned to a street: cases in its grids count working time on it; others keep the default', async () => {
    const body = {
      utcOffsetMinutes: 480,
      workWeekdays: [0, 1, 2, 3, 4, 5, 6],
      periods: [[0, 1440]] as [number, number][],
      holidays: [],
      workdays: [],
    };
    // Refused calendars change nothing.
    const overlap = await failure(
      admin.trpc.calendars.create.mutate({
        nameZh: '重叠',
        calendar: {
          ...body,
          workWeekdays: [1],
          periods: [
            [480, 720],
            [700, 1000],
          ],
        },
      }),
    );
    expect(overlap.message).toContain('工作时段相互重叠');
    expect(overlap.message).toContain('(periods-overlap)');
    expect(
      (
        await failure(
          admin.trpc.calendars.create.mutate({
            nameZh: '错日期',
            calendar: { ...body, holidays: ['2026-02-30'] },
          }),
        )
      ).message,
    ).toContain('(bad-date)');
    expect((await admin.trpc.calendars.list.query()).calendars).toEqual([]);

    const cal = await admin.trpc.calendars.create.mutate({
      nameZh: '全天候值守',
      nameEn: 'Around the clock',
      calendar: body,
    });
    expect(cal.calendar.id).toBe(cal.id);
    // 属地: the street administrator cannot assign in another street; nobody can assign an unknown calendar.
    expect(
      (await failure(streetAdmin.trpc.calendars.assign.mutate({ unitId: here.streetId, calendarId: cal.id })))
        .message,
    ).toContain('(unknown-unit)');
    expect(
      (await failure(admin.trpc.calendars.assign.mutate({ unitId: here.streetId, calendarId: 'cal-nope' })))
        .message,
    ).toContain('(unknown-calendar)');
    const assigned = await admin.trpc.calendars.assign.mutate({ unitId: here.streetId, calendarId: cal.id });
    expect(assigned.effectiveId).toBe(cal.id);
    const listed = await admin.trpc.calendars.list.query();
    expect(listed.calendars.find((c) => c.id === cal.id)!.usedBy).toBe(1);
    // The street's communities inherit it.
    const community = listed.units.find((u) => u.parentId === here.streetId)!;
    expect(community).toMatchObject({ calendarId: null, effectiveId: cal.id });

    // 渣土撒漏 (yellow): intake has 0.5 working hours; on this calendar that is 30 minutes whatever the hour.
    const inStreet = await report(here, 'S0103', '渣土撒漏，街道全天候日历');
    expect(await termsOf(inStreet.id)).toMatchObject({ calendarId: cal.id });
    expect(inStreet.deadlineAt).toBe(inStreet.reportedAt + 0.5 * HOUR);
    const elsewhere = await report(there, 'S0103', '渣土撒漏，默认日历');
    expect(await termsOf(elsewhere.id)).toMatchObject({ calendarId: 'cn-default' });
    expect(elsewhere.deadlineAt).toBe(
      addWorkingHoursOn(server.services.deadlines.calendarById('cn-default')!, elsewhere.reportedAt, 0.5),
    );
    // Red urgency still runs around the clock on its own calendar.
    expect(await termsOf((await report(here, 'S0402', '燃气泄漏')).id)).toMatchObject({
      calendarId: 'continuous',
    });

    // An assigned calendar cannot be deleted; unassigned it can, and the case keeps its recorded terms.
    const inUse = await failure(admin.trpc.calendars.delete.mutate({ id: cal.id }));
    expect(inUse.code).toBe('CONFLICT');
    expect(inUse.message).toContain('(calendar-in-use)');
    await admin.trpc.calendars.assign.mutate({ unitId: here.streetId, calendarId: null });
    await admin.trpc.calendars.delete.mutate({ id: cal.id });
    expect((await admin.trpc.calendars.list.query()).calendars).toEqual([]);
    expect(
      (await failure(admin.trpc.calendars.assign.mutate({ unitId: here.streetId, calendarId: cal.id })))
        .message,
    ).toContain('(unknown-calendar)');
    // A case that recorded the deleted calendar still counts on it.
    const found = (await server.services.caseReads.state(inStreet.id))!;
    expect(found.calendar.id).toBe(cal.id);
    expect(found.clock.deadlineAt).toBe(inStreet.deadlineAt);
  });

  it.skipIf(db !== 'postgres')(
    'another server process on the same database sees an edit within its sync',
    async () => {
      let second: RunningServer | undefined;
      try {
        second = await startServer(
          loadConfig({
            NODE_ENV: 'test',
            PORT: '0',
            HOST: '127.0.0.1',
            DATA_DIR: 'memory://',
            CITY_PROFILE: 'tiny',
            SIMULATOR: 'off',
            LOG_LEVEL: 'warn',
            DATABASE_URL: server.databaseUrl!,
          }),
        );
        expect(second.services.deadlines.categoryOf('S0102')!.limits.handle).toBe(2);
        await admin.trpc.categories.setOverride.mutate({ code: 'S0102', limits: { handle: 1 } });
        const deadline = Date.now() + 15_000;
        while (second.services.deadlines.categoryOf('S0102')!.limits.handle !== 1 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 200));
        expect(second.services.deadlines.categoryOf('S0102')!.limits.handle).toBe(1);
        // A case reported on the second process runs on the edited limit.
        const c = await second.services.cases.report(
          {
            category: 'S0102',
            lng: here.lng,
            lat: here.lat,
            description: '道路保洁，第二进程',
            source: 'hotline',
          },
          { userId: null, workerId: null },
        );
        expect((await termsOf(c.id)).limits.handle).toBe(1);
      } finally {
        await second?.stop();
        await admin.trpc.categories.clearOverride.mutate({ code: 'S0102' });
      }
    },
  );
});

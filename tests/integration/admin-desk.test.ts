import type { UnitId, UserId } from '@gcc/shared';
import { TRPCClientError } from '@trpc/client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HIDDEN_SECRET } from '../../server/src/audit/audit-log.ts';
import { sql } from 'drizzle-orm';
import { accessTokens, users } from '../../server/src/db/schema.ts';
import { createClient, sessionClient, type Client } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// The administration desk's procedures through the real API on PGlite, as an administrator of
// the city and one of a street use them: accounts (create, change, disable, reset; the refusals
// the desk names), device credentials (a community's workers at once, revoke), kiosk tokens (last
// used), the audit log (filters, cursor paging, detail, jurisdiction) and the calendar warning.

/** The code and reason of a refused call (throws when the call did not fail). */
async function refused(p: Promise<unknown>): Promise<{ code: string; reason: string | null }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError) {
      const data = e.data as { code: string; reason?: string | null };
      return { code: data.code, reason: data.reason ?? null };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('administration desk (系统管理)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: Client;
  let street: UnitId;
  let otherStreet: UnitId;
  let community: UnitId;

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    admin = await sessionClient(server, 'admin', 'admin123');
    const b = server.services.boundary();
    const streets = b.units.filter((u) => u.level === 'street');
    street = streets[0]!.id;
    otherStreet = streets[1]!.id;
    community = b.units.find((u) => u.level === 'community' && u.parentId === street)!.id;
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('accounts (用户)', () => {
    it('creates an account with a password made once, which signs in and is then listed with its last sign-in', async () => {
      const made = await admin.trpc.admin.createUser.mutate({
        username: 'zhang.wei',
        displayName: '张伟',
        role: 'dispatcher',
        unitId: street,
      });
      expect(made.password).toMatch(/^[A-Za-z0-9]{12}$/);
      expect(made.user).toMatchObject({
        username: 'zhang.wei',
        role: 'dispatcher',
        unitId: street,
        lastSignInAt: null,
      });
      const listed = (await admin.trpc.admin.users.query()).find((u) => u.username === 'zhang.wei')!;
      expect(listed.lastSignInAt).toBeNull();

      const zhang = createClient(server.url);
      await zhang.trpc.auth.login.mutate({ username: 'zhang.wei', password: made.password! });
      expect((await zhang.trpc.auth.me.query())?.role).toBe('dispatcher');
      const after = (await admin.trpc.admin.users.query()).find((u) => u.username === 'zhang.wei')!;
      expect(after.lastSignInAt).toBeGreaterThan(0);
      expect(after.disabledAt).toBeNull();
    });

    it('takes a password the administrator sets, and never writes it into the audit log', async () => {
      const made = await admin.trpc.admin.createUser.mutate({
        username: 'li.na',
        displayName: '李娜',
        role: 'planner',
        unitId: street,
        password: 'planner-2027',
      });
      expect(made.password).toBeNull();
      expect(await server.services.auth.login('li.na', 'planner-2027')).not.toBeNull();
      const { rows } = await admin.trpc.admin.auditLog.query({
        username: 'admin',
        action: 'admin.createUser',
      });
      const entries = await Promise.all(rows.map((r) => admin.trpc.admin.auditEntry.query({ id: r.id })));
      const mine = entries.find((e) => (e.input as { username?: string }).username === 'li.na')!;
      expect((mine.input as { password: string }).password).toBe(HIDDEN_SECRET);
      expect(JSON.stringify(entries)).not.toContain('planner-2027');
    });

    it('refuses a taken name, an unknown or outside unit, and a department desk without its department', async () => {
      const body = { displayName: '重名', role: 'dispatcher' as const, unitId: street };
      expect(await refused(admin.trpc.admin.createUser.mutate({ ...body, username: 'ZHANG.WEI' }))).toEqual({
        code: 'CONFLICT',
        reason: 'username-taken',
      });
      expect(
        await refused(
          admin.trpc.admin.createUser.mutate({ ...body, username: 'ghost', unitId: 2_000_000_000 as UnitId }),
        ),
      ).toEqual({ code: 'BAD_REQUEST', reason: 'unknown-unit' });
      expect(
        await refused(admin.trpc.admin.createUser.mutate({ ...body, username: 'dept1', role: 'department' })),
      ).toEqual({ code: 'BAD_REQUEST', reason: 'department-required' });
      // A machine user's name cannot be taken by a person (and nothing was stored by the refusals).
      expect((await refused(admin.trpc.admin.createUser.mutate({ ...body, username: 'kiosk:1' }))).code).toBe(
        'BAD_REQUEST',
      );
      const names = (await admin.trpc.admin.users.query()).map((u) => u.username);
      expect(names).not.toContain('ghost');
      expect(names).not.toContain('dept1');
      expect(names.filter((n) => n.toLowerCase() === 'zhang.wei')).toHaveLength(1);
    });

    it("changes role and unit (ending the account's sessions), but never the administrator's own", async () => {
      const made = await admin.trpc.admin.createUser.mutate({
        username: 'wang.fang',
        displayName: '王芳',
        role: 'dispatcher',
        unitId: street,
        password: 'dispatch-2027',
      });
      const session = await server.services.auth.login('wang.fang', 'dispatch-2027');
      expect(await server.services.auth.userForSession(session!.token)).not.toBeNull();
      const changed = await admin.trpc.admin.updateUser.mutate({
        id: made.user.id,
        role: 'inspector',
        unitId: otherStreet,
        displayName: '王芳（监督）',
      });
      expect(changed).toMatchObject({ role: 'inspector', unitId: otherStreet, displayName: '王芳（监督）' });
      expect(await server.services.auth.userForSession(session!.token)).toBeNull();

      const me = (await admin.trpc.auth.me.query())!;
      expect(await refused(admin.trpc.admin.updateUser.mutate({ id: me.id, role: 'dispatcher' }))).toEqual({
        code: 'FORBIDDEN',
        reason: 'own-account',
      });
      expect(await refused(admin.trpc.admin.updateUser.mutate({ id: me.id, unitId: street }))).toEqual({
        code: 'FORBIDDEN',
        reason: 'own-account',
      });
      expect(await refused(admin.trpc.admin.setUserDisabled.mutate({ id: me.id, disabled: true }))).toEqual({
        code: 'FORBIDDEN',
        reason: 'own-account',
      });
      // Its own display name it may change.
      expect((await admin.trpc.admin.updateUser.mutate({ id: me.id, displayName: '系统管理员' })).role).toBe(
        'admin',
      );
      expect(
        await refused(
          admin.trpc.admin.updateUser.mutate({ id: made.user.id, unitId: 2_000_000_000 as UnitId }),
        ),
      ).toEqual({ code: 'BAD_REQUEST', reason: 'unknown-unit' });
      expect(
        await refused(admin.trpc.admin.updateUser.mutate({ id: 2_000_000_000 as UserId, role: 'wall' })),
      ).toEqual({
        code: 'NOT_FOUND',
        reason: 'unknown-user',
      });
    });

    it('a disabled account cannot sign in (its sessions end); enabled again, it can', async () => {
      const made = await admin.trpc.admin.createUser.mutate({
        username: 'zhao.lei',
        displayName: '赵磊',
        role: 'intake',
        unitId: street,
        password: 'intake-2027',
      });
      const session = await server.services.auth.login('zhao.lei', 'intake-2027');
      const off = await admin.trpc.admin.setUserDisabled.mutate({ id: made.user.id, disabled: true });
      expect(off.disabledAt).toBeGreaterThan(0);
      expect(await server.services.auth.userForSession(session!.token)).toBeNull();
      const zhao = createClient(server.url);
      expect(
        await refused(zhao.trpc.auth.login.mutate({ username: 'zhao.lei', password: 'intake-2027' })),
      ).toEqual({
        code: 'FORBIDDEN',
        reason: 'account-disabled',
      });
      // The wrong password of a disabled account says no more than any wrong password.
      expect(
        (await refused(zhao.trpc.auth.login.mutate({ username: 'zhao.lei', password: 'wrong-one' }))).code,
      ).toBe('UNAUTHORIZED');
      await admin.trpc.admin.setUserDisabled.mutate({ id: made.user.id, disabled: false });
      await zhao.trpc.auth.login.mutate({ username: 'zhao.lei', password: 'intake-2027' });
      expect((await zhao.trpc.auth.me.query())?.username).toBe('zhao.lei');
    });

    it('resets a password: the old one stops working, the sessions end, the new one is shown once', async () => {
      const made = await admin.trpc.admin.createUser.mutate({
        username: 'sun.li',
        displayName: '孙丽',
        role: 'dispatcher',
        unitId: street,
        password: 'old-password-1',
      });
      const session = await server.services.auth.login('sun.li', 'old-password-1');
      const reset = await admin.trpc.admin.resetPassword.mutate({ id: made.user.id });
      expect(reset.password).toMatch(/^[A-Za-z0-9]{12}$/);
      expect(await server.services.auth.userForSession(session!.token)).toBeNull();
      expect(await server.services.auth.login('sun.li', 'old-password-1')).toBeNull();
      expect(await server.services.auth.login('sun.li', reset.password!)).not.toBeNull();
    });

    it('refuses to take away the last enabled city administrator (two desks demoting each other at once)', async () => {
      const second = await admin.trpc.admin.createUser.mutate({
        username: 'admin2',
        displayName: '第二管理员',
        role: 'admin',
        unitId: server.services.boundary().units.find((u) => u.parentId === null)!.id,
        password: 'admin2-pass',
      });
      const admin2 = await sessionClient(server, 'admin2', 'admin2-pass');
      const me = (await admin.trpc.auth.me.query())!;
      // admin2's desk still shows the page it opened while it was an administrator: the call it
      // sends after admin demoted it would leave the city without one.
      const admin2User = (await admin2.trpc.auth.me.query())!;
      await admin.trpc.admin.updateUser.mutate({ id: second.user.id, role: 'dispatcher' });
      await expect(
        server.services.users.update(admin2User, { id: me.id, role: 'dispatcher' }),
      ).rejects.toMatchObject({ reason: 'last-admin' });
      await expect(server.services.users.setDisabled(admin2User, me.id, true)).rejects.toMatchObject({
        reason: 'last-admin',
      });
      const street2 = server.services.boundary().units.find((u) => u.level === 'street')!.id;
      await expect(
        server.services.users.update(admin2User, { id: me.id, unitId: street2 }),
      ).rejects.toMatchObject({
        reason: 'last-admin',
      });
      expect((await admin.trpc.auth.me.query())?.role).toBe('admin');
      // With a second city administrator enabled, one of them may go.
      await admin.trpc.admin.updateUser.mutate({ id: second.user.id, role: 'admin' });
      expect(
        (await admin.trpc.admin.setUserDisabled.mutate({ id: second.user.id, disabled: true })).disabledAt,
      ).not.toBeNull();
    });

    it("a street administrator sees and manages only its street's accounts", async () => {
      await admin.trpc.admin.createUser.mutate({
        username: 'street.admin',
        displayName: '街道管理员',
        role: 'admin',
        unitId: street,
        password: 'street-admin-1',
      });
      const outsider = await admin.trpc.admin.createUser.mutate({
        username: 'other.street',
        displayName: '外街调度',
        role: 'dispatcher',
        unitId: otherStreet,
      });
      const streetAdmin = await sessionClient(server, 'street.admin', 'street-admin-1');
      const b = server.services.boundary();
      const seen = await streetAdmin.trpc.admin.users.query();
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((u) => b.unitWithin(u.unitId, street))).toBe(true);
      expect(seen.map((u) => u.username)).not.toContain('admin');
      expect(
        await refused(
          streetAdmin.trpc.admin.setUserDisabled.mutate({ id: outsider.user.id, disabled: true }),
        ),
      ).toEqual({
        code: 'NOT_FOUND',
        reason: 'unknown-user',
      });
      expect(
        await refused(
          streetAdmin.trpc.admin.createUser.mutate({
            username: 'sneaky',
            displayName: '越界',
            role: 'dispatcher',
            unitId: otherStreet,
          }),
        ),
      ).toEqual({ code: 'BAD_REQUEST', reason: 'unknown-unit' });
      const units = await streetAdmin.trpc.admin.units.query();
      expect(units.every((u) => b.unitWithin(u.id, street))).toBe(true);
      // Its audit log holds its street's users only; a user of another street does not exist for it.
      const { rows } = await streetAdmin.trpc.admin.auditLog.query({});
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.username === 'street.admin')).toBe(true);
      expect(await refused(streetAdmin.trpc.admin.auditLog.query({ username: 'admin' }))).toEqual({
        code: 'NOT_FOUND',
        reason: 'unknown-user',
      });
      const cityRow = (await admin.trpc.admin.auditLog.query({ username: 'admin', limit: 1 })).rows[0]!;
      expect(await refused(streetAdmin.trpc.admin.auditEntry.query({ id: cityRow.id }))).toEqual({
        code: 'NOT_FOUND',
        reason: 'unknown-audit-entry',
      });
    });
  });

  describe('device credentials (设备)', () => {
    it("issues one for each of a community's workers without one, shown once, that reports; revoked, it no longer does", async () => {
      const workers = await admin.trpc.admin.workers.query({ unitId: community });
      expect(workers.length).toBeGreaterThan(0);
      expect(workers.every((w) => !w.hasDevice)).toBe(true);
      const issued = await admin.trpc.admin.issueUnitDeviceTokens.mutate({ unitId: community });
      expect(issued.map((d) => d.workerId).sort()).toEqual(workers.map((w) => w.id).sort());
      expect(issued.every((d) => d.token.startsWith('gcc-') && d.workerName && d.gridName)).toBe(true);
      const cred = server.services.devices.lookup(issued[0]!.token, '10.1.1.1');
      expect(cred).toMatchObject({ kind: 'device', workerId: issued[0]!.workerId });
      // A second bulk issue finds nobody left; `all` issues again for everyone.
      expect(await admin.trpc.admin.issueUnitDeviceTokens.mutate({ unitId: community })).toEqual([]);
      expect((await admin.trpc.admin.workers.query({ unitId: community })).every((w) => w.hasDevice)).toBe(
        true,
      );

      const listed = await admin.trpc.admin.devices.query();
      const row = listed.find((d) => d.id === issued[0]!.id)!;
      expect(row).toMatchObject({
        workerId: issued[0]!.workerId,
        workerName: issued[0]!.workerName,
        revokedAt: null,
      });
      await admin.trpc.admin.revokeToken.mutate({ id: row.id });
      expect((await admin.trpc.admin.devices.query()).find((d) => d.id === row.id)!.revokedAt).not.toBeNull();
      expect(server.services.devices.lookup(issued[0]!.token, '10.1.1.2')).toBeNull();
      // The worker whose credential was revoked is offered for a new one.
      expect(
        (await admin.trpc.admin.workers.query({ unitId: community })).find(
          (w) => w.id === issued[0]!.workerId,
        )!.hasDevice,
      ).toBe(false);
    });

    it("refuses a unit that is not the administrator's", async () => {
      expect(await refused(admin.trpc.admin.workers.query({ unitId: 2_000_000_000 as UnitId }))).toEqual({
        code: 'BAD_REQUEST',
        reason: 'unknown-unit',
      });
      const streetAdmin = await sessionClient(server, 'street.admin', 'street-admin-1');
      const foreign = server.services
        .boundary()
        .units.find((u) => u.level === 'community' && u.parentId === otherStreet)!.id;
      expect(await refused(streetAdmin.trpc.admin.issueUnitDeviceTokens.mutate({ unitId: foreign }))).toEqual(
        {
          code: 'BAD_REQUEST',
          reason: 'unknown-unit',
        },
      );
    });
  });

  describe('kiosk tokens (大屏令牌)', () => {
    it('lists a token with when a wall last used it, and its revocation', async () => {
      const { id, token } = await admin.trpc.admin.issueKioskToken.mutate({ label: '指挥中心主屏' });
      let row = (await admin.trpc.admin.kioskTokens.query()).find((k) => k.id === id)!;
      expect(row).toMatchObject({ label: '指挥中心主屏', lastUsedAt: null, revokedAt: null });
      const wall = createClient(server.url);
      await wall.trpc.auth.kiosk.mutate({ token });
      row = (await admin.trpc.admin.kioskTokens.query()).find((k) => k.id === id)!;
      expect(row.lastUsedAt).toBeGreaterThan(0);
      await admin.trpc.admin.revokeToken.mutate({ id });
      row = (await admin.trpc.admin.kioskTokens.query()).find((k) => k.id === id)!;
      expect(row.revokedAt).not.toBeNull();
      expect(await wall.trpc.auth.me.query()).toBeNull();
    });
  });

  describe('lists of a jurisdiction (属地)', () => {
    it("a street administrator's tokens are listed although thousands of another street's are newer", async () => {
      await admin.trpc.admin.createUser.mutate({
        username: 'jie.dao',
        displayName: '街道管理员',
        role: 'admin',
        unitId: street,
        password: 'street-admin-1',
      });
      const streetAdmin = await sessionClient(server, 'jie.dao', 'street-admin-1');
      const own = await streetAdmin.trpc.admin.issueKioskToken.mutate({ label: '街道大屏' });
      // More newer tokens of the other street than a list holds (5,000), written straight into the record.
      await server.services.database.db.insert(accessTokens).values(
        Array.from({ length: 5_001 }, (_, i) => ({
          tokenHash: `other-street-${i}`,
          kind: 'kiosk',
          label: `其他街道大屏 ${i}`,
          unitId: otherStreet,
          createdAt: Date.now(),
        })),
      );
      const listed = await streetAdmin.trpc.admin.kioskTokens.query();
      expect(listed.map((k) => k.id)).toContain(own.id);
      expect(listed.every((k) => server.services.boundary().unitWithin(k.unitId, street))).toBe(true);
      // The city's administrator sees them all, newest first, up to the list's bound.
      const all = await admin.trpc.admin.kioskTokens.query();
      expect(all.length).toBe(5_000);
      expect(all[0]!.unitId).toBe(otherStreet);
    });
  });

  describe('audit log (审计日志)', () => {
    it('filters by user, action and time, newest first, and pages by cursor without gaps or repeats', async () => {
      const all = await admin.trpc.admin.auditLog.query({ username: 'admin', action: 'admin.', limit: 200 });
      expect(all.rows.length).toBeGreaterThan(5);
      expect(all.rows.every((r) => r.username === 'admin' && r.action.startsWith('admin.'))).toBe(true);
      const ids = all.rows.map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));

      const paged: number[] = [];
      let cursor: number | undefined;
      for (let i = 0; i < 100; i++) {
        const page = await admin.trpc.admin.auditLog.query({
          username: 'admin',
          action: 'admin.',
          limit: 3,
          ...(cursor !== undefined ? { cursor } : {}),
        });
        paged.push(...page.rows.map((r) => r.id));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      expect(paged).toEqual(ids);

      const newest = all.rows[0]!;
      const window = await admin.trpc.admin.auditLog.query({
        from: newest.at,
        to: newest.at + 1,
        limit: 200,
      });
      expect(window.rows.map((r) => r.id)).toContain(newest.id);
      expect(window.rows.every((r) => r.at === newest.at)).toBe(true);
      expect((await admin.trpc.admin.auditLog.query({ to: 1 })).rows).toEqual([]);
      // LIKE's wildcards in a filter are plain characters (`_` is one character in LIKE).
      expect((await admin.trpc.admin.auditLog.query({ action: 'admin_' })).rows).toEqual([]);
      expect((await refused(admin.trpc.admin.auditLog.query({ action: '%' }))).code).toBe('BAD_REQUEST');
    });

    it('keeps a refused call with its reason; its detail holds the input as stored', async () => {
      const failed = await admin.trpc.admin.auditLog.query({ action: 'admin.createUser', failedOnly: true });
      const taken = failed.rows.find((r) => r.outcome === 'CONFLICT username-taken');
      expect(taken).toBeDefined();
      expect(taken!.ok).toBe(false);
      const detail = await admin.trpc.admin.auditEntry.query({ id: taken!.id });
      expect(detail.input).toMatchObject({ username: 'ZHANG.WEI', role: 'dispatcher', unitId: street });
      expect(detail.outcome).toBe('CONFLICT username-taken');
      expect(await refused(admin.trpc.admin.auditLog.query({ username: 'nobody-here' }))).toEqual({
        code: 'NOT_FOUND',
        reason: 'unknown-user',
      });
      expect((await refused(admin.trpc.admin.auditLog.query({ action: "x' or 1=1" }))).code).toBe(
        'BAD_REQUEST',
      );
    });
  });

  describe('calendar warning', () => {
    it("from December 1 names the calendars in force without next year's holidays", async () => {
      // An administrator of its own: the per-user call budget refills by the clock this test stops.
      const root = server.services.boundary().units.find((u) => u.parentId === null)!.id;
      await admin.trpc.admin.createUser.mutate({
        username: 'cal.admin',
        displayName: '日历管理员',
        role: 'admin',
        unitId: root,
        password: 'cal-admin-1',
      });
      const calAdmin = await sessionClient(server, 'cal.admin', 'cal-admin-1');
      // The clock only moves forward here (the call budget refills by it). In November nobody is asked yet.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-11-30T23:00:00+08:00') });
      expect(await calAdmin.trpc.calendars.due.query()).toEqual({
        year: null,
        missing: [],
        estimated: false,
      });
      // The built-in calendar carries 2027: in December 2026 nothing is missing.
      vi.setSystemTime(Date.parse('2026-12-05T10:00:00+08:00'));
      expect(await calAdmin.trpc.calendars.due.query()).toMatchObject({
        year: 2027,
        missing: [],
        estimated: true,
      });
      // A street on a calendar of 2026 only is named, with how many units use it.
      const cal = await calAdmin.trpc.calendars.create.mutate({
        nameZh: '街道 2026 日历',
        calendar: {
          workWeekdays: [1, 2, 3, 4, 5],
          periods: [[510, 1050]],
          holidays: ['2026-10-01'],
          workdays: [],
        },
      });
      await calAdmin.trpc.calendars.assign.mutate({ unitId: street, calendarId: cal.id });
      const due = await calAdmin.trpc.calendars.due.query();
      const b = server.services.boundary();
      expect(due.missing).toEqual([
        {
          id: cal.id,
          name: '街道 2026 日历',
          units: b.units.filter((u) => b.unitWithin(u.id, street)).length,
        },
      ]);
      // In December 2027 the built-in calendar lacks 2028.
      vi.setSystemTime(Date.parse('2027-12-01T09:00:00+08:00'));
      // (A year on, the session has long expired: sign in again.)
      const nextYear = await sessionClient(server, 'cal.admin', 'cal-admin-1');
      const next = await nextYear.trpc.calendars.due.query();
      expect(next.year).toBe(2028);
      expect(next.missing.map((c) => c.id)).toContain('cn-default');
      await nextYear.trpc.calendars.assign.mutate({ unitId: street, calendarId: null });
    });
  });

  // Last: its refused call would be the audit log's newest username-taken above.
  describe('account names', () => {
    it('keeps one account per name whatever its case: two desks at once, and the record itself', async () => {
      const body = { displayName: '同名', role: 'dispatcher' as const, unitId: street };
      const [a, b] = await Promise.all([
        admin.trpc.admin.createUser.mutate({ ...body, username: 'Qian.Hua' }).then(
          () => null,
          (e: unknown) => refused(Promise.reject(e)),
        ),
        admin.trpc.admin.createUser.mutate({ ...body, username: 'qian.HUA' }).then(
          () => null,
          (e: unknown) => refused(Promise.reject(e)),
        ),
      ]);
      // One is made, the other refused with the reason the desk names.
      expect([a, b].filter((r) => r === null)).toHaveLength(1);
      expect([a, b].find((r) => r !== null)).toEqual({ code: 'CONFLICT', reason: 'username-taken' });
      // Whatever writes to the record (not only the desk's check) cannot add a third spelling.
      const [row] = await server.services.database.db
        .select()
        .from(users)
        .where(sql`lower(${users.username}) = 'qian.hua'`);
      const third = await server.services.database.db
        .insert(users)
        .values({ ...row!, id: undefined, username: 'QIAN.hua' })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(String((third as { cause?: unknown } | null)?.cause)).toContain('users_username_lower_idx');
      const names = (await admin.trpc.admin.users.query()).map((u) => u.username);
      expect(names.filter((n) => n.toLowerCase() === 'qian.hua')).toHaveLength(1);
    });
  });
});

import type { CaseId, WorkerId } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, auditLog } from '../../server/src/db/schema.ts';
import { failure, signedIn, type Client } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// Duty from the field, with the simulator off (a real deployment): a worker whose phone reports
// comes on duty and is recommended for a case where it stands; 上岗/下岗 from the device API and
// the Traccar Client's OsmAnd `event`; a grid's weekly roster (排班) decides whether a report
// counts and ends the duty with the shift; a worker on duty who falls silent raises 失联.
// Before, only the simulator set duty: a phone-reporting worker stayed `off` and was never offered.

describe('duty from the field (simulator off)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: Client;
  let intake: Client;
  let dispatcher: Client;

  const dutyOf = (id: WorkerId) => {
    const p = server.services.positions;
    return ['off', 'available', 'enroute', 'onsite', 'busy'][p.cols.duty[p.slotOf(id)!]!];
  };
  const phone = async (workerId: WorkerId) =>
    (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId })).token;
  const report = (token: string, lng: number, lat: number) =>
    fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ lng, lat, at: Date.now(), accuracy: 5 }]),
    });
  const say = (token: string, state: unknown) =>
    fetch(`${server.url}/api/device/duty`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state }),
    });
  /** The recommender reads an index at most 1 s old: ask until it has caught up with the fix (bounded). */
  const recommended = async (caseId: CaseId, workerId: WorkerId, want: boolean) => {
    let ids: WorkerId[] = [];
    for (let i = 0; i < 30; i++) {
      ids = (await dispatcher.trpc.dispatch.recommend.query({ caseId })).workers.map((w) => w.workerId);
      if (ids.includes(workerId) === want) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return ids;
  };
  /** A worker of a grid no other test here uses, and a place in its grid. */
  const workerOfOwnGrid = (n: number) => {
    const grids = [...new Set(server.services.roster.map((w) => w.gridId))];
    const gridId = grids[n]!;
    const w = server.services.roster.find((x) => x.gridId === gridId)!;
    return w;
  };

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    expect(server.services.config.SIMULATOR).toBe(false);
    admin = await signedIn(server.url, 'admin', 'admin123');
    intake = await signedIn(server.url, 'intake', 'intake123');
    dispatcher = await signedIn(server.url, 'dispatcher', 'dispatch123');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('brings a worker whose phone reports at a case’s place on duty, and dispatch.recommend offers it', async () => {
    const w = workerOfOwnGrid(0);
    const c = await intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: w.homeLng,
      lat: w.homeLat,
      description: '井盖缺失',
      source: 'hotline',
    });
    expect(dutyOf(w.id)).toBe('off');
    expect(await recommended(c.id, w.id, false)).not.toContain(w.id);
    const token = await phone(w.id);
    expect((await report(token, c.lng, c.lat)).status).toBe(200);
    expect(dutyOf(w.id)).toBe('available');
    expect(await recommended(c.id, w.id, true)).toContain(w.id);
    const snap = await dispatcher.trpc.workers.snapshot.query();
    expect(snap.workers.find((x) => x.id === w.id)).toMatchObject({ duty: 'available', lng: c.lng });
  });

  it('takes 上岗 / 下岗 from the device API (audited) and from the Traccar Client’s OsmAnd event', async () => {
    const w = workerOfOwnGrid(1);
    const token = await phone(w.id);
    const off = await say(token, 'off');
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ duty: 'off' });
    // After 下岗 a report is a position, not duty.
    expect((await report(token, w.homeLng, w.homeLat)).status).toBe(200);
    expect(dutyOf(w.id)).toBe('off');
    expect(await (await say(token, 'on')).json()).toEqual({ duty: 'available' });
    expect(dutyOf(w.id)).toBe('available');
    // A bad word is a typed 400 that changes nothing; no credential is a 401.
    const bad = await say(token, 'maybe');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'bad-input' });
    expect(dutyOf(w.id)).toBe('available');
    expect((await say('nobody', 'on')).status).toBe(401);
    const rows = (await server.services.database.db.select().from(auditLog)).filter(
      (r) => r.action === 'POST /api/device/duty',
    );
    expect(rows.map((r) => r.ok)).toEqual([true, true, false, false]);

    // OsmAnd: `event=下岗` in the query form, `location.event: "上岗"` in the JSON form.
    const q = new URLSearchParams({
      id: token,
      lat: String(w.homeLat),
      lon: String(w.homeLng),
      timestamp: String(Math.floor(Date.now() / 1000)),
      event: '下岗',
    });
    expect((await fetch(`${server.url}/api/osmand?${q}`)).status).toBe(200);
    expect(dutyOf(w.id)).toBe('off');
    const json = await fetch(`${server.url}/api/osmand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        device_id: token,
        location: {
          timestamp: new Date().toISOString(),
          event: '上岗',
          coords: { latitude: w.homeLat, longitude: w.homeLng, speed: -1, heading: -1, accuracy: 5 },
        },
      }),
    });
    expect(json.status).toBe(200);
    expect(dutyOf(w.id)).toBe('available');
    // The app's own events (motionchange, heartbeat) say nothing about duty.
    q.set('event', 'motionchange');
    q.set('timestamp', String(Math.floor(Date.now() / 1000) + 1));
    expect((await fetch(`${server.url}/api/osmand?${q}`)).status).toBe(200);
    expect(dutyOf(w.id)).toBe('available');
  });

  it('counts a report only inside a shift of the grid’s roster (排班), and ends the duty with the shift', async () => {
    const w = workerOfOwnGrid(2);
    const token = await phone(w.id);
    const now = new Date(Date.now() + 8 * 3600_000); // Asia/Shanghai
    const weekday = now.getUTCDay();
    const other = (weekday + 3) % 7;
    // A roster with no shift today: a report now is a position only.
    await admin.trpc.duty.setRoster.mutate({
      gridId: w.gridId,
      shifts: [{ weekday: other, start: '00:00', end: '24:00' }],
    });
    expect((await report(token, w.homeLng, w.homeLat)).status).toBe(200);
    expect(dutyOf(w.id)).toBe('off');
    // Today all day: the next report brings the worker on.
    const allDay = { weekday, start: '00:00', end: '24:00' };
    await admin.trpc.duty.setRoster.mutate({ gridId: w.gridId, shifts: [allDay] });
    expect(await dispatcher.trpc.duty.roster.query({ gridId: w.gridId })).toEqual({
      gridId: w.gridId,
      shifts: [allDay],
    });
    expect((await report(token, w.homeLng, w.homeLat)).status).toBe(200);
    expect(dutyOf(w.id)).toBe('available');
    // The shift moves away from now: the roster's duty ends.
    await admin.trpc.duty.setRoster.mutate({
      gridId: w.gridId,
      shifts: [{ weekday: other, start: '08:00', end: '18:00' }],
    });
    expect(dutyOf(w.id)).toBe('off');
    // Refusals: overlapping shifts (which one), a dispatcher writing, a grid that does not exist.
    const overlap = await failure(
      admin.trpc.duty.setRoster.mutate({
        gridId: w.gridId,
        shifts: [
          { weekday: 1, start: '08:00', end: '12:00' },
          { weekday: 1, start: '11:00', end: '13:00' },
        ],
      }),
    );
    expect(overlap).toMatchObject({ code: 'BAD_REQUEST' });
    expect(overlap.message).toContain('shifts.1');
    expect(overlap.message).toContain('班次');
    expect(
      await failure(dispatcher.trpc.duty.setRoster.mutate({ gridId: w.gridId, shifts: [] })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await failure(admin.trpc.duty.roster.query({ gridId: 2_000_000_000 as typeof w.gridId })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    // The refused write left the roster as it was.
    expect((await admin.trpc.duty.roster.query({ gridId: w.gridId })).shifts).toEqual([
      { weekday: other, start: '08:00', end: '18:00' },
    ]);
  });

  it('raises 失联 for a field worker on duty who stops reporting', async () => {
    const w = workerOfOwnGrid(3);
    const token = await phone(w.id);
    expect((await report(token, w.homeLng, w.homeLat)).status).toBe(200);
    expect(dutyOf(w.id)).toBe('available');
    const silentMs = server.services.config.ALERT_SILENT_MINUTES * 60_000;
    await server.alerts.tick(Date.now() + silentMs + 60_000);
    const open = (await server.services.database.db.select().from(alerts)).filter(
      (a) => a.workerId === w.id && a.resolvedAt === null,
    );
    expect(open.map((a) => a.kind)).toContain('worker-silent');
  });
});

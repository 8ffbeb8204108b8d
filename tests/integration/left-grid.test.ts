import type { CaseId, GridId, WorkerId } from '@gcc/shared';
import { distanceToPathM } from '@gcc/shared/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertMonitor } from '../../server/src/live/alert-monitor.ts';
import { createClient } from '../support/client.ts';
import { png } from '../support/png.ts';
import { startTestServer } from '../support/test-server.ts';

// 离岗 means unexplained absence: a worker dispatched to a case across its grid's border walks
// there along the road, handles it and is not alerted; the wall and the desk read why it is out
// (on case X). Once the case is fed back and the worker wanders off the way back, the alert is
// raised once after the threshold and resolved when the worker is home again.

const MIN = 60_000;

describe('离岗 alert with a case on the way', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let intake: ReturnType<typeof createClient>;
  let dispatcher: ReturnType<typeof createClient>;
  let token: string;

  const login = async (username: string, password: string) => {
    const c = createClient(server.url);
    await c.trpc.auth.login.mutate({ username, password });
    return c;
  };
  const device = async (path: string, body: unknown, type = 'application/json') => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body: body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
    return (await res.json()) as { id: number; status: string; version: number };
  };

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    [intake, dispatcher] = await Promise.all([
      login('intake', 'intake123'),
      login('dispatcher', 'dispatch123'),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('raises nothing on the case across the border, one alert when wandering off without one', async () => {
    const { roster, positions, database, eventLog, caseTrips } = server.services;
    const router = (await server.services.dispatch.advisor()).router;
    const boundary = server.services.boundary();
    const community = (g: GridId) => boundary.gridById.get(g)!.communityId;
    // A worker and a case in a grid of its community 0.8–3 km away by road; somewhere off that route to wander to.
    const w = roster[3]!;
    const target = roster.find((x) => {
      if (x.gridId === w.gridId || community(x.gridId) !== community(w.gridId)) return false;
      const r = router.route([w.homeLng, w.homeLat], [x.homeLng, x.homeLat], 'walk');
      return r.fallback === null && r.distanceM > 800 && r.distanceM < 3000;
    })!;
    expect(target, 'a grid of the same community 0.8–3 km away').toBeDefined();
    const route = router.route([w.homeLng, w.homeLat], [target.homeLng, target.homeLat], 'walk').path;
    const away = roster.find(
      (x) =>
        x.gridId !== w.gridId &&
        x.gridId !== target.gridId &&
        distanceToPathM(x.homeLng, x.homeLat, route) > 1000 &&
        distanceToPathM(x.homeLng, x.homeLat, route) < 5000,
    )!;
    expect(away, 'a place far off the route').toBeDefined();
    const homeGrid = new Map(roster.map((r) => [r.id, r.gridId]));
    const monitor = new AlertMonitor(
      database.db,
      eventLog,
      positions,
      (id) => homeGrid.get(id),
      { leftGridMs: 15 * MIN, silentMs: 600 * MIN },
      caseTrips,
    );
    const admin = await login('admin', 'admin123');
    token = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: w.id })).token;
    const seqBefore = await eventLog.latestSeq();

    let now = Date.now() - 4 * 60 * MIN;
    const at = (lng: number, lat: number) => {
      now += MIN;
      positions.ingest([{ workerId: w.id, lng, lat, at: now, speed: 1.2, heading: 0, accuracy: 8 }]);
    };
    const leftGrid = async () =>
      (await dispatcher.trpc.alerts.open.query()).filter(
        (a) => a.workerId === w.id && a.kind === 'worker-left-grid',
      );
    const awayReason = async (id: WorkerId) =>
      (await dispatcher.trpc.workers.away.query()).workers.find((x) => x.workerId === id)?.reason;

    positions.setDuty(w.id, 'available');
    at(w.homeLng, w.homeLat);
    const reported = await intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: target.homeLng,
      lat: target.homeLat,
      description: '跨网格派遣测试',
      source: 'hotline',
    });
    const reg = await intake.trpc.cases.command.mutate({
      caseId: reported.id,
      command: { type: 'register', tier: 'small', expectedVersion: reported.version },
    });
    const sent = await dispatcher.trpc.cases.command.mutate({
      caseId: reported.id,
      command: { type: 'dispatch', workerId: w.id, department: null, expectedVersion: reg.case.version },
    });
    const caseId: CaseId = sent.case.id;
    await monitor.tick(now);
    const accepted = await device(`/api/device/cases/${caseId}/accept`, {
      expectedVersion: sent.case.version,
    });
    positions.setDuty(w.id, 'enroute');
    await monitor.tick(now);

    // On the way, a minute per vertex (some 40 minutes outside the own grid): never an alert.
    let outside = 0;
    for (const [lng, lat] of route) {
      at(lng, lat);
      if (positions.gridAt(positions.slotOf(w.id)!) !== w.gridId) outside++;
      await monitor.tick(now);
    }
    expect(outside).toBeGreaterThan(0);
    const started = await device(`/api/device/cases/${caseId}/start`, { expectedVersion: accepted.version });
    positions.setDuty(w.id, 'onsite');
    for (let i = 0; i < 30; i++) {
      at(target.homeLng, target.homeLat);
      await monitor.tick(now);
    }
    expect(await leftGrid()).toEqual([]);
    expect(await awayReason(w.id)).toEqual({ kind: 'case', caseId, caseCode: sent.case.code });

    // Handled: the case is off its hands. It wanders off the way back, far from the route.
    const photo = await device('/api/device/photos', png(), 'image/png');
    await device(`/api/device/cases/${caseId}/feedback`, {
      expectedVersion: started.version,
      photos: [photo.id],
      note: '已处置',
    });
    positions.setDuty(w.id, 'available');
    at(away.homeLng, away.homeLat);
    await monitor.tick(now);
    expect(await awayReason(w.id)).toBeNull();
    for (let i = 0; i < 20; i++) {
      at(away.homeLng, away.homeLat + i * 1e-6);
      await monitor.tick(now);
    }
    expect(await leftGrid()).toHaveLength(1);

    // Home again: resolved.
    at(w.homeLng, w.homeLat);
    await monitor.tick(now);
    expect(await leftGrid()).toEqual([]);
    const events = (await eventLog.readAfter(seqBefore, 1000)).filter(
      (e) => e.kind === 'alert' && e.workerId === w.id && e.payload.alertKind === 'worker-left-grid',
    );
    expect(events.map((e) => e.type)).toEqual(['alert.raised', 'alert.resolved']);
  });
});

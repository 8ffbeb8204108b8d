import type { WorkerId } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertMonitor } from '../../server/src/live/alert-monitor.ts';
import { createClient } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// Live-position consequences on the real server: worker alerts (outside own grid, silent) raised
// and resolved once, with their events on the reliable stream; downsampled trajectories replayed
// through the API, before and after they are written.

const MIN = 60_000;

describe('alerts and trajectories', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: ReturnType<typeof createClient>;

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    admin = createClient(server.url);
    await admin.trpc.auth.login.mutate({ username: 'admin', password: 'admin123' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const fix = (workerId: WorkerId, lng: number, lat: number, at: number) =>
    server.services.positions.ingest([{ workerId, lng, lat, at, speed: 1.2, heading: 90, accuracy: 6 }]);

  it('raises an alert for a worker on duty outside its grid or silent too long, once, and resolves it on return', async () => {
    const { roster, positions, database, eventLog } = server.services;
    const w = roster[5]!;
    const other = roster.find((x) => x.gridId !== w.gridId)!;
    const homeGrid = new Map(roster.map((r) => [r.id, r.gridId]));
    const mk = () =>
      new AlertMonitor(database.db, eventLog, positions, (id) => homeGrid.get(id), {
        leftGridMs: 15 * MIN,
        silentMs: 10 * MIN,
      });
    const a = mk();
    const b = mk(); // a second server process watching the same workers
    positions.setDuty(w.id, 'available');
    const t0 = Date.now() - 30 * MIN;
    const seqBefore = await eventLog.latestSeq();

    fix(w.id, w.homeLng, w.homeLat, t0);
    await a.tick(t0 + 1000);
    fix(w.id, other.homeLng, other.homeLat, t0 + 2000); // walks into another grid
    await a.tick(t0 + 3000);
    expect((await admin.trpc.alerts.open.query()).filter((x) => x.workerId === w.id)).toEqual([]);

    // 16 minutes later, still there and not heard since 14 minutes: both alerts, raised once by two monitors.
    fix(w.id, other.homeLng, other.homeLat, t0 + 2 * MIN);
    await b.tick(t0 + 3000);
    const [ra, rb] = await Promise.all([a.tick(t0 + 16 * MIN), b.tick(t0 + 16 * MIN)]);
    expect(ra.raised + rb.raised).toBe(2);
    const open = (await admin.trpc.alerts.open.query()).filter((x) => x.workerId === w.id);
    expect(open.map((x) => x.kind).sort()).toEqual(['worker-left-grid', 'worker-silent']);
    expect(open.every((x) => x.gridId === w.gridId)).toBe(true);

    // Back home and reporting: both resolved, once.
    fix(w.id, w.homeLng, w.homeLat, t0 + 17 * MIN);
    const [sa, sb] = await Promise.all([a.tick(t0 + 17 * MIN + 1000), b.tick(t0 + 17 * MIN + 1000)]);
    expect(sa.resolved + sb.resolved).toBe(2);
    expect((await admin.trpc.alerts.open.query()).filter((x) => x.workerId === w.id)).toEqual([]);

    const events = (await eventLog.readAfter(seqBefore, 100)).filter(
      (e) => e.kind === 'alert' && e.workerId === w.id,
    );
    expect(events.map((e) => `${e.type}:${String(e.payload.alertKind)}`).sort()).toEqual([
      'alert.raised:worker-left-grid',
      'alert.raised:worker-silent',
      'alert.resolved:worker-left-grid',
      'alert.resolved:worker-silent',
    ]);
  });

  it('does not alert on a worker off duty', async () => {
    const { roster, positions, database, eventLog } = server.services;
    const w = roster[6]!;
    const other = roster.find((x) => x.gridId !== w.gridId)!;
    positions.setDuty(w.id, 'off');
    const t0 = Date.now() - 60 * MIN;
    fix(w.id, other.homeLng, other.homeLat, t0);
    const m = new AlertMonitor(database.db, eventLog, positions, () => w.gridId, {
      leftGridMs: MIN,
      silentMs: MIN,
    });
    await m.tick(t0 + 1000);
    await m.tick(t0 + 50 * MIN);
    expect((await admin.trpc.alerts.open.query()).filter((x) => x.workerId === w.id)).toEqual([]);
  });

  it('keeps a downsampled trajectory (15 s and 20 m apart) and replays it before and after writing', async () => {
    const { roster, trajectories } = server.services;
    const w = roster[7]!;
    const t0 = Date.now() - 20 * MIN;
    // A fix every 5 s, 10 m east each: every third fix is 15 s and 30 m from the last kept one.
    const dLng = 10 / (111_320 * Math.cos((w.homeLat * Math.PI) / 180));
    for (let i = 0; i < 60; i++) fix(w.id, w.homeLng + i * dLng, w.homeLat, t0 + i * 5000);
    // Then standing still for 10 minutes, a fix every 5 s: only the 5-minute heartbeats are kept.
    const end = t0 + 59 * 5000;
    for (let i = 1; i <= 120; i++) fix(w.id, w.homeLng + 59 * dLng, w.homeLat, end + i * 5000);
    const expected = 20 + 2;
    const before = await admin.trpc.workers.trajectory.query({
      workerId: w.id,
      from: t0 - 1000,
      to: Date.now(),
    });
    expect(before.points).toHaveLength(expected);
    await trajectories.flush();
    expect(trajectories.pendingCount).toBe(0);
    const after = await admin.trpc.workers.trajectory.query({
      workerId: w.id,
      from: t0 - 1000,
      to: Date.now(),
    });
    expect(after.points).toHaveLength(expected);
    expect(after.points[0]![0]).toBe(Math.round(t0 / 1000) * 1000);
    expect(after.points[1]![1]).toBeCloseTo(w.homeLng + 3 * dLng, 5);
    // A second flush appends a new segment to the same hour row; replay stays in time order.
    fix(w.id, w.homeLng, w.homeLat + 0.01, Date.now() - 1000);
    await trajectories.flush();
    const again = await admin.trpc.workers.trajectory.query({
      workerId: w.id,
      from: t0 - 1000,
      to: Date.now(),
    });
    expect(again.points).toHaveLength(expected + 1);
    expect(again.points.map((p) => p[0])).toEqual([...again.points.map((p) => p[0])].sort((a, b) => a - b));
  });
});

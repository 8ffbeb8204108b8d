import { decodePositionFrame, type StreamEvent } from '@gcc/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pointInFirstGrid } from '../support/city-points.ts';
import { createClient } from '../support/client.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

// Three server processes on one real PostgreSQL and one real Redis (both started by the test
// set-up on loopback): a device reports to node A while a wall watches node B and a dispatcher
// writes on node C. Positions reach B's sockets, every case event reaches B's stream in order
// and once, a 上岗 said to A lets C dispatch to the worker, and revoking a wall's kiosk token on C
// ends its socket on B at once.

const pgUrl = inject('pgUrl');
const redisUrl = inject('redisUrl');

describe.skipIf(!pgUrl || !redisUrl)('scale-out: three processes, PostgreSQL + Redis', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let c: ServerProcess;

  beforeAll(async () => {
    const env = {
      DATABASE_URL: await createTestDatabase(pgUrl!, 'gcc_scale'),
      REDIS_URL: redisUrl!,
      CITY_PROFILE: 'tiny',
      SIMULATOR: 'off',
    };
    a = await startServerProcess({ profile: 'tiny', env }); // seeds the city
    [b, c] = await Promise.all([
      startServerProcess({ profile: 'tiny', env }),
      startServerProcess({ profile: 'tiny', env }),
    ]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  });

  it('a device reporting to node A moves the worker on a wall watching node B', async () => {
    const worker = (await c.admin.trpc.workers.snapshot.query()).workers[3]!;
    const { token } = await c.admin.trpc.admin.issueDeviceToken.mutate({
      kind: 'device',
      workerId: worker.id,
    });
    const wallOnB = io(`${b.url}/positions`, {
      transports: ['websocket'],
      extraHeaders: { cookie: b.admin.cookieHeader() },
    });
    const lng = 118.5 + Math.random() * 0.01;
    const seen = new Promise<number>((resolve) => {
      wallOnB.on('frame', (buf: ArrayBuffer) => {
        const f = decodePositionFrame(new Uint8Array(buf));
        if (!f.ok) return;
        const ids = Array.from(f.positions.ids.subarray(0, f.header.count));
        const i = ids.indexOf(worker.id);
        if (i >= 0 && Math.abs(f.positions.lng[i]! - lng) < 1e-5) resolve(Date.now());
      });
    });
    await new Promise<void>((r) => wallOnB.on('connect', () => r()));
    // Node A learns of the credential issued on C within its registry sync (5 s).
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      const res = await fetch(`${a.url}/api/positions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ lng, lat: 28.9, at: Date.now() }]),
      });
      status = res.status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    const sentAt = Date.now();
    const at = await seen;
    expect(at - sentAt).toBeLessThan(5000);
    wallOnB.close();
  });

  it('every case reported on node C reaches a stream on node B, in order, once', async () => {
    const dispatcherC = createClient(c.url);
    await dispatcherC.trpc.auth.login.mutate({ username: 'dispatcher', password: 'dispatch123' });
    const wallB = createClient(b.url);
    await wallB.trpc.auth.login.mutate({ username: 'wall', password: 'wall123' });
    const { seq } = await wallB.trpc.events.head.query();
    const got: StreamEvent[] = [];
    const N = 20;
    const done = new Promise<void>((resolve, reject) => {
      const sub = wallB.trpc.events.stream.subscribe(
        { lastEventId: String(seq) },
        {
          onData: (d) => {
            got.push(d.data);
            if (got.filter((e) => e.kind === 'case').length >= N) {
              sub.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    const [lng, lat] = await pointInFirstGrid(dispatcherC);
    const reported: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = await dispatcherC.trpc.cases.report.mutate({
        category: 'S0101',
        lng,
        lat,
        description: `扩容测试 ${i}`,
        source: 'hotline',
      });
      reported.push(r.id);
    }
    await done;
    const caseEvents = got.filter((e): e is Extract<StreamEvent, { kind: 'case' }> => e.kind === 'case');
    expect(caseEvents.map((e) => e.caseId)).toEqual(reported);
    const seqs = got.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });

  it('a worker whose phone says 上岗 to node A can be dispatched from node C', async () => {
    const dispatcherC = createClient(c.url);
    await dispatcherC.trpc.auth.login.mutate({ username: 'dispatcher', password: 'dispatch123' });
    const worker = (await c.admin.trpc.workers.snapshot.query()).workers[5]!;
    const { token } = await c.admin.trpc.admin.issueDeviceToken.mutate({
      kind: 'device',
      workerId: worker.id,
    });
    const intakeC = createClient(c.url);
    await intakeC.trpc.auth.login.mutate({ username: 'intake', password: 'intake123' });
    const [lng, lat] = await pointInFirstGrid(dispatcherC);
    const reported = await intakeC.trpc.cases.report.mutate({
      category: 'S0101',
      lng,
      lat,
      description: '扩容派遣',
      source: 'hotline',
    });
    const registered = await intakeC.trpc.cases.command.mutate({
      caseId: reported.id,
      command: { type: 'register', tier: 'small', expectedVersion: 1 },
    });
    const dispatch = () =>
      dispatcherC.trpc.cases.command.mutate({
        caseId: reported.id,
        command: {
          type: 'dispatch',
          workerId: worker.id,
          department: null,
          expectedVersion: registered.case.version,
        },
      });
    // Off duty on every node (the simulator is off): C refuses.
    expect(String(await dispatch().catch((e: unknown) => e))).toContain('worker-off-duty');
    // 上岗 said to node A (which learns of the credential within its registry sync, 5 s) …
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      const res = await fetch(`${a.url}/api/device/duty`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'on' }),
      });
      status = res.status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    // … holds on node C within moments: the same dispatch goes through.
    let sent: Awaited<ReturnType<typeof dispatch>> | null = null;
    for (let i = 0; i < 50 && !sent; i++) {
      sent = await dispatch().catch((e: unknown) => {
        if (!String(e).includes('worker-off-duty')) throw e;
        return null;
      });
      if (!sent) await new Promise((r) => setTimeout(r, 100));
    }
    expect(sent?.case.status).toBe('dispatched');
  });

  it('revoking a kiosk token on node C ends the wall socket on node B at once', async () => {
    const { id, token } = await c.admin.trpc.admin.issueKioskToken.mutate({ label: '二号大屏' });
    const kiosk = createClient(b.url);
    await kiosk.trpc.auth.kiosk.mutate({ token });
    const sock: Socket = io(`${b.url}/positions`, {
      transports: ['websocket'],
      extraHeaders: { cookie: kiosk.cookieHeader() },
      reconnection: false,
    });
    await new Promise<void>((r) => sock.on('connect', () => r()));
    const ended = new Promise<number>((r) => sock.on('disconnect', () => r(Date.now())));
    const t0 = Date.now();
    await c.admin.trpc.admin.revokeToken.mutate({ id });
    // Well inside the 30 s session recheck: the Redis adapter carried the disconnect to node B.
    expect((await ended) - t0).toBeLessThan(5000);
  });
});

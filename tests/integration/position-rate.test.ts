import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// Per-client rate bound: a client gets position frames at the rate it asks for (up to
// POSITION_MAX_HZ), else POSITION_HZ; frames between two sends are merged, not lost — a worker
// that moved is in the next frame however slow the client's rate.

describe('position frame rate per client', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite', env: { POSITION_HZ: '2', POSITION_MAX_HZ: '10' } });
    const admin = createClient(server.url);
    await admin.trpc.auth.login.mutate({ username: 'admin', password: 'admin123' });
    cookie = admin.cookieHeader();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sends 10 Hz to a client that asks for it, 2 Hz by default, and nothing is lost between frames', async () => {
    const open = (auth?: { hz: number }) =>
      io(`${server.url}/positions`, {
        transports: ['websocket'],
        extraHeaders: { cookie },
        reconnection: false,
        ...(auth ? { auth } : {}),
      });
    const fast: Socket = open({ hz: 10 });
    const slow: Socket = open();
    const greedy: Socket = open({ hz: 50 }); // asks for more than allowed: gets the maximum
    const counts = new Map<Socket, number>([
      [fast, 0],
      [slow, 0],
      [greedy, 0],
    ]);
    const slowSeen = new Set<number>();
    const { decodePositionFrame } = await import('@gcc/shared');
    for (const s of counts.keys()) {
      s.on('frame', (buf: ArrayBuffer) => {
        counts.set(s, counts.get(s)! + 1);
        if (s === slow) {
          const f = decodePositionFrame(new Uint8Array(buf));
          if (f.ok) for (const id of f.positions.ids.subarray(0, f.header.count)) slowSeen.add(id);
        }
      });
    }
    await Promise.all([...counts.keys()].map((s) => new Promise<void>((r) => s.on('connect', () => r()))));
    for (const s of counts.keys()) counts.set(s, 0); // not the snapshots
    const { roster, positions } = server.services;
    // A different worker moves every 50 ms for 3 s.
    const moved = new Set<number>();
    const t0 = Date.now();
    for (let i = 0; Date.now() - t0 < 3000; i++) {
      const w = roster[i % roster.length]!;
      positions.ingest([
        {
          workerId: w.id,
          lng: w.homeLng,
          lat: w.homeLat,
          at: Date.now(),
          speed: 1,
          heading: 0,
          accuracy: 5,
        },
      ]);
      moved.add(w.id);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 700));
    const [f, s, g] = [counts.get(fast)!, counts.get(slow)!, counts.get(greedy)!];
    expect(f).toBeGreaterThanOrEqual(20);
    expect(f).toBeLessThanOrEqual(40);
    expect(s).toBeGreaterThanOrEqual(4);
    expect(s).toBeLessThanOrEqual(9);
    expect(g).toBeLessThanOrEqual(40);
    // The 2 Hz client saw every worker that moved.
    expect([...moved].every((id) => slowSeen.has(id))).toBe(true);
    for (const sock of counts.keys()) sock.close();
  });
});

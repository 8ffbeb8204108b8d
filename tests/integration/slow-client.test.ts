import type { Socket as NetSocket } from 'node:net';
import { decodePositionFrame } from '@gcc/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// A client that stops reading (a frozen browser tab, a wall on a saturated link) must cost the
// server bounded memory and must not slow anyone else: position frames are volatile, so once
// the socket is not writable the server skips frames for it instead of queueing them. The demo
// city (5,000 workers, ~80 KB frames) at 10 Hz fills the kernel buffers within seconds.

const FRAME_HZ = 10;

describe('a client that stops reading', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestServer({
      db: 'pglite',
      env: { CITY_PROFILE: 'demo', SEED_HISTORY_DAYS: '0', POSITION_HZ: String(FRAME_HZ) },
    });
    const admin = createClient(server.url);
    await admin.trpc.auth.login.mutate({ username: 'admin', password: 'admin123' });
    cookie = admin.cookieHeader();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  const connect = () =>
    io(`${server.url}/positions`, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie },
      reconnection: false,
    });
  const connected = (s: Socket) => new Promise<void>((r) => s.on('connect', () => r()));

  it('keeps the server-side buffer for it bounded and keeps feeding a reading client', async () => {
    const slow = connect();
    const fast = connect();
    let fastFrames = 0;
    let fastBytes = 0;
    fast.on('frame', (buf: ArrayBuffer) => {
      fastFrames++;
      fastBytes += buf.byteLength;
    });
    let slowFrames = 0;
    slow.on('frame', () => {
      slowFrames++;
    });
    await Promise.all([connected(slow), connected(fast)]);
    // Stop reading: pause the slow client's TCP socket (the kernel buffers fill, then the server's).
    const tcp = (slow.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
    tcp.pause();

    const { roster, positions } = server.services;
    const serverSide = () => [...server.io.of('/positions').sockets.values()].find((s) => s.id === slow.id)!;
    const rawSocket = () =>
      (serverSide().conn as unknown as { transport: { socket: { _socket: NetSocket } } }).transport.socket
        ._socket;
    let maxQueued = 0;
    let maxPackets = 0;
    const t0 = Date.now();
    let tick = 0;
    while (Date.now() - t0 < 8000) {
      // Every worker moves each tick: a full-size delta frame every 100 ms.
      const at = Date.now();
      positions.ingest(
        roster.map((w, i) => ({
          workerId: w.id,
          lng: w.homeLng + (tick % 2) * 1e-4,
          lat: w.homeLat + (i % 7) * 1e-6,
          at,
          speed: 1,
          heading: 0,
          accuracy: 5,
        })),
      );
      tick++;
      await new Promise((r) => setTimeout(r, 1000 / FRAME_HZ));
      maxQueued = Math.max(maxQueued, rawSocket().writableLength);
      maxPackets = Math.max(
        maxPackets,
        (serverSide().conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length,
      );
    }
    const frameBytes = 16 * roster.length + 64;
    // The fast client got (nearly) every frame; ≥ 60 frames of ~80 KB in 8 s.
    expect(fastFrames).toBeGreaterThan(8 * FRAME_HZ * 0.6);
    expect(fastBytes).toBeGreaterThan(60 * frameBytes);
    // The server holds at most a couple of frames for the stalled client: not 8 s worth.
    expect(maxQueued).toBeLessThan(3 * frameBytes);
    expect(maxPackets).toBeLessThanOrEqual(2);
    // Once it reads again, it catches up to the present (volatile frames were skipped, not queued).
    tcp.resume();
    // The world keeps moving while the stale bytes drain; the first frame sent after that is current.
    const moving = setInterval(() => {
      const at = Date.now();
      positions.ingest(
        roster.map((w) => ({
          workerId: w.id,
          lng: w.homeLng,
          lat: w.homeLat,
          at,
          speed: 0,
          heading: 0,
          accuracy: 5,
        })),
      );
    }, 1000 / FRAME_HZ);
    const fresh = await new Promise<number>((resolve) => {
      slow.on('frame', (buf: ArrayBuffer) => {
        const f = decodePositionFrame(new Uint8Array(buf));
        if (f.ok && f.header.baseTime >= Date.now() - 1000) resolve(f.header.baseTime);
      });
    });
    clearInterval(moving);
    expect(fresh).toBeGreaterThan(0);
    // What it did get while stalled is what the kernel buffers held; the rest was skipped.
    expect(slowFrames).toBeLessThan(fastFrames);
    slow.close();
    fast.close();
  }, 60_000);
});

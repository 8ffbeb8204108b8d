import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// One user holds at most STREAMS_PER_USER live streams (position sockets and event
// subscriptions together) on a process: a leaked session cannot open streams without end.
// A refused stream says why; closing one frees its slot; other users are not affected.

describe('live streams per user', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let wall: ReturnType<typeof createClient>;
  let other: ReturnType<typeof createClient>;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite', env: { STREAMS_PER_USER: '2' } });
    wall = createClient(server.url);
    await wall.trpc.auth.login.mutate({ username: 'wall', password: 'wall123' });
    other = createClient(server.url);
    await other.trpc.auth.login.mutate({ username: 'dispatcher', password: 'dispatch123' });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.stop();
  });

  /** Opens a position socket; resolves 'connected' or the refusal's message. */
  const openSocket = (cookie: string) =>
    new Promise<{ socket: Socket; outcome: string }>((resolve) => {
      const socket = io(`${server.url}/positions`, {
        transports: ['websocket'],
        extraHeaders: { cookie },
        reconnection: false,
      });
      sockets.push(socket);
      socket.once('connect', () => resolve({ socket, outcome: 'connected' }));
      socket.once('connect_error', (err) => resolve({ socket, outcome: err.message }));
    });

  /**
   * Subscribes to the event stream; resolves the error's message, or 'started' when the stream
   * is still open half a second after it connected (SSE connects before the procedure runs).
   */
  const subscribe = (client: ReturnType<typeof createClient>) =>
    new Promise<{ stop(): void; outcome: string }>((resolve) => {
      const sub = client.trpc.events.stream.subscribe(
        {},
        {
          onStarted: () =>
            setTimeout(() => resolve({ stop: () => sub.unsubscribe(), outcome: 'started' }), 500),
          onError: (err) => {
            sub.unsubscribe();
            resolve({ stop: () => {}, outcome: err.message });
          },
        },
      );
    });

  const waitFor = async (cond: () => boolean) => {
    for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(cond()).toBe(true);
  };

  it('refuses a third stream with a reason, counts sockets and subscriptions together, and frees a slot on close', async () => {
    const userId = (await wall.trpc.auth.me.query())!.id;
    const quota = server.services.streamQuota;
    const a = await openSocket(wall.cookieHeader());
    const b = await openSocket(wall.cookieHeader());
    expect([a.outcome, b.outcome]).toEqual(['connected', 'connected']);
    expect(quota.count(userId)).toBe(2);

    const c = await openSocket(wall.cookieHeader());
    expect(c.outcome).toBe('too-many-streams');
    const refusedSub = await subscribe(wall);
    expect(refusedSub.outcome).toBe('too-many-streams');
    expect(quota.count(userId)).toBe(2);

    // Another user is not affected by the wall account's streams.
    const d = await openSocket(other.cookieHeader());
    expect(d.outcome).toBe('connected');

    // A closed socket gives its slot back: now an event subscription fits.
    a.socket.close();
    await waitFor(() => quota.count(userId) === 1);
    const sub = await subscribe(wall);
    expect(sub.outcome).toBe('started');
    expect(quota.count(userId)).toBe(2);
    sub.stop();
    await waitFor(() => quota.count(userId) === 1);
    b.socket.close();
    await waitFor(() => quota.count(userId) === 0);
  });
});

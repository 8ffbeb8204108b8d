import type { StreamEvent } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointInFirstGrid } from '../support/city-points.ts';
import { createClient } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// A desk loses its connection for 30 s while another desk files a burst of reports; when it
// reconnects from its last event id it receives every event it missed, in order, exactly once.

describe('a 30 s outage during a burst of case events', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('delivers every missed event after reconnecting, in order, once', async () => {
    const watcher = createClient(server.url);
    await watcher.trpc.auth.login.mutate({ username: 'wall', password: 'wall123' });
    const desk = createClient(server.url);
    await desk.trpc.auth.login.mutate({ username: 'dispatcher', password: 'dispatch123' });
    const [lng, lat] = await pointInFirstGrid(desk);
    const report = (i: number) =>
      desk.trpc.cases.report.mutate({
        category: 'S0101',
        lng,
        lat,
        description: `断线测试 ${i}`,
        source: 'hotline',
      });

    // Connected: the first reports arrive; remember the last event id, then drop the connection.
    const { seq } = await watcher.trpc.events.head.query();
    const before: StreamEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      const sub = watcher.trpc.events.stream.subscribe(
        { lastEventId: String(seq) },
        {
          // Unsubscribe outside the data callback: closing the EventSource from inside its own dispatch leaves it open.
          onData: (d) => {
            before.push(d.data);
            if (before.length === 5) {
              setTimeout(() => sub.unsubscribe(), 0);
              resolve();
            }
          },
          onError: reject,
        },
      );
      void (async () => {
        for (let i = 0; i < 5; i++) await report(i);
      })();
    });
    const lastSeen = before.at(-1)!.seq;

    // 30 s offline while the burst goes on.
    const filed: number[] = [];
    const t0 = Date.now();
    for (let i = 5; Date.now() - t0 < 30_000; i++) {
      filed.push((await report(i)).id);
      await new Promise((r) => setTimeout(r, 150));
    }

    // Back: resume from the last id seen.
    const after: StreamEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      const sub = watcher.trpc.events.stream.subscribe(
        { lastEventId: String(lastSeen) },
        {
          onData: (d) => {
            after.push(d.data);
            if (after.filter((e) => e.kind === 'case').length >= filed.length) {
              setTimeout(() => sub.unsubscribe(), 0);
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    const missed = after.filter((e): e is Extract<StreamEvent, { kind: 'case' }> => e.kind === 'case');
    expect(missed.map((e) => e.caseId)).toEqual(filed);
    const seqs = after.map((e) => e.seq);
    expect(seqs.every((s, i) => s > (i ? seqs[i - 1]! : lastSeen))).toBe(true);
    expect(filed.length).toBeGreaterThan(100);
  }, 90_000);
});

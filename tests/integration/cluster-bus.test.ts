import type { Position, WorkerId } from '@gcc/shared';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { busSpace, redisBus, type ClusterBus } from '../../server/src/live/cluster-bus.ts';
import { createLogger } from '../../server/src/log.ts';

// The Redis bus on the real Redis of the test set-up: nodes of one record hear each other, nodes
// of another record on the same Redis (a second deployment, another test's database) do not.

const redisUrl = inject('redisUrl');
const log = createLogger('warn');

const fix = (workerId: number): Position => ({
  workerId: workerId as WorkerId,
  lng: 118.87,
  lat: 28.94,
  at: Date.now(),
  speed: 1,
  heading: 90,
  accuracy: 5,
});

describe.skipIf(!redisUrl)('cluster bus on Redis', () => {
  const buses: ClusterBus[] = [];
  afterAll(() => Promise.all(buses.map((b) => b.close())));

  it('names its channels after the record, never the credentials', () => {
    expect(busSpace('postgres://u:secret@db.example:6543/gcc_a')).toBe('gcc:db.example:6543/gcc_a');
    expect(busSpace('postgres://other:pw@db.example:6543/gcc_a')).toBe(
      busSpace('postgres://u:secret@db.example:6543/gcc_a'),
    );
    expect(busSpace('postgres://u@db.example/gcc_a')).toBe('gcc:db.example:5432/gcc_a');
  });

  it("a node's fixes, wake-ups and boundary notices reach its record's other nodes only", async () => {
    const space = busSpace('postgres://u@127.0.0.1:5432/gcc_bus_a');
    const other = busSpace('postgres://u@127.0.0.1:5432/gcc_bus_b');
    const [a, b, c] = await Promise.all([
      redisBus(redisUrl!, space, log),
      redisBus(redisUrl!, space, log),
      redisBus(redisUrl!, other, log),
    ]);
    buses.push(a!, b!, c!);
    const heard = { b: [] as string[], c: [] as string[], a: [] as string[] };
    for (const [name, bus] of [
      ['a', a!],
      ['b', b!],
      ['c', c!],
    ] as const) {
      bus.onRemoteFixes((fixes) => heard[name].push(`fixes ${fixes.map((f) => f.workerId).join()}`));
      bus.onRemoteEventWake(() => heard[name].push('wake'));
      bus.onRemoteBoundary(() => heard[name].push('boundary'));
    }
    a!.publishFixes([fix(7), fix(8)]);
    a!.publishEventWake();
    a!.publishBoundary();
    // The other record's node speaks too: a and b must not hear it.
    c!.publishFixes([fix(99)]);
    const deadline = Date.now() + 10_000;
    while (heard.b.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.b).toEqual(['fixes 7,8', 'wake', 'boundary']);
    expect(heard.a).toEqual([]);
    expect(heard.c).toEqual([]);
  });
});

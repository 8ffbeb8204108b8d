import type { Case } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// The dispatcher's queue through cases.list: filters by tier, urgency, category, area and
// overdue, sorted by deadline with overdue first and cases without a deadline last.

describe('cases.list as the dispatcher queue', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let intake: ReturnType<typeof createClient>;
  let dispatcher: ReturnType<typeof createClient>;
  const made: Case[] = [];

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    intake = createClient(server.url);
    dispatcher = createClient(server.url);
    await intake.trpc.auth.login.mutate({ username: 'intake', password: 'intake123' });
    await dispatcher.trpc.auth.login.mutate({ username: 'dispatcher', password: 'dispatch123' });
    const w = server.services.roster[0]!;
    // blue (B0102 street light, 1 h to register), red (B0101 manhole, 15 min), yellow (B0103 hydrant, registered)
    for (const category of ['B0102', 'B0101', 'B0103']) {
      made.push(
        await intake.trpc.cases.report.mutate({
          category,
          lng: w.homeLng,
          lat: w.homeLat,
          description: `队列测试 ${category}`,
          source: 'hotline',
        }),
      );
    }
    const reg = await intake.trpc.cases.command.mutate({
      caseId: made[2]!.id,
      command: { type: 'register', tier: 'large', expectedVersion: 1 },
    });
    made[2] = reg.case;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const ids = (items: Case[]) => items.map((c) => c.id).filter((id) => made.some((m) => m.id === id));

  it('sorts by deadline, earliest (overdue) first', async () => {
    const { items, nextCursor } = await dispatcher.trpc.cases.list.query({
      status: ['reported', 'registered'],
      sort: 'deadline',
      limit: 100,
    });
    expect(nextCursor).toBeNull();
    const deadlines = items.map((c) => c.deadlineAt ?? Infinity);
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    // red registers within 15 minutes: it leads the blue one reported before it
    expect(ids(items).indexOf(made[1]!.id)).toBeLessThan(ids(items).indexOf(made[0]!.id));
  });

  it('filters by tier, urgency and category (subclass or major class)', async () => {
    const q = (f: Record<string, unknown>) =>
      dispatcher.trpc.cases.list.query({
        status: ['reported', 'registered'],
        sort: 'deadline',
        limit: 500,
        ...f,
      });
    expect(ids((await q({ tier: ['large'] })).items)).toEqual([made[2]!.id]);
    expect(ids((await q({ urgency: ['red'] })).items)).toEqual([made[1]!.id]);
    expect(ids((await q({ urgency: ['red', 'blue'] })).items).sort()).toEqual(
      [made[0]!.id, made[1]!.id].sort(),
    );
    expect(ids((await q({ category: ['B0103'] })).items)).toEqual([made[2]!.id]);
    expect(ids((await q({ category: ['B01'] })).items)).toHaveLength(3);
    expect(
      (await q({ category: ['S01'], urgency: ['red'] })).items.every((c) => c.category.startsWith('S01')),
    ).toBe(true);
    await expect(q({ category: ['X1'] })).rejects.toThrow();
  });

  it('filters by area (an administrative unit) and by overdue', async () => {
    const b = server.services.boundary();
    const grid = made[0]!.gridId;
    const inside = b.units.find((u) => u.level === 'street' && b.gridInUnit(grid, u.id))!;
    const outside = b.units.find((u) => u.level === 'street' && !b.gridInUnit(grid, u.id))!;
    const q = (f: Record<string, unknown>) =>
      dispatcher.trpc.cases.list.query({
        status: ['reported', 'registered'],
        sort: 'deadline',
        limit: 500,
        ...f,
      });
    expect(ids((await q({ unitId: inside.id })).items)).toHaveLength(3);
    expect(ids((await q({ unitId: outside.id })).items)).toHaveLength(0);
    // nothing is overdue a moment after reporting …
    expect(ids((await q({ overdue: true })).items)).toHaveLength(0);
    expect(ids((await q({ overdue: false })).items)).toHaveLength(3);
    // … and everything is a month later (the service takes the clock). Not a day: deadlines count
    // working hours, and a day after a Saturday or holiday report none have passed.
    const later = await server.services.cases.list({
      status: ['reported', 'registered'],
      overdue: true,
      now: Date.now() + 30 * 24 * 3600_000,
      sort: 'deadline',
      limit: 500,
    });
    expect(ids(later.items)).toHaveLength(3);
    expect(ids(later.items)[0]).toBe(made[1]!.id);
  });

  it('still pages newest first by default', async () => {
    const page = await dispatcher.trpc.cases.list.query({ limit: 2 });
    expect(page.items[0]!.id).toBeGreaterThan(page.items[1]!.id);
    expect(page.nextCursor).toBe(page.items[1]!.id);
  });
});

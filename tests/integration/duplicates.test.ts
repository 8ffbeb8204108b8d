import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { failure, sessionClient, type Client, illTyped } from '../support/client.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// Duplicate detection at intake (重复件) through the real API: a report of the same subclass
// within 50 m and 2 h of an open case is suggested as its duplicate — for a case already taken
// (so the dispatcher merges it) and for a report being taken (so intake sees the case already
// there). Other subclasses, farther places, finished cases are not; a merged case stands for
// its primary.

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];
const NORTH_1M = 1 / 111_320;

describe.each(kinds)('duplicate suggestions on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let intake: Client;
  let dispatcher: Client;
  let department: Client;
  let lng = 0;
  let lat = 0;

  const report = (category: string, metresNorth: number, description = '重复件测试') =>
    intake.trpc.cases.report.mutate({
      category,
      lng,
      lat: lat + metresNorth * NORTH_1M,
      description,
      source: 'hotline',
    });

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    const w = server.services.roster[3]!;
    [lng, lat] = [w.homeLng, w.homeLat];
    [intake, dispatcher, department] = await Promise.all([
      sessionClient(server, 'intake', 'intake123'),
      sessionClient(server, 'dispatcher', 'dispatch123'),
      sessionClient(server, 'chengguan', 'dept123'),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('suggests the open case of the same subclass nearby, nearest first, for a case and for a report being taken', async () => {
    const first = await report('S0106', 0, '物料堆放占道（第一次来电）');
    const second = await report('S0106', 20, '物料堆放占道（第二次来电）');
    await report('S0105', 5, '同一地点，另一小类');
    await report('S0106', 300, '同一小类，300 米外');

    const ofSecond = await dispatcher.trpc.cases.duplicates.query({ caseId: second.id });
    expect(ofSecond.items.map((d) => d.case.id)).toEqual([first.id]);
    expect(ofSecond.items[0]!.distanceM).toBeGreaterThanOrEqual(19);
    expect(ofSecond.items[0]!.distanceM).toBeLessThanOrEqual(21);

    // Before a third call becomes a case: both open cases, the nearer first.
    const atIntake = await intake.trpc.cases.duplicates.query({
      category: 'S0106',
      lng,
      lat: lat + 15 * NORTH_1M,
    });
    expect(atIntake.items.map((d) => d.case.id)).toEqual([second.id, first.id]);
  });

  it('a merged duplicate stands for its primary; a finished case is no duplicate; a merged case has none', async () => {
    const primary = await report('B0102', 0, '路灯不亮（第一次来电）');
    const dup = await report('B0102', 10, '路灯不亮（第二次来电）');
    const merged = await dispatcher.trpc.cases.merge.mutate({
      duplicateId: dup.id,
      primaryId: primary.id,
      duplicateVersion: dup.version,
      primaryVersion: primary.version,
    });
    expect(merged.duplicate.status).toBe('merged');
    // A report next to the merged one is suggested the primary, once.
    const near = await intake.trpc.cases.duplicates.query({
      category: 'B0102',
      lng,
      lat: lat + 12 * NORTH_1M,
    });
    expect(near.items.map((d) => d.case.id)).toEqual([primary.id]);
    expect((await dispatcher.trpc.cases.duplicates.query({ caseId: dup.id })).items).toEqual([]);

    const rejected = await report('B0303', 0, '报刊亭破损（非本市管辖）');
    await intake.trpc.cases.command.mutate({
      caseId: rejected.id,
      command: { type: 'reject', reason: '不属于城市管理范围', expectedVersion: rejected.version },
    });
    expect((await intake.trpc.cases.duplicates.query({ category: 'B0303', lng, lat })).items).toEqual([]);
  });

  it('refuses what it cannot answer: unknown case, mixed input, a desk that does not read the city', async () => {
    expect((await failure(dispatcher.trpc.cases.duplicates.query({ caseId: 99_999_999 }))).code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await failure(dispatcher.trpc.cases.duplicates.query(illTyped({ caseId: 1, category: 'S0106' }))))
        .code,
    ).toBe('BAD_REQUEST');
    expect(
      (await failure(dispatcher.trpc.cases.duplicates.query(illTyped({ category: 'S0106', lng: 500, lat }))))
        .code,
    ).toBe('BAD_REQUEST');
    expect(
      (await failure(department.trpc.cases.duplicates.query({ category: 'S0106', lng, lat }))).code,
    ).toBe('FORBIDDEN');
  });
});

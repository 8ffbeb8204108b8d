import { asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { generateCity, DEFAULT_SEED } from '@gcc/data';
import { openDatabase, type Db } from '../../server/src/db/connect.ts';
import { caseFacts, cases, city, events } from '../../server/src/db/schema.ts';
import { createLogger } from '../../server/src/log.ts';
import { seedCity } from '../../server/src/seed/seed-city.ts';
import { signedIn } from '../support/client.ts';
import { startServerProcess } from '../support/server-process.ts';
import { startTestServer } from '../support/test-server.ts';
import { dataDirs, health, holdAfterFirstPiece } from '../support/first-start.ts';

// A first start serves the wall and the desks on the recent cases while the older history goes in
// behind, piece by piece. While it loads the API answers (city, cases, the wall's grid layer) and
// says how far it got; once done the record is the one a seed of the whole history in one go
// makes — the same cases, the same events under the same sequence numbers, a facts row per case,
// nothing twice — also when the server was killed in the middle and started again.

const DAYS = '40';
const env = { CITY_PROFILE: 'tiny', SEED_HISTORY_DAYS: DAYS };

/** What a record holds of its history: case rows, numbered events, facts. */
async function historyOf(db: Db) {
  const [c] = await db.select().from(city).where(eq(city.id, 1));
  const n = c!.historyCases;
  const rows = await db
    .select({
      id: cases.id,
      code: cases.code,
      status: cases.status,
      level: cases.level,
      deadlineAt: cases.deadlineAt,
      version: cases.version,
    })
    .from(cases)
    .where(sql`${cases.id} <= ${n}`)
    .orderBy(asc(cases.id));
  const timeline = await db
    .select({ seq: events.seq, caseId: events.caseId, type: events.type, at: events.at })
    .from(events)
    .where(sql`${events.caseId} <= ${n} and ${events.kind} = 'case' and ${events.userId} is null`)
    .orderBy(asc(events.seq));
  const [facts] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(caseFacts)
    .where(sql`${caseFacts.caseId} <= ${n}`);
  return { city: c!, rows, timeline, facts: facts!.n };
}

/** The record a seed of the whole history in one transaction makes, for the city made at `now`. */
async function fullSeed(now: number) {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const generated = generateCity({ profile: 'tiny', seed: DEFAULT_SEED, now, historyDays: Number(DAYS) });
    await seedCity(database.db, generated, createLogger('warn'), now, undefined, { history: 'all' });
    return await historyOf(database.db);
  } finally {
    await database.close();
  }
}

/** The history part of a record equals a full seed's: same cases, same events, one facts row each. */
function expectSameHistory(
  got: Awaited<ReturnType<typeof historyOf>>,
  want: Awaited<ReturnType<typeof historyOf>>,
) {
  expect(got.rows.length).toBe(want.rows.length);
  expect(got.rows).toEqual(want.rows);
  expect(got.timeline.length).toBe(want.timeline.length);
  expect(got.timeline).toEqual(want.timeline);
  expect(got.facts).toBe(want.rows.length);
  expect(got.city.addressPointsLoading).toBe(false);
  expect(got.city.historyCompleteFrom).toBeNull();
}

describe('first start: older history behind the running server', () => {
  const newDir = dataDirs('gcc-history-');

  it('answers while history loads, says how far, and ends as a full seed', async () => {
    const { hook, atSecond, release } = holdAfterFirstPiece();
    const server = await startTestServer({
      db: 'pglite',
      env,
      // The first piece goes in, then the load waits until the test has looked.
      beforeHistoryBatch: hook,
    });
    try {
      await atSecond;
      const status = server.services.history.status();
      expect(status.loading).toBe(true);
      expect(status.loaded).toBeGreaterThan(0);
      expect(status.loaded).toBeLessThan(status.total);

      const desk = await signedIn(server.url, 'dispatcher', 'dispatch123');
      const info = await desk.trpc.city.info.query();
      expect(info.grids).toBeGreaterThan(0);
      const layer = await desk.trpc.grids.layer.query();
      expect(layer.ids.length).toBe(info.grids);
      // The desks' work — the open cases — is all there already.
      const open = await desk.trpc.cases.list.query({
        status: ['registered', 'dispatched', 'accepted', 'handling', 'handled'],
        limit: 500,
      });
      const { rows } = await historyOf(server.services.database.db);
      const openInRecord = rows.filter((r) =>
        ['registered', 'dispatched', 'accepted', 'handling', 'handled'].includes(r.status),
      );
      expect(open.items.length).toBe(openInRecord.length);
      expect(open.items.length).toBeGreaterThan(0);
      // How far, for the banner and analytics.
      const h = await desk.trpc.city.history.query();
      expect(h.loading).toBe(true);
      expect(h.fraction).toBeGreaterThan(0);
      expect(h.fraction).toBeLessThan(1);
      expect(h.completeFrom).not.toBeNull();
      const healthz = (await health(server.url)) as {
        history: { loading: boolean };
      };
      expect(healthz.history.loading).toBe(true);
      // Indicators answer meanwhile (for the complete part and the rest alike).
      const now = Date.now();
      const summary = await desk.trpc.indicators.summary.query({
        from: h.completeFrom!,
        to: now,
        groupBy: 'street',
      });
      expect(summary.total.registered).toBeGreaterThan(0);

      release();
      await server.services.history.done;
      const after = await desk.trpc.city.history.query();
      expect(after).toMatchObject({ loading: false, fraction: 1, completeFrom: null, failed: false });
      const got = await historyOf(server.services.database.db);
      expectSameHistory(got, await fullSeed(got.city.createdAt));
      // Live cases continue after the history, in ids and in event sequence.
      const intake = await signedIn(server.url, 'intake', 'intake123');
      const w = server.services.roster[0]!;
      const live = await intake.trpc.cases.report.mutate({
        category: 'S0101',
        lng: w.homeLng,
        lat: w.homeLat,
        description: '历史载入后的新案件',
        source: 'hotline',
      });
      expect(live.id).toBe(got.city.historyCases + 1);
    } finally {
      release();
      await server.stop();
    }
  }, 120_000);

  it('finishes after a kill in the middle: whole cases, none twice', async () => {
    const dir = newDir();
    const data = { ...env, DATA_DIR: dir, SIMULATOR: 'off' };
    // Slow pieces, so that the kill lands between (or inside) them.
    const first = await startServerProcess({
      profile: 'tiny',
      env: { ...data, SEED_HISTORY_PAUSE_MS: '300' },
    });
    // The fraction starts above 0 (the recent cases are in before the server listens): kill once it
    // has risen, so at least one piece of the older history is written and more are not.
    let start: number | null = null;
    for (;;) {
      const h = (await health(first.url)) as {
        history: { loading: boolean; fraction: number };
      };
      expect(h.history.loading).toBe(true);
      start ??= h.history.fraction;
      if (h.history.fraction > start) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startServerProcess({ profile: 'tiny', env: data });
    for (;;) {
      const h = (await health(second.url)) as { history: { loading: boolean } };
      if (!h.history.loading) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await second.stop();
    const database = await openDatabase({ dataDir: dir });
    let got;
    try {
      got = await historyOf(database.db);
    } finally {
      await database.close();
    }
    expectSameHistory(got, await fullSeed(got.city.createdAt));
  }, 180_000);
});

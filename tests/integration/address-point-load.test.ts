import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { generateCity, DEFAULT_SEED } from '@gcc/data';
import { openDatabase, type Db } from '../../server/src/db/connect.ts';
import { addressPoints, city } from '../../server/src/db/schema.ts';
import { createLogger } from '../../server/src/log.ts';
import { seedCity } from '../../server/src/seed/seed-city.ts';
import { addressPointsReady } from '../../server/src/seed/address-point-loader.ts';
import { signedIn } from '../support/client.ts';
import { startServerProcess } from '../support/server-process.ts';
import { startTestServer } from '../support/test-server.ts';
import { dataDirs, health, holdAfterFirstPiece } from '../support/first-start.ts';

// A first start writes its address points (≈ 490,000 on quzhou) behind the listening server, in
// pieces, before the older history. Whatever counts or searches them — the planner's statistics,
// the gazetteer of 受理登记, a publish re-keying them — waits until all are in, or is refused with a
// reason after a while; it never answers from a part. A kill between pieces loses nothing: the next
// start generates the city again and writes the rest, none twice.

const env = { CITY_PROFILE: 'tiny', SEED_HISTORY_DAYS: '20' };

/** The address points of a record, in id order (what a publish re-keys and the planner counts). */
async function pointsOf(db: Db) {
  const [c] = await db.select().from(city).where(eq(city.id, 1));
  const rows = await db
    .select({
      id: addressPoints.id,
      gridCode: addressPoints.gridCode,
      lng: addressPoints.lng,
      lat: addressPoints.lat,
      households: addressPoints.households,
      label: addressPoints.label,
    })
    .from(addressPoints)
    .orderBy(asc(addressPoints.id));
  return { loading: c!.addressPointsLoading, createdAt: c!.createdAt, rows };
}

/** The points a seed of everything in one transaction writes. */
async function fullSeedPoints(now: number) {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const generated = generateCity({ profile: 'tiny', seed: DEFAULT_SEED, now, historyDays: 20 });
    await seedCity(database.db, generated, createLogger('warn'), now, undefined, { history: 'all' });
    return await pointsOf(database.db);
  } finally {
    await database.close();
  }
}

describe('first start: address points behind the running server', () => {
  const newDir = dataDirs('gcc-points-');

  it('address search and planner statistics wait for every point, then answer from all', async () => {
    const { hook, atSecond, release } = holdAfterFirstPiece();
    const server = await startTestServer({
      db: 'pglite',
      env: { ...env, SEED_POINT_PIECE: '500' },
      // One piece goes in, then the load waits until the test has asked.
      beforePointPiece: hook,
    });
    try {
      await atSecond;
      expect(server.services.addressPoints.status()).toMatchObject({ loading: true });
      const healthz = (await health(server.url)) as {
        addressPoints: { loading: boolean; written: number; total: number };
        history: { loading: boolean };
      };
      expect(healthz.addressPoints.loading).toBe(true);
      expect(healthz.addressPoints.written).toBe(500);
      // The older history comes after the points; the banner says so from the start.
      expect(healthz.history.loading).toBe(true);

      const intake = await signedIn(server.url, 'intake', 'intake123');
      const planner = await signedIn(server.url, 'planner', 'plan123');
      // The wall's and the desks' own data answer meanwhile.
      const info = await intake.trpc.city.info.query();
      expect(info.grids).toBeGreaterThan(0);
      let searched = false;
      const search = intake.trpc.address.search.query({ q: '号', limit: 20 }).then((r) => {
        searched = true;
        return r;
      });
      let counted = false;
      const context = planner.trpc.planning.context.query().then((r) => {
        counted = true;
        return r;
      });
      // A reader given no time to wait is refused with the reason, not answered from a part.
      await expect(addressPointsReady(server.services.database.db, 0)).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        message: expect.stringContaining('地址点仍在载入'),
      });
      await new Promise((r) => setTimeout(r, 600));
      expect(searched).toBe(false);
      expect(counted).toBe(false);

      release();
      await server.services.history.done;
      const { rows } = await pointsOf(server.services.database.db);
      expect(rows.length).toBeGreaterThan(1000);
      expect((await search).items.length).toBeGreaterThan(0);
      // The planner counts every household of the city, not the first piece's.
      const got = await context;
      expect(got.addresses.households.length).toBe(rows.length);
      expect(got.addresses.households.reduce((s, h) => s + h, 0)).toBe(
        rows.reduce((s, r) => s + r.households, 0),
      );
      const after = (await health(server.url)) as { addressPoints: unknown };
      expect(after.addressPoints).toMatchObject({
        loading: false,
        written: rows.length,
        total: rows.length,
      });
    } finally {
      release();
      await server.stop();
    }
  }, 120_000);

  it('finishes after a kill between pieces: every point once, as a full seed writes them', async () => {
    const dir = newDir();
    const data = { ...env, DATA_DIR: dir, SIMULATOR: 'off', SEED_POINT_PIECE: '200' };
    // Slow pieces, so that the kill lands between (or inside) them.
    const first = await startServerProcess({
      profile: 'tiny',
      env: { ...data, SEED_HISTORY_PAUSE_MS: '300' },
    });
    for (;;) {
      const h = (await health(first.url)) as {
        addressPoints: { loading: boolean; written: number };
      };
      expect(h.addressPoints.loading).toBe(true);
      if (h.addressPoints.written >= 400) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startServerProcess({ profile: 'tiny', env: data });
    for (;;) {
      const h = (await health(second.url)) as {
        history: { loading: boolean };
        addressPoints: { loading: boolean };
      };
      if (!h.history.loading && !h.addressPoints.loading) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await second.stop();
    const database = await openDatabase({ dataDir: dir });
    let got;
    try {
      got = await pointsOf(database.db);
    } finally {
      await database.close();
    }
    const want = await fullSeedPoints(got.createdAt);
    expect(got.loading).toBe(false);
    expect(got.rows.length).toBe(want.rows.length);
    expect(got.rows).toEqual(want.rows);
  }, 180_000);
});

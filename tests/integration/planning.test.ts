import { generateCity } from '@gcc/data';
import type { GridId } from '@gcc/shared';
import { decodeMultiPolygon } from '@gcc/shared/geo';
import {
  CASE_OPEN,
  CASE_RECENT,
  decodePlanningContext,
  gridStats,
  HOUSEHOLD_BANDS,
  PlanningContextWireSchema,
} from '@gcc/shared/planning';
import { buildTopology } from '@gcc/shared/topology';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { addressPoints, users } from '../../server/src/db/schema.ts';
import { backfillAddressPoints } from '../../server/src/seed/seed-city.ts';
import { createClient, failure, type Client } from '../support/client.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// The planner's data through the API on a real server (the `tiny` city): planning.context gives
// the address points, case points and staff of the boundary version in force; the planner's
// statistics computed from them (gridStats on the grid layer's topology) give back every grid's
// stored households; a street planner gets only its street; a record seeded before the points
// existed gets them at start; other desks are refused.

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

describe.each(kinds)('planning context on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const login = async (username: string, password: string): Promise<Client> => {
    const c = createClient(server.url);
    await c.trpc.auth.login.mutate({ username, password });
    return c;
  };
  let planner: Client;

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    planner = await login('planner', 'plan123');
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The context as a client decodes it: through the schema, points indexed, staff by grid. */
  const decode = (wire: unknown) => {
    const d = decodePlanningContext(PlanningContextWireSchema.parse(wire));
    if (!d.ok) throw new Error(`context does not decode: ${d.reason}`);
    const { points } = d.context;
    return { ctx: d.context, households: points.households, flags: points.caseFlags };
  };

  it('gives a planner the points, whose per-grid sums are the grids’ households', async () => {
    const wire = await planner.trpc.planning.context.query();
    const { ctx, households, flags } = decode(wire);
    expect(wire.version).toBe(server.services.boundary().version);
    expect(wire.bands).toEqual(HOUSEHOLD_BANDS);
    expect(households.length).toBeGreaterThan(100);
    expect(flags.some((f) => (f & CASE_OPEN) !== 0)).toBe(true);
    expect(flags.some((f) => (f & CASE_RECENT) !== 0)).toBe(true);
    expect(flags.every((f) => f !== 0)).toBe(true);

    const layer = await planner.trpc.grids.layer.query();
    const { topology, problems } = buildTopology(
      layer.ids.map((id, i) => ({
        id,
        parentId: layer.parentIds[i]!,
        polygon: decodeMultiPolygon(layer.polygons[i]!),
      })),
    );
    expect(problems).toEqual([]);
    const total = households.reduce((a, b) => a + b, 0);
    expect(total).toBe(layer.households.reduce((a, b) => a + b, 0));
    // A few grids, spread over the layer.
    const step = Math.max(1, Math.floor(layer.ids.length / 6));
    for (let i = 0; i < layer.ids.length; i += step) {
      const id = layer.ids[i]!;
      const s = gridStats(topology, id, ctx);
      expect(s.households, `grid ${id}`).toBe(layer.households[i]);
      expect(s.residents, `grid ${id}`).toBe(layer.population[i]);
      expect(s.buildings).toBeGreaterThan(0);
      expect(s.staff).toBe(server.services.roster.filter((w) => w.gridId === id).length);
      expect(s.staff).toBeGreaterThan(0);
    }
  });

  it('gives a street planner only the points of its street', async () => {
    const b = server.services.boundary();
    const street = b.units.find((u) => u.level === 'street')!;
    const grids = new Set(b.gridIdsUnder(street.id));
    expect(grids.size).toBeLessThan(b.grids.length);
    await server.services.database.db.insert(users).values({
      username: 'street-planner',
      displayName: '街道网格规划员',
      role: 'planner',
      unitId: street.id,
      passwordHash: await hashPassword('street123'),
      createdAt: Date.now(),
    });
    const wire = await (await login('street-planner', 'street123')).trpc.planning.context.query();
    const want = b.grids.filter((g) => grids.has(g.id)).reduce((a, g) => a + g.households, 0);
    expect(decode(wire).households.reduce((a, h) => a + h, 0)).toBe(want);
    expect(wire.staff.gridIds.every((g) => grids.has(g))).toBe(true);
  });

  it('backfills the points of a record seeded before they existed, in the grids that contain them', async () => {
    const { database, boundary, config, log } = server.services;
    await database.db.delete(addressPoints);
    await backfillAddressPoints(
      database.db,
      () => generateCity({ profile: 'tiny', seed: config.CITY_SEED, historyDays: 0 }).addressPoints,
      (lng, lat) => {
        const g = boundary().index.locate(lng, lat);
        return g === null ? null : boundary().gridById.get(g)!.code;
      },
      log,
    );
    const rows = await database.db
      .select({ code: addressPoints.gridCode, households: addressPoints.households })
      .from(addressPoints);
    const byGrid = new Map<GridId, number>();
    for (const r of rows) {
      const g = boundary().gridOfCode(r.code)!;
      byGrid.set(g, (byGrid.get(g) ?? 0) + r.households);
    }
    for (const g of boundary().grids) expect(byGrid.get(g.id), g.code).toBe(g.households);
  });

  it('refuses the dispatcher and the wall', async () => {
    for (const [u, p] of [
      ['dispatcher', 'dispatch123'],
      ['wall', 'wall123'],
    ] as const) {
      const c = await login(u, p);
      expect((await failure(c.trpc.planning.context.query())).code, u).toBe('FORBIDDEN');
    }
    expect((await failure(createClient(server.url).trpc.planning.context.query())).code).toBe('UNAUTHORIZED');
  });
});

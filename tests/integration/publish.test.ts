import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { area, centroid, multiPolygon } from '@turf/turf';
import { serialOrder } from '@gcc/data';
import {
  GridCodeSchema,
  OPEN_STATUSES,
  type StreamEvent,
  type BoundaryVersion,
  type GridId,
  type Role,
  type UnitId,
} from '@gcc/shared';
import { gridId } from '@gcc/shared/testing';
import {
  PROVISIONAL_GRID_ID_MIN,
  decideEdit,
  dequantise,
  edgesAtNode,
  type TopologyEdit,
} from '@gcc/shared/topology';
import { eq, sql } from 'drizzle-orm';
import {
  addressPoints,
  boundaryVersions,
  cases,
  events,
  grids,
  plans,
  units,
  unitShapes,
  workers,
} from '../../server/src/db/schema.ts';
import { planBaseline } from '../../server/src/plans/baseline.ts';
import { sessionClient, type Client } from '../support/client.ts';
import { cutAcross } from '../support/plan-edits.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';
import { addUser as addTestUser } from '../support/test-users.ts';

// Publishing a plan as boundary version N+1 through the real API, on PGlite and PostgreSQL: a
// split re-keys exactly the rows of the changed grid (counts before = after, every open case,
// worker and address point on a grid of the new version, closed cases untouched, last month's
// indicators identical), new grids get valid codes in serial order, a second plan on the same
// grid is refused as stale while one elsewhere is rebased, racing publishes have one winner (on
// PostgreSQL across two servers on one database), a scheduled version takes effect at its time
// once, and every refusal (problems, roles, jurisdiction) changes nothing.

const pgUrl = inject('pgUrl');
const redisUrl = inject('redisUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];
const DAY = 86_400_000;

async function refusal(
  p: Promise<unknown>,
): Promise<{ code: string; reason: string | null; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError) {
      const data = e.data as { code: string; reason: string | null };
      return { code: data.code, reason: data.reason, message: e.message };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

const provisional = (k: number) => gridId(PROVISIONAL_GRID_ID_MIN + k);

describe.each(kinds)('publishing a boundary version on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let planner: Client;
  let admin: Client;
  let dispatcher: Client;
  let wall: Client;

  const store = () => server.services.database.db;
  const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);
  const openCases = async () => (await store().select().from(cases)).filter((c) => isOpen(c.status));
  const boundary = () => server.services.boundary();
  const topo = async () => (await planBaseline(boundary())).topology;

  /** Each address point with the grid of the version in force holding its code (points are keyed by code). */
  const pointGrids = async () =>
    (await store().select({ id: addressPoints.id, code: addressPoints.gridCode }).from(addressPoints)).map(
      (p) => ({ id: p.id, g: (boundary().gridOfCode(p.code) ?? -1) as GridId }),
    );
  /** Grids of the version in force by how many open cases, workers and address points they hold. */
  const busiest = async (): Promise<GridId[]> => {
    const load = new Map<GridId, number>();
    const add = (rows: { g: GridId }[], w: number) => {
      for (const r of rows) load.set(r.g, (load.get(r.g) ?? 0) + w);
    };
    add(
      (await openCases()).map((c) => ({ g: c.gridId })),
      100,
    );
    add(await store().select({ g: workers.gridId }).from(workers), 100);
    add(await pointGrids(), 1);
    return [...load.entries()]
      .filter(([g]) => boundary().isCurrent(g))
      .sort((a, b) => b[1] - a[1])
      .map(([g]) => g);
  };

  /** A plan saved with `edits` by `who`. */
  const savedPlan = async (who: Client, name: string, edits: TopologyEdit[]) => {
    const created = await who.trpc.plans.create.mutate({ name });
    return who.trpc.plans.save.mutate({
      id: created.id,
      revision: created.revision,
      edits,
      cursor: edits.length,
    });
  };

  /** A split of one of the given grids (a middle cut), with the grid it splits. */
  const splitOne = async (
    candidates: readonly GridId[],
    k: number,
    avoid: ReadonlySet<GridId> = new Set(),
  ) => {
    const t = await topo();
    for (const g of candidates) {
      if (avoid.has(g)) continue;
      const edit = cutAcross(t, g, provisional(k), [0.5, 0.45, 0.55, 0.4, 0.6]);
      if (edit) return { grid: g, edit };
    }
    throw new Error('no grid to split');
  };

  const addUser = (username: string, role: Role, unitId: UnitId) =>
    addTestUser(server, username, role, unitId, 'publish-test-1');

  const counts = async () => {
    const points = await store().select().from(addressPoints);
    return {
      open: (await openCases()).length,
      cases: (await store().select({ id: cases.id }).from(cases)).length,
      workers: (await store().select({ id: workers.id }).from(workers)).length,
      points: points.length,
      households: points.reduce((sum, p) => sum + p.households, 0),
    };
  };

  const closedCases = async () =>
    (await store().select().from(cases))
      .filter((c) => !isOpen(c.status))
      .map((c) => ({
        id: c.id,
        gridId: c.gridId,
        boundaryVersion: c.boundaryVersion,
        updatedAt: c.updatedAt,
      }))
      .sort((a, b) => a.id - b.id);

  /** Last month's indicators by community and district, read afresh (the cohort cache would hide a change). */
  const monthEnd = Math.floor(Date.now() / DAY) * DAY;
  const lastMonth = async () => {
    (server.services.indicators as unknown as { cache: Map<string, unknown> }).cache.clear();
    const to = monthEnd;
    const from = to - 30 * DAY;
    return Promise.all(
      (['community', 'district', 'department'] as const).map((groupBy) =>
        planner.trpc.indicators.summary.query({ from, to, groupBy }),
      ),
    );
  };

  /** Every row keyed to a grid is keyed to a grid of the version in force (open cases, workers, address points). */
  const allOnCurrentGrids = async () => {
    const b = boundary();
    const open = (await openCases()).map((c) => ({ g: c.gridId }));
    const staff = await store().select({ g: workers.gridId }).from(workers);
    const points = await pointGrids();
    return {
      open: open.filter((r) => !b.isCurrent(r.g)).length,
      staff: staff.filter((r) => !b.isCurrent(r.g)).length,
      points: points.filter((r) => !b.isCurrent(r.g)).length,
    };
  };

  const boundaryEvents = async () =>
    (await store().select().from(events)).filter((e) => e.kind === 'boundary').sort((a, b) => a.seq - b.seq);

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    [planner, admin, dispatcher, wall] = await Promise.all([
      sessionClient(server, 'planner', 'plan123'),
      sessionClient(server, 'admin', 'admin123'),
      sessionClient(server, 'dispatcher', 'dispatch123'),
      sessionClient(server, 'wall', 'wall123'),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a split published now re-keys only the changed grid and keeps every count and last month’s indicators', async () => {
    const before = await counts();
    const closedBefore = await closedCases();
    const indicatorsBefore = await lastMonth();
    const v1 = boundary().version;
    const { grid, edit } = await splitOne(await busiest(), 1);
    const old = boundary().gridById.get(grid)!;
    const allPoints = async () => (await pointGrids()).sort((a, b) => a.id - b.id);
    const pointsIn = (await pointGrids()).filter((p) => p.g === grid);
    const pointsBefore = await allPoints();
    // A row's xmin is the transaction that last wrote it: which points the publish rewrote.
    const writtenBy = async () =>
      new Map(
        (
          (await store().execute(
            sql`select id, xmin::text as x, grid_code as c from address_points`,
          )) as unknown as {
            rows: { id: number; x: string; c: string }[];
          }
        ).rows.map((r) => [r.id, r]),
      );
    const writesBefore = await writtenBy();

    const plan = await savedPlan(planner, '拆分网格（发布测试）', [edit]);
    const published = await planner.trpc.plans.publish.mutate({ planId: plan.id, revision: plan.revision });
    expect(published).toMatchObject({ version: v1 + 1, state: 'in-force', rebased: false, name: plan.name });

    // The version in force, swapped on this process, with the split grid's code kept and one new code.
    expect(boundary().version).toBe(v1 + 1);
    expect(boundary().name).toBe(plan.name);
    expect(boundary().isCurrent(grid)).toBe(false);
    const { report } = published;
    expect(report.final).toBe(true);
    expect(report.retired).toEqual([]);
    // The split grid keeps its code on a new row; its neighbours, whose shared edges took the cut's
    // end points as nodes, get new rows too (same codes, the same land to the centimetre).
    const reshaped = new Map(report.reshaped.map((r) => [r.before.id, r]));
    expect(reshaped.get(grid)?.after.code).toBe(old.code);
    for (const r of report.reshaped) expect(r.after.code).toBe(r.before.code);
    expect(reshaped.get(grid)?.nodesOnly).toBe(false);
    for (const r of report.reshaped.filter((x) => x.before.id !== grid)) {
      expect(r.nodesOnly).toBe(true);
      expect(r.after).toMatchObject({
        households: r.before.households,
        addressPoints: r.before.addressPoints,
      });
    }
    expect(report.added).toHaveLength(1);
    const added = report.added[0]!;
    expect(GridCodeSchema.safeParse(added.code).success).toBe(true);
    expect(added.code.slice(0, 12)).toBe(old.code.slice(0, 12));
    expect(boundary().gridById.get(added.id)?.code).toBe(added.code);

    // The report's moves account for every point, household and resident of the old grid.
    const moved = report.moves.reduce(
      (s, m) => ({ points: s.points + m.addressPoints, households: s.households + m.households }),
      { points: 0, households: 0 },
    );
    const changed = new Set(report.reshaped.map((r) => r.before.id));
    const pointsChanged = (await store().select().from(addressPoints)).filter((p) =>
      pointsBefore.some((b) => b.id === p.id && changed.has(b.g)),
    );
    expect(moved).toEqual({
      points: pointsChanged.length,
      households: pointsChanged.reduce((s, p) => s + p.households, 0),
    });
    expect(report.moves.every((m) => changed.has(m.from.id))).toBe(true);
    // The split grid's points went to its two halves.
    expect(
      report.moves
        .filter((m) => m.from.id === grid)
        .map((m) => m.to.code)
        .sort(),
    ).toEqual([old.code, added.code].sort());
    expect(report.moves.filter((m) => m.from.id === grid).reduce((s, m) => s + m.addressPoints, 0)).toBe(
      pointsIn.length,
    );
    // New rows carry the households counted from their points.
    const newRows = (await store().select().from(grids)).filter(
      (r) => r.version === ((v1 + 1) as BoundaryVersion),
    );
    expect(newRows.reduce((s, r) => s + r.households, 0)).toBe(moved.households);
    // Points are keyed by code: the publish wrote exactly the points that now lie in the new
    // grid (the split's other half and the reshaped neighbours keep their codes, unwritten).
    const writesAfter = await writtenBy();
    const rewritten = [...writesAfter.values()].filter((r) => writesBefore.get(r.id)!.x !== r.x);
    expect(rewritten.length).toBe(
      report.moves.filter((m) => m.to.code === added.code).reduce((n, m) => n + m.addressPoints, 0),
    );
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.every((r) => r.c === added.code && writesBefore.get(r.id)!.c === old.code)).toBe(true);

    // Nothing lost, nothing left on a retired grid, nothing else rewritten.
    expect(await counts()).toEqual(before);
    expect(await allOnCurrentGrids()).toEqual({ open: 0, staff: 0, points: 0 });
    const others = pointsBefore.filter((p) => !changed.has(p.g));
    const otherIds = new Set(others.map((o) => o.id));
    expect((await allPoints()).filter((p) => otherIds.has(p.id))).toEqual(others);
    expect(await closedCases()).toEqual(closedBefore);
    const newIds = new Set(newRows.map((r) => r.id));
    const movedOpen = (await openCases()).filter((c) => newIds.has(c.gridId));
    expect(movedOpen.every((c) => c.boundaryVersion === v1 + 1)).toBe(true);
    expect(await lastMonth()).toEqual(indicatorsBefore);
    // By grid over a period spanning the publish: the split grid's closed cases stay on its old
    // row, its open ones moved to the new row of the same code — one grid in the table, not two.
    const byGrid = await planner.trpc.indicators.summary.query({
      from: published.effectiveAt - 30 * DAY,
      to: published.effectiveAt + DAY,
      groupBy: 'grid',
      limit: 5000,
    });
    const rowsOfSplit = byGrid.groups.filter((g) => g.name === old.name);
    expect(rowsOfSplit).toHaveLength(1);
    expect(Number(rowsOfSplit[0]!.key)).toBe(reshaped.get(grid)!.after.id);
    expect(new Set(byGrid.groups.map((g) => `${g.parent}/${g.name}`)).size).toBe(byGrid.groups.length);
    expect(byGrid.groups.reduce((n, g) => n + g.indicators.registered, 0)).toBe(byGrid.total.registered);
    expect(byGrid.version).toBe(v1 + 1);
    // The same period on the grids of the version before: the split grid whole again, under its
    // old row, the new half nowhere; every case placed by where it lies, the total unchanged.
    const onV1 = await planner.trpc.indicators.summary.query({
      from: published.effectiveAt - 30 * DAY,
      to: published.effectiveAt + DAY,
      groupBy: 'grid',
      limit: 5000,
      version: v1,
    });
    expect(onV1.version).toBe(v1);
    expect(onV1.total).toEqual(byGrid.total);
    expect(onV1.groups.map((g) => Number(g.key))).toContain(grid);
    expect(onV1.groups.some((g) => Number(g.key) === added.id)).toBe(false);
    expect(onV1.groups.find((g) => Number(g.key) === grid)!.indicators.registered).toBe(
      byGrid.groups
        .filter((g) => [reshaped.get(grid)!.after.id, added.id].includes(Number(g.key) as GridId))
        .reduce((n, g) => n + g.indicators.registered, 0),
    );
    await expect(
      planner.trpc.indicators.summary.query({
        from: 0,
        to: DAY,
        groupBy: 'grid',
        version: 99 as BoundaryVersion,
      }),
    ).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    await expect(
      planner.trpc.indicators.summary.query({ from: 0, to: DAY, groupBy: 'street', version: v1 }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });

    // The event every screen swaps on, once; the plan is published; the versions and report read back.
    const ev = await boundaryEvents();
    expect(ev.map((e) => e.payload)).toEqual([
      { version: v1 + 1, name: plan.name, effectiveAt: published.effectiveAt, planId: plan.id },
    ]);
    expect((await planner.trpc.plans.get.query({ id: plan.id })).status).toBe('published');
    const list = await wall.trpc.boundaries.list.query();
    expect(list.map((v) => [v.version, v.state, v.added, v.reshaped])).toEqual([
      [v1 + 1, 'in-force', 1, report.reshaped.length],
      [v1, 'superseded', 0, 0],
    ]);
    expect(await dispatcher.trpc.boundaries.report.query({ version: published.version })).toEqual(report);

    // The grid layer: the version in force by default, any version on request.
    const layer = await wall.trpc.grids.layer.query();
    expect(layer.version).toBe(v1 + 1);
    expect(layer.name).toBe(plan.name);
    expect(layer.codes).toContain(added.code);
    expect(layer.ids).not.toContain(grid);
    const past = await wall.trpc.grids.layer.query({ version: v1 });
    expect(past.version).toBe(v1);
    expect(past.ids).toContain(grid);
    expect(past.codes).not.toContain(added.code);

    // Publishing again is refused and changes nothing.
    const again = await refusal(
      planner.trpc.plans.publish.mutate({ planId: plan.id, revision: plan.revision + 1 }),
    );
    expect(again).toMatchObject({ code: 'CONFLICT', reason: 'already-published' });
    const save = planner.trpc.plans.save.mutate({
      id: plan.id,
      revision: plan.revision + 1,
      edits: [edit],
      cursor: 1,
    });
    expect(await refusal(save)).toMatchObject({ code: 'CONFLICT', reason: 'published' });
  });

  it('new grids get codes after every serial the community ever had, west→east then north→south', async () => {
    // Two new grids in one community: split two of its grids.
    const b = boundary();
    const byCommunity = new Map<UnitId, GridId[]>();
    for (const g of b.grids)
      byCommunity.set(g.communityId, [...(byCommunity.get(g.communityId) ?? []), g.id]);
    const [community, members] = [...byCommunity.entries()].sort((x, y) => y[1].length - x[1].length)[0]!;
    const first = await splitOne(members, 11);
    const second = await splitOne(members, 12, new Set([first.grid]));
    const everCodes = (await store().select({ code: grids.code }).from(grids)).map((r) => r.code);
    const prefix = b.gridById.get(first.grid)!.code.slice(0, 12);
    const highest = Math.max(
      ...everCodes.filter((c) => c.startsWith(prefix)).map((c) => Number(c.slice(12))),
    );

    const plan = await savedPlan(admin, '同一社区两个新网格', [first.edit, second.edit]);
    const { report } = await admin.trpc.plans.publish.mutate({ planId: plan.id, revision: plan.revision });
    const codes = report.added.map((g) => g.code);
    expect(codes).toHaveLength(2);
    for (const c of codes) {
      expect(GridCodeSchema.safeParse(c).success).toBe(true);
      expect(c.startsWith(prefix)).toBe(true);
      expect(everCodes).not.toContain(c);
    }
    expect(codes.map((c) => Number(c.slice(12))).sort((x, y) => x - y)).toEqual([highest + 1, highest + 2]);
    // The serials follow the standard's reading order of the two new grids (rows one typical grid high).
    const shapes = report.added.map((g) => boundary().gridById.get(g.id)!);
    const centres = shapes.map(
      (g) => centroid(multiPolygon(g.polygon)).geometry.coordinates as [number, number],
    );
    const rowHeight =
      Math.sqrt(shapes.reduce((s, g) => s + area(multiPolygon(g.polygon)), 0) / shapes.length) / 111_320;
    const bySerial = [...shapes].sort((x, y) => x.code.localeCompare(y.code)).map((g) => g.id);
    expect(serialOrder(centres, rowHeight).map((i) => shapes[i]!.id)).toEqual(bySerial);
    expect(community).toBe(shapes[0]!.communityId);
  });

  it('a second plan on a changed grid is refused as stale; one elsewhere is rebased onto the new version', async () => {
    const candidates = await busiest();
    const mine = await splitOne(candidates, 21);
    const far = await splitOne([...candidates].reverse(), 22, new Set([mine.grid]));
    const rival = cutAcross(await topo(), mine.grid, provisional(23), [0.3, 0.35, 0.25, 0.7]);
    expect(rival).not.toBeNull();
    const first = await savedPlan(planner, '方案甲', [mine.edit]);
    const second = await savedPlan(planner, '方案乙（同一网格）', [rival!]);
    const third = await savedPlan(planner, '方案丙（别处）', [far.edit]);
    const v = boundary().version;

    await planner.trpc.plans.publish.mutate({ planId: first.id, revision: first.revision });
    const versionsBefore = await store().select().from(boundaryVersions);
    const gridsBefore = await store().select({ id: grids.id, retiredIn: grids.retiredIn }).from(grids);
    const stale = await refusal(
      planner.trpc.plans.publish.mutate({ planId: second.id, revision: second.revision }),
    );
    expect(stale).toMatchObject({ code: 'CONFLICT', reason: 'stale-version' });
    expect(stale.message).toContain(boundary().gridById.get(mine.grid)!.code);
    // The refusal wrote nothing.
    expect(await store().select().from(boundaryVersions)).toEqual(versionsBefore);
    expect(await store().select({ id: grids.id, retiredIn: grids.retiredIn }).from(grids)).toEqual(
      gridsBefore,
    );
    expect((await planner.trpc.plans.get.query({ id: second.id })).status).toBe('draft');

    const rebased = await planner.trpc.plans.publish.mutate({ planId: third.id, revision: third.revision });
    expect(rebased).toMatchObject({ version: v + 2, rebased: true, state: 'in-force' });
    expect(rebased.report.reshaped.map((r) => r.before.id)).toContain(far.grid);
    expect(rebased.report.added).toHaveLength(1);
    expect(await allOnCurrentGrids()).toEqual({ open: 0, staff: 0, points: 0 });
  });

  it('of two racing publishes on the same grid exactly one wins', async () => {
    const { grid, edit } = await splitOne(await busiest(), 31);
    const other = cutAcross(await topo(), grid, provisional(32), [0.3, 0.35, 0.7])!;
    const a = await savedPlan(planner, '竞争方案一', [edit]);
    const b = await savedPlan(admin, '竞争方案二', [other]);
    const v = boundary().version;
    // On PostgreSQL the second publish goes through a second server on the same database.
    const second =
      db === 'postgres' ? await startTestServer({ db, pgUrl, databaseUrl: server.databaseUrl! }) : null;
    try {
      const viaB = second ? await sessionClient(second, 'admin', 'admin123') : admin;
      const results = await Promise.allSettled([
        planner.trpc.plans.publish.mutate({ planId: a.id, revision: a.revision }),
        viaB.trpc.plans.publish.mutate({ planId: b.id, revision: b.revision }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const why = await refusal(Promise.reject((lost[0] as PromiseRejectedResult).reason));
      expect(why.code).toBe('CONFLICT');
      expect(['publish-conflict', 'stale-version']).toContain(why.reason);
      const versions = await store().select({ v: boundaryVersions.version }).from(boundaryVersions);
      expect(Math.max(...versions.map((r) => r.v))).toBe(v + 1);
      // Each server takes the version in force by itself (here: the poll's refresh, without a Redis bus).
      for (const s of [server, second]) {
        if (!s) continue;
        await s.services.boundaries.keeper.refresh();
        expect(s.services.boundary().version).toBe(v + 1);
      }
    } finally {
      await second?.stop();
    }
  });

  it('a refused publish changes nothing: open problems, an empty plan, roles and jurisdiction', async () => {
    const snapshot = async () => ({
      versions: await store().select().from(boundaryVersions),
      grids: await store().select({ id: grids.id, retiredIn: grids.retiredIn }).from(grids),
      counts: await counts(),
    });
    const before = await snapshot();
    const candidates = await busiest();

    // A sliver: a cut a hair from the grid's west edge.
    let sliver: TopologyEdit | null = null;
    for (const g of candidates)
      if ((sliver = cutAcross(await topo(), g, provisional(41), [0.004, 0.006, 0.01]))) break;
    expect(sliver).not.toBeNull();
    const bad = await savedPlan(planner, '有碎片的方案', [sliver!]);
    expect(bad.problems).toBeGreaterThan(0);
    expect(
      await refusal(planner.trpc.plans.publish.mutate({ planId: bad.id, revision: bad.revision })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'open-problems',
    });

    const empty = await planner.trpc.plans.create.mutate({ name: '空方案' });
    expect(
      await refusal(planner.trpc.plans.publish.mutate({ planId: empty.id, revision: empty.revision })),
    ).toMatchObject({ code: 'BAD_REQUEST', reason: 'empty-plan' });

    const good = await savedPlan(planner, '角色与辖区', [(await splitOne(candidates, 42)).edit]);
    const ref = { planId: good.id, revision: good.revision };
    expect(await refusal(dispatcher.trpc.plans.publish.mutate(ref))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(wall.trpc.plans.publish.mutate(ref))).toMatchObject({ code: 'FORBIDDEN' });
    // A planner of another community may read the plan but not publish a change outside their jurisdiction.
    const grid = (good.touched as GridId[])[0]!;
    const elsewhere = boundary().grids.find(
      (g) => g.communityId !== boundary().gridById.get(grid)!.communityId,
    )!;
    const outsider = await addUser('publish-outsider', 'planner', elsewhere.communityId);
    expect(await refusal(outsider.trpc.plans.publish.mutate(ref))).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'outside-jurisdiction',
    });
    expect(
      await refusal(planner.trpc.plans.publish.mutate({ ...ref, effectiveAt: Date.now() - DAY })),
    ).toMatchObject({ reason: 'effective-in-past' });
    expect(
      await refusal(planner.trpc.plans.publish.mutate({ ...ref, revision: ref.revision + 5 })),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'stale-revision',
    });
    expect(await snapshot()).toEqual(before);
    const stored = (await store().select({ id: plans.id, status: plans.status }).from(plans)).find(
      (p) => p.id === good.id,
    );
    expect(stored?.status).toBe('draft');
  });

  it('an open wall receives the boundary event on its stream and refetches the new layer', async () => {
    const { seq } = await wall.trpc.events.head.query();
    const { grid, edit } = await splitOne(await busiest(), 61);
    const plan = await savedPlan(planner, '大屏在线时发布', [edit]);
    const received = new Promise<StreamEvent>((resolve, reject) => {
      const sub = wall.trpc.events.stream.subscribe(
        { lastEventId: String(seq) },
        {
          onData: (d) => {
            if (d.data.kind !== 'boundary') return;
            setTimeout(() => sub.unsubscribe(), 0);
            resolve(d.data);
          },
          onError: reject,
        },
      );
    });
    const published = await planner.trpc.plans.publish.mutate({ planId: plan.id, revision: plan.revision });
    const event = await received;
    expect(event).toMatchObject({
      kind: 'boundary',
      type: 'boundary.published',
      version: published.version,
      name: plan.name,
      effectiveAt: published.effectiveAt,
    });
    // What the wall does on it: refetch grids.layer, which now serves the new version.
    const layer = await wall.trpc.grids.layer.query();
    expect([layer.version, layer.name]).toEqual([published.version, plan.name]);
    expect(layer.ids).not.toContain(grid);
  });

  it('a plan that moves a community border moves both communities with the version; its export imports back', async () => {
    const t = await topo();
    const b = boundary();
    const streetOf = (u: UnitId) => b.unitById.get(u)!.parentId;
    // A node on the border of two communities of one street (inside the city), moved ≈ 2 m with the
    // border unlocked (解锁上级边界).
    let move: { edit: TopologyEdit; communities: UnitId[] } | undefined;
    for (const node of t.nodes.keys()) {
      const sides = edgesAtNode(t, node).flatMap((e) => [t.edges.get(e)!.left, t.edges.get(e)!.right]);
      if (sides.includes(null)) continue;
      const communities = [...new Set(sides.map((g) => t.faces.get(g!)!.parentId))];
      if (communities.length !== 2 || streetOf(communities[0]!) !== streetOf(communities[1]!)) continue;
      const [lng, lat] = dequantise(t.nodes.get(node)!.at);
      for (const [dx, dy] of [
        [2e-5, 1e-5],
        [-2e-5, -1e-5],
        [1e-5, -2e-5],
        [-1e-5, 2e-5],
      ] as const) {
        const edit: TopologyEdit = { type: 'moveNode', node, to: [lng + dx, lat + dy], unlockParents: true };
        if (decideEdit(t, edit).ok) {
          move = { edit, communities };
          break;
        }
      }
      if (move) break;
    }
    expect(move, 'a node on the border of two communities of one street').toBeDefined();
    const polygonOf = async (u: UnitId) =>
      (await store().select({ p: units.polygon }).from(units).where(eq(units.id, u)))[0]!.p;
    const [c1, c2] = move!.communities as [UnitId, UnitId];
    const street = streetOf(c1)!;
    const before = { c1: await polygonOf(c1), c2: await polygonOf(c2), street: await polygonOf(street) };

    const plan = await savedPlan(planner, '社区边界调整', [move!.edit]);
    const published = await planner.trpc.plans.publish.mutate({ planId: plan.id, revision: plan.revision });
    expect(published.state).toBe('in-force');
    // The change report names them (上级区划边界随本版调整).
    expect(published.report.units?.map((u) => u.id).sort()).toEqual([c1, c2].sort());

    // Both communities have their new outline; the street around them has not moved.
    expect(await polygonOf(c1)).not.toEqual(before.c1);
    expect(await polygonOf(c2)).not.toEqual(before.c2);
    expect(await polygonOf(street)).toEqual(before.street);
    // The record keeps each community's shape before (version 1) and in the new version.
    const shapes = await store().select().from(unitShapes).where(eq(unitShapes.unitId, c1));
    expect(shapes.map((r) => r.version).sort()).toEqual([1, published.version]);
    expect(shapes.find((r) => r.version === 1)!.polygon).toEqual(before.c1);
    expect(shapes.find((r) => r.version === published.version)!.polygon).toEqual(await polygonOf(c1));
    // Area is kept: what one community lost the other gained (to a few m², the 1 cm rounding of
    // the points earlier splits put on their borders, over kilometres of border).
    const m2 = (p: number[][][][]) => area(multiPolygon(p));
    const moved = m2(await polygonOf(c1)) - m2(before.c1);
    expect(Math.abs(moved)).toBeGreaterThan(5);
    expect(Math.abs(moved + m2(await polygonOf(c2)) - m2(before.c2))).toBeLessThan(5);

    // The version in force, exported and imported back, lies inside its parents (tolerance 10 cm).
    const exported = await planner.trpc.boundaries.export.query({ format: 'geojson', crs: 'wgs84' });
    const report = await planner.trpc.boundaries.import.mutate({
      name: '回导',
      level: 'grids',
      crs: 'wgs84',
      toleranceM: 0.1,
      file: exported,
      dryRun: true,
    });
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('a scheduled version takes effect at its time, once, by itself', async () => {
    const keeper = server.services.boundaries.keeper;
    const v = boundary().version;
    const { grid, edit } = await splitOne(await busiest(), 51);
    const plan = await savedPlan(planner, '下月生效的方案', [edit]);
    const effectiveAt = Date.now() + 3_600_000;
    const eventsBefore = (await boundaryEvents()).length;
    const before = await counts();
    const published = await planner.trpc.plans.publish.mutate({
      planId: plan.id,
      revision: plan.revision,
      effectiveAt,
    });
    expect(published).toMatchObject({ version: v + 1, state: 'scheduled' });
    expect(published.report.final).toBe(false);
    // Until its time: the old version stays in force, no row moved, no event.
    expect(boundary().version).toBe(v);
    expect(boundary().isCurrent(grid)).toBe(true);
    await keeper.refresh(effectiveAt - 1);
    expect(boundary().version).toBe(v);
    expect(await allOnCurrentGrids()).toEqual({ open: 0, staff: 0, points: 0 });
    expect((await boundaryEvents()).length).toBe(eventsBefore);
    expect((await wall.trpc.boundaries.list.query())[0]).toMatchObject({
      version: v + 1,
      state: 'scheduled',
    });
    // A later plan cannot take effect before it.
    const next = await savedPlan(planner, '更早生效', [
      (await splitOne(await busiest(), 52, new Set([grid]))).edit,
    ]);
    expect(
      await refusal(planner.trpc.plans.publish.mutate({ planId: next.id, revision: next.revision })),
    ).toMatchObject({ reason: 'effective-before-previous' });

    // Its time (an injected clock): activated, swapped, rows re-keyed, one event; again: nothing more.
    await keeper.refresh(effectiveAt + 1);
    expect(boundary().version).toBe(v + 1);
    expect(boundary().isCurrent(grid)).toBe(false);
    expect(await allOnCurrentGrids()).toEqual({ open: 0, staff: 0, points: 0 });
    expect(await counts()).toEqual(before);
    await keeper.refresh(effectiveAt + 2);
    const ev = await boundaryEvents();
    expect(ev.length).toBe(eventsBefore + 1);
    expect(ev.at(-1)!.payload).toMatchObject({ version: v + 1, name: plan.name, effectiveAt });
    const report = await wall.trpc.boundaries.report.query({ version: published.version });
    expect(report?.final).toBe(true);
    expect(report?.reshaped.map((r) => r.before.id)).toContain(grid);
  });
});

describe.skipIf(!pgUrl || !redisUrl)('publishing across servers on PostgreSQL + Redis', () => {
  it('a publish on one server swaps the other within moments, by the cluster bus', async () => {
    const a = await startTestServer({ db: 'postgres', pgUrl, env: { REDIS_URL: redisUrl! } });
    const b = await startTestServer({
      db: 'postgres',
      pgUrl,
      databaseUrl: a.databaseUrl!,
      env: { REDIS_URL: redisUrl! },
    });
    try {
      const planner = await sessionClient(a, 'planner', 'plan123');
      const topo = (await planBaseline(a.services.boundary())).topology;
      const edit = [...topo.faces.keys()]
        .map((g) => cutAcross(topo, g, provisional(71)))
        .find((e) => e !== null)!;
      const created = await planner.trpc.plans.create.mutate({ name: '跨进程发布' });
      const plan = await planner.trpc.plans.save.mutate({
        id: created.id,
        revision: created.revision,
        edits: [edit],
        cursor: 1,
      });
      const v = b.services.boundary().version;
      const published = await planner.trpc.plans.publish.mutate({ planId: plan.id, revision: plan.revision });
      expect(published.version).toBe(v + 1);
      // No refresh called on B: the bus notice makes it reload (its own poll would take 30 s).
      const t0 = Date.now();
      while (b.services.boundary().version !== published.version && Date.now() - t0 < 5_000)
        await new Promise((r) => setTimeout(r, 50));
      expect(b.services.boundary().version).toBe(published.version);
      expect(b.services.boundary().name).toBe(plan.name);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

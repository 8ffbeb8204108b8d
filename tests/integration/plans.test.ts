import { TRPCClientError } from '@trpc/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BoundaryVersionSchema, type GridId, type PlanId, type Role, type UnitId } from '@gcc/shared';
import { bandProblems, gridStats } from '@gcc/shared/planning';
import { gridId } from '@gcc/shared/testing';
import {
  applyDiff,
  decideEdit,
  edgesAtNode,
  facePolygon,
  isParentBorder,
  dequantise,
  PROVISIONAL_GRID_ID_MIN,
  type NodeId,
  type Topology,
  type TopologyEdit,
} from '@gcc/shared/topology';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { auditLog, plans, users } from '../../server/src/db/schema.ts';
import { householdContext } from '../../server/src/planning/planning-context.ts';
import { planBaseline } from '../../server/src/plans/baseline.ts';
import { PlanStore } from '../../server/src/plans/plan-store.ts';
import { Boundary } from '../../server/src/spatial/boundary.ts';
import { failure, illTyped, sessionClient, type Client } from '../support/client.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// Boundary plans (网格调整方案) through the real API: a planner creates a plan, saves a split and a
// node move, another planner reads it but cannot write it, the undo history survives a reload, a
// discarded plan is read-only. Every refused save (an edit the version does not have, one outside
// the planner's jurisdiction, a parent border the planner is not above, a stale revision, garbage)
// is a typed error and leaves the stored plan as it was.

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

/** The tRPC error data of a failed call: code, HTTP status, reason and, for a refused edit, step and at. */
async function refusal(p: Promise<unknown>): Promise<{
  code: string;
  httpStatus: number;
  reason: string | null;
  step?: number | undefined;
  at?: [number, number] | null | undefined;
  message: string;
}> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError) {
      const data = e.data as {
        code: string;
        httpStatus: number;
        reason: string | null;
        step?: number;
        at?: [number, number] | null;
      };
      return { ...data, message: e.message };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe.each(kinds)('boundary plans on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let topo: Topology;
  let planner: Client;
  let other: Client;
  let communityPlanner: Client;
  let streetPlanner: Client;
  let fuzzPlanner: Client;
  let dispatcher: Client;
  let wall: Client;
  /** A community and a street of the tiny city, with a neighbouring community in the same street. */
  let community: UnitId;
  let street: UnitId;

  const parentOf = (g: GridId) => topo.faces.get(g)!.parentId;
  const unitParent = (u: UnitId) => server.services.boundary().unitById.get(u)!.parentId!;

  /** The grids around a node, from the baseline. */
  const gridsAt = (t: Topology, node: NodeId): GridId[] => {
    const out = new Set<GridId>();
    for (const e of edgesAtNode(t, node)) {
      const edge = t.edges.get(e)!;
      for (const g of [edge.left, edge.right]) if (g !== null) out.add(g);
    }
    return [...out];
  };

  /** The parents of the grids around a node (null: outside the city). */
  const parentsAt = (node: NodeId): (UnitId | null)[] =>
    edgesAtNode(topo, node).flatMap((e) => {
      const edge = topo.edges.get(e)!;
      return [edge.left, edge.right].map((g) => (g === null ? null : parentOf(g)));
    });

  /** A new plan of `who`'s saved with `edits`, all applied. */
  const newPlan = async (who: Client, name: string, edits: TopologyEdit[]) => {
    const p = await who.trpc.plans.create.mutate({ name });
    return who.trpc.plans.save.mutate({ id: p.id, revision: 1, edits, cursor: edits.length });
  };

  /** A small move of a node that the engine accepts on `t`, or null. */
  const smallMove = (t: Topology, node: NodeId, unlockParents?: boolean): TopologyEdit | null => {
    const [lng, lat] = dequantise(t.nodes.get(node)!.at);
    for (const d of [2e-6, 1e-6, 5e-7])
      for (const [dx, dy] of [
        [d, 0],
        [0, d],
        [-d, 0],
        [0, -d],
      ] as const) {
        const edit: TopologyEdit = {
          type: 'moveNode',
          node,
          to: [lng + dx, lat + dy],
          ...(unlockParents ? { unlockParents } : {}),
        };
        if (decideEdit(t, edit).ok) return edit;
      }
    return null;
  };

  /** A node inside the grids `where` accepts, on no parent border, with a move the engine accepts. */
  const interiorMove = (t: Topology, where: (g: GridId) => boolean): TopologyEdit => {
    for (const node of t.nodes.keys()) {
      const edges = edgesAtNode(t, node);
      if (edges.some((e) => isParentBorder(t, e))) continue;
      if (!gridsAt(t, node).every(where)) continue;
      const edit = smallMove(t, node);
      if (edit) return edit;
    }
    throw new Error('no interior node to move');
  };

  /** A split of `grid` by a horizontal line across it that the engine accepts. */
  const splitOf = (
    t: Topology,
    grid: GridId,
    newGrid: GridId,
    fractions = [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7],
  ): TopologyEdit => {
    const ring = facePolygon(t, grid)[0]![0]!;
    const xs = ring.map((p) => p[0]);
    const ys = ring.map((p) => p[1]);
    const [x0, x1] = [Math.min(...xs) - 1e-4, Math.max(...xs) + 1e-4];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    for (const f of fractions) {
      const y = y0 + f * (y1 - y0);
      const edit: TopologyEdit = {
        type: 'splitGrid',
        grid,
        line: [
          [x0, y],
          [x1, y],
        ],
        newGrid,
      };
      if (decideEdit(t, edit).ok) return edit;
    }
    throw new Error(`no straight split of grid ${grid}`);
  };

  const apply = (t: Topology, edit: TopologyEdit): Topology => {
    const d = decideEdit(t, edit);
    if (!d.ok) throw new Error(`fixture edit refused: ${d.reason}`);
    return applyDiff(t, d.diff);
  };

  const storedPlan = async (id: PlanId) => {
    const rows = await server.services.database.db.select().from(plans);
    return rows.find((r) => r.id === id)!;
  };

  const addUser = async (username: string, role: Role, unitId: UnitId) => {
    await server.services.database.db.insert(users).values({
      username,
      displayName: username,
      role,
      unitId,
      passwordHash: await hashPassword('plan-test-123'),
      createdAt: Date.now(),
    });
    return sessionClient(server, username, 'plan-test-123');
  };

  /** A provisional id for a grid a split makes (publish gives it a code). */
  const newGridId = (k: number) => gridId(PROVISIONAL_GRID_ID_MIN + k);

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    const b = server.services.boundary();
    topo = (await planBaseline(b)).topology;
    // A community whose street holds another community that borders it.
    const pair = [...topo.edges.values()].find((e) => {
      if (e.left === null || e.right === null) return false;
      const [a, c] = [parentOf(e.left), parentOf(e.right)];
      return a !== c && unitParent(a) === unitParent(c);
    });
    expect(pair, 'the tiny city has two neighbouring communities in one street').toBeDefined();
    community = parentOf(pair!.left!);
    street = unitParent(community);
    [planner, dispatcher, wall] = await Promise.all([
      sessionClient(server, 'planner', 'plan123'),
      sessionClient(server, 'dispatcher', 'dispatch123'),
      sessionClient(server, 'wall', 'wall123'),
    ]);
    const root = [...b.unitById.values()].find((u) => u.parentId === null)!.id;
    other = await addUser('planner-2', 'planner', root);
    communityPlanner = await addUser('shequ-planner', 'planner', community);
    streetPlanner = await addUser('jiedao-planner', 'planner', street);
    fuzzPlanner = await addUser('fuzz-planner', 'planner', root);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a planner saves a split and a node move, reloads them with the undo history, and discards the plan', async () => {
    const created = await planner.trpc.plans.create.mutate({ name: '  柯城区网格调整（一） ' });
    expect(created).toMatchObject({
      name: '柯城区网格调整（一）',
      edits: [],
      cursor: 0,
      revision: 1,
      status: 'draft',
      mine: true,
      editable: true,
      touched: [],
      bands: null,
    });
    expect(created.version).toBe(server.services.boundary().version);

    const grid = [...topo.faces.values()].find((f) => f.rings.length === 1)!.id;
    const split = splitOf(topo, grid, newGridId(1));
    const afterSplit = apply(topo, split);
    // A move away from the split grid: the plan touches both places.
    const move = interiorMove(afterSplit, (g) => g !== grid && g !== newGridId(1));
    const splitDecision = decideEdit(topo, split);
    const moveDecision = decideEdit(afterSplit, move);
    if (!splitDecision.ok || !moveDecision.ok) throw new Error('fixture edit refused');
    // The split's new grid counts as the grid it was cut from.
    const asBase = (gs: GridId[]) =>
      [...new Set(gs.map((g) => (g === newGridId(1) ? grid : g)))].sort((a, b) => a - b);

    const saved = await planner.trpc.plans.save.mutate({
      id: created.id,
      revision: created.revision,
      edits: [split, move],
      cursor: 2,
      bands: { urban: [320, 480], rural: [150, 600] },
    });
    expect(saved.revision).toBe(2);
    expect(saved.cursor).toBe(2);
    expect(saved.edits).toEqual([split, move]);
    expect(saved.bands).toEqual({ urban: [320, 480], rural: [150, 600] });
    expect(saved.touched).toEqual(asBase([...splitDecision.touched, ...moveDecision.touched]));
    expect(saved.touchedCount).toBe(saved.touched.length);

    // Undo the move and save: the move stays as the redo part.
    const undone = await planner.trpc.plans.save.mutate({
      id: created.id,
      revision: saved.revision,
      edits: [split, move],
      cursor: 1,
    });
    expect(undone.bands, 'omitted bands are kept').toEqual({ urban: [320, 480], rural: [150, 600] });
    const reloaded = await planner.trpc.plans.get.query({ id: created.id });
    expect(reloaded).toMatchObject({ edits: [split, move], cursor: 1, revision: 3 });
    expect(reloaded.touched, 'the redo part touches nothing yet').toEqual(asBase(splitDecision.touched));

    // Its open problems: the halves and neighbours of the split outside the plan's bands (no sliver, no crossing).
    const context = await householdContext(server.services.database.db, server.services.boundary());
    const urban = server.services.boundary().gridById.get(grid)!.urban;
    const outOfBand = bandProblems(
      splitDecision.touched.map((g) => ({
        id: g,
        urban: server.services.boundary().gridById.get(g)?.urban ?? urban,
        households: gridStats(afterSplit, g, context).households,
      })),
      { urban: [320, 480], rural: [150, 600] },
    ).length;

    // Another planner lists it, reads it, and cannot write it.
    const listed = (await other.trpc.plans.list.query()).find((p) => p.id === created.id)!;
    expect(listed).toMatchObject({
      name: '柯城区网格调整（一）',
      authorName: '网格规划员',
      mine: false,
      editable: false,
      status: 'draft',
      touchedCount: reloaded.touched.length,
      problems: outOfBand,
    });
    expect((await planner.trpc.plans.list.query()).find((p) => p.id === created.id)).toMatchObject({
      mine: true,
      editable: true,
    });
    expect((await other.trpc.plans.get.query({ id: created.id })).edits).toEqual([split, move]);
    const foreign = await refusal(
      other.trpc.plans.save.mutate({ id: created.id, revision: 3, edits: [], cursor: 0 }),
    );
    expect(foreign).toMatchObject({ code: 'FORBIDDEN', reason: 'not-author' });
    expect((await refusal(other.trpc.plans.discard.mutate({ id: created.id, revision: 3 }))).reason).toBe(
      'not-author',
    );

    const renamed = await planner.trpc.plans.rename.mutate({
      id: created.id,
      revision: 3,
      name: '柯城区调整',
    });
    expect(renamed).toMatchObject({ name: '柯城区调整', revision: 4 });

    const discarded = await planner.trpc.plans.discard.mutate({ id: created.id, revision: 4 });
    expect(discarded).toMatchObject({ status: 'discarded', editable: false, revision: 5 });
    expect((await planner.trpc.plans.list.query()).find((p) => p.id === created.id)?.status).toBe(
      'discarded',
    );
    const late = await refusal(
      planner.trpc.plans.save.mutate({ id: created.id, revision: 5, edits: [], cursor: 0 }),
    );
    expect(late).toMatchObject({ code: 'CONFLICT', reason: 'discarded' });
    expect((await storedPlan(created.id)).edits).toEqual([split, move]);
  });

  it('a save whose third edit names a node the version does not have is refused whole', async () => {
    const plan = await planner.trpc.plans.create.mutate({ name: '缺失节点' });
    const grid = [...topo.faces.values()].filter((f) => f.rings.length === 1)[1]!.id;
    const split = splitOf(topo, grid, newGridId(2));
    const move = interiorMove(apply(topo, split), (g) => g !== grid && g !== newGridId(2));
    const first = await planner.trpc.plans.save.mutate({
      id: plan.id,
      revision: plan.revision,
      edits: [split],
      cursor: 1,
    });
    const before = await storedPlan(plan.id);

    const missing = Math.max(...topo.nodes.keys()) + 10_000;
    const saveUpTo = (cursor: number) =>
      refusal(
        planner.trpc.plans.save.mutate({
          id: plan.id,
          revision: first.revision,
          edits: [split, move, { type: 'moveNode', node: missing, to: [118.9, 28.9] }],
          cursor,
        }),
      );
    const refused = await saveUpTo(3);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, reason: 'unknown-node', step: 2 });
    expect(refused.at).toEqual([118.9, 28.9]);
    expect(refused.message).toContain('第 3 步编辑');
    expect(refused.message).toContain('edit 3');
    // Refused in the redo part too: a saved plan can always be redone.
    const redo = await saveUpTo(1);
    expect(redo).toMatchObject({ reason: 'unknown-node', step: 2 });
    expect(await storedPlan(plan.id)).toEqual(before);
    // Refused saves are audited like any mutation.
    const audit = (await server.services.database.db.select().from(auditLog)).filter(
      (a) => a.action === 'plans.save' && !a.ok,
    );
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('holds a planner to their jurisdiction and to the parent borders they are above', async () => {
    const mine = (g: GridId) => parentOf(g) === community;
    const plan = await communityPlanner.trpc.plans.create.mutate({ name: '社区方案' });
    const before = await storedPlan(plan.id);

    // Outside: a node inside another community.
    const outside = interiorMove(topo, (g) => !mine(g));
    expect(
      await refusal(
        communityPlanner.trpc.plans.save.mutate({ id: plan.id, revision: 1, edits: [outside], cursor: 1 }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', reason: 'outside-jurisdiction', step: 0 });

    // The community's border with its neighbour in the same street: locked, and the community
    // planner may not unlock it; the street planner may.
    const borderNode = [...topo.nodes.keys()].find((n) => {
      const parents = parentsAt(n);
      return (
        parents.includes(community) &&
        parents.some((p) => p !== community) &&
        parents.every((p) => p !== null && unitParent(p) === street) &&
        smallMove(topo, n, true) !== null
      );
    });
    expect(borderNode, 'a node on the border of two communities of one street').toBeDefined();
    const unlocked = smallMove(topo, borderNode!, true)!;
    const locked = smallMove(topo, borderNode!, true)!;
    if (locked.type === 'moveNode') delete locked.unlockParents;
    expect(
      await refusal(
        communityPlanner.trpc.plans.save.mutate({ id: plan.id, revision: 1, edits: [locked], cursor: 1 }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', reason: 'parent-border-locked', step: 0 });
    const inside = interiorMove(topo, mine);
    expect(
      await refusal(
        communityPlanner.trpc.plans.save.mutate({
          id: plan.id,
          revision: 1,
          edits: [inside, unlocked],
          cursor: 2,
        }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', reason: 'unlock-forbidden', step: 1 });
    expect(await storedPlan(plan.id)).toEqual(before);

    // A new grid drawn inside a grid of another community is outside too.
    const island = (g: GridId, newGrid: GridId): TopologyEdit => {
      const ring = facePolygon(topo, g)[0]![0]!;
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      const [cx, cy] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
      const [w, h] = [(Math.max(...xs) - Math.min(...xs)) / 10, (Math.max(...ys) - Math.min(...ys)) / 10];
      const edit: TopologyEdit = {
        type: 'cutOut',
        ring: [
          [cx - w, cy - h],
          [cx + w, cy - h],
          [cx + w, cy + h],
          [cx - w, cy + h],
        ],
        newGrid,
      };
      expect(decideEdit(topo, edit).ok, `an island in grid ${g}`).toBe(true);
      return edit;
    };
    const theirs = [...topo.faces.keys()].find((g) => !mine(g))!;
    expect(
      await refusal(
        communityPlanner.trpc.plans.save.mutate({
          id: plan.id,
          revision: 1,
          edits: [island(theirs, newGridId(10))],
          cursor: 1,
        }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', reason: 'outside-jurisdiction', step: 0 });

    // Inside the community: saved.
    const own = [...topo.faces.keys()].find(mine)!;
    const ok = await communityPlanner.trpc.plans.save.mutate({
      id: plan.id,
      revision: 1,
      edits: [inside, island(own, newGridId(11))],
      cursor: 2,
    });
    expect(ok.touched.length).toBeGreaterThan(0);
    expect(ok.touched.every(mine)).toBe(true);
    expect(ok.touched).toContain(own);

    // A street planner moves the border between two of its communities, not the street's own.
    const streetPlan = await streetPlanner.trpc.plans.create.mutate({ name: '街道方案' });
    const moved = await streetPlanner.trpc.plans.save.mutate({
      id: streetPlan.id,
      revision: 1,
      edits: [unlocked],
      cursor: 1,
    });
    expect(moved.touched.some((g) => parentOf(g) !== community)).toBe(true);
    const streetBorder = [...topo.nodes.keys()].find((n) => {
      const parents = parentsAt(n);
      return (
        parents.some((p) => p !== null && unitParent(p) === street) &&
        parents.some((p) => p === null || unitParent(p) !== street) &&
        smallMove(topo, n, true) !== null
      );
    });
    expect(streetBorder).toBeDefined();
    expect(
      await refusal(
        streetPlanner.trpc.plans.save.mutate({
          id: streetPlan.id,
          revision: moved.revision,
          edits: [smallMove(topo, streetBorder!, true)!],
          cursor: 1,
        }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', reason: 'unlock-forbidden', step: 0 });
  });

  it('counts the open problems of the applied edits: a sliver cut off by a split', async () => {
    const plan = await planner.trpc.plans.create.mutate({ name: '细长网格' });
    const grid = [...topo.faces.values()].filter((f) => f.rings.length === 1)[2]!.id;
    const sliver = splitOf(topo, grid, newGridId(3), [0.02, 0.98, 0.03, 0.97, 0.01, 0.99]);
    const saved = await planner.trpc.plans.save.mutate({
      id: plan.id,
      revision: 1,
      edits: [sliver],
      cursor: 1,
    });
    expect(saved.problems).toBeGreaterThan(0);
    expect((await other.trpc.plans.list.query()).find((p) => p.id === plan.id)?.problems).toBe(
      saved.problems,
    );
    // Undone, the split is only the redo part: nothing touched, nothing open.
    const undone = await planner.trpc.plans.save.mutate({
      id: plan.id,
      revision: saved.revision,
      edits: [sliver],
      cursor: 0,
    });
    expect(undone).toMatchObject({ problems: 0, touched: [], cursor: 0, edits: [sliver] });
  });

  it('counts a household band breach the plan makes, as the planner page does', async () => {
    const b = server.services.boundary();
    const bandMax = (g: GridId) => (b.gridById.get(g)!.urban ? 500 : 600);
    // Two neighbours of one community, each within its band, that together hold more than it allows.
    const pair = [...topo.edges.values()].find((e) => {
      if (e.left === null || e.right === null || parentOf(e.left) !== parentOf(e.right)) return false;
      const [l, r] = [b.gridById.get(e.left)!, b.gridById.get(e.right)!];
      if (l.urban !== r.urban) return false;
      const within = (h: number) => h >= (l.urban ? 300 : 150) && h <= bandMax(e.left!);
      return within(l.households) && within(r.households) && l.households + r.households > bandMax(e.left!);
    });
    expect(pair, 'two neighbours whose merge is over the band').toBeDefined();
    const merge: TopologyEdit = { type: 'mergeGrids', into: pair!.left!, from: pair!.right! };
    const move = interiorMove(topo, (g) => g !== pair!.left && g !== pair!.right);
    const saveAs = async (
      name: string,
      edits: TopologyEdit[],
      bands?: { urban: [number, number]; rural: [number, number] },
    ) => {
      const plan = await planner.trpc.plans.create.mutate({ name });
      return planner.trpc.plans.save.mutate({
        id: plan.id,
        revision: 1,
        edits,
        cursor: edits.length,
        ...(bands ? { bands } : {}),
      });
    };
    const without = await saveAs('不合并', [move]);
    const over = await saveAs('合并超户数', [move, merge]);
    expect(over.problems).toBe(without.problems + 1);
    expect((await other.trpc.plans.list.query()).find((p) => p.id === over.id)?.problems).toBe(over.problems);
    // The plan's own bands decide: wide enough, the same merge breaches nothing.
    const wide = await saveAs('合并宽户数', [move, merge], { urban: [0, 100_000], rural: [0, 100_000] });
    expect(wide.problems).toBe(without.problems);
  });

  it('a save that adds to, undoes or replaces the edits of the last one answers as a save of the whole list', async () => {
    const grids = [...topo.faces.values()].filter((f) => f.rings.length === 1).map((f) => f.id);
    const split = splitOf(topo, grids[4]!, newGridId(5));
    const afterSplit = apply(topo, split);
    const away = (g: GridId) => g !== grids[4] && g !== newGridId(5);
    const move = interiorMove(afterSplit, away);
    const near = move.type === 'moveNode' ? gridsAt(afterSplit, move.node) : [];
    // Another node, away from the first one's grids.
    const other = interiorMove(afterSplit, (g) => away(g) && !near.includes(g));
    const fresh = async (edits: TopologyEdit[], cursor = edits.length) => {
      const p = await planner.trpc.plans.create.mutate({ name: '整体保存' });
      const { touched, problems } = await planner.trpc.plans.save.mutate({
        id: p.id,
        revision: 1,
        edits,
        cursor,
      });
      return { touched, problems };
    };
    const plan = await planner.trpc.plans.create.mutate({ name: '逐步保存' });
    let saved = await planner.trpc.plans.save.mutate({ id: plan.id, revision: 1, edits: [split], cursor: 1 });
    const steps: [TopologyEdit[], number][] = [
      [[split, move], 2], // one edit more
      [[split, move], 1], // undone
      [[split, other], 2], // replaced after the first
      [[split, other, move], 3],
    ];
    for (const [edits, cursor] of steps) {
      saved = await planner.trpc.plans.save.mutate({ id: plan.id, revision: saved.revision, edits, cursor });
      expect(
        { touched: saved.touched, problems: saved.problems },
        `${edits.length} edits, cursor ${cursor}`,
      ).toEqual(await fresh(edits, cursor));
    }
    // A stale save is refused and forgets the kept session; the next save replays the list whole.
    expect(
      (
        await refusal(
          planner.trpc.plans.save.mutate({ id: plan.id, revision: saved.revision - 1, edits: [], cursor: 0 }),
        )
      ).reason,
    ).toBe('stale-revision');
    const after = await planner.trpc.plans.save.mutate({
      id: plan.id,
      revision: saved.revision,
      edits: [split],
      cursor: 1,
    });
    expect({ touched: after.touched, problems: after.problems }).toEqual(await fresh([split]));
  });

  it('a save that keeps the stored edits sends only the new ones; a keep beyond them is refused', async () => {
    const grids = [...topo.faces.values()].filter((f) => f.rings.length === 1).map((f) => f.id);
    const split = splitOf(topo, grids[6]!, newGridId(7));
    const afterSplit = apply(topo, split);
    const move = interiorMove(afterSplit, (g) => g !== grids[6] && g !== newGridId(7));
    const first = await newPlan(planner, '增量保存', [split]);
    const plan = { id: first.id };
    // Keeps the stored split, sends the move: the plan holds both, as a whole-list save would.
    const second = await planner.trpc.plans.save.mutate({
      id: plan.id,
      revision: first.revision,
      keep: 1,
      edits: [move],
      cursor: 2,
    });
    expect(second.edits).toEqual([split, move]);
    expect(second.cursor).toBe(2);
    const wholeSaved = await newPlan(planner, '整体对照', [split, move]);
    expect({ touched: second.touched, problems: second.problems }).toEqual({
      touched: wholeSaved.touched,
      problems: wholeSaved.problems,
    });
    // Keeping more than is stored is a bad request, and nothing changes.
    const bad = await refusal(
      planner.trpc.plans.save.mutate({
        id: plan.id,
        revision: second.revision,
        keep: 3,
        edits: [],
        cursor: 2,
      }),
    );
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', reason: 'keep-beyond-stored' });
    const stored = await planner.trpc.plans.get.query({ id: plan.id });
    expect({ revision: stored.revision, edits: stored.edits }).toEqual({
      revision: second.revision,
      edits: [split, move],
    });
  });

  it('after a publish, drafts of the older version are listed read-only and can still be discarded', async () => {
    const old = await planner.trpc.plans.create.mutate({ name: '旧版本方案' });
    const gone = await planner.trpc.plans.create.mutate({ name: '旧版本已废弃' });
    await planner.trpc.plans.discard.mutate({ id: gone.id, revision: 1 });
    // The store as it reads after publish made version + 1 the one in force (issue 17 publishes).
    const b = server.services.boundary();
    const published = new Boundary(BoundaryVersionSchema.parse(b.version + 1), b.grids, b.units, b.index);
    const store = new PlanStore({ database: server.services.database, boundary: () => published });
    const row = (await server.services.database.db.select().from(users)).find(
      (u) => u.username === 'planner',
    )!;
    const me = { id: row.id, role: row.role, unitId: row.unitId };

    const listed = await store.list(me);
    expect(listed.find((p) => p.id === old.id)).toMatchObject({ editable: false, status: 'draft' });
    expect(
      listed.some((p) => p.id === gone.id),
      'older discarded plans leave the list',
    ).toBe(false);
    await expect(store.save(me, { id: old.id, revision: 1, edits: [], cursor: 0 })).rejects.toMatchObject({
      reason: 'outdated',
    });
    await expect(store.rename(me, { id: old.id, revision: 1, name: '改名' })).rejects.toMatchObject({
      reason: 'outdated',
    });
    expect((await store.discard(me, { id: old.id, revision: 1 })).status).toBe('discarded');
  });

  it('a save on a stale revision is a conflict and writes nothing', async () => {
    const plan = await planner.trpc.plans.create.mutate({ name: '并发方案' });
    const move = interiorMove(topo, () => true);
    const saved = await planner.trpc.plans.save.mutate({
      id: plan.id,
      revision: 1,
      edits: [move],
      cursor: 1,
    });
    const before = await storedPlan(plan.id);
    const stale = await refusal(
      planner.trpc.plans.save.mutate({ id: plan.id, revision: 1, edits: [], cursor: 0 }),
    );
    expect(stale).toMatchObject({ code: 'CONFLICT', httpStatus: 409, reason: 'stale-revision' });
    expect(await storedPlan(plan.id)).toEqual(before);
    expect(saved.revision).toBe(2);
    const missing = await refusal(planner.trpc.plans.get.query({ id: 999_999 }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', reason: 'not-found' });
  });

  it('refuses bad names and bands, and other roles', async () => {
    // NUL and a lone surrogate, which the audit log's jsonb cannot hold, are refused as any other.
    for (const name of ['', '   ', '方案\u0007', '方案\u0000', '方案\uD800', '格'.repeat(61)])
      expect((await failure(planner.trpc.plans.create.mutate({ name }))).code).toBe('BAD_REQUEST');
    expect(
      (
        await failure(
          planner.trpc.plans.create.mutate({
            name: '带宽',
            bands: { urban: [500, 300], rural: [150, 600] },
          }),
        )
      ).code,
    ).toBe('BAD_REQUEST');
    expect(
      (await failure(planner.trpc.plans.create.mutate(illTyped({ name: '多余', author: 1 })))).code,
    ).toBe('BAD_REQUEST');
    for (const client of [dispatcher, wall]) {
      expect((await failure(client.trpc.plans.list.query())).code).toBe('FORBIDDEN');
      expect((await failure(client.trpc.plans.create.mutate({ name: '越权' }))).code).toBe('FORBIDDEN');
      expect((await failure(client.trpc.plans.baseline.query())).code).toBe('FORBIDDEN');
    }
  });

  it('garbage edit lists are always a typed 400 and change nothing (fuzz)', async () => {
    const plan = await fuzzPlanner.trpc.plans.create.mutate({ name: '模糊测试' });
    const start = await fuzzPlanner.trpc.plans.save.mutate({
      id: plan.id,
      revision: 1,
      edits: [interiorMove(topo, () => true)],
      cursor: 1,
    });
    const before = await storedPlan(plan.id);
    const nodeIds = [...topo.nodes.keys()];
    const gridIds = [...topo.faces.keys()];
    const edgeIds = [...topo.edges.keys()];
    const maxNode = Math.max(...nodeIds);
    const [lng0, lat0] = dequantise(topo.nodes.get(nodeIds[0]!)!.at);
    const near = fc.tuple(
      fc.double({ min: lng0 - 0.05, max: lng0 + 0.05, noNaN: true }),
      fc.double({ min: lat0 - 0.05, max: lat0 + 0.05, noNaN: true }),
    );
    const neighbours = [...topo.edges.values()].flatMap((e) =>
      e.left !== null && e.right !== null ? [[e.left, e.right] as const] : [],
    );
    const boxes = new Map(
      gridIds.map((g) => {
        const ring = facePolygon(topo, g)[0]![0]!;
        const xs = ring.map((p) => p[0]);
        const ys = ring.map((p) => p[1]);
        return [g, [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]] as const;
      }),
    );
    const someGrid = fc.oneof(fc.constantFrom(...gridIds), fc.integer({ min: 1, max: 2_000_000 }));
    const freeNodes = nodeIds.filter((n) => !edgesAtNode(topo, n).some((e) => isParentBorder(topo, e)));
    const provisional = fc.oneof(
      { weight: 4, arbitrary: fc.nat({ max: 50 }).map(newGridId) },
      { weight: 1, arbitrary: someGrid },
    );
    // Edits the schema takes and the engine may well accept: a real node moved a little, two
    // neighbours merged, a grid split by a line across its box; they run into each other's changes.
    const plausible = fc.oneof(
      fc
        .tuple(
          fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...freeNodes) }, fc.constantFrom(...nodeIds)),
          fc.double({ min: -5e-5, max: 5e-5, noNaN: true }),
          fc.boolean(),
        )
        .map(([node, d, unlockParents]) => {
          const [lng, lat] = dequantise(topo.nodes.get(node)!.at);
          return { type: 'moveNode', node, to: [lng + d, lat - d / 2], unlockParents };
        }),
      fc
        .tuple(
          fc.oneof(
            {
              weight: 3,
              arbitrary: fc.constantFrom(...neighbours.filter(([a, b]) => parentOf(a) === parentOf(b))),
            },
            fc.constantFrom(...neighbours),
          ),
          fc.boolean(),
        )
        .map(([[into, from], unlockParents]) => ({ type: 'mergeGrids', into, from, unlockParents })),
      fc
        .tuple(fc.constantFrom(...gridIds), fc.double({ min: 0.3, max: 0.7, noNaN: true }), provisional)
        .map(([grid, f, newGrid]) => {
          const [x0, y0, x1, y1] = boxes.get(grid)!;
          const y = y0 + f * (y1 - y0);
          return {
            type: 'splitGrid',
            grid,
            line: [
              [x0 - 1e-4, y],
              [x1 + 1e-4, y],
            ],
            newGrid,
          };
        }),
      // Point edits of real edges, somewhere near their start.
      fc
        .tuple(
          fc.constantFrom(...edgeIds),
          fc.nat({ max: 6 }),
          fc.double({ min: -5e-5, max: 5e-5, noNaN: true }),
          fc.constantFrom('moveVertex', 'addVertex', 'deleteVertex', 'reshapeEdge'),
          fc.boolean(),
        )
        .map(([edge, index, d, type, unlockParents]) => {
          const [lng, lat] = dequantise(topo.nodes.get(topo.edges.get(edge)!.start)!.at);
          const p = [lng + d, lat + d];
          if (type === 'moveVertex') return { type, edge, index, to: p, unlockParents };
          if (type === 'addVertex') return { type, edge, index, at: p, unlockParents };
          if (type === 'deleteVertex') return { type, edge, index, unlockParents };
          return { type, edge, vertices: [p, [lng - d, lat + d]], unlockParents };
        }),
      // A new grid drawn over a grid's box: inside it (an island) or across its border.
      fc
        .tuple(
          fc.constantFrom(...gridIds),
          fc.double({ min: 0.1, max: 0.9, noNaN: true }),
          fc.double({ min: 0.05, max: 0.6, noNaN: true }),
          provisional,
          fc.boolean(),
        )
        .map(([grid, f, size, newGrid, unlockParents]) => {
          const [x0, y0, x1, y1] = boxes.get(grid)!;
          const [cx, cy] = [x0 + f * (x1 - x0), y0 + f * (y1 - y0)];
          const [w, h] = [size * (x1 - x0), size * (y1 - y0)];
          const ring = [
            [cx - w, cy - h],
            [cx + w, cy - h],
            [cx + w, cy + h],
            [cx - w, cy + h],
          ];
          return { type: 'cutOut', ring, newGrid, unlockParents };
        }),
      fc.record({ type: fc.constant('moveNode'), node: fc.integer({ min: 1, max: maxNode + 50 }), to: near }),
      fc.record({
        type: fc.constant('splitGrid'),
        grid: someGrid,
        line: fc.array(near, { minLength: 2, maxLength: 6 }),
        newGrid: someGrid,
      }),
    );
    // What no replay accepts: ids far past the layer's (the splits before add a few nodes at most).
    const unknown = fc.oneof(
      fc.record({
        type: fc.constant('moveNode'),
        node: fc.integer({ min: maxNode + 10_000, max: 2_000_000_000 }),
        to: near,
      }),
      fc.record({ type: fc.constant('mergeGrids'), into: fc.constant(2_100_000_000), from: someGrid }),
      fc.record({
        type: fc.constant('splitGrid'),
        grid: fc.constant(2_100_000_000),
        line: fc.array(near, { minLength: 2, maxLength: 3 }),
        newGrid: someGrid,
      }),
    );
    // What no schema takes: garbage shapes, ids out of range, points off the globe.
    const garbage = fc.oneof(
      fc.anything(),
      fc.record({ type: fc.string({ unit: 'binary' }), node: fc.integer() }),
      fc.record({ type: fc.constant('moveNode'), node: fc.integer({ max: 0 }), to: near }),
      fc.record({
        type: fc.constant('moveNode'),
        node: fc.constantFrom(...nodeIds),
        to: fc.tuple(fc.double(), fc.double()),
      }),
      fc.record({
        type: fc.constant('splitGrid'),
        grid: someGrid,
        line: fc.array(near, { maxLength: 1 }),
        newGrid: someGrid,
      }),
    );
    const around = (bad: fc.Arbitrary<unknown>) =>
      fc
        .tuple(fc.array(plausible, { maxLength: 8 }), bad, fc.array(plausible, { maxLength: 3 }))
        .map(([head, b, tail]) => [...head, b, ...tail]);
    const lists = fc.oneof(
      { weight: 3, arbitrary: around(unknown) },
      { weight: 1, arbitrary: around(garbage) },
    );
    const cursor = fc.oneof(
      { weight: 4, arbitrary: fc.nat({ max: 12 }) },
      { weight: 1, arbitrary: fc.anything() },
    );

    // Most lists pass the schema and are refused by the replay, some deep into the list.
    let replayed = 0;
    await fc.assert(
      fc.asyncProperty(lists, cursor, async (edits, raw) => {
        const res = await refusal(
          fuzzPlanner.trpc.plans.save.mutate(
            illTyped({
              id: plan.id,
              revision: start.revision,
              edits,
              cursor: typeof raw === 'number' ? Math.min(raw, edits.length) : raw,
            }),
          ),
        );
        if (res.step !== undefined) replayed++;
        expect(res.code).toBe('BAD_REQUEST');
        expect(res.httpStatus).toBe(400);
        expect(await storedPlan(plan.id)).toEqual(before);
      }),
      { numRuns: 250, seed: 16 },
    );
    expect(replayed).toBeGreaterThan(100);
  });
});

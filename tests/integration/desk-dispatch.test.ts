import type { CaseCommand, CaseCommandBody, WorkerId } from '@gcc/shared';
import type { CommandActor } from '../../server/src/cases/case-access.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimDesk } from '../../server/src/sim/sim-desk.ts';
import { failure, signedIn, type Client } from '../support/client.ts';
import { putWorkersOnDuty } from '../support/on-duty.ts';
import { startTestServer } from '../support/test-server.ts';

// The dispatcher's desk beside the simulated desk (issue 19). A desk dispatches with the version
// and the assignee of the view it acted on: a case the simulated desk dispatched meanwhile is
// never dispatched a second time by accident, a 改派 names whom it replaces, and the simulated
// desk signs its steps as its own actors, never as the people who sign in.

describe('dispatching beside the simulated desk', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const login = (username: string, password: string) => signedIn(server.url, username, password);
  let intake: Client;
  let dispatcher: Client;
  let site: [number, number];

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite', env: { SEED_HISTORY_DAYS: '0' } });
    [intake, dispatcher] = await Promise.all([
      login('intake', 'intake123'),
      login('dispatcher', 'dispatch123'),
    ]);
    // The simulator is off: put every worker on duty at home, as their devices would report.
    site = putWorkersOnDuty(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const registered = async (description: string) => {
    const c = await intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: site[0],
      lat: site[1],
      description,
      source: 'hotline',
    });
    return (
      await intake.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'register', tier: 'small', expectedVersion: c.version },
      })
    ).case;
  };

  /** The dispatcher's dispatch of a case to a worker, with the version (and 改派: the assignee) of its view. */
  const dispatch = (
    caseId: number,
    workerId: WorkerId,
    expectedVersion: number,
    replaces?: { workerId: WorkerId | null; department: string | null } | null,
  ) =>
    dispatcher.trpc.cases.command.mutate({
      caseId,
      command: {
        type: 'dispatch',
        workerId,
        department: null,
        expectedVersion,
        ...(replaces ? { replaces } : {}),
      },
    });

  /** The simulated desk at a high speed: one look to note the case, one once its delay is over. */
  const simulatedDeskRuns = async () => {
    const desk = await createSimDesk(server.services, () => 0.5, 1000);
    const now = Date.now();
    await desk.tick(now);
    await desk.tick(now + 60_000);
    return desk;
  };

  it('refuses a second dispatch from a view the simulated desk overtook, and offers 改派 naming the assignee', async () => {
    const c = await registered('垃圾满溢（调度员已打开）');
    // The dispatcher opens the case: recommendations at the version and assignee they show.
    const view = await dispatcher.trpc.dispatch.recommend.query({ caseId: c.id });
    expect(view).toMatchObject({ version: c.version, assignee: null });
    const pick = view.workers[0]!;

    const desk = await simulatedDeskRuns();
    expect(desk.done['dispatch']).toBe(1);
    const after = (await dispatcher.trpc.cases.get.query({ id: c.id })).case;
    expect(after).toMatchObject({ status: 'dispatched', assigneeId: pick.workerId });

    // Enter on the old view: its version is stale.
    const stale = await failure(dispatch(c.id, pick.workerId, view.version));
    expect(stale).toMatchObject({ code: 'CONFLICT' });
    expect(stale.message).toContain('stale-version');

    // Why the check did not hold before: the desk re-read `cases.allowed` on the live event and
    // sent that fresh version with the dispatch its screen still offered. A dispatch that names
    // nobody it replaces is now refused on a case that has an assignee.
    const allowed = await dispatcher.trpc.cases.allowed.query({ caseId: c.id });
    expect(allowed.version).toBe(after.version);
    const blind = await failure(dispatch(c.id, pick.workerId, allowed.version));
    expect(blind.code).toBe('CONFLICT');
    expect(blind.message).toContain('assignee-changed');
    expect(blind.message).toMatch(/^承办人已变化/);

    // The same worker again, even naming them: nothing to dispatch.
    const again = await failure(
      dispatch(c.id, pick.workerId, after.version, { workerId: pick.workerId, department: null }),
    );
    expect(again.message).toContain('already-assignee');
    let { timeline } = await dispatcher.trpc.cases.get.query({ id: c.id });
    expect(timeline.filter((e) => e.type === 'case.dispatched')).toHaveLength(1);

    // The refreshed view marks the assignee and does not propose them again.
    const fresh = await dispatcher.trpc.dispatch.recommend.query({ caseId: c.id });
    expect(fresh.assignee).toMatchObject({ workerId: pick.workerId, department: null });
    expect(fresh.assignee!.name.length).toBeGreaterThan(0);
    expect(fresh.workers.map((w) => w.workerId)).not.toContain(pick.workerId);

    // An explicit 改派 names whom it replaces, and the timeline says so.
    const other = fresh.workers[0]!;
    const moved = await dispatch(c.id, other.workerId, fresh.version, fresh.assignee);
    expect(moved.case).toMatchObject({ status: 'dispatched', assigneeId: other.workerId });
    ({ timeline } = await dispatcher.trpc.cases.get.query({ id: c.id }));
    const dispatches = timeline.filter((e) => e.type === 'case.dispatched');
    expect(dispatches).toHaveLength(2);
    expect(dispatches[1]!.payload).toMatchObject({
      workerId: other.workerId,
      replaced: { workerId: pick.workerId, department: null },
    });
  });

  it('reports a bulk assignment of a case dispatched meanwhile as refused, not forced', async () => {
    const c = await registered('占道经营（批量）');
    await simulatedDeskRuns();
    const { results } = await dispatcher.trpc.dispatch.assignBulk.mutate({ caseIds: [c.id] });
    expect(results).toEqual([
      expect.objectContaining({ caseId: c.id, ok: false, reason: 'assignee-changed' }),
    ]);
  });

  it('signs the simulated desk’s steps as its own actors, who cannot sign in', async () => {
    const c = await intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: site[0],
      lat: site[1],
      description: '模拟受理、模拟派遣',
      source: 'hotline',
    });
    const desk = await createSimDesk(server.services, () => 0.5, 1000);
    const now = Date.now();
    // Each look notes what waits and acts on what is due: 立案, then 派遣.
    for (let k = 0; k < 6 && !desk.done['dispatch']; k++) await desk.tick(now + k * 60_000);
    const { timeline } = await dispatcher.trpc.cases.get.query({ id: c.id });
    const who = Object.fromEntries(timeline.map((e) => [e.type, e.actorName]));
    expect(who).toMatchObject({
      'case.reported': '受理员',
      'case.registered': '模拟受理员',
      'case.dispatched': '模拟调度员',
    });
    const me = await dispatcher.trpc.auth.me.query();
    expect(timeline.filter((e) => e.userId === me!.id)).toEqual([]);
    // No password opens them.
    for (const password of ['!', 'dispatch123'])
      expect(await server.services.auth.login('sim:dispatcher', password)).toBeNull();
  });

  it('puts in 待处理 what waits for the desk first (派遣, 改派 after a return), then the overdue to chase, with counts', async () => {
    const svc = server.services.cases;
    const root = server.services.boundary().units.find((u) => u.parentId === null)!.id;
    const post = (p: CommandActor['posts'][number]): CommandActor => ({
      userId: null,
      workerId: null,
      posts: [p],
      unitId: root,
      unitLevel: 'city',
    });
    const w1 = server.services.roster[0];
    const HOUR = 3_600_000;
    /** A red case (its clock runs around the clock) taken to a step, starting `ago` ms ago. */
    const caseAt = async (ago: number, steps: ('register' | 'dispatch' | 'return')[]) => {
      let at = Date.now() - ago;
      let c = await svc.report(
        { category: 'B0101', lng: site[0], lat: site[1], description: '待处理测试', source: 'hotline' },
        { userId: null, workerId: null },
        { at },
      );
      for (const step of steps) {
        at += 60_000;
        const [command, actor]: [CaseCommandBody, CommandActor] =
          step === 'register'
            ? [{ type: 'register', tier: 'small' }, post('intake')]
            : step === 'dispatch'
              ? [{ type: 'dispatch', workerId: w1!.id, department: null }, post('dispatcher')]
              : [
                  { type: 'return', reason: '不属于本网格' },
                  { userId: null, workerId: w1!.id, posts: ['grid-worker'], unitId: null, unitLevel: 'grid' },
                ];
        c = (
          await svc.command(c.id, { ...command, expectedVersion: c.version } as CaseCommand, actor, { at })
        ).case;
      }
      return c;
    };
    const toDispatch = await caseAt(5 * 60_000, ['register']);
    const returned = await caseAt(8 * 60_000, ['register', 'dispatch', 'return']);
    const inProgress = await caseAt(5 * 60_000, ['register', 'dispatch']);
    const overdue = await caseAt(5 * HOUR, ['register', 'dispatch']);

    const mine = await dispatcher.trpc.cases.list.query({ needsAction: true, limit: 300 });
    const ids = mine.items.map((c) => c.id);
    expect(ids).toContain(toDispatch.id);
    expect(ids).toContain(returned.id);
    expect(ids).toContain(overdue.id);
    // Dispatched and on time: nothing for the dispatcher to do now.
    expect(ids).not.toContain(inProgress.id);
    const waiting = (mine as unknown as { waiting: number }).waiting;
    expect(waiting).toBeGreaterThanOrEqual(2);
    // Waiting ones first (all of them registered: 派遣 or 改派), then the overdue ones to chase.
    expect(mine.items.slice(0, waiting).every((c) => c.status === 'registered')).toBe(true);
    expect(ids.indexOf(overdue.id)).toBeGreaterThanOrEqual(waiting);
    const chase = mine.items.slice(waiting);
    expect(chase.every((c) => c.deadlineAt !== null && c.deadlineAt < Date.now())).toBe(true);
    for (const part of [mine.items.slice(0, waiting), chase]) {
      const d = part.map((c) => c.deadlineAt ?? Infinity);
      expect(d).toEqual([...d].sort((a, b) => a - b));
    }

    const counts = await dispatcher.trpc.cases.queueCounts.query({});
    expect(counts).toMatchObject({
      needsAction: mine.items.length,
      waiting,
      chase: mine.items.length - waiting,
    });
    const open = await dispatcher.trpc.cases.list.query({
      status: ['registered', 'dispatched', 'accepted', 'handling', 'handled', 'verified', 'reported'],
      limit: 5000,
    });
    expect(counts.open).toBe(open.items.length);
    expect(counts.overdue).toBe(
      open.items.filter((c) => c.deadlineAt !== null && c.deadlineAt < Date.now()).length,
    );
    // Intake waits for nothing of these (all registered or further).
    expect(
      (await intake.trpc.cases.list.query({ needsAction: true, limit: 300 })).items.map((c) => c.id),
    ).not.toContain(toDispatch.id);
  });

  it('does not favour the worker who reported a case, and says why each worker stands where it does', async () => {
    const reporter = server.services.roster[0]!;
    const c = await server.services.cases.report(
      { category: 'S0101', lng: site[0], lat: site[1], description: '巡查上报：垃圾满溢', source: 'patrol' },
      { userId: null, workerId: reporter.id },
    );
    await intake.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'register', tier: 'small', expectedVersion: c.version },
    });
    const view = await dispatcher.trpc.dispatch.recommend.query({ caseId: c.id });
    expect(view.workers.length).toBe(5);
    // On the spot, but not first: the reporter is proposed only when the list has room.
    expect(view.workers.map((w) => w.workerId)).not.toContain(reporter.id);
    expect(view.workers[0]!.reason.standing).toEqual({ code: 'best' });
    for (const [k, w] of view.workers.entries())
      if (k > 0) expect(w.reason.standing).toMatchObject({ above: view.workers[k - 1]!.workerId });
  });
});

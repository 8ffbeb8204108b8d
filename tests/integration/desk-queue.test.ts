import {
  EVALUATION_WINDOW_HOURS,
  localDay,
  localMidnight,
  parseStoredCaseEvent,
  replayCase,
  type CaseCommand,
  type CaseCommandBody,
  type WorkerId,
} from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandActor } from '../../server/src/cases/case-access.ts';
import { cases } from '../../server/src/db/schema.ts';
import { failure, signedIn, type Client } from '../support/client.ts';
import { sayOnDuty } from '../support/on-duty.ts';
import { startTestServer } from '../support/test-server.ts';

// What a desk finds at first start: the seeded history has gone round the loop (nothing older
// than yesterday left open, every timeline replays by the engine), and the 待处理 queue
// (`cases.list {actionable}`) holds exactly the cases the signed-in post can act on now.

const workerActor = (workerId: WorkerId): CommandActor => ({
  userId: null,
  workerId,
  posts: ['grid-worker'],
  unitId: null,
  unitLevel: 'grid',
});

describe('the desk queue and the seeded history', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const login = (username: string, password: string) => signedIn(server.url, username, password);
  let intake: Client;
  let dispatcher: Client;
  let inspector: Client;
  let wall: Client;

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite', env: { SEED_HISTORY_DAYS: '10' } });
    // The simulator is off: the workers' devices say 上岗, so desks may dispatch to them.
    sayOnDuty(server);
    [intake, dispatcher, inspector, wall] = await Promise.all([
      login('intake', 'intake123'),
      login('dispatcher', 'dispatch123'),
      login('inspector', 'inspect123'),
      login('wall', 'wall123'),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('seeds no case older than yesterday still open, and every seeded timeline replays to its row', async () => {
    const { db } = server.services.database;
    const rows = (await db.select().from(cases)).sort((a, b) => a.id - b.id);
    expect(rows.length).toBeGreaterThan(50);
    const recentFrom = localMidnight(localDay(Date.now()) - 1);
    const open = new Set([
      'reported',
      'registered',
      'dispatched',
      'accepted',
      'handling',
      'handled',
      'verified',
    ]);
    const staleOpen = rows.filter((r) => r.reportedAt < recentFrom && open.has(r.status));
    expect(staleOpen.map((r) => `${r.code} ${r.status}`)).toEqual([]);
    expect(rows.some((r) => r.status === 'evaluated')).toBe(true);
    for (const r of rows) {
      const stored = (await server.services.caseReads.get(r.id))!.timeline;
      const timeline = stored.map((e) => {
        const p = parseStoredCaseEvent(r.id, e);
        if (!p.success) throw new Error(`case ${r.id} ${e.type}: ${p.error.message}`);
        return p.data;
      });
      const state = replayCase(timeline);
      expect({
        id: r.id,
        status: state.status,
        version: state.version,
        parked: state.parkedAt !== null,
        assignee: state.assigneeId,
      }).toEqual({
        id: r.id,
        status: r.status,
        version: r.version,
        parked: r.parkedAt !== null,
        assignee: r.assigneeId,
      });
    }
  });

  it('shows each post only the cases it can act on now, by the same rules as cases.allowed', async () => {
    const { roster } = server.services;
    const w = roster[0]!;
    const report = () =>
      intake.trpc.cases.report.mutate({
        category: 'S0101',
        lng: w.homeLng,
        lat: w.homeLat,
        description: '待处理队列测试',
        source: 'hotline',
      });
    // One case at each step the desks care about: reported, registered, handled (awaiting 核查).
    const reported = await report();
    const registered = (
      await intake.trpc.cases.command.mutate({
        caseId: (await report()).id,
        command: { type: 'register', tier: 'small', expectedVersion: 1 },
      })
    ).case;
    let handled = (
      await intake.trpc.cases.command.mutate({
        caseId: (await report()).id,
        command: { type: 'register', tier: 'small', expectedVersion: 1 },
      })
    ).case;
    handled = (
      await dispatcher.trpc.cases.command.mutate({
        caseId: handled.id,
        command: {
          type: 'dispatch',
          workerId: w.id,
          department: null,
          expectedVersion: handled.version,
        },
      })
    ).case;
    const svc = server.services.cases;
    handled = (
      await svc.command(handled.id, { type: 'accept', expectedVersion: handled.version }, workerActor(w.id))
    ).case;
    handled = (
      await svc.command(handled.id, { type: 'start', expectedVersion: handled.version }, workerActor(w.id))
    ).case;
    handled = (
      await svc.command(
        handled.id,
        {
          type: 'feedback',
          onSite: true,
          note: '已清理',
          photos: ['/api/photos/1'],
          expectedVersion: handled.version,
        },
        workerActor(w.id),
      )
    ).case;
    expect(handled.status).toBe('handled');

    const queue = async (c: Client) =>
      (await c.trpc.cases.list.query({ actionable: true, sort: 'deadline', limit: 5000 })).items;
    const ids = (items: { id: number }[]) => new Set(items.map((c) => c.id));

    const desk = await queue(dispatcher);
    expect(ids(desk).has(registered.id)).toBe(true);
    // The dispatcher may merge a duplicate before registration, so a fresh report is theirs too …
    expect(ids(desk).has(reported.id)).toBe(true);
    // … but a handled case waits for the inspector: nothing on it is the dispatcher's.
    expect(ids(desk).has(handled.id)).toBe(false);
    expect(
      desk.every(
        (c) =>
          c.status !== 'handled' &&
          c.status !== 'verified' &&
          c.status !== 'closed' &&
          c.status !== 'evaluated',
      ),
    ).toBe(true);
    // Most urgent first, as the unfiltered queue.
    const deadlines = desk.map((c) => c.deadlineAt ?? Infinity);
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));

    const checks = await inspector.trpc.cases.list.query({ actionable: true, sort: 'deadline', limit: 5000 });
    expect(ids(checks.items).has(handled.id)).toBe(true);
    expect(checks.items.every((c) => c.status === 'handled')).toBe(true);

    // Every listed case has a command for this user; the open cases left out have none.
    const all = (
      await dispatcher.trpc.cases.list.query({
        status: ['reported', 'registered', 'dispatched', 'accepted', 'handling', 'handled', 'verified'],
        limit: 5000,
      })
    ).items;
    const listed = ids(desk);
    for (const c of all) {
      const { commands } = await dispatcher.trpc.cases.allowed.query({ caseId: c.id });
      expect(
        commands.length > 0,
        `case ${c.id} (${c.status}) listed ${listed.has(c.id)} allowed [${commands.join(',')}]`,
      ).toBe(listed.has(c.id));
    }

    // The other filters still show everything in the jurisdiction.
    const handledAll = await dispatcher.trpc.cases.list.query({ status: ['handled'], limit: 5000 });
    expect(ids(handledAll.items).has(handled.id)).toBe(true);
    // A status filter narrows the actionable queue; a status no command of the post reaches gives nothing.
    expect(
      (
        await dispatcher.trpc.cases.list.query({ actionable: true, status: ['registered'], limit: 5000 })
      ).items.every((c) => c.status === 'registered'),
    ).toBe(true);
    expect(
      (await dispatcher.trpc.cases.list.query({ actionable: true, status: ['handled'], limit: 5000 })).items,
    ).toEqual([]);
    // A read-only wall acts on nothing.
    expect(await queue(wall)).toEqual([]);
  });

  it("keeps a parked case in the dispatcher's queue (解除挂账 is theirs) and fills a short page past cases it must skip", async () => {
    const w = server.services.roster[0]!;
    let c = await intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: w.homeLng,
      lat: w.homeLat,
      description: '挂账测试',
      source: 'hotline',
    });
    c = (
      await intake.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'register', tier: 'small', expectedVersion: 1 },
      })
    ).case;
    c = (
      await dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'park', reason: '等待施工', expectedVersion: c.version },
      })
    ).case;
    const desk = (await dispatcher.trpc.cases.list.query({ actionable: true, limit: 5000 })).items;
    expect(desk.some((x) => x.id === c.id && x.parkedAt !== null)).toBe(true);
    // Intake cannot touch a parked case.
    expect(
      (await intake.trpc.cases.list.query({ actionable: true, limit: 5000 })).items.some(
        (x) => x.id === c.id,
      ),
    ).toBe(false);
    // Small pages still come out full and in order (the service reads on past rows the rules drop).
    const one = await dispatcher.trpc.cases.list.query({ actionable: true, limit: 1 });
    expect(one.items).toHaveLength(1);
    const page2 = await dispatcher.trpc.cases.list.query({
      actionable: true,
      limit: 1,
      cursor: one.nextCursor!,
    });
    expect(page2.items[0]!.id).toBeLessThan(one.items[0]!.id);
  });

  it("holds a closed case for the shift lead's 评价 inside the evaluation window only", async () => {
    const w = server.services.roster[2]!;
    const svc = server.services.cases;
    const root = server.services.boundary().units.find((u) => u.level === 'city')!.id;
    const desk = (post: CommandActor['posts'][number]): CommandActor => ({
      userId: null,
      workerId: null,
      posts: [post],
      unitId: root,
      unitLevel: 'city',
    });
    /** A case run round the loop to 结案 at `closeAt` (each step a minute apart before it). */
    const closedAt = async (closeAt: number) => {
      let at = closeAt - 10 * 60_000;
      const step = () => (at += 60_000);
      let c = await svc.report(
        { category: 'S0101', lng: w.homeLng, lat: w.homeLat, description: '评价期测试', source: 'hotline' },
        { userId: null, workerId: null },
        { at: step() },
      );
      const run = async (command: CaseCommandBody, actor: CommandActor) => {
        c = (
          await svc.command(c.id, { ...command, expectedVersion: c.version } as CaseCommand, actor, {
            at: step(),
          })
        ).case;
      };
      await run({ type: 'register', tier: 'small' }, desk('intake'));
      await run({ type: 'dispatch', workerId: w.id, department: null }, desk('dispatcher'));
      await run({ type: 'accept' }, workerActor(w.id));
      await run({ type: 'start' }, workerActor(w.id));
      await run({ type: 'feedback', onSite: true, note: '', photos: ['/api/photos/1'] }, workerActor(w.id));
      await run({ type: 'verify', passed: true, note: '' }, desk('inspector'));
      c = (
        await svc.command(c.id, { type: 'close', expectedVersion: c.version }, desk('shift-lead'), {
          at: closeAt,
        })
      ).case;
      return c;
    };
    const now = Date.now();
    const recent = await closedAt(now - 3_600_000);
    const old = await closedAt(now - (EVALUATION_WINDOW_HOURS + 1) * 3_600_000);
    const shiftlead = await signedIn(server.url, 'shiftlead', 'shift123');
    const queue = (await shiftlead.trpc.cases.list.query({ actionable: true, sort: 'deadline', limit: 5000 }))
      .items;
    expect(queue.some((c) => c.id === recent.id)).toBe(true);
    expect(queue.some((c) => c.id === old.id)).toBe(false);
    expect(
      queue
        .filter((c) => c.status === 'closed')
        .every((c) => c.closedAt! >= now - EVALUATION_WINDOW_HOURS * 3_600_000),
    ).toBe(true);
    expect((await shiftlead.trpc.cases.allowed.query({ caseId: recent.id })).commands).toEqual(['evaluate']);
    expect((await shiftlead.trpc.cases.allowed.query({ caseId: old.id })).commands).toEqual([]);
    const late = await failure(
      shiftlead.trpc.cases.command.mutate({
        caseId: old.id,
        command: { type: 'evaluate', rating: 'satisfied', note: '', expectedVersion: old.version },
      }),
    );
    expect(late.message).toContain('evaluation-closed');
    const rated = await shiftlead.trpc.cases.command.mutate({
      caseId: recent.id,
      command: { type: 'evaluate', rating: 'satisfied', note: '回访满意', expectedVersion: recent.version },
    });
    expect(rated.case.status).toBe('evaluated');
  });

  it('names who did each step in the case detail (users by display name, workers by name, the system as null)', async () => {
    const w = server.services.roster[1]!;
    let c = await intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: w.homeLng,
      lat: w.homeLat,
      description: '时间线署名测试',
      source: 'hotline',
    });
    c = (
      await intake.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'register', tier: 'small', expectedVersion: 1 },
      })
    ).case;
    c = (
      await dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: {
          type: 'dispatch',
          workerId: w.id,
          department: null,
          expectedVersion: c.version,
        },
      })
    ).case;
    c = (
      await server.services.cases.command(
        c.id,
        { type: 'accept', expectedVersion: c.version },
        workerActor(w.id),
      )
    ).case;
    c = (
      await server.services.cases.command(
        c.id,
        { type: 'escalate', reason: '超期', expectedVersion: c.version },
        { userId: null, workerId: null, posts: ['system'], unitId: null, unitLevel: null },
      )
    ).case;
    // The inspector's desk has no worker roster: the names come with the case.
    const detail = await inspector.trpc.cases.get.query({ id: c.id });
    expect(detail.timeline.map((e) => [e.type, e.actorName])).toEqual([
      ['case.reported', '受理员'],
      ['case.registered', '受理员'],
      ['case.dispatched', '市指挥中心调度员'],
      ['case.accepted', w.name],
      ['case.escalated', null],
    ]);
    expect(detail.workers[w.id]).toBe(w.name);
    expect(detail.timeline.every((e) => !('passwordHash' in e))).toBe(true);
  });
});

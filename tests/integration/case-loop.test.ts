import { userId as uid, workerId as wid } from '@gcc/shared/testing';
import { parseStoredCaseEvent, replayCase, type WorkerId } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { CaseCommandError } from '../../server/src/cases/case-errors.ts';
import type { CommandActor } from '../../server/src/cases/case-access.ts';
import { overdueAlertsOf } from '../../server/src/cases/overdue-monitor.ts';
import { users } from '../../server/src/db/schema.ts';
import { failure, signedIn, type Client } from '../support/client.ts';
import { putWorkersOnDuty } from '../support/on-duty.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// The closed loop through the API on a real server: report → register → dispatch to the first
// recommendation → accept/start/feedback → verify → close → evaluate, with the rule table (posts,
// 属地, level), optimistic concurrency between desks, and the overdue timer. Grid workers act
// through their device, which has no tRPC session yet: their steps are direct CaseService calls
// with a grid-worker actor (the same path a device route would take).

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

const workerActor = (workerId: WorkerId): CommandActor => ({
  userId: null,
  workerId,
  posts: ['grid-worker'],
  unitId: null,
  unitLevel: 'grid',
});

describe.each(kinds)('case loop on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const login = (username: string, password: string) => signedIn(server.url, username, password);
  let intake: Client;
  let dispatcher: Client;
  let inspector: Client;
  let shiftLead: Client;
  let site: [number, number];

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    [intake, dispatcher, inspector, shiftLead] = await Promise.all([
      login('intake', 'intake123'),
      login('dispatcher', 'dispatch123'),
      login('inspector', 'inspect123'),
      login('shiftlead', 'shift123'),
    ]);
    // The simulator is off: put every worker on duty at home, as their devices would report.
    site = putWorkersOnDuty(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const report = (description: string, at: [number, number] = site) =>
    intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: at[0],
      lat: at[1],
      description,
      source: 'hotline',
    });

  it('runs the closed loop: report → register → dispatch to the first recommendation → handle → verify → close → evaluate', async () => {
    const c = await report('府山路暴露垃圾');
    expect(c).toMatchObject({ status: 'reported', version: 1 });
    expect(c.deadlineAt).toBeGreaterThan(c.reportedAt);
    const dup = await report('府山路暴露垃圾（重复来电）');
    expect((await intake.trpc.cases.allowed.query({ caseId: c.id })).commands).toEqual([
      'register',
      'reject',
    ]);
    expect((await dispatcher.trpc.cases.allowed.query({ caseId: c.id })).commands).toEqual(['merge']);
    // The dispatcher merges the duplicate call into the case: they share one loop and close together.
    const merged = await dispatcher.trpc.cases.merge.mutate({
      duplicateId: dup.id,
      primaryId: c.id,
      duplicateVersion: 1,
      primaryVersion: 1,
    });
    expect(merged.duplicate).toMatchObject({ status: 'merged', mergedInto: c.id });

    let v = merged.primary.version;
    const reg = await intake.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'register', tier: 'small', expectedVersion: v },
    });
    expect(reg.case).toMatchObject({ status: 'registered', level: 'community', version: v + 1 });
    v = reg.case.version;

    const rec = await dispatcher.trpc.dispatch.recommend.query({ caseId: c.id });
    expect(rec.workers).toHaveLength(5);
    const first = rec.workers[0]!;
    const sent = await dispatcher.trpc.cases.command.mutate({
      caseId: c.id,
      command: {
        type: 'dispatch',
        workerId: first.workerId,
        department: null,
        expectedVersion: v,
      },
    });
    expect(sent.case).toMatchObject({ status: 'dispatched', assigneeId: first.workerId, version: v + 1 });
    v = sent.case.version;

    // Only the assignee works the case.
    const other = rec.workers[1]!.workerId;
    await expect(
      server.services.cases.command(c.id, { type: 'accept', expectedVersion: v }, workerActor(other)),
    ).rejects.toMatchObject({ reason: 'not-assignee' });
    const cases = server.services.cases;
    v = (await cases.command(c.id, { type: 'accept', expectedVersion: v }, workerActor(first.workerId))).case
      .version;
    v = (await cases.command(c.id, { type: 'start', expectedVersion: v }, workerActor(first.workerId))).case
      .version;
    await expect(
      cases.command(
        c.id,
        { type: 'feedback', onSite: true, note: '', photos: [], expectedVersion: v },
        workerActor(first.workerId),
      ),
    ).rejects.toMatchObject({ reason: 'photo-required' });
    const handled = await cases.command(
      c.id,
      { type: 'feedback', onSite: true, note: '已清运', photos: ['photos/after-1.jpg'], expectedVersion: v },
      workerActor(first.workerId),
    );
    expect(handled.case.status).toBe('handled');
    v = handled.case.version;

    // The supervising side verifies, not the dispatcher (GB/T 30428 keeps them apart).
    const refused = await failure(
      dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'verify', passed: true, note: '', expectedVersion: v },
      }),
    );
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('post-not-allowed');
    expect((await inspector.trpc.cases.allowed.query({ caseId: c.id })).commands).toEqual(['verify']);
    v = (
      await inspector.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'verify', passed: true, note: '现场已清理', expectedVersion: v },
      })
    ).case.version;
    const closed = await shiftLead.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'close', expectedVersion: v },
    });
    expect(closed.case.status).toBe('closed');
    expect(closed.case.closedAt).not.toBeNull();
    expect(closed.case.deadlineAt).toBeNull();
    expect(closed.events.map((e) => [e.type, e.caseId])).toEqual([
      ['case.closed', c.id],
      ['case.closed', dup.id],
    ]);
    v = closed.case.version;
    const done = await shiftLead.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'evaluate', rating: 'satisfied', note: '', expectedVersion: v },
    });
    expect(done.case.status).toBe('evaluated');

    // The stored timeline is the engine's: it replays to the stored state.
    const { case: stored, timeline } = await dispatcher.trpc.cases.get.query({ id: c.id });
    expect(timeline.map((e) => e.type)).toEqual([
      'case.reported',
      'case.duplicateAttached',
      'case.registered',
      'case.dispatched',
      'case.accepted',
      'case.started',
      'case.handled',
      'case.verified',
      'case.closed',
      'case.evaluated',
    ]);
    const replayed = replayCase(
      timeline.map((e) => {
        const p = parseStoredCaseEvent(c.id, e);
        if (!p.success) throw p.error;
        return p.data;
      }),
    );
    expect({ status: replayed.status, version: replayed.version, assigneeId: replayed.assigneeId }).toEqual({
      status: stored.status,
      version: stored.version,
      assigneeId: stored.assigneeId,
    });
    expect((await dispatcher.trpc.cases.get.query({ id: dup.id })).case.status).toBe('closed');
  });

  it('recommends five ranked workers with reasons, ETAs and routes for a case', async () => {
    const c = await report('井盖缺失');
    const rec = await dispatcher.trpc.dispatch.recommend.query({ caseId: c.id });
    expect(rec.workers).toHaveLength(5);
    expect(rec.workers[0]!.reason.inGrid).toBe(true);
    expect(rec.workers[0]!.homeGridId).toBe(c.gridId);
    for (const [k, w] of rec.workers.entries()) {
      expect(w.reason.codes.length).toBeGreaterThan(0);
      expect(w.eta.etaS).toBeGreaterThanOrEqual(0);
      expect(w.eta.path.length).toBeGreaterThanOrEqual(2);
      expect(w.eta.path.at(-1)).toEqual([c.lng, c.lat]);
      const prev = rec.workers[k - 1];
      if (prev) expect(prev.tier < w.tier || (prev.tier === w.tier && prev.score <= w.score)).toBe(true);
    }
    const surge = await dispatcher.trpc.dispatch.recommend.query({ caseId: c.id, surge: true });
    expect(surge.surge).toBe(true);
    expect(surge.workers).toHaveLength(5);
  });

  it('assigns a selection in bulk, each case to a recommended worker with the version read', async () => {
    const picked = [];
    for (const d of ['绿化带垃圾', '路灯损坏']) {
      const c = await report(d);
      await intake.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'register', tier: 'small', expectedVersion: 1 },
      });
      picked.push(c.id);
    }
    const { results } = await dispatcher.trpc.dispatch.assignBulk.mutate({ caseIds: [...picked, 999_999] });
    expect(
      results
        .filter((r) => r.ok)
        .map((r) => r.caseId)
        .sort(),
    ).toEqual([...picked].sort());
    expect(results.find((r) => r.caseId === 999_999)).toMatchObject({ ok: false, reason: 'not-open' });
    for (const id of picked) {
      const { case: c } = await dispatcher.trpc.cases.get.query({ id });
      expect(c).toMatchObject({
        status: 'dispatched',
        assigneeId: results.find((r) => r.caseId === id)!.workerId,
        version: 3,
      });
    }
  });

  it('refuses a stale expectedVersion and changes nothing: of two desks dispatching the same case, exactly one wins', async () => {
    await server.services.database.db.insert(users).values({
      username: 'second-desk',
      displayName: '第二调度席',
      role: 'dispatcher',
      unitId: server.services.boundary().units.find((u) => u.parentId === null)!.id,
      passwordHash: await hashPassword('desk123'),
      createdAt: Date.now(),
    });
    const second = await login('second-desk', 'desk123');
    const c = await report('占道经营');
    const reg = await intake.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'register', tier: 'small', expectedVersion: 1 },
    });
    const rec = await dispatcher.trpc.dispatch.recommend.query({ caseId: c.id });
    const v = reg.case.version;
    const [a, b] = await Promise.allSettled([
      dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: {
          type: 'dispatch',
          workerId: rec.workers[0]!.workerId,
          department: null,
          expectedVersion: v,
        },
      }),
      second.trpc.cases.command.mutate({
        caseId: c.id,
        command: {
          type: 'dispatch',
          workerId: rec.workers[1]!.workerId,
          department: null,
          expectedVersion: v,
        },
      }),
    ]);
    expect([a, b].filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = (a.status === 'rejected' ? a : b) as PromiseRejectedResult;
    const f = await failure(Promise.reject(lost.reason));
    expect(f.code).toBe('CONFLICT');
    expect(f.message).toContain('stale-version');
    expect(f.message).toMatch(/^案件已被他人更新/);
    const { case: after, timeline } = await dispatcher.trpc.cases.get.query({ id: c.id });
    expect(after.version).toBe(v + 1);
    expect(timeline.filter((e) => e.type === 'case.dispatched')).toHaveLength(1);
    // A retry with the old version is refused too and appends nothing.
    expect(
      (
        await failure(
          second.trpc.cases.command.mutate({
            caseId: c.id,
            command: { type: 'park', reason: '等待', expectedVersion: v },
          }),
        )
      ).code,
    ).toBe('CONFLICT');
    expect((await dispatcher.trpc.cases.get.query({ id: c.id })).timeline).toHaveLength(timeline.length);
  });

  it('refuses commands outside the jurisdiction (属地) and above the desk level', async () => {
    const b = server.services.boundary();
    const gridId = b.index.locate(site[0], site[1])!;
    const street = b.unitById.get(b.unitById.get(b.gridById.get(gridId)!.communityId)!.parentId!)!;
    expect(street.level).toBe('street');
    await server.services.database.db.insert(users).values({
      username: 'street-desk',
      displayName: '街道调度员',
      role: 'dispatcher',
      unitId: street.id,
      passwordHash: await hashPassword('street123'),
      createdAt: Date.now(),
    });
    const desk = await login('street-desk', 'street123');
    const foreignWorker = server.services.roster.find((w) => !b.gridInUnit(w.gridId, street.id))!;
    const foreign = await report('辖区外案件', [foreignWorker.homeLng, foreignWorker.homeLat]);
    await intake.trpc.cases.command.mutate({
      caseId: foreign.id,
      command: { type: 'register', tier: 'small', expectedVersion: 1 },
    });
    // Through the API the other street's case does not exist for this desk …
    expect(
      (
        await failure(
          desk.trpc.cases.command.mutate({
            caseId: foreign.id,
            command: { type: 'park', reason: '越权', expectedVersion: 2 },
          }),
        )
      ).code,
    ).toBe('NOT_FOUND');
    // … and the rule table refuses it too.
    const streetActor: CommandActor = {
      userId: uid(1),
      workerId: null,
      posts: ['dispatcher'],
      unitId: street.id,
      unitLevel: 'street',
    };
    const err = await server.services.cases
      .command(foreign.id, { type: 'park', reason: '越权', expectedVersion: 2 }, streetActor)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaseCommandError);
    expect((err as CaseCommandError).reason).toBe('outside-jurisdiction');
    expect((await dispatcher.trpc.cases.get.query({ id: foreign.id })).case.version).toBe(2);

    // A dispatch names a real worker this desk commands: never nobody, never another street's.
    const mine = await report('派遣对象校验');
    const listed = await intake.trpc.cases.command.mutate({
      caseId: mine.id,
      command: { type: 'register', tier: 'small', expectedVersion: 1 },
    });
    // … and one on duty: a worker whose phone said 下岗 would never see the case.
    const offWorker = server.services.roster.find((w) => b.gridInUnit(w.gridId, street.id))!;
    server.services.fieldDuty.say(offWorker.id, 'off');
    for (const [workerId, reason] of [
      [foreignWorker.id, 'worker-outside-jurisdiction'],
      [wid(4_999_999), 'unknown-worker'],
      [offWorker.id, 'worker-off-duty'],
    ] as const) {
      const refused = await failure(
        desk.trpc.cases.command.mutate({
          caseId: mine.id,
          command: { type: 'dispatch', workerId, department: null, expectedVersion: listed.case.version },
        }),
      );
      expect(refused.code, reason).toBe('BAD_REQUEST');
      expect(refused.message).toContain(reason);
    }
    expect((await desk.trpc.cases.get.query({ id: mine.id })).case.status).toBe('registered');
    // 上岗 again: the same dispatch goes through.
    server.services.fieldDuty.say(offWorker.id, 'on');
    const sent = await desk.trpc.cases.command.mutate({
      caseId: mine.id,
      command: {
        type: 'dispatch',
        workerId: offWorker.id,
        department: null,
        expectedVersion: listed.case.version,
      },
    });
    expect(sent.case.status).toBe('dispatched');

    // In its own street: a case escalated to the district is no longer this desk's to dispatch.
    const own = await report('大事领办');
    const reg = await intake.trpc.cases.command.mutate({
      caseId: own.id,
      command: { type: 'register', tier: 'large', expectedVersion: 1 },
    });
    expect(reg.case.level).toBe('street');
    const up = await desk.trpc.cases.command.mutate({
      caseId: own.id,
      command: { type: 'escalate', reason: '需区级部门处置', expectedVersion: 2 },
    });
    expect(up.case.level).toBe('district');
    const w = server.services.roster.find((r) => r.gridId === gridId)!;
    const f = await failure(
      desk.trpc.cases.command.mutate({
        caseId: own.id,
        command: { type: 'dispatch', workerId: w.id, department: null, expectedVersion: 3 },
      }),
    );
    expect(f.code).toBe('FORBIDDEN');
    expect(f.message).toContain('level-too-low');
    expect((await desk.trpc.cases.allowed.query({ caseId: own.id })).commands).toEqual([]);
  });

  it('raises one overdue alert (超期督办) and escalates after the grace', async () => {
    const c = await report('超期案件');
    const reg = await intake.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'register', tier: 'small', expectedVersion: 1 },
    });
    const deadline = reg.case.deadlineAt!;
    expect(deadline).toBeGreaterThan(reg.case.updatedAt);
    const monitor = server.overdue;
    const { db } = server.services.database;
    const open = () => overdueAlertsOf(db, c.id);
    await monitor.tick(deadline - 1);
    expect(await open()).toHaveLength(0);
    await monitor.tick(deadline + 1);
    await monitor.tick(deadline + 2);
    const raised = await open();
    expect(raised).toHaveLength(1);
    expect(raised[0]!.resolvedAt).toBeNull();
    const head = await dispatcher.trpc.cases.get.query({ id: c.id });
    expect(head.case.version).toBe(2); // not escalated within the grace
    // Far past the grace (working time): the system escalates one level; the alert is resolved.
    const later = deadline + 7 * 24 * 3600_000;
    for (let k = 0; k < 20 && (await dispatcher.trpc.cases.get.query({ id: c.id })).case.version === 2; k++)
      await monitor.tick(later);
    const { case: after, timeline } = await dispatcher.trpc.cases.get.query({ id: c.id });
    expect(after).toMatchObject({ status: 'registered', level: 'street', version: 3 });
    expect(timeline.at(-1)).toMatchObject({
      type: 'case.escalated',
      userId: null,
      payload: { auto: true, from: 'community', to: 'street' },
    });
    expect(after.deadlineAt).toBeGreaterThan(later);
    const settled = await open();
    expect(settled).toHaveLength(1);
    expect(settled[0]!.resolvedAt).toBe(later);
    const alertEvents = (await server.services.eventLog.readAfter(0, 100_000))
      .filter((e) => e.kind === 'alert' && e.caseId === c.id)
      .map((e) => e.type);
    expect(alertEvents).toEqual(['alert.raised', 'alert.resolved']);
  });
});

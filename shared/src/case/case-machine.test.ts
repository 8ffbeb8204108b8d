import { caseId, gridId, userId, workerId } from '../testing/ids.ts';
import { describe, expect, it } from 'vitest';
import type { WorkerId } from '../ids.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { CaseEventSchema, type CaseEvent } from './case-event.schema.ts';
import { legalCommands } from './case-rules.ts';
import {
  applyCaseEvent,
  decideCaseCommand,
  decideCloseWithPrimary,
  decideMerge,
  decideMicroReport,
  decideReport,
  EVALUATION_WINDOW_HOURS,
  replayCase,
  type CaseActorContext,
  type CaseCommandBody,
  type CaseState,
  type WorkerStanding,
} from './case-machine.ts';

const W = workerId(5);
const W2 = workerId(6);
const INSPECTOR: CaseActorContext = { userId: userId(30), workerId: workerId(40) };
const DESK: CaseActorContext = { userId: userId(1), workerId: null };
const worker = (w: WorkerId): CaseActorContext => ({ userId: null, workerId: w });
const dept = (d: string): CaseActorContext => ({ userId: userId(50), workerId: null, department: d });
const report = {
  caseId: caseId(1),
  source: 'patrol' as const,
  category: 'S0101',
  gridId: gridId(1),
  lng: 118.9,
  lat: 28.9,
  description: '暴露垃圾',
};

/** A case's timeline kept next to its state, so every test also checks replay and the schema. */
class Case {
  events: CaseEvent[] = [];
  state: CaseState;
  at = 1_000;
  constructor(micro = false) {
    const d = micro
      ? decideMicroReport(report, { photos: ['p/1.jpg'], note: '已清理' }, { at: this.at, actor: worker(W) })
      : decideReport(report, { at: this.at, actor: DESK });
    if (!d.ok) throw new Error(d.reason);
    this.events.push(d.event);
    this.state = replayCase(this.events);
  }
  try(body: CaseCommandBody, actor: CaseActorContext = DESK) {
    this.at += 60_000;
    return decideCaseCommand(
      this.state,
      { ...body, expectedVersion: this.state.version },
      {
        at: this.at,
        actor,
      },
    );
  }
  do(body: CaseCommandBody, actor: CaseActorContext = DESK): this {
    const d = this.try(body, actor);
    if (!d.ok) throw new Error(`${body.type}: ${d.reason}`);
    this.push(d.event);
    return this;
  }
  push(e: CaseEvent): void {
    expect(CaseEventSchema.parse(e)).toEqual(e);
    this.events.push(e);
    this.state = applyCaseEvent(this.state, e);
    expect(replayCase(this.events)).toEqual(this.state);
  }
}

const handleAs = (c: Case, a: CaseActorContext) =>
  c
    .do({ type: 'accept' }, a)
    .do({ type: 'start' }, a)
    .do({ type: 'feedback', onSite: true, note: '已清运', photos: ['p/2.jpg'] }, a);

describe('case state machine', () => {
  it('runs the closed loop with one rework, counting versions', () => {
    const c = new Case()
      .do({ type: 'register', tier: 'small' })
      .do({ type: 'dispatch', workerId: W, department: null });
    handleAs(c, worker(W)).do({ type: 'verify', passed: false, note: '仍有残留' }, INSPECTOR);
    expect(c.state).toMatchObject({ status: 'dispatched', reworkCount: 1, level: 'community' });
    handleAs(c, worker(W))
      .do({ type: 'verify', passed: true, note: '' }, INSPECTOR)
      .do({ type: 'close' })
      .do({ type: 'evaluate', rating: 'satisfied', note: '' });
    expect(c.state).toMatchObject({
      status: 'evaluated',
      reworkCount: 1,
      version: c.events.length,
      evaluation: 'satisfied',
    });
  });

  it('评价 is open for the evaluation window after 结案, then refused and no longer offered', () => {
    const closedCase = () => {
      const c = new Case()
        .do({ type: 'register', tier: 'small' })
        .do({ type: 'dispatch', workerId: W, department: null });
      return handleAs(c, worker(W))
        .do({ type: 'verify', passed: true, note: '' }, INSPECTOR)
        .do({ type: 'close' });
    };
    const window = EVALUATION_WINDOW_HOURS * 3_600_000;
    const c = closedCase();
    const closedAt = c.at;
    expect(c.state.closedAt).toBe(closedAt);
    expect(legalCommands(c.state, closedAt + window)).toEqual(['evaluate']);
    c.at = closedAt + window - 60_000;
    c.do({ type: 'evaluate', rating: 'basic', note: '' });
    const late = closedCase();
    late.at = late.state.closedAt! + window;
    expect(late.try({ type: 'evaluate', rating: 'satisfied', note: '' })).toMatchObject({
      ok: false,
      reason: 'evaluation-closed',
    });
    expect(legalCommands(late.state, late.at)).toEqual([]);
    // The refusal tells the desk how long the window is.
    expect(zhCN['refusal.evaluation-closed']).toContain(String(EVALUATION_WINDOW_HOURS));
  });

  it('refuses a stale version and an illegal transition with the reason', () => {
    const c = new Case();
    expect(
      decideCaseCommand(
        c.state,
        { type: 'register', tier: 'small', expectedVersion: 0 },
        { at: 2, actor: DESK },
      ),
    ).toMatchObject({ ok: false, reason: 'stale-version' });
    expect(c.try({ type: 'close' })).toEqual({
      ok: false,
      reason: 'illegal-transition',
      status: 'reported',
      command: 'close',
    });
  });

  it('lets only the assignee act, and needs photos for feedback', () => {
    const c = new Case()
      .do({ type: 'register', tier: 'small' })
      .do({ type: 'dispatch', workerId: W, department: null });
    expect(c.try({ type: 'accept' }, worker(W2))).toMatchObject({ ok: false, reason: 'not-assignee' });
    c.do({ type: 'accept' }, worker(W)).do({ type: 'start' }, worker(W));
    expect(c.try({ type: 'feedback', onSite: true, note: '', photos: [] }, worker(W))).toMatchObject({
      ok: false,
      reason: 'photo-required',
    });
    expect(c.try({ type: 'feedback', onSite: true, note: '', photos: ['  '] }, worker(W))).toMatchObject({
      ok: false,
      reason: 'photo-required',
    });
  });

  it('requires a reason to reject, return, park, escalate or whistle', () => {
    const c = new Case();
    expect(c.try({ type: 'reject', reason: '  ' })).toMatchObject({ ok: false, reason: 'empty-reason' });
    c.do({ type: 'register', tier: 'small' });
    for (const body of [
      { type: 'return', reason: '' },
      { type: 'park', reason: ' ' },
      { type: 'escalate', reason: '' },
      { type: 'whistle', departments: ['water'], reason: '' },
    ] as const) {
      expect(c.try(body)).toMatchObject({ ok: false, reason: 'empty-reason' });
    }
  });

  it('keeps the verifier apart from the handler (GB/T 30428)', () => {
    const c = new Case()
      .do({ type: 'register', tier: 'small' })
      .do({ type: 'dispatch', workerId: W, department: null });
    handleAs(c, worker(W));
    expect(c.try({ type: 'verify', passed: true, note: '' }, worker(W))).toMatchObject({
      ok: false,
      reason: 'verifier-is-handler',
    });
    const micro = new Case(true);
    expect(micro.try({ type: 'verify', passed: true, note: '' }, worker(W))).toMatchObject({
      ok: false,
      reason: 'verifier-is-handler',
    });
  });

  it('handles a micro case in one step and still verifies it', () => {
    const c = new Case(true);
    expect(c.state).toMatchObject({
      status: 'handled',
      tier: 'micro',
      level: 'grid',
      assigneeId: W,
      onSite: true,
      photos: ['p/1.jpg'],
    });
    c.do({ type: 'verify', passed: true, note: '' }, INSPECTOR).do({ type: 'close' });
    expect(c.state.status).toBe('closed');
    expect(decideMicroReport(report, { photos: [], note: '' }, { at: 1, actor: worker(W) })).toMatchObject({
      ok: false,
      reason: 'photo-required',
    });
    expect(decideMicroReport(report, { photos: ['p'], note: '' }, { at: 1, actor: DESK })).toMatchObject({
      ok: false,
      reason: 'not-worker',
    });
  });

  it('freezes a parked case until it is unparked', () => {
    const c = new Case().do({ type: 'register', tier: 'small' }).do({ type: 'park', reason: '待资金落实' });
    expect(c.state.parkedAt).not.toBeNull();
    expect(c.try({ type: 'dispatch', workerId: W, department: null })).toMatchObject({
      ok: false,
      reason: 'parked',
    });
    c.do({ type: 'unpark' });
    expect(c.try({ type: 'unpark' })).toMatchObject({ ok: false, reason: 'not-parked' });
    c.do({ type: 'dispatch', workerId: W, department: null });
  });

  it('escalates one level at a time up to the city, back to the dispatch step', () => {
    const c = new Case()
      .do({ type: 'register', tier: 'small' })
      .do({ type: 'dispatch', workerId: W, department: null });
    const levels: string[] = [];
    for (let k = 0; k < 3; k++) {
      c.do({ type: 'escalate', reason: '需上级协调' });
      levels.push(c.state.level);
      expect(c.state).toMatchObject({ status: 'registered', assigneeId: null });
    }
    expect(levels).toEqual(['street', 'district', 'city']);
    expect(c.try({ type: 'escalate', reason: '再升级' })).toMatchObject({ ok: false, reason: 'top-level' });
    expect(c.state.escalationCount).toBe(3);
  });

  it('refuses a whistle or a dispatch naming a department outside the department table, and changes nothing', () => {
    const known = new Set(['water', 'gas']);
    const c = new Case().do({ type: 'register', tier: 'hard' });
    const v = c.state.version;
    const decide = (body: CaseCommandBody) =>
      decideCaseCommand(
        c.state,
        { ...body, expectedVersion: v },
        {
          at: 5_000_000,
          actor: DESK,
          departments: known,
        },
      );
    expect(decide({ type: 'whistle', departments: ['water', 'sewers'], reason: '路面塌陷' })).toMatchObject({
      ok: false,
      reason: 'unknown-department',
    });
    expect(decide({ type: 'dispatch', workerId: null, department: 'sewers' })).toMatchObject({
      ok: false,
      reason: 'unknown-department',
    });
    expect(c.state.calledDepartments).toEqual([]);
    const ok = decide({ type: 'whistle', departments: ['water', ' gas '], reason: '路面塌陷' });
    expect(ok).toMatchObject({ ok: true, event: { type: 'case.whistled', departments: ['water', 'gas'] } });
  });

  it('refuses a dispatch to a worker who does not exist, stands outside the desk’s jurisdiction or is off duty', () => {
    const c = new Case().do({ type: 'register', tier: 'small' });
    const standings: Record<number, WorkerStanding> = { 1: 'ok', 2: 'outside', 4: 'off-duty' };
    const standing = (id: WorkerId) => standings[id] ?? 'unknown';
    const decide = (workerId: WorkerId) =>
      decideCaseCommand(
        c.state,
        { type: 'dispatch', workerId, department: null, expectedVersion: c.state.version },
        { at: 5_000_000, actor: DESK, workerStanding: standing },
      );
    expect(decide(workerId(3))).toMatchObject({ ok: false, reason: 'unknown-worker' });
    expect(decide(workerId(2))).toMatchObject({ ok: false, reason: 'worker-outside-jurisdiction' });
    expect(decide(workerId(4))).toMatchObject({ ok: false, reason: 'worker-off-duty' });
    expect(decide(workerId(1))).toMatchObject({ ok: true, event: { type: 'case.dispatched', workerId: 1 } });
  });

  it('makes a dispatch of an assigned case an explicit 改派 naming the assignee, and never a second identical one', () => {
    const c = new Case()
      .do({ type: 'register', tier: 'small' })
      .do({ type: 'dispatch', workerId: W, department: null });
    // A desk that did not see the first dispatch sends none to replace: refused, nothing appended.
    expect(c.try({ type: 'dispatch', workerId: W, department: null })).toMatchObject({
      ok: false,
      reason: 'assignee-changed',
    });
    expect(c.try({ type: 'dispatch', workerId: W2, department: null, replaces: null })).toMatchObject({
      ok: false,
      reason: 'assignee-changed',
    });
    // Naming someone else than the assignee: the view is wrong too.
    expect(
      c.try({
        type: 'dispatch',
        workerId: W2,
        department: null,
        replaces: { workerId: W2, department: null },
      }),
    ).toMatchObject({ ok: false, reason: 'assignee-changed' });
    expect(
      c.try({ type: 'dispatch', workerId: W, department: null, replaces: { workerId: W, department: null } }),
    ).toMatchObject({ ok: false, reason: 'already-assignee' });
    c.do({ type: 'dispatch', workerId: W2, department: null, replaces: { workerId: W, department: null } });
    expect(c.state).toMatchObject({ status: 'dispatched', assigneeId: W2 });
    expect(c.events.at(-1)).toMatchObject({
      type: 'case.dispatched',
      workerId: W2,
      replaced: { workerId: W },
    });
    // Returned to the dispatcher, nobody has it: a 改派 view is stale, a first dispatch is right.
    c.do({ type: 'return', reason: '不属于本网格' }, worker(W2));
    expect(
      c.try({
        type: 'dispatch',
        workerId: W,
        department: null,
        replaces: { workerId: W2, department: null },
      }),
    ).toMatchObject({ ok: false, reason: 'assignee-changed' });
    expect(c.try({ type: 'dispatch', workerId: W, department: null })).toMatchObject({ ok: true });
    expect(zhCN['refusal.assignee-changed']).toMatch(/承办人已变化/);
  });

  it('needs a whistle before a hard case is dispatched, and every called department to report in before feedback', () => {
    const c = new Case().do({ type: 'register', tier: 'hard' });
    expect(c.state.level).toBe('district');
    expect(c.try({ type: 'dispatch', workerId: null, department: 'water' })).toMatchObject({
      ok: false,
      reason: 'whistle-required',
    });
    c.do({ type: 'whistle', departments: ['water', 'gas', 'water'], reason: '路面塌陷' });
    expect(c.state.pendingDepartments).toEqual(['water', 'gas']);
    expect(c.try({ type: 'whistle', departments: ['gas'], reason: '再次召集' })).toMatchObject({
      ok: false,
      reason: 'already-called',
    });
    expect(c.try({ type: 'checkIn', department: 'police' }, dept('police'))).toMatchObject({
      ok: false,
      reason: 'not-called',
    });
    // A department reports in for itself, not for another one that was called.
    expect(c.try({ type: 'checkIn', department: 'water' }, dept('gas'))).toMatchObject({
      ok: false,
      reason: 'not-called',
    });
    c.do({ type: 'checkIn', department: 'water' }, dept('water')).do({
      type: 'dispatch',
      workerId: null,
      department: 'water',
    });
    c.do({ type: 'accept' }, dept('water')).do({ type: 'start' }, dept('water'));
    expect(c.try({ type: 'feedback', onSite: false, note: '', photos: ['p'] }, dept('water'))).toMatchObject({
      ok: false,
      reason: 'departments-pending',
    });
    c.do({ type: 'checkIn', department: 'gas' }, dept('gas')).do(
      { type: 'feedback', onSite: false, note: '已修复', photos: ['p'] },
      dept('water'),
    );
    expect(c.try({ type: 'verify', passed: true, note: '' }, dept('water'))).toMatchObject({
      ok: false,
      reason: 'verifier-is-handler',
    });
    c.do({ type: 'verify', passed: true, note: '' }, INSPECTOR).do({ type: 'close' });
  });

  it('returns to the dispatcher or to intake, where the registration may be voided', () => {
    const c = new Case()
      .do({ type: 'register', tier: 'small' })
      .do({ type: 'dispatch', workerId: W, department: null });
    expect(c.try({ type: 'return', reason: '非本网格' }, worker(W2))).toMatchObject({
      ok: false,
      reason: 'not-assignee',
    });
    c.do({ type: 'return', reason: '非本网格事项' }, worker(W));
    expect(c.state).toMatchObject({ status: 'registered', assigneeId: null, returnCount: 1 });
    c.do({ type: 'return', reason: '不属于城管范围' }).do({ type: 'reject', reason: '不属于受理范围' });
    expect(c.state).toMatchObject({ status: 'rejected', returnCount: 2 });
  });

  it('merges a duplicate into a primary and closes them together', () => {
    const primary = new Case().do({ type: 'register', tier: 'small' });
    const dup = new Case();
    dup.events = dup.events.map((e) => ({ ...e, caseId: caseId(2) }));
    dup.state = replayCase(dup.events);
    expect(
      decideMerge(
        dup.state,
        primary.state,
        { duplicateVersion: dup.state.version, primaryVersion: 0 },
        { at: 5, actor: DESK },
      ),
    ).toMatchObject({ ok: false, reason: 'stale-version' });
    expect(
      decideMerge(
        primary.state,
        primary.state,
        { duplicateVersion: 2, primaryVersion: 2 },
        { at: 5, actor: DESK },
      ),
    ).toMatchObject({ ok: false, reason: 'same-case' });
    const m = decideMerge(
      dup.state,
      primary.state,
      { duplicateVersion: dup.state.version, primaryVersion: primary.state.version },
      { at: 5_000, actor: DESK },
    );
    if (!m.ok) throw new Error(m.reason);
    dup.push(m.duplicateEvent);
    primary.push(m.primaryEvent);
    expect(dup.state).toMatchObject({ status: 'merged', mergedInto: 1 });
    expect(primary.state.duplicates).toEqual([2]);
    expect(decideCloseWithPrimary(dup.state, primary.state, { at: 6_000 })).toMatchObject({
      ok: false,
      reason: 'primary-not-closed',
    });
    primary.do({ type: 'dispatch', workerId: W, department: null });
    handleAs(primary, worker(W))
      .do({ type: 'verify', passed: true, note: '' }, INSPECTOR)
      .do({ type: 'close' });
    const closed = decideCloseWithPrimary(dup.state, primary.state, { at: primary.at + 1 });
    if (!closed.ok) throw new Error(closed.reason);
    dup.push(closed.event);
    expect(dup.state.status).toBe('closed');
  });
});

describe('case event schema', () => {
  it('refuses a malformed event and reads a timeline written before issue #8', () => {
    const base = { caseId: 1, at: 1000, actor: { userId: null, workerId: null } };
    expect(CaseEventSchema.safeParse({ ...base, type: 'case.teleported' }).success).toBe(false);
    expect(CaseEventSchema.safeParse({ ...base, type: 'case.rejected', reason: '' }).success).toBe(false);
    expect(
      CaseEventSchema.safeParse({
        ...base,
        type: 'case.handled',
        workerId: 5,
        onSite: true,
        note: '',
        photos: [],
      }).success,
    ).toBe(false);
    expect(CaseEventSchema.parse({ ...base, type: 'case.dispatched', workerId: 5 })).toMatchObject({
      department: null,
    });
    expect(CaseEventSchema.parse({ ...base, type: 'case.closed' })).toMatchObject({ withPrimary: null });
  });
});

describe('case report input', () => {
  it('refuses NaN and infinite coordinates', async () => {
    const { CaseReportInputSchema } = await import('../domain/schemas.ts');
    const ok = { category: 'S0101', lng: 118.9, lat: 28.9, description: '暴露垃圾', source: 'hotline' };
    expect(CaseReportInputSchema.safeParse(ok).success).toBe(true);
    expect(CaseReportInputSchema.safeParse({ ...ok, lng: Number.NaN }).success).toBe(false);
    expect(CaseReportInputSchema.safeParse({ ...ok, lat: Number.POSITIVE_INFINITY }).success).toBe(false);
  });
});

import { caseId, gridId, userId, workerId } from '../testing/ids.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../category/categories.ts';
import { CASE_STATUSES, type CaseTier } from '../domain/schemas.ts';
import { CONTINUOUS_CALENDAR, DEFAULT_CALENDAR } from '../time/work-calendar.ts';
import { caseClock, CASE_STEPS, type CaseStep } from './case-deadline.ts';
import {
  CaseEventSchema,
  parseStoredCaseEvent,
  toStoredCaseEvent,
  type CaseEvent,
} from './case-event.schema.ts';
import {
  allowedCommands,
  applyCaseEvent,
  decideCaseCommand,
  decideCloseWithPrimary,
  decideMerge,
  decideMicroReport,
  decideReport,
  LEVEL_OF_TIER,
  levelRank,
  replayCase,
  type CaseActorContext,
  type CaseCommandBody,
  type CaseCommandType,
  type CaseState,
} from './case-machine.ts';
import { RULED_COMMANDS, type RuledCommand } from './case-rules.ts';

// Property tests of the engine: random command sequences (mostly commands the case allows, some
// not, some with a stale version, from random actors) never reach an invalid state; every
// timeline replays to the state the commands built; a step's deadline never moves backwards.

// Every command the engine knows: the rule table's list less the ones that are not case commands.
const NOT_CASE_COMMANDS: readonly RuledCommand[] = ['report', 'reportMicro', 'merge', 'closeWithPrimary'];
const ALL = RULED_COMMANDS.filter((c): c is CaseCommandType => !NOT_CASE_COMMANDS.includes(c));
const TIERS: readonly CaseTier[] = ['micro', 'small', 'large', 'hard'];
const DEPTS = ['water', 'gas', 'police'];
const WORKERS = [workerId(1), workerId(2), workerId(3)];
const ACTORS: readonly CaseActorContext[] = [
  { userId: userId(1), workerId: null },
  { userId: userId(2), workerId: workerId(9) },
  ...WORKERS.map((w) => ({ userId: null, workerId: w })),
  ...DEPTS.map((d, k) => ({ userId: userId(10 + k), workerId: null, department: d })),
];
const report = {
  caseId: caseId(1),
  source: 'patrol' as const,
  category: 'S0101',
  gridId: gridId(1),
  lng: 118.9,
  lat: 28.9,
  description: '暴露垃圾',
};

const stepArb = fc.record({
  pick: fc.nat(1000),
  variant: fc.nat(1000),
  actor: fc.nat(ACTORS.length - 1),
  stale: fc.nat(99),
  gapMin: fc.integer({ min: 1, max: 3 * 24 * 60 }),
});
type RunInput = {
  micro: boolean;
  start: number;
  steps: { pick: number; variant: number; actor: number; stale: number; gapMin: number }[];
};
const runArb: fc.Arbitrary<RunInput> = fc.record({
  micro: fc.boolean(),
  start: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) }),
  steps: fc.array(stepArb, { minLength: 5, maxLength: 40, size: 'max' }),
});

function body(type: CaseCommandType, v: number, s: CaseState): CaseCommandBody {
  const dept = DEPTS[v % DEPTS.length]!;
  switch (type) {
    case 'register':
      return { type, tier: TIERS[v % TIERS.length]! };
    case 'reject':
      return { type, reason: v % 7 === 0 ? ' ' : '不属于受理范围' };
    case 'dispatch':
      return v % 3 === 0
        ? { type, workerId: null, department: dept }
        : { type, workerId: WORKERS[v % WORKERS.length]!, department: null };
    case 'accept':
    case 'start':
    case 'close':
    case 'unpark':
      return { type };
    case 'feedback':
      return { type, onSite: v % 2 === 0, note: '', photos: v % 6 === 0 ? [] : ['p.jpg'] };
    case 'verify':
      return { type, passed: v % 3 !== 0, note: '' };
    case 'evaluate':
      return { type, rating: 'satisfied', note: '' };
    case 'return':
    case 'escalate':
    case 'park':
      return { type, reason: v % 9 === 0 ? '' : '原因' };
    case 'whistle':
      return { type, departments: [dept, DEPTS[(v >> 2) % DEPTS.length]!], reason: '联办' };
    case 'checkIn':
      return { type, department: s.pendingDepartments[v % Math.max(1, s.pendingDepartments.length)] ?? dept };
  }
}

/** The actor: usually the assignee for the assignee's commands, else a random one. */
function actorFor(type: CaseCommandType, s: CaseState, k: number, v: number): CaseActorContext {
  if (v % 4 !== 0) {
    if (['accept', 'start', 'feedback', 'return'].includes(type) && s.status !== 'registered') {
      const a = ACTORS.find((x) =>
        s.assigneeId !== null ? x.workerId === s.assigneeId : x.department === s.assigneeDepartment,
      );
      if (a) return a;
    }
    if (type === 'checkIn') return ACTORS.find((x) => x.department === s.pendingDepartments[0]) ?? ACTORS[k]!;
    if (type === 'verify') return ACTORS[1]!;
  }
  return ACTORS[k]!;
}

/** The command that moves the case along the closed loop, so runs reach the late steps. */
function forward(s: CaseState): CaseCommandType | undefined {
  if (s.parkedAt !== null) return 'unpark';
  if (s.pendingDepartments.length > 0 && s.status !== 'reported') return 'checkIn';
  if (s.status === 'registered' && s.tier === 'hard' && s.calledDepartments.length === 0) return 'whistle';
  const next: Partial<Record<CaseState['status'], CaseCommandType>> = {
    reported: 'register',
    registered: 'dispatch',
    dispatched: 'accept',
    accepted: 'start',
    handling: 'feedback',
    handled: 'verify',
    verified: 'close',
    closed: 'evaluate',
  };
  return next[s.status];
}

interface Run {
  events: CaseEvent[];
  state: CaseState;
}

function play(r: RunInput): Run {
  let at = r.start;
  const opened = r.micro
    ? decideMicroReport(report, { photos: ['p.jpg'], note: '' }, { at, actor: ACTORS[2]! })
    : decideReport(report, { at, actor: ACTORS[0]! });
  if (!opened.ok) throw new Error(opened.reason);
  const events = [opened.event];
  let state = replayCase(events);
  for (const st of r.steps) {
    at += st.gapMin * 60_000;
    const allowed = allowedCommands(state);
    const mode = st.variant % 5;
    const type =
      mode === 0 || allowed.length === 0
        ? ALL[st.pick % ALL.length]!
        : mode <= 2
          ? (forward(state) ?? allowed[0]!)
          : allowed[st.pick % allowed.length]!;
    const expectedVersion = st.stale < 4 ? state.version - 1 : state.version;
    const before = state;
    const d = decideCaseCommand(
      state,
      { ...body(type, st.variant, state), expectedVersion },
      {
        at,
        actor: actorFor(type, state, st.actor, st.variant),
      },
    );
    if (expectedVersion !== state.version) expect(d).toMatchObject({ ok: false, reason: 'stale-version' });
    // Illegal transitions are refused with the reason.
    else if (!allowed.includes(type))
      expect(d).toMatchObject({
        ok: false,
        reason: state.parkedAt !== null ? 'parked' : type === 'unpark' ? 'not-parked' : 'illegal-transition',
      });
    if (!d.ok) {
      expect(state).toBe(before);
      continue;
    }
    expect(CaseEventSchema.parse(d.event)).toEqual(d.event);
    const stored = JSON.parse(JSON.stringify(toStoredCaseEvent(d.event)));
    expect(parseStoredCaseEvent(state.id, stored)).toMatchObject({ success: true, data: d.event });
    if (d.event.type === 'case.verified' || d.event.type === 'case.reworked') {
      expect(d.event.actor.workerId === null || d.event.actor.workerId !== state.handledBy?.workerId).toBe(
        true,
      );
    }
    events.push(d.event);
    state = applyCaseEvent(state, d.event);
    checkInvariants(state, events.length);
  }
  return { events, state };
}

function checkInvariants(s: CaseState, n: number): void {
  expect(CASE_STATUSES).toContain(s.status);
  expect(s.version).toBe(n);
  const assignees = (s.assigneeId !== null ? 1 : 0) + (s.assigneeDepartment !== null ? 1 : 0);
  if (s.status === 'reported' || s.status === 'registered') expect(assignees).toBe(0);
  if (['dispatched', 'accepted', 'handling', 'handled', 'verified', 'closed', 'evaluated'].includes(s.status))
    expect(assignees).toBe(1);
  // Feedback always carries photos, and no department is still pending once handled.
  if (['handled', 'verified', 'closed', 'evaluated'].includes(s.status)) {
    expect(s.photos.length).toBeGreaterThan(0);
    expect(s.handledBy).not.toBeNull();
    expect(s.pendingDepartments).toEqual([]);
  }
  expect(new Set(s.calledDepartments).size).toBe(s.calledDepartments.length);
  for (const d of s.pendingDepartments) expect(s.calledDepartments).toContain(d);
  if (s.parkedAt !== null) expect(['registered', 'dispatched', 'accepted', 'handling']).toContain(s.status);
  if (s.tier === 'hard' && ['dispatched', 'accepted', 'handling'].includes(s.status))
    expect(s.calledDepartments.length).toBeGreaterThan(0);
  if (!['reported', 'rejected'].includes(s.status))
    expect(levelRank(s.level)).toBeGreaterThanOrEqual(levelRank(LEVEL_OF_TIER[s.tier]));
  expect(s.escalationCount).toBeLessThanOrEqual(4);
  if (s.status === 'rejected' || s.status === 'evaluated') expect(allowedCommands(s)).toEqual([]);
}

describe('case engine properties', () => {
  it('no sequence of commands reaches an invalid state, and every timeline replays to the state', () => {
    fc.assert(
      fc.property(runArb, (r) => {
        const { events, state } = play(r);
        expect(replayCase(events)).toEqual(state);
        // The stored form (JSON) replays the same.
        expect(
          replayCase(JSON.parse(JSON.stringify(events)).map((e: unknown) => CaseEventSchema.parse(e))),
        ).toEqual(state);
      }),
      { numRuns: 200 },
    );
  });

  it("a step's deadline never moves backwards", () => {
    fc.assert(
      fc.property(runArb, fc.nat(CATEGORIES.length - 1), fc.boolean(), (r, k, continuous) => {
        const { events } = play(r);
        const limits = CATEGORIES[k]!.limits;
        const cal = continuous ? CONTINUOUS_CALENDAR : DEFAULT_CALENDAR;
        const last = new Map<CaseStep, number>();
        for (let n = 1; n <= events.length; n++) {
          const clock = caseClock(events.slice(0, n), limits, cal);
          if (clock.step === null || clock.deadlineAt === null) continue;
          expect(CASE_STEPS).toContain(clock.step);
          expect(clock.deadlineAt).toBeGreaterThan(clock.stepStartedAt!);
          expect(clock.deadlineAt).toBeGreaterThanOrEqual(last.get(clock.step) ?? -Infinity);
          last.set(clock.step, clock.deadlineAt);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('merged cases', () => {
  it('share their primary and close with it', () => {
    const op = fc.record({
      kind: fc.constantFrom('forward', 'merge', 'cascade'),
      i: fc.nat(2),
      j: fc.nat(2),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 40 }), (ops) => {
        let at = Date.UTC(2026, 2, 2);
        const timelines: CaseEvent[][] = [0, 1, 2].map((k) => {
          const d = decideReport({ ...report, caseId: caseId(k + 1) }, { at, actor: ACTORS[0]! });
          if (!d.ok) throw new Error(d.reason);
          return [d.event];
        });
        const states = timelines.map((t) => replayCase(t));
        const push = (k: number, e: CaseEvent) => {
          expect(CaseEventSchema.parse(e)).toEqual(e);
          timelines[k]!.push(e);
          states[k] = applyCaseEvent(states[k]!, e);
        };
        const cascade = () => {
          for (let k = 0; k < 3; k++) {
            const s = states[k]!;
            if (s.status !== 'merged') continue;
            const p = states[s.mergedInto! - 1]!;
            const d = decideCloseWithPrimary(s, p, { at });
            if (d.ok) push(k, d.event);
            else expect(['closed', 'evaluated']).not.toContain(p.status);
          }
        };
        for (const o of ops) {
          at += 10 * 60_000;
          if (o.kind === 'merge') {
            const d = decideMerge(
              states[o.i]!,
              states[o.j]!,
              { duplicateVersion: states[o.i]!.version, primaryVersion: states[o.j]!.version },
              { at, actor: ACTORS[0]! },
            );
            if (d.ok) {
              push(o.i, d.duplicateEvent);
              push(o.j, d.primaryEvent);
            }
          } else if (o.kind === 'cascade') {
            cascade();
          } else {
            const s = states[o.i]!;
            const type = forward(s);
            if (!type) continue;
            const d = decideCaseCommand(
              s,
              { ...body(type, 1, s), expectedVersion: s.version },
              {
                at,
                actor: actorFor(type, s, 0, 1),
              },
            );
            if (d.ok) push(o.i, d.event);
          }
        }
        // Cascading until nothing changes closes every duplicate of a closed primary, chains included.
        for (let k = 0; k < 3; k++) cascade();
        states.forEach((s, k) => {
          expect(replayCase(timelines[k]!)).toEqual(s);
          if (s.mergedInto !== null) {
            expect(s.mergedInto).not.toBe(s.id);
            expect(states[s.mergedInto - 1]!.duplicates).toContain(s.id);
            const p = states[s.mergedInto - 1]!;
            if (p.status === 'closed' || p.status === 'evaluated') expect(s.status).toBe('closed');
            else expect(s.status).toBe('merged');
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

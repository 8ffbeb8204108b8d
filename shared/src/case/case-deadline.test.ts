import { caseId, gridId, userId, workerId } from '../testing/ids.ts';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, findCategory } from '../category/categories.ts';
import { applyCategoryOverrides } from '../category/category-override.schema.ts';
import { CONTINUOUS_CALENDAR, DEFAULT_CALENDAR } from '../time/work-calendar.ts';
import { calendarForCategory, caseClock, checkOverdue, isOverdue } from './case-deadline.ts';
import { CaseEventSchema, recordedTerms, type CaseEvent } from './case-event.schema.ts';
import { decideReport, replayCase } from './case-machine.ts';

const cst = (iso: string) => Date.parse(`${iso}+08:00`);
const actor = { userId: userId(1), workerId: null };
const w = workerId(5);
const ev = (at: string, e: Record<string, unknown>) =>
  ({ caseId: caseId(1), at: cst(at), actor, ...e }) as CaseEvent;
const reported = (at: string, category = 'S0101') =>
  ev(at, {
    type: 'case.reported',
    source: 'patrol',
    category,
    gridId: gridId(1),
    lng: 118.9,
    lat: 28.9,
    description: '',
  });

// Exposed rubbish 暴露垃圾: yellow, handled within 4 working hours of dispatch.
const rubbish = findCategory('S0101')!;

describe('case deadlines', () => {
  it('counts the handling limit in working hours from dispatch', () => {
    expect(rubbish.limits.handle).toBe(4);
    const events = [
      reported('2026-03-02T15:40:00'),
      ev('2026-03-02T15:50:00', { type: 'case.registered', tier: 'small' }),
      ev('2026-03-02T16:00:00', { type: 'case.dispatched', workerId: w, department: null }),
    ];
    // Monday 16:00–17:30 is 1.5 h; the other 2.5 h run Tuesday 08:30–11:00.
    expect(caseClock(events, rubbish.limits, DEFAULT_CALENDAR)).toMatchObject({
      step: 'handle',
      stepStartedAt: cst('2026-03-02T16:00:00'),
      deadlineAt: cst('2026-03-03T11:00:00'),
    });
    // Intake's own limits: register within 0.5 working hours of the report (yellow).
    expect(caseClock(events.slice(0, 1), rubbish.limits, DEFAULT_CALENDAR).deadlineAt).toBe(
      cst('2026-03-02T16:10:00'),
    );
  });

  it('pauses the clock while parked and resumes with the rest of the limit', () => {
    const events = [
      reported('2026-03-02T15:40:00'),
      ev('2026-03-02T15:50:00', { type: 'case.registered', tier: 'small' }),
      ev('2026-03-02T16:00:00', { type: 'case.dispatched', workerId: w, department: null }),
      ev('2026-03-03T09:00:00', { type: 'case.parked', reason: '待协调' }),
    ];
    // Used by the park: 1.5 h Monday + 0.5 h Tuesday = 2 h; no deadline while parked.
    expect(caseClock(events, rubbish.limits, DEFAULT_CALENDAR)).toMatchObject({
      parked: true,
      deadlineAt: null,
      consumedMs: 2 * 3_600_000,
    });
    const resumed = [...events, ev('2026-03-04T14:00:00', { type: 'case.unparked' })];
    // The remaining 2 h from Wednesday 14:00.
    expect(caseClock(resumed, rubbish.limits, DEFAULT_CALENDAR)).toMatchObject({
      parked: false,
      deadlineAt: cst('2026-03-04T16:00:00'),
    });
  });

  it('keeps a step overdue when it is parked after its deadline', () => {
    const events = [
      reported('2026-03-02T15:40:00'),
      ev('2026-03-02T15:50:00', { type: 'case.registered', tier: 'small' }),
      ev('2026-03-02T16:00:00', { type: 'case.dispatched', workerId: w, department: null }),
      ev('2026-03-05T09:00:00', { type: 'case.parked', reason: '待协调' }),
      ev('2026-03-06T09:00:00', { type: 'case.unparked' }),
    ];
    expect(caseClock(events, rubbish.limits, DEFAULT_CALENDAR).deadlineAt).toBe(cst('2026-03-03T11:00:00'));
  });

  it('restarts the handling clock on rework, not on re-dispatch', () => {
    const base = [
      reported('2026-03-02T08:40:00'),
      ev('2026-03-02T08:50:00', { type: 'case.registered', tier: 'small' }),
      ev('2026-03-02T09:00:00', { type: 'case.dispatched', workerId: w, department: null }),
    ];
    const redispatched = [
      ...base,
      ev('2026-03-02T10:00:00', { type: 'case.dispatched', workerId: workerId(6), department: null }),
    ];
    expect(caseClock(redispatched, rubbish.limits, DEFAULT_CALENDAR).deadlineAt).toBe(
      cst('2026-03-02T14:30:00'),
    );
    const reworked = [
      ...base,
      ev('2026-03-02T10:00:00', { type: 'case.accepted', workerId: w, department: null }),
      ev('2026-03-02T10:30:00', { type: 'case.started', workerId: w, department: null }),
      ev('2026-03-02T11:00:00', {
        type: 'case.handled',
        workerId: w,
        department: null,
        onSite: true,
        note: '',
        photos: ['p'],
      }),
      ev('2026-03-02T11:30:00', { type: 'case.reworked', note: '' }),
    ];
    // 4 h from the rework at 11:30: 11:30–12:00 and 13:30–17:00.
    expect(caseClock(reworked, rubbish.limits, DEFAULT_CALENDAR)).toMatchObject({
      step: 'handle',
      deadlineAt: cst('2026-03-02T17:00:00'),
    });
  });

  it('runs red-urgency clocks around the clock', () => {
    const gas = findCategory('S0402')!;
    const cal = calendarForCategory(gas, DEFAULT_CALENDAR);
    expect(cal).toBe(CONTINUOUS_CALENDAR);
    expect(calendarForCategory(rubbish, DEFAULT_CALENDAR)).toBe(DEFAULT_CALENDAR);
    const events = [
      reported('2026-03-07T22:00:00', 'S0402'),
      ev('2026-03-07T22:05:00', { type: 'case.registered', tier: 'hard' }),
    ];
    // Saturday night: dispatch within 0.25 h.
    expect(caseClock(events, gas.limits, cal).deadlineAt).toBe(cst('2026-03-07T22:20:00'));
  });

  it('raises overdue at once and escalates after the grace, one level up', () => {
    const events = [
      reported('2026-03-02T08:40:00'),
      ev('2026-03-02T08:50:00', { type: 'case.registered', tier: 'small' }),
      ev('2026-03-02T09:00:00', { type: 'case.dispatched', workerId: w, department: null }),
    ];
    const state = replayCase(events);
    const clock = caseClock(events, rubbish.limits, DEFAULT_CALENDAR);
    expect(isOverdue(clock, cst('2026-03-02T14:30:00'))).toBe(false);
    const late = checkOverdue(state, clock, cst('2026-03-02T15:00:00'), DEFAULT_CALENDAR);
    expect(late).toMatchObject({ overdue: true, overdueSince: cst('2026-03-02T14:30:00'), escalate: null });
    // Default grace: 2 working hours after the deadline → 16:30.
    const due = checkOverdue(state, clock, cst('2026-03-02T16:30:00'), DEFAULT_CALENDAR);
    expect(due.escalate).toMatchObject({ type: 'escalate', auto: true, expectedVersion: 3 });
    expect(
      checkOverdue(state, clock, cst('2026-03-02T16:30:00'), DEFAULT_CALENDAR, { escalateAfterMs: null })
        .escalate,
    ).toBeNull();
    expect(
      checkOverdue({ ...state, level: 'city' }, clock, cst('2026-03-02T16:30:00'), DEFAULT_CALENDAR).escalate,
    ).toBeNull();
  });

  describe('terms recorded at report', () => {
    const edited = applyCategoryOverrides(CATEGORIES, [{ code: 'S0101', limits: { handle: 8 } }]);
    if (!edited.ok) throw new Error('override refused');
    const editedRubbish = edited.categories.find((c) => c.code === 'S0101')!;
    const report = (at: string, limits: typeof rubbish.limits) => {
      const opened = decideReport(
        {
          caseId: caseId(1),
          source: 'patrol',
          category: 'S0101',
          gridId: gridId(1),
          lng: 118.9,
          lat: 28.9,
          description: '',
          terms: { limits, calendarId: DEFAULT_CALENDAR.id },
        },
        { at: cst(at), actor },
      );
      if (!opened.ok) throw new Error('report refused');
      return opened.event;
    };
    const dispatched = (first: CaseEvent) => [
      first,
      ev('2026-03-02T09:10:00', { type: 'case.registered', tier: 'small' }),
      ev('2026-03-02T09:30:00', { type: 'case.dispatched', workerId: w, department: null }),
    ];

    it("an override after the report does not move the case's deadline", () => {
      const events = dispatched(report('2026-03-02T09:00:00', rubbish.limits));
      expect(recordedTerms(events)).toEqual({ limits: rubbish.limits, calendarId: 'cn-default' });
      // The table now says 8 h; the case still runs on the 4 h it was reported with.
      expect(caseClock(events, editedRubbish.limits, DEFAULT_CALENDAR).deadlineAt).toBe(
        cst('2026-03-02T15:00:00'),
      );
      expect(caseClock(events, rubbish.limits, DEFAULT_CALENDAR).deadlineAt).toBe(cst('2026-03-02T15:00:00'));
    });

    it('a case reported after the override gets the new limit', () => {
      const events = dispatched(report('2026-03-02T09:00:00', editedRubbish.limits));
      // 09:30–12:00 and 13:30–17:30 are 6.5 h; the last 1.5 h run Tuesday from 08:30.
      expect(caseClock(events, rubbish.limits, DEFAULT_CALENDAR).deadlineAt).toBe(cst('2026-03-03T10:00:00'));
    });

    it('a timeline from before the terms were recorded still parses and runs on the table', () => {
      const old = CaseEventSchema.parse({ ...reported('2026-03-02T09:00:00'), terms: undefined });
      expect(old.type === 'case.reported' && old.terms).toBeNull();
      const events = dispatched(old);
      expect(recordedTerms(events)).toBeNull();
      expect(caseClock(events, editedRubbish.limits, DEFAULT_CALENDAR).deadlineAt).toBe(
        cst('2026-03-03T10:00:00'),
      );
    });
  });
});

import { caseId, gridId, userId, workerId } from '../testing/ids.ts';
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from './case-event.schema.ts';
import {
  computeIndicators,
  emptyCounts,
  GROUP_BY,
  indicatorsOf,
  sortIndicatorRows,
} from './case-indicators.ts';
import { replayCase } from './case-machine.ts';

// A hand-computed week (2026-03-02 Mon … 03-06 Fri, CST, the default calendar). All cases are
// 暴露垃圾 S0101: handled within 4 working hours of dispatch (08:30–12:00, 13:30–17:30).
const cst = (iso: string) => Date.parse(`2026-03-${iso}+08:00`);
const MIN = 60_000;
const desk = { userId: userId(1), workerId: null };

function timeline(
  id: number,
  grid: number,
  steps: [string, string, Record<string, unknown>?][],
): CaseEvent[] {
  return steps.map(
    ([at, type, extra]) =>
      ({
        caseId: caseId(id),
        at: cst(at),
        actor: desk,
        type,
        ...(type === 'case.reported'
          ? {
              source: 'patrol',
              category: 'S0101',
              gridId: gridId(grid),
              lng: 118.9,
              lat: 28.9,
              description: '',
            }
          : {}),
        ...extra,
      }) as CaseEvent,
  );
}
const w = (n: number) => ({ workerId: workerId(n), department: null });
const fb = (n: number, onSite: boolean) => ({ ...w(n), onSite, note: '', photos: ['p'] });

const CASES: CaseEvent[][] = [
  // 1: on time (deadline 09:20 + 4 h = 14:50), on the spot, in the grid.
  timeline(1, 1, [
    ['02T09:00', 'case.reported'],
    ['02T09:10', 'case.registered', { tier: 'small' }],
    ['02T09:20', 'case.dispatched', w(5)],
    ['02T09:30', 'case.accepted', w(5)],
    ['02T10:20', 'case.handled', fb(5, true)],
    ['02T10:50', 'case.verified', { note: '' }],
    ['02T11:00', 'case.closed', { withPrimary: null }],
  ]),
  // 2: first feedback late (deadline 14:00 + 4 h = 09:00 next day, handled 11:00), reworked, then on the spot.
  timeline(2, 1, [
    ['02T13:00', 'case.reported'],
    ['02T13:40', 'case.registered', { tier: 'small' }],
    ['02T14:00', 'case.dispatched', w(5)],
    ['02T14:30', 'case.accepted', w(5)],
    ['03T11:00', 'case.handled', fb(5, false)],
    ['03T11:30', 'case.reworked', { note: '' }],
    ['03T13:40', 'case.accepted', w(5)],
    ['03T14:00', 'case.handled', fb(5, true)],
    ['03T14:30', 'case.verified', { note: '' }],
    ['03T15:00', 'case.closed', { withPrimary: null }],
  ]),
  // 3: 微事自办 by worker 7.
  timeline(3, 2, [
    [
      '03T10:00',
      'case.selfHandled',
      {
        source: 'patrol',
        category: 'S0101',
        gridId: 2,
        lng: 118.9,
        lat: 28.9,
        description: '',
        workerId: 7,
        photos: ['p'],
        note: '',
      },
    ],
    ['03T10:30', 'case.verified', { note: '' }],
    ['03T10:40', 'case.closed', { withPrimary: null }],
  ]),
  // 4: parked (挂账) and still parked at the end: deferred.
  timeline(4, 2, [
    ['04T09:00', 'case.reported'],
    ['04T09:30', 'case.registered', { tier: 'small' }],
    ['04T10:00', 'case.dispatched', w(7)],
    ['04T11:00', 'case.parked', { reason: '待协调' }],
  ]),
  // 5: registered, returned to intake and rejected: a voided registration.
  timeline(5, 2, [
    ['04T09:00', 'case.reported'],
    ['04T09:05', 'case.registered', { tier: 'small' }],
    ['04T09:20', 'case.returned', { to: 'intake', reason: '非本辖区' }],
    ['04T09:30', 'case.rejected', { reason: '非本辖区' }],
  ]),
  // 6: escalated to the street, handled by worker 8 on time, not in the grid.
  timeline(6, 1, [
    ['05T09:00', 'case.reported'],
    ['05T09:10', 'case.registered', { tier: 'small' }],
    ['05T09:20', 'case.escalated', { from: 'community', to: 'street', reason: '协调', auto: false }],
    ['05T10:00', 'case.dispatched', w(8)],
    ['05T10:10', 'case.accepted', w(8)],
    ['05T10:40', 'case.handled', fb(8, false)],
    ['05T11:00', 'case.verified', { note: '' }],
    ['05T11:30', 'case.closed', { withPrimary: null }],
  ]),
  // 7: registered before the range: not counted.
  timeline(7, 1, [
    ['01T09:00', 'case.reported'],
    ['01T09:10', 'case.registered', { tier: 'small' }],
  ]),
];

const range = { from: cst('02T00:00'), to: cst('07T00:00') };

describe('indicators by the standard formulas', () => {
  it('builds valid timelines', () => {
    for (const t of CASES) expect(() => replayCase(t)).not.toThrow();
  });

  it('computes the totals by hand', () => {
    const { total } = computeIndicators(CASES, range);
    // registered 6 (cases 1–6), voided 1 (case 5) → due 5; deferred 1 (case 4) → due − deferred = 4.
    expect(total).toMatchObject({ registered: 6, due: 5, deferred: 1, closed: 4, closedOnTime: 3 });
    // 结案率 = closed 4 / 4 = 1; 按期结案率 = on time 3 (cases 1, 3, 6; case 2's first feedback was late) / 4 = 0.75.
    expect(total.closureRate).toEqual({ numerator: 4, denominator: 4, rate: 1 });
    expect(total.onTimeClosureRate).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
    // 现场处置率 = last feedback on the spot (1, 2, 3) / with feedback (1, 2, 3, 6) = 3/4.
    expect(total.onSiteRate).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
    // 网格内解决率 = closed, never escalated, by a grid worker (1, 2, 3) / closed (1, 2, 3, 6) = 3/4.
    expect(total.inGridRate).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
    // 返工率 = reworked (2) / verified at least once (1, 2, 3, 6) = 1/4.
    expect(total.reworkRate).toEqual({ numerator: 1, denominator: 4, rate: 0.25 });
    // 准确立案率 = (6 − 1) / 6.
    expect(total.accurateRegistrationRate).toEqual({ numerator: 5, denominator: 6, rate: 5 / 6 });
  });

  it('computes the mean time per step by hand', () => {
    const m = computeIndicators(CASES, range).total.meanStepMs;
    // register: 10 + 40 + 30 + 10 (cases 1, 2, 4, 6; 3 has none, 5 is voided) = 90 / 4 = 22.5 min
    expect(m.register).toEqual({ mean: 22.5 * MIN, count: 4 });
    // dispatch: 10 + 20 + 30 + 40 (case 6 from its escalation at 09:20) = 100 / 4 = 25 min
    expect(m.dispatch).toEqual({ mean: 25 * MIN, count: 4 });
    // accept: 10 + 30 + 130 (case 2 after rework, 11:30 → 13:40) + 10 = 180 / 4 = 45 min
    expect(m.accept).toEqual({ mean: 45 * MIN, count: 4 });
    // handle: 50 + 1230 (02T14:30 → 03T11:00) + 20 + 30 = 1330 / 4 = 332.5 min
    expect(m.handle).toEqual({ mean: 332.5 * MIN, count: 4 });
    // verify: 30 + 30 (the failed one) + 30 + 30 + 20 = 140 / 5 = 28 min
    expect(m.verify).toEqual({ mean: 28 * MIN, count: 5 });
    // close: 10 + 30 + 10 + 30 = 80 / 4 = 20 min
    expect(m.close).toEqual({ mean: 20 * MIN, count: 4 });
  });

  it('groups by grid, unit and worker', () => {
    const byGrid = computeIndicators(CASES, { ...range, groupOf: GROUP_BY.grid }).groups;
    // Grid 1: cases 1, 2, 6 — on time 2 of 3.
    expect(byGrid.get('1')).toMatchObject({
      registered: 3,
      due: 3,
      deferred: 0,
      closed: 3,
      onTimeClosureRate: { numerator: 2, denominator: 3 },
    });
    // Grid 2: cases 3, 4, 5 — voided 1, deferred 1 → closed 1 / (2 − 1).
    expect(byGrid.get('2')).toMatchObject({
      registered: 3,
      due: 2,
      deferred: 1,
      closureRate: { rate: 1 },
      accurateRegistrationRate: { numerator: 2, denominator: 3 },
    });
    const byUnit = computeIndicators(CASES, {
      ...range,
      groupOf: GROUP_BY.unit((g) => (g === 1 ? 100 : null)),
    }).groups;
    expect([...byUnit.keys()]).toEqual(['100']);
    const byWorker = computeIndicators(CASES, { ...range, groupOf: GROUP_BY.worker }).groups;
    // Worker 5 handled cases 1 and 2; 7 case 3; 8 case 6; case 4 has no feedback yet.
    expect(byWorker.get('5')).toMatchObject({ closed: 2, reworkRate: { numerator: 1, denominator: 2 } });
    expect([...byWorker.keys()].sort()).toEqual(['5', '7', '8']);
  });

  it('counts only events before the end of the range', () => {
    const { total } = computeIndicators(CASES, { from: range.from, to: cst('03T11:15') });
    // Registered by then: cases 1, 2; 3 counts from its 10:00 self-handling. Closed: 1 and 3.
    expect(total).toMatchObject({ registered: 3, closed: 2 });
  });
});

describe('按期结案率 counts only cases whose term has been judged', () => {
  // Case 8: dispatched Friday 03-06 09:20, handling deadline 4 working hours later (14:50), still open.
  const open = timeline(8, 1, [
    ['06T09:00', 'case.reported'],
    ['06T09:10', 'case.registered', { tier: 'small' }],
    ['06T09:20', 'case.dispatched', w(5)],
    ['06T09:30', 'case.accepted', w(5)],
  ]);
  const day = { from: cst('06T00:00'), to: cst('07T00:00') };

  it('leaves out an open case whose deadline has not come', () => {
    const { total } = computeIndicators([open], { ...day, now: cst('06T12:00') });
    expect(total).toMatchObject({ registered: 1, closed: 0, overdueOpen: 0 });
    expect(total.onTimeClosureRate).toEqual({ numerator: 0, denominator: 0, rate: null });
    // 结案率 still counts it: 0 of 1 closed.
    expect(total.closureRate).toEqual({ numerator: 0, denominator: 1, rate: 0 });
  });

  it('counts an open case once its deadline has passed, as late', () => {
    const { total } = computeIndicators([...CASES, open], {
      from: range.from,
      to: day.to,
      now: cst('06T15:00'),
    });
    expect(total.overdueOpen).toBe(1);
    // Closed 4 (3 on time) + 1 overdue open.
    expect(total.onTimeClosureRate).toEqual({ numerator: 3, denominator: 5, rate: 0.6 });
  });

  it('judges a past range at its end, not at now', () => {
    const before = computeIndicators([open], { from: day.from, to: cst('06T14:00'), now: cst('09T00:00') });
    expect(before.total.overdueOpen).toBe(0);
    const after = computeIndicators([open], { from: day.from, to: cst('06T15:00'), now: cst('09T00:00') });
    expect(after.total.overdueOpen).toBe(1);
  });

  it('leaves out a parked case even when its deadline passed', () => {
    const { total } = computeIndicators([CASES[3]!], { ...range, now: cst('09T00:00') });
    expect(total).toMatchObject({ deferred: 1, overdueOpen: 0 });
  });
});

describe('indicator tables', () => {
  it('order rows alike the same way whatever order they came in (a grid and its namesake after a publish)', () => {
    const counts = { ...emptyCounts(), registered: 3, closed: 2 };
    const row = (key: string, name: string) => ({ key, name, indicators: indicatorsOf(counts) });
    const rows = [row('45', '金桂社区第1网格'), row('1', '金桂社区第1网格'), row('7', '丹桂社区第2网格')];
    const keys = (r: typeof rows) => r.map((x) => x.key);
    for (const sort of ['registered', 'closureRate', 'reworkRate'] as const) {
      const one = keys(sortIndicatorRows([...rows], sort, 'desc'));
      expect(keys(sortIndicatorRows([...rows].reverse(), sort, 'desc'))).toEqual(one);
      expect(one.indexOf('1')).toBe(one.indexOf('45') - 1);
    }
  });
});

import { unitId } from '../testing/ids.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingHours } from './local-time.ts';
import {
  addWorkingTime,
  calendarHasYear,
  changedWorkingTime,
  CONTINUOUS_CALENDAR,
  DEFAULT_CALENDAR,
  isWorkingDay,
  isWorkingTime,
  resolveCalendar,
  validateWorkCalendar,
  workingTimeBetween,
  WorkCalendarSchema,
  yearDueAt,
  type WorkCalendar,
} from './work-calendar.ts';

/** An instant given in China Standard Time. */
const cst = (iso: string) => Date.parse(`${iso}+08:00`);
const H = 3_600_000;

describe('work calendar', () => {
  it('knows the 2026 holidays and make-up workdays of the State Council notice', () => {
    expect(WorkCalendarSchema.safeParse(DEFAULT_CALENDAR).success).toBe(true);
    expect(DEFAULT_CALENDAR.holidays.filter((d) => d.startsWith('2026-'))).toHaveLength(
      3 + 9 + 3 + 5 + 3 + 3 + 7,
    );
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2026-01-01T10:00:00'))).toBe(false); // 元旦, Thursday
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2026-01-04T10:00:00'))).toBe(true); // Sunday, 调休
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2026-02-14T10:00:00'))).toBe(true); // Saturday, 调休
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2026-02-23T10:00:00'))).toBe(false); // 春节, Monday
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2026-10-08T10:00:00'))).toBe(true);
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2026-10-10T10:00:00'))).toBe(true); // Saturday, 调休
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2026-10-11T10:00:00'))).toBe(false); // Sunday
    expect(isWorkingTime(DEFAULT_CALENDAR, cst('2026-03-02T12:30:00'))).toBe(false); // lunch
    expect(isWorkingTime(DEFAULT_CALENDAR, cst('2026-03-02T13:30:00'))).toBe(true);
  });

  it('carries the (estimated) 2027 holidays, so a case reported on 31 Dec 2026 skips 元旦', () => {
    expect(validateWorkCalendar(DEFAULT_CALENDAR)).toEqual({ valid: true });
    expect(calendarHasYear(DEFAULT_CALENDAR, 2027)).toBe(true);
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2027-01-01T10:00:00'))).toBe(false); // 元旦, Friday
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2027-02-08T10:00:00'))).toBe(false); // 春节, Monday
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2027-02-20T10:00:00'))).toBe(true); // Saturday, 调休
    expect(isWorkingDay(DEFAULT_CALENDAR, cst('2027-10-09T10:00:00'))).toBe(true); // Saturday, 调休
    expect(addWorkingTime(DEFAULT_CALENDAR, cst('2026-12-31T17:00:00'), 1 * H)).toBe(
      cst('2027-01-04T09:00:00'),
    );
  });

  it("asks for next year's holidays from December 1 (local time), not before", () => {
    expect(yearDueAt(cst('2026-11-30T23:59:00'), 480)).toBeNull();
    expect(yearDueAt(cst('2026-12-01T00:00:00'), 480)).toBe(2027);
    expect(yearDueAt(cst('2027-12-31T23:00:00'), 480)).toBe(2028);
    expect(yearDueAt(cst('2028-01-01T00:00:00'), 480)).toBeNull();
    expect(calendarHasYear(DEFAULT_CALENDAR, 2028)).toBe(false);
  });

  it('counts working time across holidays and make-up days', () => {
    // 17:00 on 31 Dec: half an hour that day, then 1–3 Jan off, Sunday 4 Jan works from 08:30.
    expect(addWorkingTime(DEFAULT_CALENDAR, cst('2025-12-31T17:00:00'), 1 * H)).toBe(
      cst('2026-01-04T09:00:00'),
    );
    // Friday 18 Sep 17:00 + 1 h: Saturday off, Sunday 20 Sep is a make-up workday.
    expect(addWorkingTime(DEFAULT_CALENDAR, cst('2026-09-18T17:00:00'), 1 * H)).toBe(
      cst('2026-09-20T09:00:00'),
    );
    // Lunch does not count: 11:00 + 2 h = 11:00–12:00 + 13:30–14:30.
    expect(addWorkingTime(DEFAULT_CALENDAR, cst('2026-03-02T11:00:00'), 2 * H)).toBe(
      cst('2026-03-02T14:30:00'),
    );
    expect(workingTimeBetween(DEFAULT_CALENDAR, cst('2026-03-02T11:00:00'), cst('2026-03-02T14:30:00'))).toBe(
      2 * H,
    );
    expect(addWorkingTime(CONTINUOUS_CALENDAR, cst('2026-02-16T23:00:00'), 2 * H)).toBe(
      cst('2026-02-17T01:00:00'),
    );
    expect(addWorkingTime(DEFAULT_CALENDAR, 5, 0)).toBe(5);
    const never: WorkCalendar = { ...DEFAULT_CALENDAR, id: 'never', workWeekdays: [], workdays: [] };
    expect(addWorkingTime(never, 0, H)).toBe(Number.POSITIVE_INFINITY);
  });

  it('adds and measures consistently (properties)', () => {
    const t = fc.integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2026, 11, 31) });
    const ms = fc.integer({ min: 1, max: 80 * H });
    fc.assert(
      fc.property(t, ms, ms, (t0, a, b) => {
        const end = addWorkingTime(DEFAULT_CALENDAR, t0, a);
        expect(end).toBeGreaterThan(t0);
        expect(workingTimeBetween(DEFAULT_CALENDAR, t0, end)).toBe(a);
        expect(addWorkingTime(DEFAULT_CALENDAR, end, b)).toBe(addWorkingTime(DEFAULT_CALENDAR, t0, a + b));
        expect(addWorkingTime(DEFAULT_CALENDAR, t0 + b, a)).toBeGreaterThanOrEqual(end);
      }),
      { numRuns: 200 },
    );
  });

  it('without holidays agrees with the local-time working hours', () => {
    const plain: WorkCalendar = { ...DEFAULT_CALENDAR, id: 'plain', holidays: [], workdays: [] };
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 1, max: 200 }),
        (t0, quarterHours) => {
          expect(addWorkingTime(plain, t0, quarterHours * 0.25 * H)).toBe(
            addWorkingHours(t0, quarterHours * 0.25),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('resolves the calendar of a jurisdiction up the unit chain, else the default', () => {
    const county: WorkCalendar = { ...DEFAULT_CALENDAR, id: 'county' };
    const calendars = new Map([['county', county]]);
    const assigned = new Map([
      [unitId(3), 'county'],
      [unitId(9), 'missing'],
    ]);
    expect(resolveCalendar([unitId(1), unitId(2), unitId(3), unitId(4)], assigned, calendars)).toBe(county);
    expect(resolveCalendar([unitId(9), unitId(1)], assigned, calendars)).toBe(DEFAULT_CALENDAR);
    expect(resolveCalendar([], assigned, calendars)).toBe(DEFAULT_CALENDAR);
  });

  it('refuses calendars the schema lets through: unsorted or overlapping periods, dates that do not exist, a day both off and on, no working time', () => {
    expect(validateWorkCalendar(DEFAULT_CALENDAR)).toEqual({ valid: true });
    expect(validateWorkCalendar({ ...DEFAULT_CALENDAR, periods: [[600, 600]] })).toEqual({
      valid: false,
      reason: 'empty-period',
      at: '10:00–10:00',
    });
    expect(validateWorkCalendar({ ...DEFAULT_CALENDAR, holidays: ['2026-1-1'] })).toMatchObject({
      valid: false,
      reason: 'bad-date',
    });
    expect(
      validateWorkCalendar({
        ...DEFAULT_CALENDAR,
        periods: [
          [810, 1050],
          [510, 720],
        ],
      }),
    ).toMatchObject({ valid: false, reason: 'periods-unsorted' });
    expect(
      validateWorkCalendar({
        ...DEFAULT_CALENDAR,
        periods: [
          [510, 780],
          [720, 1050],
        ],
      }),
    ).toEqual({ valid: false, reason: 'periods-overlap', at: '08:30–13:00' });
    expect(validateWorkCalendar({ ...DEFAULT_CALENDAR, holidays: ['2026-02-30'] })).toEqual({
      valid: false,
      reason: 'bad-date',
      at: '2026-02-30',
    });
    expect(validateWorkCalendar({ ...DEFAULT_CALENDAR, workdays: ['2026-01-01'] })).toEqual({
      valid: false,
      reason: 'date-conflict',
      at: '2026-01-01',
    });
    expect(validateWorkCalendar({ ...DEFAULT_CALENDAR, workWeekdays: [], workdays: [] })).toMatchObject({
      valid: false,
      reason: 'no-working-time',
    });
    // Adjacent periods (no lunch break) are fine.
    expect(
      validateWorkCalendar({
        ...DEFAULT_CALENDAR,
        periods: [
          [480, 720],
          [720, 1080],
        ],
      }),
    ).toEqual({ valid: true });
  });

  it('finds the days an edit moved working time on, and nothing for an edit that moves none', () => {
    const edited = (change: Partial<WorkCalendar>): WorkCalendar => ({ ...DEFAULT_CALENDAR, ...change });
    // A new holiday on a Tuesday and a make-up Saturday: the span of the two days.
    expect(
      changedWorkingTime(
        DEFAULT_CALENDAR,
        edited({
          holidays: [...DEFAULT_CALENDAR.holidays, '2026-11-17'],
          workdays: [...DEFAULT_CALENDAR.workdays, '2026-11-21'],
        }),
      ),
    ).toEqual({ from: cst('2026-11-17T00:00:00'), to: cst('2026-11-22T00:00:00') });
    // A holiday struck off (10.7 works again): that day.
    expect(
      changedWorkingTime(
        DEFAULT_CALENDAR,
        edited({ holidays: DEFAULT_CALENDAR.holidays.filter((d) => d !== '2026-10-07') }),
      ),
    ).toEqual({ from: cst('2026-10-07T00:00:00'), to: cst('2026-10-08T00:00:00') });
    // A holiday on a Sunday, the same days in another order: no working time moved.
    expect(
      changedWorkingTime(
        DEFAULT_CALENDAR,
        edited({ holidays: [...DEFAULT_CALENDAR.holidays, '2026-11-15'] }),
      ),
    ).toBeNull();
    expect(
      changedWorkingTime(DEFAULT_CALENDAR, edited({ holidays: [...DEFAULT_CALENDAR.holidays].reverse() })),
    ).toBeNull();
    // Other hours or weekdays move every deadline.
    const everything = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
    expect(changedWorkingTime(DEFAULT_CALENDAR, edited({ periods: [[8 * 60, 17 * 60]] }))).toEqual(
      everything,
    );
    expect(changedWorkingTime(DEFAULT_CALENDAR, edited({ workWeekdays: [1, 2, 3, 4, 5, 6] }))).toEqual(
      everything,
    );
  });
});

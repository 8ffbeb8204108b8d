import { z } from 'zod';
import type { UnitId } from '../ids.ts';

// Work calendars: which local days are working days (weekdays, public holidays, and the
// adjusted make-up workdays 调休 of mainland China) and which hours of them count. Deadlines
// count working time on the calendar of the case's jurisdiction (`resolveCalendar`). All
// functions are pure; a calendar compiles once into day sets (cached per object).

const MINUTE = 60_000;
const DAY = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const WorkCalendarSchema = z.object({
  id: z.string().min(1).max(64),
  /** Local time offset from UTC; Asia/Shanghai is +480 all year. */
  utcOffsetMinutes: z.number().int().min(-720).max(840),
  /** Working weekdays, 0 = Sunday … 6 = Saturday. */
  workWeekdays: z.array(z.number().int().min(0).max(6)),
  /** Working periods of a working day, minutes after local midnight, ascending and disjoint. */
  periods: z
    .array(
      z
        .tuple([z.number().int().min(0).max(1440), z.number().int().min(0).max(1440)])
        .refine(([a, b]) => a < b, 'empty period'),
    )
    .min(1),
  /** Days off that would be working days (public holidays), local YYYY-MM-DD. */
  holidays: z.array(z.string().regex(ISO_DAY)),
  /** Days that work although they fall on a weekend (调休 make-up workdays), local YYYY-MM-DD. */
  workdays: z.array(z.string().regex(ISO_DAY)),
});
export type WorkCalendar = z.infer<typeof WorkCalendarSchema>;

/**
 * Mainland China's public holidays of 2026 and their make-up workdays, after the General Office
 * of the State Council's notice 国务院办公厅关于2026年部分节假日安排的通知 of 4 November 2025
 * (Xinhua, 2025-11-04): 元旦 1.1–1.3 (work 1.4); 春节 2.15–2.23 (work 2.14, 2.28); 清明 4.4–4.6;
 * 劳动节 5.1–5.5 (work 5.9); 端午 6.19–6.21; 中秋 9.25–9.27; 国庆 10.1–10.7 (work 9.20, 10.10).
 */
export const CN_HOLIDAYS_2026: readonly string[] = [
  ...range('2026-01-01', 3),
  ...range('2026-02-15', 9),
  ...range('2026-04-04', 3),
  ...range('2026-05-01', 5),
  ...range('2026-06-19', 3),
  ...range('2026-09-25', 3),
  ...range('2026-10-01', 7),
];
export const CN_MAKEUP_WORKDAYS_2026: readonly string[] = [
  '2026-01-04',
  '2026-02-14',
  '2026-02-28',
  '2026-05-09',
  '2026-09-20',
  '2026-10-10',
];

/**
 * Mainland China's public holidays of 2027 — ESTIMATED, not copied from the State Council's notice
 * (国务院办公厅关于2027年部分节假日安排的通知, which this repository has not seen): laid out by the
 * rules of the revised 全国年节及纪念日放假办法 (2025: 春节 4 days from New Year's Eve, 劳动节 2,
 * 国庆 3, the others 1) and the pattern of recent notices, on the lunar dates 春节 2.6, 端午 6.9,
 * 中秋 9.15 and 清明 4.5. 元旦 1.1–1.3; 春节 2.5–2.13 (work 1.31, 2.20); 清明 4.3–4.5;
 * 劳动节 5.1–5.5 (work 5.8); 端午 6.9; 中秋 9.15; 国庆 10.1–10.7 (work 9.26, 10.9).
 * An administrator checks them against the notice at /admin?tab=calendars.
 */
export const CN_HOLIDAYS_2027_ESTIMATED: readonly string[] = [
  ...range('2027-01-01', 3),
  ...range('2027-02-05', 9),
  ...range('2027-04-03', 3),
  ...range('2027-05-01', 5),
  '2027-06-09',
  '2027-09-15',
  ...range('2027-10-01', 7),
];
export const CN_MAKEUP_WORKDAYS_2027_ESTIMATED: readonly string[] = [
  '2027-01-31',
  '2027-02-20',
  '2027-05-08',
  '2027-09-26',
  '2027-10-09',
];

/** Years whose holidays in the built-in calendar are estimated rather than taken from the published notice. */
export const ESTIMATED_HOLIDAY_YEARS: readonly number[] = [2027];

/** The default calendar of a command center in mainland China: Mon–Fri 08:30–12:00 and 13:30–17:30 CST, holidays of 2026 and (estimated) 2027. */
export const DEFAULT_CALENDAR: WorkCalendar = {
  id: 'cn-default',
  utcOffsetMinutes: 480,
  workWeekdays: [1, 2, 3, 4, 5],
  periods: [
    [8 * 60 + 30, 12 * 60],
    [13 * 60 + 30, 17 * 60 + 30],
  ],
  holidays: [...CN_HOLIDAYS_2026, ...CN_HOLIDAYS_2027_ESTIMATED],
  workdays: [...CN_MAKEUP_WORKDAYS_2026, ...CN_MAKEUP_WORKDAYS_2027_ESTIMATED],
};

/**
 * The year whose holidays a calendar must already hold at `now`: the next one from December 1
 * (local time of the calendar's offset), else null — holidays are published in November.
 */
export function yearDueAt(now: number, utcOffsetMinutes: number): number | null {
  const local = new Date(now + utcOffsetMinutes * 60_000);
  return local.getUTCMonth() === 11 ? local.getUTCFullYear() + 1 : null;
}

/** Whether a calendar lists any holiday in `year` (a year without one has not been entered). */
export function calendarHasYear(cal: Pick<WorkCalendar, 'holidays'>, year: number): boolean {
  const prefix = `${year}-`;
  return cal.holidays.some((d) => d.startsWith(prefix));
}

/** Around the clock (red-urgency cases: emergencies do not wait for Monday). */
export const CONTINUOUS_CALENDAR: WorkCalendar = {
  id: 'continuous',
  utcOffsetMinutes: 480,
  workWeekdays: [0, 1, 2, 3, 4, 5, 6],
  periods: [[0, 1440]],
  holidays: [],
  workdays: [],
};

function range(first: string, n: number): string[] {
  const d0 = isoToDay(first);
  return Array.from({ length: n }, (_, k) => dayToIso(d0 + k));
}

/** Day number since 1970-01-01 of a local date YYYY-MM-DD. */
export function isoToDay(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY;
}

/** Local date YYYY-MM-DD of a day number. */
export function dayToIso(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

interface Compiled {
  offset: number;
  weekdays: ReadonlySet<number>;
  holidays: ReadonlySet<number>;
  workdays: ReadonlySet<number>;
  periods: readonly (readonly [number, number])[];
}
const compiled = new WeakMap<WorkCalendar, Compiled>();
function compile(cal: WorkCalendar): Compiled {
  let c = compiled.get(cal);
  if (!c) {
    c = {
      offset: cal.utcOffsetMinutes * MINUTE,
      weekdays: new Set(cal.workWeekdays),
      holidays: new Set(cal.holidays.map(isoToDay)),
      workdays: new Set(cal.workdays.map(isoToDay)),
      periods: [...cal.periods]
        .sort((a, b) => a[0] - b[0])
        .map(([a, b]) => [a * MINUTE, b * MINUTE] as const),
    };
    compiled.set(cal, c);
  }
  return c;
}

const dayOf = (c: Compiled, t: number): number => Math.floor((t + c.offset) / DAY);
const midnight = (c: Compiled, day: number): number => day * DAY - c.offset;
const workingDay = (c: Compiled, day: number): boolean =>
  c.workdays.has(day) || (c.weekdays.has((((day + 4) % 7) + 7) % 7) && !c.holidays.has(day));

/** True when the local day containing `t` is a working day of the calendar. */
export function isWorkingDay(cal: WorkCalendar, t: number): boolean {
  const c = compile(cal);
  return workingDay(c, dayOf(c, t));
}

/** True when `t` falls inside working time. */
export function isWorkingTime(cal: WorkCalendar, t: number): boolean {
  const c = compile(cal);
  const day = dayOf(c, t);
  if (!workingDay(c, day)) return false;
  const m = t - midnight(c, day);
  return c.periods.some(([a, b]) => m >= a && m < b);
}

/** Why a calendar cannot be used (the admin page explains each; message key `calendar.refusal.<reason>`). */
export const CALENDAR_REFUSALS = {
  emptyPeriod: 'empty-period',
  periodsUnsorted: 'periods-unsorted',
  periodsOverlap: 'periods-overlap',
  badDate: 'bad-date',
  dateConflict: 'date-conflict',
  noWorkingTime: 'no-working-time',
} as const;
export type CalendarRefusal = (typeof CALENDAR_REFUSALS)[keyof typeof CALENDAR_REFUSALS];

export type CalendarValidation = { valid: true } | { valid: false; reason: CalendarRefusal; at: string };

const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * Checks what the schema cannot (and, for input taken loosely, what it can): working periods
 * not empty, ascending and disjoint, dates that exist
 * (no 2026-02-30), no day both a holiday and a make-up workday, and some working time at all.
 */
export function validateWorkCalendar(cal: WorkCalendar): CalendarValidation {
  const empty = cal.periods.find(([a, b]) => !(a < b));
  if (empty)
    return { valid: false, reason: CALENDAR_REFUSALS.emptyPeriod, at: `${hhmm(empty[0])}–${hhmm(empty[1])}` };
  for (let k = 1; k < cal.periods.length; k++) {
    const [a0, b0] = cal.periods[k - 1]!;
    const [a1] = cal.periods[k]!;
    if (a1 < a0) return { valid: false, reason: CALENDAR_REFUSALS.periodsUnsorted, at: `${hhmm(a1)}` };
    if (a1 < b0)
      return { valid: false, reason: CALENDAR_REFUSALS.periodsOverlap, at: `${hhmm(a0)}–${hhmm(b0)}` };
  }
  for (const iso of [...cal.holidays, ...cal.workdays]) {
    if (!ISO_DAY.test(iso) || dayToIso(isoToDay(iso)) !== iso)
      return { valid: false, reason: CALENDAR_REFUSALS.badDate, at: iso };
  }
  const holidays = new Set(cal.holidays);
  const both = cal.workdays.find((d) => holidays.has(d));
  if (both !== undefined) return { valid: false, reason: CALENDAR_REFUSALS.dateConflict, at: both };
  if (cal.workWeekdays.length === 0 && cal.workdays.length === 0)
    return { valid: false, reason: CALENDAR_REFUSALS.noWorkingTime, at: '' };
  return { valid: true };
}

/** Longest search for working time (ten years) so a calendar without working days cannot loop forever. */
const MAX_DAYS = 3660;

/** The instant at which `ms` of working time have passed after `t` (t itself may be outside working time); `t` for ms ≤ 0. */
export function addWorkingTime(cal: WorkCalendar, t: number, ms: number): number {
  if (!(ms > 0)) return t;
  const c = compile(cal);
  let left = ms;
  let day = dayOf(c, t);
  for (let k = 0; k < MAX_DAYS; k++, day++) {
    if (!workingDay(c, day)) continue;
    const base = midnight(c, day);
    for (const [a, b] of c.periods) {
      const start = Math.max(t, base + a);
      const end = base + b;
      if (start >= end) continue;
      if (end - start >= left) return start + left;
      left -= end - start;
    }
  }
  return Number.POSITIVE_INFINITY;
}

/** Working time (ms) between two instants; 0 when `to` ≤ `from`. */
export function workingTimeBetween(cal: WorkCalendar, from: number, to: number): number {
  if (!(to > from)) return 0;
  const c = compile(cal);
  let sum = 0;
  const last = dayOf(c, to);
  for (let day = dayOf(c, from); day <= last; day++) {
    if (!workingDay(c, day)) continue;
    const base = midnight(c, day);
    for (const [a, b] of c.periods) {
      const s = Math.max(from, base + a);
      const e = Math.min(to, base + b);
      if (e > s) sum += e - s;
    }
  }
  return sum;
}

/**
 * Where two bodies of a calendar count working time differently, as instants [from, to): the span
 * of the local days that became or stopped being working days; null when none did (a new name, a
 * holiday on a Sunday); the whole time line when the hours, the weekdays or the offset changed.
 */
export function changedWorkingTime(
  before: WorkCalendar,
  after: WorkCalendar,
): { from: number; to: number } | null {
  const a = compile(before);
  const b = compile(after);
  const same = <T>(x: readonly T[], y: readonly T[]) =>
    x.length === y.length && x.every((v, k) => v === y[k]);
  if (
    a.offset !== b.offset ||
    !same([...a.weekdays].sort(), [...b.weekdays].sort()) ||
    !same(a.periods.flat(), b.periods.flat())
  )
    return { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const day of [...a.holidays, ...b.holidays, ...a.workdays, ...b.workdays]) {
    if (workingDay(a, day) === workingDay(b, day)) continue;
    first = Math.min(first, day);
    last = Math.max(last, day);
  }
  return first > last ? null : { from: midnight(a, first), to: midnight(a, last + 1) };
}

/** Shorthand: `hours` working hours after `t`. */
export function addWorkingHoursOn(cal: WorkCalendar, t: number, hours: number): number {
  return addWorkingTime(cal, t, Math.round(hours * 3_600_000));
}

/**
 * The calendar of a jurisdiction: the first unit on the way up from the case's community to the
 * city that has a calendar assigned, else the default.
 */
export function resolveCalendar(
  unitChain: readonly UnitId[],
  calendarIdOfUnit: ReadonlyMap<UnitId, string>,
  calendars: ReadonlyMap<string, WorkCalendar>,
  fallback: WorkCalendar = DEFAULT_CALENDAR,
): WorkCalendar {
  for (const u of unitChain) {
    const id = calendarIdOfUnit.get(u);
    const cal = id === undefined ? undefined : calendars.get(id);
    if (cal) return cal;
  }
  return fallback;
}

// Local time of the command center: Asia/Shanghai (UTC+8, no daylight saving). "Today" is a
// local day, and handling limits count in working hours (DOMAIN: "never calendar time"): Monday
// to Friday, 08:30–12:00 and 13:30–17:30, without public holidays (the demo generator's clock).
// Case deadlines use the work calendars of work-calendar.ts, which add holidays and 调休.

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 all year. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Working periods of a working day, in minutes after local midnight. */
const PERIODS: readonly (readonly [number, number])[] = [
  [8 * 60 + 30, 12 * 60],
  [13 * 60 + 30, 17 * 60 + 30],
];

/** Local (Asia/Shanghai) day number since 1970-01-01 of an instant. */
export function localDay(t: number): number {
  return Math.floor((t + SHANGHAI_OFFSET_MS) / DAY);
}

/** Start of the local day containing `t`, as ms since epoch. */
export function startOfLocalDay(t: number): number {
  return localMidnight(localDay(t));
}

/** Local hour 0–23 of an instant. */
export function localHour(t: number): number {
  return Math.floor(((((t + SHANGHAI_OFFSET_MS) % DAY) + DAY) % DAY) / 3_600_000);
}

/** 0 = Sunday … 6 = Saturday, in local time (1970-01-01 was a Thursday). */
export function localWeekday(t: number): number {
  return (((localDay(t) + 4) % 7) + 7) % 7;
}

/** UTC instant of local midnight starting local day d. */
export function localMidnight(d: number): number {
  return d * DAY - SHANGHAI_OFFSET_MS;
}

/** The instant `hours` working hours after t (t itself may fall outside working time). */
export function addWorkingHours(t: number, hours: number): number {
  let left = hours * 60 * MINUTE;
  let day = localDay(t);
  let cursor = t;
  for (let guard = 0; guard < 3660 && left > 0; guard++, day++) {
    const wd = (((day + 4) % 7) + 7) % 7;
    if (wd === 0 || wd === 6) continue;
    const base = localMidnight(day);
    for (const [a, b] of PERIODS) {
      const start = Math.max(cursor, base + a * MINUTE);
      const end = base + b * MINUTE;
      if (start >= end) continue;
      if (end - start >= left) return start + left;
      left -= end - start;
    }
    cursor = localMidnight(day + 1);
  }
  return cursor;
}

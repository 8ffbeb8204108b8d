// Command centers count "today" in China Standard Time (UTC+8, no daylight saving).
const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Start of the local (UTC+8) day containing `at`, as ms since epoch. */
export function startOfLocalDay(at: number): number {
  return Math.floor((at + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
}

/** Local (UTC+8) hour of day 0–23. */
export function localHour(at: number): number {
  return Math.floor(((at + CST_OFFSET_MS) % DAY_MS) / 3600_000);
}

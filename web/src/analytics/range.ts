import { localDay, localMidnight, SHANGHAI_OFFSET_MS } from '@gcc/shared';

// Reporting periods in the command center's local time (Asia/Shanghai): a period is [from, to)
// in ms, whole local days, as indicators.summary and indicators.trend take it.

export const RANGE_PRESETS = ['today', 'week', 'month', 'last30', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export interface Range {
  from: number;
  to: number;
}

const DAY = 86_400_000;
/** The server refuses longer ranges. */
export const MAX_RANGE_DAYS = 366;

/** The period a preset stands for at `now` (custom: null, the dates decide). */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, now: number): Range {
  const today = localDay(now);
  switch (preset) {
    case 'today':
      return { from: localMidnight(today), to: localMidnight(today + 1) };
    case 'week': {
      // Weeks start on Monday (1970-01-01, day 0, was a Thursday).
      const monday = today - ((((today + 4) % 7) + 6) % 7);
      return { from: localMidnight(monday), to: localMidnight(monday + 7) };
    }
    case 'month': {
      const d = new Date(now + SHANGHAI_OFFSET_MS);
      return {
        from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - SHANGHAI_OFFSET_MS,
        to: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - SHANGHAI_OFFSET_MS,
      };
    }
    case 'last30':
      return { from: localMidnight(today - 29), to: localMidnight(today + 1) };
  }
}

/** A local date as `YYYY-MM-DD` (the value of an `<input type="date">`). */
export function toDateInput(t: number): string {
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Two inclusive local dates as a range, or null when unreadable, reversed or too long. */
export function customRange(fromDate: string, toDate: string): Range | null {
  const parse = (v: string) =>
    /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00+08:00`) : Number.NaN;
  const from = parse(fromDate);
  const last = parse(toDate);
  if (!Number.isFinite(from) || !Number.isFinite(last) || last < from) return null;
  const to = last + DAY;
  return to - from <= MAX_RANGE_DAYS * DAY ? { from, to } : null;
}

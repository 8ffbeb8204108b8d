import { z } from 'zod';
import { GridIdSchema } from '../domain/schemas.ts';
import { localWeekday, SHANGHAI_OFFSET_MS } from '../time/local-time.ts';

// 排班: a simple weekly roster per grid. Each shift is a weekday (0 = Sunday … 6 = Saturday, local
// time as `localWeekday`) and a start and end time of that day; a night shift past midnight is two
// shifts. A worker reporting from the field inside a shift of its home grid is on duty; a grid
// without a roster has no hours (a phone that reports is working). Validation returns values.

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export const RosterShiftSchema = z.object({
  weekday: z.number().int().min(0).max(6),
  start: z.string().regex(HHMM, 'HH:MM'),
  end: z.string().regex(HHMM, 'HH:MM'),
});
export type RosterShift = z.infer<typeof RosterShiftSchema>;

/** At most this many shifts a week per grid (three a day is already a lot). */
export const MAX_ROSTER_SHIFTS = 42;

export const SetRosterInputSchema = z.object({
  gridId: GridIdSchema,
  shifts: z.array(RosterShiftSchema).max(MAX_ROSTER_SHIFTS),
});

export const ROSTER_REFUSALS = ['shift-order', 'shift-overlap'] as const;
export type RosterRefusal = (typeof ROSTER_REFUSALS)[number];

export type RosterValidation = { valid: true } | { valid: false; reason: RosterRefusal; at: number };

/** Minutes after local midnight of `HH:MM` (24:00 is the end of the day). */
export function shiftMinute(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Checks a week's shifts: each ends after it starts, and no two of one day overlap (`at`: the later one's index). */
export function validateRoster(shifts: readonly RosterShift[]): RosterValidation {
  for (let i = 0; i < shifts.length; i++) {
    const s = shifts[i]!;
    if (shiftMinute(s.end) <= shiftMinute(s.start)) return { valid: false, reason: 'shift-order', at: i };
    for (let j = 0; j < i; j++) {
      const o = shifts[j]!;
      if (
        o.weekday === s.weekday &&
        shiftMinute(s.start) < shiftMinute(o.end) &&
        shiftMinute(o.start) < shiftMinute(s.end)
      )
        return { valid: false, reason: 'shift-overlap', at: i };
    }
  }
  return { valid: true };
}

/** True when instant `t` falls inside one of the shifts (local time). */
export function inShift(shifts: readonly RosterShift[], t: number): boolean {
  const weekday = localWeekday(t);
  const minute = Math.floor(((((t + SHANGHAI_OFFSET_MS) % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  return shifts.some(
    (s) => s.weekday === weekday && shiftMinute(s.start) <= minute && minute < shiftMinute(s.end),
  );
}

/**
 * 上岗 / 下岗 as a device says it: the device API's `{state: 'on' | 'off'}`, and the OsmAnd
 * `event` parameter of a report. Other events a phone app sends (motionchange, heartbeat…) say
 * nothing about duty and are ignored.
 */
export const DUTY_EVENT_NAMES: Readonly<Record<string, 'on' | 'off'>> = {
  on: 'on',
  off: 'off',
  onduty: 'on',
  offduty: 'off',
  'on-duty': 'on',
  'off-duty': 'off',
  上岗: 'on',
  下岗: 'off',
};

export const DeviceDutyInputSchema = z.object({ state: z.enum(['on', 'off']) }).strict();

import { validateRoster, type RosterShift, type RosterValidation } from '@gcc/shared';

// 排班 as the admin types it: one line per weekday, shifts as `08:00-12:00, 13:30-17:30`
// (a dash or a tilde, any comma). Parsed into the roster's shifts, or the first line that is
// not, so the form can say which day is wrong before anything is sent.

const SHIFT = /^([01]\d|2[0-3]):[0-5]\d\s*[-~–—～]\s*(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** The text of one weekday's shifts. */
export function dayText(shifts: readonly RosterShift[], weekday: number): string {
  return shifts
    .filter((s) => s.weekday === weekday)
    .sort((a, b) => a.start.localeCompare(b.start))
    .map((s) => `${s.start}-${s.end}`)
    .join(', ');
}

export type RosterParse =
  { ok: true; shifts: RosterShift[]; check: RosterValidation } | { ok: false; weekday: number; text: string };

/** Parses the week's lines (by weekday 0–6) into shifts, then checks them as the server will. */
export function parseWeek(lines: Readonly<Record<number, string>>): RosterParse {
  const shifts: RosterShift[] = [];
  for (let weekday = 0; weekday < 7; weekday++) {
    for (const part of (lines[weekday] ?? '').split(/[,，;；]/)) {
      const text = part.trim();
      if (!text) continue;
      if (!SHIFT.test(text)) return { ok: false, weekday, text };
      const [start, end] = text.split(/\s*[-~–—～]\s*/) as [string, string];
      shifts.push({ weekday, start, end });
    }
  }
  return { ok: true, shifts, check: validateRoster(shifts) };
}

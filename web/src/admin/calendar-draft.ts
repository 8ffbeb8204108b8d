import { validateWorkCalendar, type CalendarRefusal, type WorkCalendar } from '@gcc/shared';

// A work calendar as the admin page edits it: working periods as HH:MM texts and the holiday and
// 调休 lists as one date per line, turned into the API's calendar body (minutes, date arrays) and
// checked by the same `validateWorkCalendar` the server runs before anything is sent.

export interface CalendarDraft {
  id: string | null;
  nameZh: string;
  nameEn: string;
  utcOffsetMinutes: number;
  workWeekdays: number[];
  periods: { from: string; to: string }[];
  holidays: string;
  workdays: string;
}

export type CalendarBody = Omit<WorkCalendar, 'id'>;

const pad = (n: number) => String(n).padStart(2, '0');

/** 510 → "08:30"; 1440 → "24:00". */
export function minutesToHhmm(m: number): string {
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** "08:30" → 510; "24:00" → 1440; null when not a time of day. */
export function hhmmToMinutes(s: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

/** One date per line (commas and spaces also separate), blanks dropped, in order, without repeats. */
export function parseDateList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,，、]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].sort();
}

export function draftOf(cal: {
  id: string | null;
  nameZh: string;
  nameEn: string;
  calendar: CalendarBody;
}): CalendarDraft {
  return {
    id: cal.id,
    nameZh: cal.nameZh,
    nameEn: cal.nameEn,
    utcOffsetMinutes: cal.calendar.utcOffsetMinutes,
    workWeekdays: [...cal.calendar.workWeekdays].sort((a, b) => a - b),
    periods: cal.calendar.periods.map(([a, b]) => ({ from: minutesToHhmm(a), to: minutesToHhmm(b) })),
    holidays: cal.calendar.holidays.join('\n'),
    workdays: cal.calendar.workdays.join('\n'),
  };
}

export type DraftCheck =
  | { ok: true; body: CalendarBody }
  | { ok: false; reason: CalendarRefusal | 'bad-time' | 'no-name'; at: string };

/** The API body of a draft, or the first thing wrong with it (the server checks the same again). */
export function checkDraft(d: CalendarDraft): DraftCheck {
  if (!d.nameZh.trim()) return { ok: false, reason: 'no-name', at: '' };
  const periods: [number, number][] = [];
  for (const p of d.periods) {
    const a = hhmmToMinutes(p.from);
    const b = hhmmToMinutes(p.to);
    if (a === null || b === null) return { ok: false, reason: 'bad-time', at: `${p.from}–${p.to}` };
    periods.push([a, b]);
  }
  const body: CalendarBody = {
    utcOffsetMinutes: d.utcOffsetMinutes,
    workWeekdays: d.workWeekdays,
    periods,
    holidays: parseDateList(d.holidays),
    workdays: parseDateList(d.workdays),
  };
  if (periods.length === 0) return { ok: false, reason: 'no-working-time', at: '' };
  const v = validateWorkCalendar({ ...body, id: d.id ?? 'draft' });
  return v.valid ? { ok: true, body } : { ok: false, reason: v.reason, at: v.at };
}

import { describe, expect, it } from 'vitest';
import { dayText, parseWeek } from './roster-draft.ts';

describe('roster lines', () => {
  it('reads shifts per weekday and writes them back', () => {
    const r = parseWeek({ 1: '08:00-12:00， 13:30~17:30', 6: '' });
    expect(r).toEqual({
      ok: true,
      shifts: [
        { weekday: 1, start: '08:00', end: '12:00' },
        { weekday: 1, start: '13:30', end: '17:30' },
      ],
      check: { valid: true },
    });
    expect(dayText(r.ok ? r.shifts : [], 1)).toBe('08:00-12:00, 13:30-17:30');
  });
  it('names the day whose text is not a shift, and passes the server’s checks on', () => {
    expect(parseWeek({ 3: '8点到12点' })).toEqual({ ok: false, weekday: 3, text: '8点到12点' });
    const overlap = parseWeek({ 2: '08:00-12:00, 11:00-13:00' });
    expect(overlap.ok && overlap.check).toEqual({ valid: false, reason: 'shift-overlap', at: 1 });
  });
});

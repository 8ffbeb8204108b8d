import { DEFAULT_CALENDAR } from '@gcc/shared';
import { describe, expect, it } from 'vitest';
import { checkDraft, draftOf, hhmmToMinutes, minutesToHhmm, parseDateList } from './calendar-draft.ts';

describe('calendar draft', () => {
  it('round-trips the default calendar', () => {
    const d = draftOf({ id: null, nameZh: '默认', nameEn: 'Default', calendar: DEFAULT_CALENDAR });
    expect(d.periods).toEqual([
      { from: '08:30', to: '12:00' },
      { from: '13:30', to: '17:30' },
    ]);
    const c = checkDraft(d);
    expect(c.ok && c.body.periods).toEqual(DEFAULT_CALENDAR.periods);
    expect(c.ok && c.body.holidays).toEqual([...DEFAULT_CALENDAR.holidays].sort());
  });

  it('reads times and date lists as people type them', () => {
    expect(hhmmToMinutes('8:30')).toBe(510);
    expect(hhmmToMinutes('24:00')).toBe(1440);
    expect(hhmmToMinutes('24:30')).toBeNull();
    expect(hhmmToMinutes('9.30')).toBeNull();
    expect(minutesToHhmm(1440)).toBe('24:00');
    expect(parseDateList('2026-10-02\n2026-10-01, 2026-10-01\n\n')).toEqual(['2026-10-01', '2026-10-02']);
  });

  it('names what is wrong before anything is sent', () => {
    const base = draftOf({ id: 'x', nameZh: '街道', nameEn: '', calendar: DEFAULT_CALENDAR });
    expect(checkDraft({ ...base, nameZh: ' ' })).toMatchObject({ ok: false, reason: 'no-name' });
    expect(checkDraft({ ...base, periods: [{ from: '8:30', to: 'noon' }] })).toMatchObject({
      ok: false,
      reason: 'bad-time',
    });
    expect(
      checkDraft({
        ...base,
        periods: [
          { from: '08:30', to: '13:00' },
          { from: '12:00', to: '17:00' },
        ],
      }),
    ).toMatchObject({ ok: false, reason: 'periods-overlap' });
    expect(checkDraft({ ...base, holidays: '2026-02-30' })).toMatchObject({
      ok: false,
      reason: 'bad-date',
      at: '2026-02-30',
    });
    expect(checkDraft({ ...base, periods: [] })).toMatchObject({ ok: false, reason: 'no-working-time' });
  });
});

import { describe, expect, it } from 'vitest';
import { localMidnight } from '../time/local-time.ts';
import { inShift, validateRoster } from './duty-roster.ts';

// 2026-12-07 is a Monday (weekday 1).
const monday = localMidnight(Math.floor(Date.UTC(2026, 11, 7) / 86_400_000));
const at = (h: number, m = 0) => monday + (h * 60 + m) * 60_000;

describe('weekly roster', () => {
  const week = [{ weekday: 1, start: '08:00', end: '18:00' }];
  it('places an instant inside or outside a shift, in local time', () => {
    expect(inShift(week, at(8))).toBe(true);
    expect(inShift(week, at(17, 59))).toBe(true);
    expect(inShift(week, at(18))).toBe(false);
    expect(inShift(week, at(7, 59))).toBe(false);
    expect(inShift(week, at(8) + 86_400_000)).toBe(false);
  });
  it('refuses a shift ending before it starts and overlapping shifts, naming which', () => {
    expect(validateRoster(week)).toEqual({ valid: true });
    expect(validateRoster([{ weekday: 2, start: '18:00', end: '08:00' }])).toEqual({
      valid: false,
      reason: 'shift-order',
      at: 0,
    });
    expect(
      validateRoster([
        { weekday: 2, start: '08:00', end: '12:00' },
        { weekday: 3, start: '08:00', end: '12:00' },
        { weekday: 2, start: '11:00', end: '13:00' },
      ]),
    ).toEqual({ valid: false, reason: 'shift-overlap', at: 2 });
  });
});

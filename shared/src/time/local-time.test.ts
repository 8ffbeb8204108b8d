import { describe, expect, it } from 'vitest';
import { addWorkingHours, localHour, localWeekday } from './local-time.ts';

const at = (iso: string): number => Date.parse(iso);

describe('working time (Asia/Shanghai, Mon–Fri 08:30–12:00, 13:30–17:30)', () => {
  it('reads local hour and weekday', () => {
    expect(localHour(at('2025-06-30T10:30:00+08:00'))).toBe(10);
    expect(localWeekday(at('2025-06-30T10:30:00+08:00'))).toBe(1);
    expect(localWeekday(at('2025-06-29T23:59:00+08:00'))).toBe(0);
  });

  it('adds hours inside a period, across lunch, overnight and over a weekend', () => {
    expect(addWorkingHours(at('2025-06-30T09:00:00+08:00'), 2)).toBe(at('2025-06-30T11:00:00+08:00'));
    expect(addWorkingHours(at('2025-06-30T11:00:00+08:00'), 2)).toBe(at('2025-06-30T14:30:00+08:00'));
    expect(addWorkingHours(at('2025-06-30T17:00:00+08:00'), 1)).toBe(at('2025-07-01T09:00:00+08:00'));
    expect(addWorkingHours(at('2025-07-04T17:00:00+08:00'), 1)).toBe(at('2025-07-07T09:00:00+08:00'));
    expect(addWorkingHours(at('2025-06-28T22:00:00+08:00'), 0.5)).toBe(at('2025-06-30T09:00:00+08:00'));
    // 40 working hours is a working week (7.5 h a day) and a bit.
    expect(addWorkingHours(at('2025-06-30T08:30:00+08:00'), 40)).toBe(at('2025-07-07T11:00:00+08:00'));
  });
});

describe('local day', () => {
  it('starts at local midnight, not UTC midnight', async () => {
    const { startOfLocalDay } = await import('./local-time.ts');
    expect(startOfLocalDay(at('2025-06-30T07:59:00+08:00'))).toBe(at('2025-06-30T00:00:00+08:00'));
    expect(startOfLocalDay(at('2025-06-30T00:00:00+08:00'))).toBe(at('2025-06-30T00:00:00+08:00'));
    expect(startOfLocalDay(at('2025-06-29T23:59:59+08:00'))).toBe(at('2025-06-29T00:00:00+08:00'));
  });
});

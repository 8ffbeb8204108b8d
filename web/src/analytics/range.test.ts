import { describe, expect, it } from 'vitest';
import { customRange, presetRange, toDateInput } from './range.ts';

const cst = (iso: string) => Date.parse(`${iso}+08:00`);

describe('reporting periods (Asia/Shanghai)', () => {
  // 2026-11-22 is a Sunday; 00:30 local is still the previous UTC day.
  const now = cst('2026-11-22T00:30:00');
  it('today, this week (from Monday), this month, last 30 days', () => {
    expect(presetRange('today', now)).toEqual({
      from: cst('2026-11-22T00:00:00'),
      to: cst('2026-11-23T00:00:00'),
    });
    expect(presetRange('week', now)).toEqual({
      from: cst('2026-11-16T00:00:00'),
      to: cst('2026-11-23T00:00:00'),
    });
    expect(presetRange('month', now)).toEqual({
      from: cst('2026-11-01T00:00:00'),
      to: cst('2026-12-01T00:00:00'),
    });
    expect(presetRange('last30', now)).toEqual({
      from: cst('2026-10-24T00:00:00'),
      to: cst('2026-11-23T00:00:00'),
    });
    expect(presetRange('month', cst('2026-12-31T23:59:00'))).toEqual({
      from: cst('2026-12-01T00:00:00'),
      to: cst('2027-01-01T00:00:00'),
    });
  });
  it('custom dates are inclusive, ordered and at most 366 days', () => {
    expect(customRange('2026-11-01', '2026-11-01')).toEqual({
      from: cst('2026-11-01T00:00:00'),
      to: cst('2026-11-02T00:00:00'),
    });
    expect(customRange('2026-11-02', '2026-11-01')).toBeNull();
    expect(customRange('2025-01-01', '2026-01-02')).toBeNull();
    expect(customRange('2025-01-01', '2026-01-01')).not.toBeNull();
    expect(customRange('', '2026-01-01')).toBeNull();
    expect(toDateInput(now)).toBe('2026-11-22');
  });
});

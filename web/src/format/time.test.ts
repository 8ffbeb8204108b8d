import { describe, expect, it } from 'vitest';
import { centreLocalToMs, msToCentreLocal } from './time.ts';

describe("the centre's local time in a date-time field", () => {
  it('reads 08:00 in Asia/Shanghai as 00:00 UTC, and back', () => {
    const ms = centreLocalToMs('2027-01-01T08:00');
    expect(ms).toBe(Date.UTC(2027, 0, 1, 0, 0));
    expect(msToCentreLocal(ms!)).toBe('2027-01-01T08:00');
  });

  it('refuses what is not a date and time', () => {
    expect(centreLocalToMs('')).toBeNull();
    expect(centreLocalToMs('2027-02-30T08:00')).toBeNull();
    expect(centreLocalToMs('2027-01-01 08:00')).toBeNull();
  });
});

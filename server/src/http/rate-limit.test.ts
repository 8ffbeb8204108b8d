import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('allows the burst, then the sustained rate', () => {
    const r = new RateLimiter({ perSecond: 2, burst: 3 });
    expect([0, 0, 0, 0].map(() => r.take('u', 1000))).toEqual([true, true, true, false]);
    expect(r.take('u', 1400)).toBe(false);
    expect(r.take('u', 1500)).toBe(true);
  });
  it('keeps keys apart', () => {
    const r = new RateLimiter({ perSecond: 1, burst: 1 });
    expect(r.take('a', 0)).toBe(true);
    expect(r.take('b', 0)).toBe(true);
    expect(r.take('a', 0)).toBe(false);
  });
  it('tells whether a key has a token left without taking it', () => {
    const r = new RateLimiter({ perSecond: 1, burst: 1 });
    expect(r.allows('a', 0)).toBe(true);
    expect(r.allows('a', 0)).toBe(true);
    r.take('a', 0);
    expect(r.allows('a', 500)).toBe(false);
    expect(r.allows('a', 1000)).toBe(true);
  });
  it('stays bounded whatever the number of clients', () => {
    const r = new RateLimiter({ perSecond: 1, burst: 1 }, 100);
    for (let i = 0; i < 10_000; i++) r.take(`k${i}`, 0);
    expect(r.size).toBe(100);
  });
});

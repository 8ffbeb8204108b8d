import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, wgs84ToGcj02 } from './gcj02.ts';

describe('GCJ-02 ↔ WGS-84', () => {
  it('shifts Quzhou by a few hundred metres', () => {
    const [lng, lat] = wgs84ToGcj02(118.87, 28.94);
    const dx = (lng - 118.87) * 111_320 * Math.cos((28.94 * Math.PI) / 180);
    const dy = (lat - 28.94) * 110_574;
    const shift = Math.hypot(dx, dy);
    expect(shift).toBeGreaterThan(300);
    expect(shift).toBeLessThan(800);
  });
  it('inverts to below a centimetre', () => {
    for (const [lng, lat] of [
      [118.87, 28.94],
      [116.39, 39.9],
      [121.47, 31.23],
      [113.26, 23.13],
    ] as const) {
      const [g0, g1] = wgs84ToGcj02(lng, lat);
      const [w0, w1] = gcj02ToWgs84(g0, g1);
      expect(Math.abs(w0 - lng)).toBeLessThan(1e-7);
      expect(Math.abs(w1 - lat)).toBeLessThan(1e-7);
    }
  });
  it('is the identity outside China', () => {
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84(2.35, 48.85)).toEqual([2.35, 48.85]);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeSegment, type TrajectoryPoint } from './trajectory-codec.ts';

const HOUR = Date.UTC(2026, 10, 22, 1);

describe('trajectory chunks', () => {
  it('round-trips points to 1e-6 degrees, whole seconds and coarse speed/heading, in about 7 bytes a point', () => {
    const pts: TrajectoryPoint[] = Array.from({ length: 200 }, (_, k) => ({
      at: HOUR + k * 15_000,
      lng: 118.87 + k * 0.0002,
      lat: 28.93 - k * 0.0001,
      speed: 1.3,
      heading: 135,
    }));
    const seg = encodeSegment(HOUR, pts);
    expect(seg.length / pts.length).toBeLessThan(8);
    const back = decodeChunk(HOUR, seg);
    expect(back).toHaveLength(200);
    back.forEach((p, k) => {
      expect(p.at).toBe(pts[k]!.at);
      expect(p.lng).toBeCloseTo(pts[k]!.lng, 6);
      expect(p.lat).toBeCloseTo(pts[k]!.lat, 6);
      expect(p.speed).toBeCloseTo(1.25, 2);
      expect(Math.abs(p.heading - 135)).toBeLessThan(1.5);
    });
  });

  it('decodes appended segments (several flushes, or two servers) in time order, and stops at a truncated tail', () => {
    const a = encodeSegment(HOUR, [{ at: HOUR + 60_000, lng: 118.9, lat: 28.9, speed: 0, heading: 0 }]);
    const b = encodeSegment(HOUR, [
      { at: HOUR + 30_000, lng: 118.8, lat: 28.8, speed: 0, heading: 0 },
      { at: HOUR + 90_000, lng: -118.8, lat: -28.8, speed: 70, heading: 359 },
    ]);
    const joined = new Uint8Array([...a, ...b]);
    expect(decodeChunk(HOUR, joined).map((p) => p.at - HOUR)).toEqual([30_000, 60_000, 90_000]);
    expect(decodeChunk(HOUR, joined)[2]!.lng).toBeCloseTo(-118.8, 6);
    expect(decodeChunk(HOUR, joined.subarray(0, joined.length - 1)).length).toBe(2);
  });
});

import maplibregl from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { mercatorX, mercatorY } from './workers.renderer.ts';

// The worker-thread renderer places dots with its own Web Mercator; it must agree with the map's,
// or the dots drift off the grids they are in (most visibly when zoomed to a street).
describe('workers renderer projection', () => {
  it("matches MapLibre's world coordinates (512 px tiles at zoom 0)", () => {
    for (const [lng, lat] of [
      [118.87, 28.94],
      [118.671, 28.741],
      [119.07, 29.14],
      [0, 0],
      [-73.98, 40.75],
    ] as const) {
      const m = maplibregl.MercatorCoordinate.fromLngLat([lng, lat]);
      expect(mercatorX(lng)).toBeCloseTo(m.x * 512, 9);
      expect(mercatorY(lat)).toBeCloseTo(m.y * 512, 9);
    }
  });

  it('keeps sub-pixel precision at street zoom when offsets from a city origin are stored as float32', () => {
    const origin: [number, number] = [118.87, 28.94];
    const scale = 2 ** 19; // CSS px per zoom-0 px at zoom 19
    for (const [lng, lat] of [
      [118.6712345, 28.7401234],
      [119.0698765, 29.1399876],
    ] as const) {
      const exact = (mercatorY(lat) - mercatorY(origin[1])) * scale;
      const stored = Math.fround(mercatorY(lat) - mercatorY(origin[1])) * scale;
      expect(Math.abs(stored - exact)).toBeLessThan(0.05);
      const exactX = (mercatorX(lng) - mercatorX(origin[0])) * scale;
      expect(Math.abs(Math.fround(mercatorX(lng) - mercatorX(origin[0])) * scale - exactX)).toBeLessThan(
        0.05,
      );
    }
  });
});

import { booleanPointInPolygon, multiPolygon, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { GridIndex } from './grid-index.ts';

// A 20×20 tiling of unit squares with wobbly shared edges, plus a hole-free check against turf.
function tiling(n: number) {
  const wob = (x: number, y: number) => [x + 0.1 * Math.sin(3 * y + x), y + 0.1 * Math.cos(2 * x + y)];
  const grids = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const ring = [
        [i, j],
        [i + 0.5, j],
        [i + 1, j],
        [i + 1, j + 1],
        [i + 0.5, j + 1],
        [i, j + 1],
        [i, j],
      ].map(([x, y]) => wob(x!, y!));
      grids.push({ id: i * n + j + 1, polygon: [[ring]] });
    }
  }
  return grids;
}

describe('GridIndex', () => {
  const grids = tiling(20);
  const index = new GridIndex(grids);
  it('agrees with turf on random points', () => {
    let seed = 1;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let k = 0; k < 3000; k++) {
      const x = rnd() * 21 - 0.5;
      const y = rnd() * 21 - 0.5;
      const expected =
        grids.find((g) => booleanPointInPolygon(point([x, y]), multiPolygon(g.polygon as number[][][][])))
          ?.id ?? null;
      expect(index.locate(x, y)).toBe(expected);
    }
  });
  it('returns null outside every grid and for NaN', () => {
    expect(index.locate(-5, -5)).toBeNull();
    expect(index.locate(Number.NaN, 3)).toBeNull();
  });
  it('copes with an empty set', () => {
    expect(new GridIndex([]).locate(0, 0)).toBeNull();
  });
});

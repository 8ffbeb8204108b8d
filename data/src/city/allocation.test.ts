import { describe, expect, it } from 'vitest';
import { createRng } from '../random.ts';
import { allocateGrids } from './allocation.ts';

describe('allocateGrids', () => {
  const communities = [
    ...Array.from({ length: 175 }, () => ({ urban: true })),
    ...Array.from({ length: 1489 }, () => ({ urban: false })),
  ];

  it('gives the exact total, a grid to each community, 1–3 to villages', () => {
    const out = allocateGrids(communities, 4191, createRng(1));
    expect(out.reduce((a, b) => a + b, 0)).toBe(4191);
    expect(out.every((n) => n >= 1)).toBe(true);
    expect(out.slice(175).every((n) => n <= 3)).toBe(true);
    // Urban communities (300–500 households a grid) hold several grids each.
    expect(out.slice(0, 175).reduce((a, b) => a + b, 0) / 175).toBeGreaterThan(4);
  });

  it('copes with tight budgets and all-rural selections', () => {
    expect(allocateGrids(communities, 1664, createRng(2)).every((n) => n === 1)).toBe(true);
    const rural = allocateGrids([{ urban: false }, { urban: false }], 9, createRng(3));
    expect(rural.reduce((a, b) => a + b, 0)).toBe(9);
    expect(() => allocateGrids(communities, 100, createRng(4))).toThrow(RangeError);
  });
});

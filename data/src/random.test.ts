import { describe, expect, it } from 'vitest';
import { createRng, weightedSampler } from './random.ts';

describe('createRng', () => {
  it('repeats the same stream for the same seed and label', () => {
    const a = createRng(42, 'x');
    const b = createRng(42, 'x');
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('gives different streams for different seeds, labels and forks', () => {
    const first = (r: ReturnType<typeof createRng>): number[] => Array.from({ length: 5 }, () => r.next());
    const base = first(createRng(42));
    expect(first(createRng(43))).not.toEqual(base);
    expect(first(createRng(42, 'roads'))).not.toEqual(base);
    const parent = createRng(42);
    const fork = parent.fork('a');
    parent.next();
    // A fork does not depend on how far its parent has been drawn.
    expect(first(fork)).toEqual(first(createRng(42).fork('a')));
  });

  it('draws integers in range and roughly uniform', () => {
    const r = createRng(7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40000; i++) counts[r.int(0, 3)]!++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
  });

  it('samples by weight', () => {
    const r = createRng(1);
    const draw = weightedSampler([0.78, 0.12, 0.1]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[draw(r)]!++;
    expect(counts[0]! / 20000).toBeCloseTo(0.78, 1);
    expect(counts[1]! / 20000).toBeCloseTo(0.12, 1);
  });
});

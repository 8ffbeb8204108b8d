import { describe, expect, it } from 'vitest';
import { labelWidth, placeLabels } from './label-declutter.ts';

describe('problem labels giving way', () => {
  it('keeps the first of two overlapping labels and both of two apart', () => {
    const boxes = [
      { x: 0, y: 0, width: 100 },
      { x: 50, y: 5, width: 100 },
      { x: 0, y: 40, width: 100 },
    ];
    expect(placeLabels(boxes, 18, 12)).toEqual([true, false, true]);
  });

  it('lets a label through once the one it overlapped gave way itself', () => {
    // B overlaps A and C; C does not overlap A: A and C are drawn.
    const boxes = [
      { x: 0, y: 0, width: 60 },
      { x: 50, y: 0, width: 60 },
      { x: 100, y: 0, width: 60 },
    ];
    expect(placeLabels(boxes, 18, 0)).toEqual([true, false, true]);
  });

  it('measures Chinese characters wider than Latin ones', () => {
    expect(labelWidth('户数', 13, 0)).toBe(26);
    expect(labelWidth('ab', 13, 0)).toBeLessThan(26);
  });
});

import { gridId } from '@gcc/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  boxOf,
  cutOutGesture,
  mergeGesture,
  metresPerPixel,
  nextSelection,
  splitGesture,
  toleranceDeg,
} from './plan-gestures.ts';

describe('planner gestures', () => {
  it('a split line needs two distinct points; repeated clicks (a double-click) count once', () => {
    expect(splitGesture([[1, 1]], null)).toBeNull();
    expect(
      splitGesture(
        [
          [1, 1],
          [1, 1],
        ],
        null,
      ),
    ).toBeNull();
    expect(
      splitGesture(
        [
          [1, 1],
          [2, 2],
          [2, 2],
        ],
        gridId(7),
      ),
    ).toEqual({
      type: 'split',
      line: [
        [1, 1],
        [2, 2],
      ],
      prefer: 7,
    });
  });

  it('a cut-out ring needs three points and comes closed', () => {
    expect(
      cutOutGesture([
        [0, 0],
        [1, 0],
      ]),
    ).toBeNull();
    expect(
      cutOutGesture([
        [0, 0],
        [1, 0],
        [1, 1],
      ]),
    ).toEqual({
      type: 'cutOut',
      ring: [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    });
  });

  it('merge takes two clicks on two grids; the first keeps its code', () => {
    expect(mergeGesture(null, gridId(3))).toBe('first');
    expect(mergeGesture(gridId(3), gridId(3))).toBeNull();
    expect(mergeGesture(gridId(3), gridId(4))).toEqual({ type: 'merge', into: 3, from: 4 });
  });

  it('click selects, Shift+click toggles, a click on nothing clears', () => {
    expect(nextSelection([gridId(1)], gridId(2), false)).toEqual([2]);
    expect(nextSelection([gridId(1)], gridId(2), true)).toEqual([1, 2]);
    expect(nextSelection([gridId(1), gridId(2)], gridId(1), true)).toEqual([2]);
    expect(nextSelection([gridId(1)], null, false)).toEqual([]);
  });

  it('boxes and pixel tolerances', () => {
    expect(boxOf([2, 1], [1, 3])).toEqual([1, 1, 2, 3]);
    // Zoom 0 at the equator: the world's 40,075 km over 512 px.
    expect(metresPerPixel(0, 0)).toBeCloseTo(78_271.5, 0);
    const tol = toleranceDeg(10, 16, 30);
    expect(tol * 111_320 * Math.cos(Math.PI / 6)).toBeCloseTo(10 * metresPerPixel(16, 30), 6);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeMultiPolygon, encodeMultiPolygon } from './coords-codec.ts';
import { flatFeatureBBox, flattenMultiPolygons, pointInFlatFeature } from './point-in-polygon.ts';

const square = (x: number, y: number, s: number) => [
  [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ],
];
// A square with a square hole, and a two-part multipolygon.
const withHole = [[square(0, 0, 10)[0]!, square(4, 4, 2)[0]!.slice().reverse()]];
const twoParts = [square(20, 0, 1), square(30, 0, 1)];

describe('flat point in polygon', () => {
  const flat = flattenMultiPolygons([withHole, twoParts]);
  it('honours holes', () => {
    expect(pointInFlatFeature(flat, 0, 1, 1)).toBe(true);
    expect(pointInFlatFeature(flat, 0, 5, 5)).toBe(false);
    expect(pointInFlatFeature(flat, 0, 11, 5)).toBe(false);
  });
  it('finds either part of a multipolygon', () => {
    expect(pointInFlatFeature(flat, 1, 20.5, 0.5)).toBe(true);
    expect(pointInFlatFeature(flat, 1, 30.5, 0.5)).toBe(true);
    expect(pointInFlatFeature(flat, 1, 25, 0.5)).toBe(false);
  });
  it('computes bounding boxes per feature', () => {
    expect(flatFeatureBBox(flat, 1)).toEqual([20, 0, 31, 1]);
  });
});

describe('compact coordinates', () => {
  it('round-trips at 1e-6 degrees', () => {
    const mp = [
      [
        [
          [118.123456, 28.654321],
          [118.2, 28.7],
          [118.1, 28.75],
          [118.123456, 28.654321],
        ],
      ],
    ];
    expect(decodeMultiPolygon(encodeMultiPolygon(mp))).toEqual(mp);
  });
});

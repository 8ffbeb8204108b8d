/** Side of the test squares, in degrees (≈ 100 m). */
export const SQUARE_DEG = 0.001;

/** The unit square at column x, row y of a test block, as MultiPolygon coordinates, counter-clockwise. */
export const square = (x: number, y: number, s = SQUARE_DEG): number[][][][] => [
  [
    [
      [x * s, y * s],
      [(x + 1) * s, y * s],
      [(x + 1) * s, (y + 1) * s],
      [x * s, (y + 1) * s],
      [x * s, y * s],
    ],
  ],
];

import { describe, expect, it } from 'vitest';
import { GridCodeSchema } from '@gcc/shared';
import { gridId, unitId } from '@gcc/shared/testing';
import { assignGridCodes } from './grid-codes.ts';

// GB/T 30428 codes for the grids a publish adds: after the highest serial the community ever gave
// (retired ones included), in reading order — rows from the north, west to east in a row.

const S = 0.003; // ≈ 300 m: a typical urban grid
const cell = (x: number, y: number) => [
  [
    [
      [120 + x * S, 30 + y * S],
      [120 + (x + 1) * S, 30 + y * S],
      [120 + (x + 1) * S, 30 + (y + 1) * S],
      [120 + x * S, 30 + (y + 1) * S],
      [120 + x * S, 30 + y * S],
    ],
  ],
];

describe('codes of new grids', () => {
  it('continue after every serial the community had, north row first, west to east', () => {
    const added = [
      { id: gridId(2_000_000_001), communityId: unitId(7), polygon: cell(1, 0) }, // south row, east
      { id: gridId(2_000_000_002), communityId: unitId(7), polygon: cell(0, 1) }, // north row, west
      { id: gridId(2_000_000_003), communityId: unitId(7), polygon: cell(0, 0) }, // south row, west
      { id: gridId(2_000_000_004), communityId: unitId(8), polygon: cell(5, 5) }, // another community
    ];
    const codes = assignGridCodes(
      added,
      (u) => (u === 7 ? '330802005001' : '330802005002'),
      // Serial 12 was given once (a retired grid): the next is 13, never 12 again.
      new Map([['330802005001', 12]]),
    );
    expect([...codes.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c.code)).toEqual([
      '330802005001015',
      '330802005001013',
      '330802005001014',
      '330802005002001',
    ]);
    for (const { code } of codes.values()) expect(GridCodeSchema.safeParse(code).success).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { gridId } from '../testing/ids.ts';
import { bandProblems, HOUSEHOLD_BANDS } from './household-bands.ts';

describe('bandProblems', () => {
  it('names the grids outside the band of their area type, bounds included, uncounted ones left out', () => {
    const grids = [
      { id: gridId(1), urban: true, households: 300 },
      { id: gridId(2), urban: true, households: 501 },
      { id: gridId(3), urban: true, households: 299 },
      { id: gridId(4), urban: false, households: 600 },
      { id: gridId(5), urban: false, households: 149 },
      { id: gridId(6), urban: true, households: null },
      { id: gridId(7), urban: false, households: undefined },
    ];
    expect(bandProblems(grids)).toEqual([
      { grid: 2, reason: 'households-over' },
      { grid: 3, reason: 'households-under' },
      { grid: 5, reason: 'households-under' },
    ]);
    expect(bandProblems(grids, { ...HOUSEHOLD_BANDS, urban: [0, 1000] })).toEqual([
      { grid: 5, reason: 'households-under' },
    ]);
  });
});

import { caseId } from '../testing/ids.ts';
import { describe, expect, it } from 'vitest';
import { suggestDuplicates, type DuplicateCandidate } from './case-duplicates.ts';
import { greatCircleM } from '../geo/great-circle.ts';

const at = Date.parse('2026-03-02T10:00:00+08:00');
const MIN = 60_000;
// At latitude 28.9°, 0.0001° of latitude is ~11.1 m.
const c = (
  id: number,
  dLat: number,
  dMin: number,
  extra: Partial<DuplicateCandidate> = {},
): DuplicateCandidate => ({
  id: caseId(id),
  category: 'S0101',
  lng: 118.9,
  lat: 28.9 + dLat,
  reportedAt: at - dMin * MIN,
  status: 'registered',
  mergedInto: null,
  ...extra,
});

describe('duplicate suggestions at intake', () => {
  it('measures metres on the sphere', () => {
    expect(greatCircleM(118.9, 28.9, 118.9, 28.9001)).toBeCloseTo(11.12, 1);
    expect(greatCircleM(0, 0, 1, 0)).toBeCloseTo(111_195, -1);
  });

  it('suggests the same subclass within R metres and T minutes, nearest first', () => {
    const report = { category: 'S0101', lng: 118.9, lat: 28.9, at };
    const got = suggestDuplicates(
      report,
      [
        c(1, 0.0004, 10), // ~44 m, 10 min: yes
        c(2, 0.0001, 100), // ~11 m, 100 min: yes
        c(3, 0.0006, 5), // ~67 m: too far
        c(4, 0.0001, 130), // 130 min: too early
        c(5, 0.0001, 5, { category: 'S0102' }), // another subclass
        c(6, 0.0001, 5, { status: 'closed' }), // finished
        c(7, 0.0002, 5, { status: 'merged', mergedInto: caseId(1) }), // stands for its primary 1, nearer
      ],
      { radiusM: 50, windowMin: 120 },
    );
    expect(got.map((s) => s.caseId)).toEqual([2, 1]);
    expect(got[1]!.distanceM).toBeCloseTo(22.2, 0);
  });
});

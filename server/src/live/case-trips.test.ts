import { describe, expect, it } from 'vitest';
import { caseId, gridId, workerId } from '@gcc/shared/testing';
import { CaseTrips, type Assignment } from './case-trips.ts';

const MIN = 60_000;
const LAT = 28.95;
const LNG = 118.87;
const east = (m: number) => m / (111_195 * Math.cos((LAT * Math.PI) / 180));
const north = (m: number) => m / 111_195;

describe('case trips', () => {
  const w = workerId(7);
  const c = caseId(41);
  const caseGrid = gridId(2);
  const site: [number, number] = [LNG + east(2000), LAT];
  let at: [number, number] = [LNG, LAT];
  const trips = new CaseTrips((id) => (id === w ? { lng: at[0], lat: at[1] } : null));
  const assigned = (status: Assignment['status']): Assignment[] => [
    { workerId: w, caseId: c, caseCode: 'C41', status, lng: site[0], lat: site[1], gridId: caseGrid },
  ];
  const t0 = 1_000_000;

  it('explains nothing while a case only waits for its 签收', () => {
    trips.update(assigned('dispatched'), t0);
    expect(trips.reasonFor(w, LNG + east(1000), LAT, gridId(3), t0)).toBeNull();
  });

  it('explains the corridor to the site and the case grid once accepted, not a detour', () => {
    at = [LNG + east(100), LAT];
    trips.update(assigned('accepted'), t0 + MIN);
    expect(trips.reasonFor(w, LNG + east(1000), LAT + north(200), gridId(3), t0 + 2 * MIN)).toEqual({
      kind: 'case',
      caseId: c,
      caseCode: 'C41',
    });
    // Anywhere in the case's grid, even off the route.
    expect(trips.reasonFor(w, LNG + east(2000), LAT + north(800), caseGrid, t0 + 2 * MIN)).toEqual({
      kind: 'case',
      caseId: c,
      caseCode: 'C41',
    });
    expect(trips.reasonFor(w, LNG + east(1000), LAT + north(800), gridId(3), t0 + 2 * MIN)).toBeNull();
    trips.update(assigned('handling'), t0 + 3 * MIN);
    expect(trips.reasonFor(w, site[0], site[1], caseGrid, t0 + 3 * MIN)?.kind).toBe('case');
  });

  it('explains the way back for as long as walking it takes, then nothing', () => {
    const end = t0 + 10 * MIN;
    trips.update([], end);
    expect(trips.reasonFor(w, LNG + east(1000), LAT, gridId(3), end + MIN)).toEqual({
      kind: 'returning',
      caseId: c,
      caseCode: 'C41',
    });
    // About 2 km at 1.25 m/s × 1.5 ≈ 40 minutes.
    trips.update([], end + 60 * MIN);
    expect(trips.reasonFor(w, LNG + east(1000), LAT, gridId(3), end + 60 * MIN)).toBeNull();
    expect(trips.size).toBe(0);
  });

  it('explains nothing for a worker without a case', () => {
    expect(trips.reasonFor(workerId(8), LNG, LAT, gridId(3), t0)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { CASE_CORRIDOR_HALF_WIDTH_M, distanceToPathM, inCorridor, pathLengthM } from './corridor.ts';
import { greatCircleM } from './great-circle.ts';

// An L-shaped route in Quzhou: 1 km east, then 1 km north.
const LAT = 28.95;
const LNG = 118.87;
const mPerDegLat = 111_195;
const mPerDegLng = mPerDegLat * Math.cos((LAT * Math.PI) / 180);
const east = (m: number) => m / mPerDegLng;
const north = (m: number) => m / mPerDegLat;
const route: [number, number][] = [
  [LNG, LAT],
  [LNG + east(1000), LAT],
  [LNG + east(1000), LAT + north(1000)],
];

describe('case corridor', () => {
  it('measures the distance to the nearest segment, not the nearest vertex', () => {
    expect(distanceToPathM(LNG + east(500), LAT + north(120), route)).toBeCloseTo(120, 0);
    expect(distanceToPathM(LNG + east(1250), LAT + north(500), route)).toBeCloseTo(250, 0);
  });
  it('measures past the ends to the end point', () => {
    const d = distanceToPathM(LNG - east(300), LAT - north(400), route);
    expect(d).toBeCloseTo(greatCircleM(LNG - east(300), LAT - north(400), LNG, LAT), -1);
  });
  it('holds a parallel street a block over and not the next district', () => {
    expect(inCorridor(LNG + east(400), LAT + north(CASE_CORRIDOR_HALF_WIDTH_M - 20), [route])).toBe(true);
    expect(inCorridor(LNG + east(400), LAT + north(CASE_CORRIDOR_HALF_WIDTH_M + 20), [route])).toBe(false);
    expect(inCorridor(LNG + east(400), LAT + north(900), [route])).toBe(false);
  });
  it('is the union of several routes', () => {
    const other: [number, number][] = [
      [LNG, LAT + north(900)],
      [LNG + east(1000), LAT + north(1000)],
    ];
    expect(inCorridor(LNG + east(400), LAT + north(900), [route, other])).toBe(true);
  });
  it('treats an empty path as no corridor and a single point as a disc', () => {
    expect(distanceToPathM(LNG, LAT, [])).toBe(Infinity);
    expect(inCorridor(LNG + east(100), LAT, [[[LNG, LAT]]])).toBe(true);
  });
  it('measures lengths', () => {
    expect(pathLengthM(route)).toBeCloseTo(2000, -1);
  });
});

import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { GridId } from '../ids.ts';
import { gridId, unitId } from '../testing/ids.ts';
import { buildTopology, type TopologyInputGrid } from '../topology/topology.ts';
import { gridStats } from './grid-stats.ts';
import { bandOf, HOUSEHOLD_BANDS, HouseholdBandsSchema } from './household-bands.ts';
import {
  AddressPointsWireSchema,
  CASE_OPEN,
  CASE_RECENT,
  CasePointsWireSchema,
  decodeAddressPoints,
  decodeCasePoints,
  encodeAddressPoints,
  encodeCasePoints,
  type AddressPointColumns,
  type CasePointColumns,
} from './planning-points.codec.ts';
import { PlanningPoints } from './planning-points.ts';
import { decodePlanningContext, PlanningContextWireSchema } from './planning-context.schema.ts';

// A 2 × 2 block of squares 0.001° wide near Quzhou: grid 1 south-west, 2 south-east, 3 north-west,
// 4 north-east. Borders run along x = X0 + S and y = Y0 + S.
const X0 = 118.87;
const Y0 = 28.94;
const S = 0.001;
const square = (i: number, j: number): number[][][][] => {
  const x = X0 + i * S;
  const y = Y0 + j * S;
  return [
    [
      [
        [x, y],
        [x + S, y],
        [x + S, y + S],
        [x, y + S],
        [x, y],
      ],
    ],
  ];
};
const block: TopologyInputGrid[] = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
].map(([i, j], k) => ({ id: gridId(k + 1), parentId: unitId(10), polygon: square(i!, j!) }));
const { topology } = buildTopology(block);

const addresses = (pts: [number, number, number, number][]): AddressPointColumns => ({
  lng: Float64Array.from(pts.map((p) => p[0])),
  lat: Float64Array.from(pts.map((p) => p[1])),
  households: Uint16Array.from(pts.map((p) => p[2])),
  residents: Uint16Array.from(pts.map((p) => p[3])),
});
const cases = (pts: [number, number, number][]): CasePointColumns => ({
  lng: Float64Array.from(pts.map((p) => p[0])),
  lat: Float64Array.from(pts.map((p) => p[1])),
  flags: Uint8Array.from(pts.map((p) => p[2])),
});
const noStaff = new Map<GridId, number>();

describe('gridStats', () => {
  it('counts households, residents, buildings and cases of the points inside', () => {
    const points = new PlanningPoints(
      addresses([
        [X0 + 0.0002, Y0 + 0.0003, 30, 80],
        [X0 + 0.0007, Y0 + 0.0001, 12, 31],
        [X0 + 0.0015, Y0 + 0.0005, 50, 140],
      ]),
      cases([
        [X0 + 0.0005, Y0 + 0.0005, CASE_OPEN | CASE_RECENT],
        [X0 + 0.0006, Y0 + 0.0004, CASE_RECENT],
        [X0 + 0.0016, Y0 + 0.0016, CASE_OPEN],
      ]),
    );
    const staff = new Map([[gridId(1), 6]]);
    expect(gridStats(topology, gridId(1), { points, staff })).toMatchObject({
      households: 42,
      residents: 111,
      buildings: 2,
      openCases: 1,
      cases90d: 2,
      staff: 6,
    });
    expect(gridStats(topology, gridId(2), { points, staff })).toMatchObject({
      households: 50,
      buildings: 1,
      openCases: 0,
      staff: 0,
    });
    expect(gridStats(topology, gridId(4), { points, staff })).toMatchObject({ openCases: 1, cases90d: 0 });
  });

  it('counts a point on a border in exactly one grid: east of a north–south border, north of an east–west one', () => {
    const onBorders: [number, number, number, number][] = [
      [X0 + S, Y0 + 0.0004, 1, 1], // between 1 and 2 → 2 (east)
      [X0 + 0.0004, Y0 + S, 2, 2], // between 1 and 3 → 3 (north)
      [X0 + S, Y0 + S, 4, 4], // the corner of all four → 4 (north-east)
      [X0 + S, Y0 + 0.0016, 8, 8], // between 3 and 4 → 4
      [X0 + 0.0013, Y0 + S, 16, 16], // between 2 and 4 → 4
    ];
    const points = new PlanningPoints(addresses(onBorders), cases([]));
    const hh = [1, 2, 3, 4].map((g) => gridStats(topology, gridId(g), { points, staff: noStaff }).households);
    expect(hh).toEqual([0, 1, 2, 4 + 8 + 16]);
    expect(hh.reduce((a, b) => a + b, 0)).toBe(31);
  });

  it('counts every point of a dense random cloud, on borders and vertices too, exactly once', () => {
    // Points on the 1e-4° lattice: many lie exactly on borders and corners.
    const pts: [number, number, number, number][] = [];
    for (let i = 0; i <= 20; i++)
      for (let j = 0; j <= 20; j++) pts.push([X0 + i * 1e-4, Y0 + j * 1e-4, 1, 1]);
    const points = new PlanningPoints(addresses(pts), cases([]));
    const total = [1, 2, 3, 4]
      .map((g) => gridStats(topology, gridId(g), { points, staff: noStaff }).buildings)
      .reduce((a, b) => a + b, 0);
    // The block's own west and south sides keep their points; its east and north sides belong to
    // the outside (no grid), by the same rule.
    expect(total).toBe(20 * 20);
  });

  it('gives the area as turf.area does, within 0.1 %', () => {
    const points = new PlanningPoints(addresses([]), cases([]));
    for (const [k, [i, j]] of (
      [
        [0, 0],
        [1, 1],
      ] as const
    ).entries()) {
      const a = gridStats(topology, gridId(k * 3 + 1), { points, staff: noStaff }).areaM2;
      const want = turf.area(turf.multiPolygon(square(i, j)));
      expect(Math.abs(a - want) / want).toBeLessThan(1e-3);
    }
  });

  it('subtracts holes from the area and does not count their points', () => {
    const outer = square(0, 0)[0]![0]!;
    const c = [X0 + 0.0005, Y0 + 0.0005];
    const h = 0.0002;
    const hole = [
      [c[0]! - h, c[1]! - h],
      [c[0]! - h, c[1]! + h],
      [c[0]! + h, c[1]! + h],
      [c[0]! + h, c[1]! - h],
      [c[0]! - h, c[1]! - h],
    ];
    const { topology: t } = buildTopology([
      { id: gridId(1), parentId: unitId(10), polygon: [[outer, hole]] },
      { id: gridId(2), parentId: unitId(10), polygon: [[[...hole].reverse()]] },
    ]);
    const points = new PlanningPoints(
      addresses([
        [c[0]!, c[1]!, 7, 7],
        [X0 + 0.0001, Y0 + 0.0001, 3, 3],
      ]),
      cases([]),
    );
    const ring = gridStats(t, gridId(1), { points, staff: noStaff });
    expect(ring.households).toBe(3);
    expect(gridStats(t, gridId(2), { points, staff: noStaff }).households).toBe(7);
    const want = turf.area(turf.polygon([outer, hole]));
    expect(Math.abs(ring.areaM2 - want) / want).toBeLessThan(1e-3);
  });

  it('gives zeros for a grid the topology does not hold', () => {
    const points = new PlanningPoints(addresses([[X0, Y0, 1, 1]]), cases([]));
    const stats = gridStats(topology, gridId(99), { points, staff: noStaff });
    expect(Object.keys(stats)).toHaveLength(7);
    expect(Object.values(stats).every((v) => v === 0)).toBe(true);
  });
});

describe('points on the wire', () => {
  it('round-trips address and case points through JSON and the schemas', () => {
    const a = addresses([
      [118.871234, 28.940001, 24, 70],
      [118.871236, 28.939999, 1, 3],
      [-0.000001, -89.999999, 0, 0],
    ]);
    const wire = JSON.parse(JSON.stringify(encodeAddressPoints(a))) as unknown;
    const decoded = decodeAddressPoints(AddressPointsWireSchema.parse(wire));
    expect(decoded.ok && decoded.points).toEqual(a);
    const c = cases([
      [118.87, 28.94, CASE_OPEN],
      [118.88, 28.95, CASE_OPEN | CASE_RECENT],
    ]);
    const cw = CasePointsWireSchema.parse(JSON.parse(JSON.stringify(encodeCasePoints(c))));
    const cd = decodeCasePoints(cw);
    expect(cd.ok && cd.points).toEqual(c);
  });

  it('encodes points of a grid in a few digits each (deltas)', () => {
    const a = addresses([
      [118.871234, 28.940001, 24, 70],
      [118.871734, 28.940401, 24, 70],
    ]);
    expect(encodeAddressPoints(a).coords).toEqual([118871234, 28940001, 500, 400]);
  });

  it('refuses malformed input with a reason', () => {
    const ok = encodeAddressPoints(addresses([[118.87, 28.94, 1, 1]]));
    expect(AddressPointsWireSchema.safeParse({ ...ok, households: [70000] }).success).toBe(false);
    expect(AddressPointsWireSchema.safeParse({ ...ok, coords: [1.5, 2] }).success).toBe(false);
    expect(AddressPointsWireSchema.safeParse({ ...ok, v: 2 }).success).toBe(false);
    expect(decodeAddressPoints({ ...ok, coords: [1, 2, 3] })).toMatchObject({ reason: 'odd-coords' });
    expect(decodeAddressPoints({ ...ok, residents: [] })).toMatchObject({ reason: 'length-mismatch' });
    expect(decodeAddressPoints({ ...ok, coords: [181_000_000, 0] })).toMatchObject({
      reason: 'out-of-range',
      at: 0,
    });
    expect(
      decodeCasePoints({ v: 1, coords: [0, 0, 0, 91_000_000], flags: [CASE_OPEN, CASE_OPEN] }),
    ).toMatchObject({ reason: 'out-of-range', at: 1 });
  });
});

describe('the planning context on the wire', () => {
  const wire = () => ({
    version: 1,
    addresses: encodeAddressPoints(addresses([[X0 + 0.0005, Y0 + 0.0005, 40, 100]])),
    cases: encodeCasePoints(cases([[X0 + 0.0004, Y0 + 0.0004, CASE_OPEN | CASE_RECENT]])),
    recentSince: 0,
    staff: { gridIds: [1], counts: [7] },
    bands: { urban: [300, 500], rural: [150, 600] },
  });

  it('decodes into the context gridStats counts from', () => {
    const d = decodePlanningContext(PlanningContextWireSchema.parse(JSON.parse(JSON.stringify(wire()))));
    if (!d.ok) throw new Error(d.reason);
    expect(gridStats(topology, gridId(1), d.context)).toMatchObject({
      households: 40,
      residents: 100,
      buildings: 1,
      openCases: 1,
      cases90d: 1,
      staff: 7,
    });
    expect(d.bands).toEqual(HOUSEHOLD_BANDS);
  });

  it('refuses a context whose columns do not line up, or whose ids are no ids', () => {
    const w = PlanningContextWireSchema.parse({ ...wire(), staff: { gridIds: [1, 2], counts: [7] } });
    expect(decodePlanningContext(w)).toMatchObject({ ok: false, reason: 'length-mismatch' });
    expect(
      PlanningContextWireSchema.safeParse({ ...wire(), staff: { gridIds: [0], counts: [1] } }).success,
    ).toBe(false);
    expect(
      PlanningContextWireSchema.safeParse({ ...wire(), bands: { urban: [500, 300], rural: [1, 2] } }).success,
    ).toBe(false);
  });
});

describe('household bands', () => {
  it('places a grid under, within or over the band of its kind', () => {
    expect(bandOf({ households: 299 }, true)).toBe('under');
    expect(bandOf({ households: 300 }, true)).toBe('within');
    expect(bandOf({ households: 500 }, true)).toBe('within');
    expect(bandOf({ households: 501 }, true)).toBe('over');
    expect(bandOf({ households: 550 }, false)).toBe('within');
    expect(bandOf({ households: 601 }, false)).toBe('over');
  });

  it('takes a plan’s own bands, validated', () => {
    const bands = HouseholdBandsSchema.parse({ urban: [200, 400], rural: [100, 800] });
    expect(bandOf({ households: 450 }, true, bands)).toBe('over');
    expect(bandOf({ households: 450 }, true)).toBe('within');
    expect(HouseholdBandsSchema.safeParse({ urban: [500, 300], rural: [150, 600] }).success).toBe(false);
    expect(HOUSEHOLD_BANDS.urban).toEqual([300, 500]);
  });
});

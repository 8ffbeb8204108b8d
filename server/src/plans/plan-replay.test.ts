import { describe, expect, it } from 'vitest';
import { BoundaryVersionSchema, type GridId, type UnitId, type UnitLevel } from '@gcc/shared';
import { GridIndex } from '@gcc/shared/geo';
import {
  createAddressPointColumns,
  createCasePointColumns,
  HOUSEHOLD_BANDS,
  PlanningPoints,
  type HouseholdBands,
} from '@gcc/shared/planning';
import { gridId, unitId } from '@gcc/shared/testing';
import {
  buildTopology,
  PROVISIONAL_GRID_ID_MIN,
  TopologyEditSchema,
  type TopologyEdit,
} from '@gcc/shared/topology';
import { Boundary } from '../spatial/boundary.ts';
import { PlanReplay, replayPlan } from './plan-replay.ts';

// Four square grids in a row: g1 and g2 in community C1, g3 in C2 (both of street A), g4 in C3
// of street B. So g1|g2 is a grid border, g2|g3 a community border inside street A, g3|g4 a
// street border, and the rest the city's outline.

const S = 0.002;
const [X0, Y0] = [118.87, 28.93];
const CITY = unitId(1);
const STREET_A = unitId(2);
const STREET_B = unitId(3);
const C1 = unitId(4);
const C2 = unitId(5);
const C3 = unitId(6);
const units: { id: UnitId; level: UnitLevel; parentId: UnitId | null }[] = [
  { id: CITY, level: 'city', parentId: null },
  { id: STREET_A, level: 'street', parentId: CITY },
  { id: STREET_B, level: 'street', parentId: CITY },
  { id: C1, level: 'community', parentId: STREET_A },
  { id: C2, level: 'community', parentId: STREET_A },
  { id: C3, level: 'community', parentId: STREET_B },
];
const parents = [C1, C1, C2, C3];
const grids = parents.map((communityId, i) => ({
  id: gridId(i + 1),
  code: `33080200100${i + 1}001`,
  name: `g${i + 1}`,
  communityId,
  households: 400,
  population: 1000,
  urban: true,
  polygon: [
    [
      [
        [X0 + i * S, Y0],
        [X0 + (i + 1) * S, Y0],
        [X0 + (i + 1) * S, Y0 + S],
        [X0 + i * S, Y0 + S],
        [X0 + i * S, Y0],
      ],
    ],
  ],
}));
const boundary = new Boundary(
  BoundaryVersionSchema.parse(1),
  grids,
  units.map((u) => ({ ...u, code: '330802', name: String(u.id) })),
  new GridIndex(grids),
);
const { topology } = buildTopology(
  grids.map((g) => ({ id: g.id, parentId: g.communityId, polygon: g.polygon })),
);
const [g1, g2, g3, g4] = grids.map((g) => g.id) as [GridId, GridId, GridId, GridId];

/** Adds a point in the middle of the edge between two grids, pushed a little east. */
function bend(a: GridId, b: GridId, unlockParents?: boolean): TopologyEdit {
  const edge = [...topology.edges.values()].find(
    (e) => (e.left === a && e.right === b) || (e.left === b && e.right === a),
  )!;
  // The border of grid n (1-based) and n + 1 runs north along x = X0 + n·S.
  const x = X0 + Math.min(a, b) * S;
  return {
    type: 'addVertex',
    edge: edge.id,
    index: 0,
    at: [x + S / 10, Y0 + S / 2],
    ...(unlockParents ? { unlockParents } : {}),
  };
}

/** Splits a grid of the row across its middle, west to east. */
const split = (grid: GridId, newGrid: number): TopologyEdit => ({
  type: 'splitGrid',
  grid,
  line: [
    [X0 + (grid - 1) * S - S / 10, Y0 + S / 2],
    [X0 + grid * S + S / 10, Y0 + S / 2],
  ],
  newGrid: gridId(newGrid),
});

/** Splits a grid made by splitting g1, south to north. */
const splitAgain = (grid: number, newGrid: number): TopologyEdit => ({
  type: 'splitGrid',
  grid: gridId(grid),
  line: [
    [X0 + S / 3, Y0 - S / 10],
    [X0 + S / 3, Y0 + S + S / 10],
  ],
  newGrid: gridId(newGrid),
});

const replay = (unit: UnitId, edits: TopologyEdit[], cursor = edits.length) =>
  replayPlan(topology, boundary, unit, edits, cursor);

describe('replayPlan', () => {
  it('holds edits to the planner’s jurisdiction; a grid the plan made counts by its parent', () => {
    const P = PROVISIONAL_GRID_ID_MIN;
    expect(replay(C1, [bend(g1, g2), split(g1, P), splitAgain(P, P + 1)])).toMatchObject({
      ok: true,
      touched: [g1, g2],
    });
    expect(replay(C1, [bend(g1, g2), split(g4, P)])).toMatchObject({
      ok: false,
      step: 1,
      reason: 'outside-jurisdiction',
    });
    expect(replay(STREET_B, [split(g1, P)])).toMatchObject({ ok: false, reason: 'outside-jurisdiction' });
  });

  it('moves a parent border only for a planner strictly above both sides', () => {
    // A community border inside street A: locked, not the community's to unlock, the street's.
    expect(replay(C1, [bend(g2, g3)])).toMatchObject({ ok: false, reason: 'parent-border-locked' });
    expect(replay(C1, [bend(g2, g3, true)])).toMatchObject({ ok: false, reason: 'unlock-forbidden' });
    expect(replay(STREET_A, [bend(g2, g3, true)])).toMatchObject({ ok: true, touched: [g2, g3] });
    // The border of street A itself: the city's.
    expect(replay(STREET_A, [bend(g3, g4, true)])).toMatchObject({ ok: false, reason: 'unlock-forbidden' });
    expect(replay(CITY, [bend(g3, g4, true)])).toMatchObject({ ok: true, touched: [g3, g4] });
    // Merging across communities is the same: the street's call.
    const merge: TopologyEdit = { type: 'mergeGrids', into: g2, from: g3, unlockParents: true };
    expect(replay(C1, [merge])).toMatchObject({ ok: false, reason: 'unlock-forbidden' });
    expect(replay(STREET_A, [merge])).toMatchObject({ ok: true, touched: [g2, g3] });
  });

  it('replays the redo part too, and counts touched grids of the applied edits only', () => {
    expect(replay(C1, [bend(g1, g2), split(g1, PROVISIONAL_GRID_ID_MIN)], 1)).toMatchObject({
      ok: true,
      touched: [g1, g2],
      problems: 0,
    });
    expect(replay(C1, [bend(g1, g2), split(g1, PROVISIONAL_GRID_ID_MIN)], 0)).toMatchObject({
      ok: true,
      touched: [],
    });
    const missing = TopologyEditSchema.parse({ type: 'moveNode', node: 9_999, to: [X0, Y0] });
    expect(replay(C1, [bend(g1, g2), missing], 1)).toMatchObject({
      ok: false,
      step: 1,
      reason: 'unknown-node',
    });
  });

  it('counts household band breaches of the touched grids from the address points, in the plan’s bands', () => {
    // One building of 400 households in the middle of each grid: every grid within 300–500.
    const addresses = createAddressPointColumns(grids.length);
    grids.forEach((_, i) => {
      addresses.lng[i] = X0 + (i + 0.5) * S;
      addresses.lat[i] = Y0 + S / 2;
      addresses.households[i] = 400;
      addresses.residents[i] = 1000;
    });
    const context = { points: new PlanningPoints(addresses, createCasePointColumns(0)), staff: new Map() };
    const merge: TopologyEdit = { type: 'mergeGrids', into: g1, from: g2 };
    const count = (bands: HouseholdBands) =>
      replayPlan(topology, boundary, C1, [merge], 1, { context, bands });
    expect(replay(C1, [merge])).toMatchObject({ ok: true, problems: 0 });
    expect(count(HOUSEHOLD_BANDS)).toMatchObject({ ok: true, problems: 1 });
    expect(count({ urban: [300, 800], rural: [150, 600] })).toMatchObject({ ok: true, problems: 0 });
    // A grid the plan made is held to the band of its community's grids (urban here).
    const halves = replayPlan(topology, boundary, C1, [split(g1, PROVISIONAL_GRID_ID_MIN)], 1, {
      context,
      bands: HOUSEHOLD_BANDS,
    });
    // The point lies in one half: that half keeps 400, the other has none (under the band).
    expect(halves).toMatchObject({ ok: true, problems: 1 });
  });

  it('a kept replay that adds, rewinds and redoes edits answers as a replay of the whole list', () => {
    const P = PROVISIONAL_GRID_ID_MIN;
    const merge: TopologyEdit = { type: 'mergeGrids', into: g1, from: g2 };
    const kept = new PlanReplay(topology, boundary, C1);
    expect(kept.append([bend(g1, g2), split(g1, P)])).toBeNull();
    expect(kept.result(2)).toEqual(replay(C1, [bend(g1, g2), split(g1, P)]));
    // Only the edits after those kept are replayed; the redo part is counted out and kept.
    const longer = [bend(g1, g2), split(g1, P), splitAgain(P, P + 1)];
    expect(kept.commonPrefix(longer)).toBe(2);
    expect(kept.append(longer)).toBeNull();
    expect(kept.result(1)).toEqual(replay(C1, longer, 1));
    expect(kept.result(3)).toEqual(replay(C1, longer, 3));
    // Undone and replaced: the list shares one edit with what is kept.
    const other = [bend(g1, g2), merge];
    expect(kept.commonPrefix(other)).toBe(1);
    kept.rewind(1);
    expect(kept.length).toBe(1);
    expect(kept.append(other)).toBeNull();
    expect(kept.result(2)).toEqual(replay(C1, other));
    // A refusal names the step in the whole list.
    expect(kept.append([...other, split(g4, P)])).toMatchObject({ step: 2, reason: 'outside-jurisdiction' });
  });
});

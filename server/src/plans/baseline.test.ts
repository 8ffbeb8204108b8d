import { describe, expect, it, vi } from 'vitest';
import { BoundaryVersionSchema } from '@gcc/shared';
import { GridIndex } from '@gcc/shared/geo';
import { gridId, unitId } from '@gcc/shared/testing';
import { buildTopology } from '@gcc/shared/topology';
import type * as Topology from '@gcc/shared/topology';
import type { Database } from '../db/connect.ts';
import { Boundary } from '../spatial/boundary.ts';
import { planBaseline } from './baseline.ts';
import { PlanStore } from './plan-store.ts';

// The baseline topology is built in the background once the boundary is loaded (the plan store
// is made then); the first plans.baseline request gets that build, it does not start another.

vi.mock('@gcc/shared/topology', async (importOriginal) => {
  const actual = await importOriginal<typeof Topology>();
  return { ...actual, buildTopology: vi.fn(actual.buildTopology) };
});

const CORNERS = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
] as const;

/** Two grids side by side in one community: a fresh Boundary object, so a fresh cache entry. */
function loadedBoundary(): Boundary {
  const grids = [0, 1].map((i) => ({
    id: gridId(i + 1),
    code: `33080200100100${i + 1}`,
    name: `g${i + 1}`,
    communityId: unitId(2),
    households: 400,
    population: 1000,
    urban: true,
    polygon: [[CORNERS.map(([x, y]) => [118.87 + (x + i) * 0.002, 28.93 + y * 0.002])]],
  }));
  const units = [
    { id: unitId(1), level: 'city' as const, parentId: null, code: '3308', name: 'city' },
    { id: unitId(2), level: 'community' as const, parentId: unitId(1), code: '330802001001', name: 'c' },
  ];
  return new Boundary(BoundaryVersionSchema.parse(1), grids, units, new GridIndex(grids));
}

const builds = vi.mocked(buildTopology);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the plan baseline', () => {
  it('is built once after start, and the first request does not build it again', async () => {
    const boundary = loadedBoundary();
    builds.mockClear();
    new PlanStore({ database: {} as Database, boundary: () => boundary });
    expect(builds, 'not on the start-up path itself').not.toHaveBeenCalled();
    await nextTurn();
    expect(builds).toHaveBeenCalledTimes(1);
    const first = await planBaseline(boundary);
    expect(builds).toHaveBeenCalledTimes(1);
    expect(first.topology.faces.size).toBe(2);
    expect(await planBaseline(boundary)).toBe(first);
  });

  it('a request made while the build runs awaits the same build', async () => {
    const boundary = loadedBoundary();
    builds.mockClear();
    new PlanStore({ database: {} as Database, boundary: () => boundary });
    const [a, b] = await Promise.all([planBaseline(boundary), planBaseline(boundary)]);
    expect(a).toBe(b);
    expect(builds).toHaveBeenCalledTimes(1);
  });
});

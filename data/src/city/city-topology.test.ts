import { cityTopologyInput, generateCity } from '../index.ts';
import { buildTopology, checkLayer, facePolygon } from '@gcc/shared/topology';
import { describe, expect, it } from 'vitest';

// The planner edits the grid layer as a topology of shared edges: the generated city must build
// into one with nothing left over — every grid derived back with its own area, every boundary
// between two grids stored once.

const ringArea = (ring: readonly (readonly number[])[]) =>
  ring.reduce((s, p, i) => {
    const q = ring[(i + 1) % ring.length]!;
    return s + p[0]! * q[1]! - q[0]! * p[1]!;
  }, 0) / 2;
const polygonArea = (mp: readonly (readonly (readonly (readonly number[])[])[])[]) =>
  mp.reduce(
    (s, poly) => s + poly.reduce((t, ring, i) => t + (i === 0 ? 1 : -1) * Math.abs(ringArea(ring)), 0),
    0,
  );

describe('the demo city as a topology', () => {
  it('builds without problems and gives every grid back with its area', () => {
    const city = generateCity({ profile: 'demo' });
    const grids = cityTopologyInput(city);
    const { topology, problems } = buildTopology(grids);
    expect(problems).toEqual([]);
    expect(topology.faces.size).toBe(grids.length);
    for (const g of grids) {
      const before = polygonArea(g.polygon);
      expect(polygonArea(facePolygon(topology, g.id)) / before).toBeCloseTo(1, 6);
    }
    // Each boundary between two grids is one edge: no pair of grids shares more than it must.
    const interior = [...topology.edges.values()].filter((e) => e.left !== null && e.right !== null);
    expect(interior.length).toBeGreaterThan(grids.length);
    for (const e of interior) expect(e.left).not.toBe(e.right);
    // And the planner's full check finds nothing to fix in what the generator made.
    expect(checkLayer(topology)).toEqual([]);
  });
});

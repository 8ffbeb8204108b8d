import { generateCity } from '@gcc/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRoadGraph, type RoadGraph } from '../sim/road-graph.ts';
import { greatCircleM } from '@gcc/shared/geo';
import { DETOUR_FACTOR, MAX_SNAP_M, RoadRouter, SPEED_MPS, travelModeFor } from './road-router.ts';

let seed = 11;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

describe('RoadRouter', () => {
  let router: RoadRouter;
  let homes: [number, number][];
  let graph: RoadGraph;
  beforeAll(() => {
    const city = generateCity({ profile: 'demo' });
    graph = buildRoadGraph(city.roads);
    router = new RoadRouter(graph);
    homes = city.staff.map((s) => s.home);
  });

  it('routes along roads: starts and ends at the points, never shorter than the straight line', () => {
    let routed = 0;
    for (let i = 0; i < 300; i++) {
      const h = homes[Math.floor(rnd() * homes.length)]!;
      const from: [number, number] = [h[0] + (rnd() - 0.5) * 0.004, h[1] + (rnd() - 0.5) * 0.004];
      const to: [number, number] = [h[0] + (rnd() - 0.5) * 0.02, h[1] + (rnd() - 0.5) * 0.02];
      const r = router.route(from, to, 'walk');
      expect(r.path[0]).toEqual(from);
      expect(r.path[r.path.length - 1]).toEqual(to);
      expect(r.distanceM).toBeGreaterThanOrEqual(r.straightM - 1e-6);
      expect(r.etaS).toBeCloseTo(r.distanceM / SPEED_MPS.walk, 6);
      if (r.fallback === null) {
        routed++;
        // The first and last road nodes are the snapped ones, within the snapping radius.
        expect(greatCircleM(from[0], from[1], r.path[1]![0], r.path[1]![1])).toBeLessThanOrEqual(MAX_SNAP_M);
        expect(greatCircleM(to[0], to[1], r.path.at(-2)![0], r.path.at(-2)![1])).toBeLessThanOrEqual(
          MAX_SNAP_M,
        );
      }
    }
    expect(routed).toBeGreaterThan(250);
  });

  it('finds routes as short as ngraph.path (NBA*) on the same weights', () => {
    const reference = new RoadRouter(graph, 'ngraph');
    let compared = 0;
    for (let i = 0; i < 200; i++) {
      const h = homes[Math.floor(rnd() * homes.length)]!;
      const g = homes[Math.floor(rnd() * homes.length)]!;
      const mine = router.route(h, g);
      const ref = reference.route(h, g);
      expect(mine.fallback).toBe(ref.fallback);
      expect(mine.distanceM).toBeCloseTo(ref.distanceM, 3);
      if (!mine.fallback) compared++;
    }
    expect(compared).toBeGreaterThan(150);
  });

  it('takes e-bike speed for full-time workers', () => {
    expect(travelModeFor('fulltime')).toBe('ebike');
    expect(travelModeFor('parttime')).toBe('walk');
    const h = homes[0]!;
    const walk = router.route(h, [h[0] + 0.005, h[1]], 'walk');
    const bike = router.route(h, [h[0] + 0.005, h[1]], 'ebike');
    expect(bike.distanceM).toBe(walk.distanceM);
    expect(bike.etaS).toBeLessThan(walk.etaS);
  });

  it('falls back to straight line × detour, flagged, for an off-road point', () => {
    const h = homes[0]!;
    const far: [number, number] = [h[0] + 3, h[1] + 3];
    const r = router.route(h, far);
    expect(r.fallback).toBe('offRoad');
    expect(r.distanceM).toBeCloseTo(r.straightM * DETOUR_FACTOR, 6);
    expect(r.path).toEqual([h, far]);
  });
});

describe('RoadRouter on a disconnected network', () => {
  // Two separate roads 0.01° apart: no route between them.
  const router = new RoadRouter(
    buildRoadGraph([
      {
        name: 'A',
        coords: [
          [120, 30],
          [120.001, 30],
          [120.002, 30],
        ],
      },
      {
        name: 'B',
        coords: [
          [120, 30.01],
          [120.001, 30.01],
        ],
      },
    ]),
  );

  it('flags disconnected pairs and still gives an estimate', () => {
    const r = router.route([120, 30], [120.001, 30.01], 'walk');
    expect(r.fallback).toBe('disconnected');
    expect(r.etaS).toBeCloseTo((r.straightM * DETOUR_FACTOR) / SPEED_MPS.walk, 6);
  });

  it('routes inside one component, through the shared nodes', () => {
    const r = router.route([120, 30.0001], [120.002, 30.0001], 'walk');
    expect(r.fallback).toBeNull();
    expect(r.path).toEqual([
      [120, 30.0001],
      [120, 30],
      [120.001, 30],
      [120.002, 30],
      [120.002, 30.0001],
    ]);
    expect(r.distanceM).toBeGreaterThan(r.straightM);
  });

  it('handles both points at one node', () => {
    const r = router.route([120.0011, 30], [120.0009, 30]);
    expect(r.fallback).toBeNull();
    expect(r.path.length).toBe(3);
  });
});

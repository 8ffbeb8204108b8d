import { gridId as gid, unitId as uid, workerId as wid } from '@gcc/shared/testing';
import { generateCity } from '@gcc/data';
import { GridIndex } from '@gcc/shared/geo';
import { describe, expect, it } from 'vitest';
import { PositionStore } from '../live/position-store.ts';
import { buildRoadGraph } from '../sim/road-graph.ts';
import { DispatchAdvisor } from './advisor.ts';

// The advisor over a live PositionStore: the index follows the store once it is old enough.

describe('DispatchAdvisor', () => {
  const city = generateCity({ profile: 'tiny' });
  const communityId = new Map(
    city.units.filter((u) => u.level === 'community').map((u, i) => [u.code, uid(i + 1)]),
  );
  const gridIdOf = new Map(city.grids.map((g, i) => [g.code, gid(i + 1)]));
  const grids = city.grids.map((g, i) => ({
    id: gid(i + 1),
    communityId: communityId.get(g.communityCode)!,
    polygon: g.polygon,
  }));
  const roster = city.staff.map((s) => ({ id: wid(s.id), gridId: gridIdOf.get(s.gridCode)!, role: s.role }));
  const store = new PositionStore(
    roster.map((w) => ({ id: w.id, homeGridId: w.gridId, duty: 'available' as const })),
    new GridIndex(grids),
  );
  store.ingest(
    city.staff.map((s) => ({
      workerId: wid(s.id),
      lng: s.home[0],
      lat: s.home[1],
      at: 1000,
      speed: 0,
      heading: 0,
      accuracy: 5,
    })),
  );
  const advisor = new DispatchAdvisor({
    grids,
    roster,
    positions: store,
    roads: buildRoadGraph(city.roads),
    maxIndexAgeMs: 1000,
  });

  it('gives five workers with road ETAs, own grid first', () => {
    const s = city.staff[3]!;
    const gridId = gridIdOf.get(s.gridCode)!;
    const out = advisor.advise({ lng: s.home[0], lat: s.home[1], gridId }, undefined, 10_000);
    expect(out.length).toBe(5);
    expect(out[0]!.homeGridId).toBe(gridId);
    for (const w of out) {
      expect(w.eta.etaS).toBeGreaterThanOrEqual(0);
      expect(w.eta.path[0]).toEqual([w.lng, w.lat]);
      expect(w.eta.path.at(-1)).toEqual([s.home[0], s.home[1]]);
    }
  });

  it('sees duty changes at once and position changes after maxIndexAgeMs', () => {
    const target = city.staff[0]!;
    const moverStaff = city.staff.find((s) => s.gridCode !== target.gridCode && s.role === 'fulltime')!;
    const mover = { ...moverStaff, id: wid(moverStaff.id) };
    const req = { lng: target.home[0] + 0.0001, lat: target.home[1], gridId: null };
    advisor.rank(req, undefined, 20_000);
    store.ingest([
      {
        workerId: mover.id,
        lng: req.lng,
        lat: req.lat,
        at: 2000,
        speed: 0,
        heading: 0,
        accuracy: 5,
      },
    ]);
    expect(advisor.rank(req, undefined, 20_500)[0]!.workerId).not.toBe(mover.id); // index still 0.5 s old
    expect(advisor.rank(req, undefined, 21_000)[0]!.workerId).toBe(mover.id);
    store.setDuty(mover.id, 'enroute');
    expect(advisor.rank(req, undefined, 21_100).map((w) => w.workerId)).not.toContain(mover.id);
  });

  it('spreads a bulk selection: each pick counts as an open case for the next', () => {
    const s = city.staff[5]!;
    const gridId = gridIdOf.get(s.gridCode)!;
    const reqs = Array.from({ length: 6 }, () => ({ lng: s.home[0], lat: s.home[1], gridId }));
    const picks = advisor.proposeBulk(reqs, undefined, 30_000);
    // The same sequence by hand: rank, add the pick to the load, rank again.
    const load = new Map<number, number>();
    for (const [i, req] of reqs.entries()) {
      const first = advisor.rank({ ...req, limit: 1 }, load, 30_000)[0]!;
      expect(picks[i]!.workerId).toBe(first.workerId);
      load.set(first.workerId, (load.get(first.workerId) ?? 0) + 1);
    }
    expect(new Set(picks.map((p) => p!.workerId)).size).toBeGreaterThan(1);
  });
});

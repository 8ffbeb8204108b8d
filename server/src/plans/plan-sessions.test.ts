import { describe, expect, it } from 'vitest';
import { PlanIdSchema, type UnitId } from '@gcc/shared';
import { unitId } from '@gcc/shared/testing';
import type { Topology } from '@gcc/shared/topology';
import type { PlanReplay } from './plan-replay.ts';
import { PlanSessions } from './plan-sessions.ts';

// The sessions kept between saves: keyed by plan and revision, on one baseline, for one planner,
// taken out by the save that uses them, and never more than the limit.

const baseline: Topology = { nodes: new Map(), edges: new Map(), faces: new Map() };
const replay = (unit: UnitId = unitId(1), base: Topology = baseline) =>
  ({ baseline: base, unitId: unit }) as PlanReplay;
const plan = (n: number) => PlanIdSchema.parse(n);

describe('PlanSessions', () => {
  it('gives a session back only for the revision, baseline and planner it was kept for, once', () => {
    const s = new PlanSessions();
    const r = replay();
    s.keep(plan(1), 3, r);
    expect(s.take(plan(1), 2, baseline, unitId(1)), 'another revision').toBeNull();
    expect(s.size, 'a miss drops it too').toBe(0);
    s.keep(plan(1), 3, r);
    expect(s.take(plan(1), 3, baseline, unitId(2)), 'another planner').toBeNull();
    s.keep(plan(1), 3, r);
    expect(s.take(plan(1), 3, { ...baseline }, unitId(1)), 'another version').toBeNull();
    s.keep(plan(1), 3, r);
    expect(s.take(plan(1), 3, baseline, unitId(1))).toBe(r);
    expect(s.take(plan(1), 3, baseline, unitId(1)), 'taken by the save in flight').toBeNull();
  });

  it('follows a rename, forgets a dropped plan and keeps at most its limit, oldest going first', () => {
    const s = new PlanSessions(2);
    const [a, b, c] = [replay(), replay(), replay()];
    s.keep(plan(1), 1, a);
    s.keep(plan(2), 1, b);
    s.move(plan(1), 1, 2);
    s.keep(plan(3), 1, c);
    expect(s.size).toBe(2);
    expect(s.take(plan(1), 2, baseline, unitId(1)), 'the oldest kept went').toBeNull();
    expect(s.take(plan(2), 1, baseline, unitId(1))).toBe(b);
    s.drop(plan(3));
    expect(s.size).toBe(0);
  });
});

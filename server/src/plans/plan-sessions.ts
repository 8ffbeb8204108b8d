import type { PlanId, UnitId } from '@gcc/shared';
import type { Topology } from '@gcc/shared/topology';
import type { PlanReplay } from './plan-replay.ts';

// The replayed sessions of the plans being edited, kept between saves: a planner saves after
// every few edits, and a plan of 3,000 edits replayed whole costs ≈ 350 ms of the event loop on
// the demo city. A session is kept under its plan's revision after a successful write; any other
// write of the plan (another save, a conflict, a discard) takes it away, so a kept session is
// always the stored plan replayed.

/** How many plans keep a session: a few planners work at once, and each session holds a copy of the layer's maps. */
export const PLAN_SESSION_LIMIT = 8;

export class PlanSessions {
  /** By plan, least recently kept first. */
  private readonly kept = new Map<PlanId, { revision: number; replay: PlanReplay }>();

  constructor(private readonly limit = PLAN_SESSION_LIMIT) {}

  get size(): number {
    return this.kept.size;
  }

  /**
   * The session of plan `id` if it was kept at `revision`, on `baseline`, for the planner `unitId`;
   * taken out either way (a save in flight owns it, and puts it back with `keep` once written).
   */
  take(id: PlanId, revision: number, baseline: Topology, unitId: UnitId): PlanReplay | null {
    const entry = this.kept.get(id);
    this.kept.delete(id);
    if (!entry || entry.revision !== revision) return null;
    const { replay } = entry;
    return replay.baseline === baseline && replay.unitId === unitId ? replay : null;
  }

  /** Keeps a plan's session as of `revision`; the least recently kept go beyond the limit. */
  keep(id: PlanId, revision: number, replay: PlanReplay): void {
    this.kept.delete(id);
    this.kept.set(id, { revision, replay });
    for (const old of this.kept.keys()) {
      if (this.kept.size <= this.limit) break;
      this.kept.delete(old);
    }
  }

  /** A write that leaves the edits as they were (a rename): the session now stands for `to`. */
  move(id: PlanId, from: number, to: number): void {
    const entry = this.kept.get(id);
    if (entry?.revision === from) entry.revision = to;
  }

  drop(id: PlanId): void {
    this.kept.delete(id);
  }
}

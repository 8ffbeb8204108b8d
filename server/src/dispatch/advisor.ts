import type { PositionStore } from '../live/position-store.ts';
import type { RoadGraph } from '../sim/road-graph.ts';
import { buildGridAdjacency, type AdjacencyGrid } from './grid-adjacency.ts';
import {
  Recommender,
  type Recommendation,
  type RecommendRequest,
  type RosterWorker,
  type Workload,
} from './recommender.ts';
import { RoadRouter, travelModeFor, type RouteEstimate } from './road-router.ts';

// What the dispatch procedures call: the ranked workers for a case with a road ETA for each.
// The worker index is refreshed lazily — a query finds it at most `maxIndexAgeMs` old, or pays
// one rebuild (~10 ms at 40,000 workers, the `recommend` benchmark's indexRebuildMs) — so idle
// desks cost nothing and positions are never staler than one position tick.

export interface AdvisedWorker extends Recommendation {
  eta: RouteEstimate;
}

export interface DispatchAdvisorOptions {
  /** Grids of the current boundary version (Boundary.grids fits). */
  grids: readonly AdjacencyGrid[];
  /** Workers in PositionStore slot order (Services.roster fits). */
  roster: readonly RosterWorker[];
  positions: PositionStore;
  roads: RoadGraph;
  maxIndexAgeMs?: number;
}

export class DispatchAdvisor {
  readonly recommender: Recommender;
  readonly router: RoadRouter;
  private readonly positions: PositionStore;
  private readonly maxIndexAgeMs: number;
  private syncedAt = -Infinity;

  constructor(opts: DispatchAdvisorOptions) {
    this.recommender = new Recommender(opts.roster, buildGridAdjacency(opts.grids));
    this.router = new RoadRouter(opts.roads);
    this.positions = opts.positions;
    this.maxIndexAgeMs = opts.maxIndexAgeMs ?? 1000;
  }

  /** Rebuilds the worker index from the position store when it is older than maxIndexAgeMs. */
  refresh(now = Date.now()): void {
    if (now - this.syncedAt < this.maxIndexAgeMs) return;
    this.recommender.syncFrom(this.positions);
    this.syncedAt = now;
  }

  /** Ranked workers only (no routing): for bulk assignment and the map's highlight. */
  rank(req: RecommendRequest, load?: Workload, now = Date.now()): Recommendation[] {
    this.refresh(now);
    return this.recommender.recommend(req, load);
  }

  /**
   * Bulk assignment of a selection: each case, in the order given (e.g. most overdue first),
   * takes its first recommendation, and every pick counts as one more open case for the cases
   * after it, so a selection spreads over the workers instead of piling on the nearest one.
   */
  proposeBulk(
    reqs: readonly RecommendRequest[],
    load?: Workload,
    now = Date.now(),
  ): (Recommendation | null)[] {
    this.refresh(now);
    const rec = this.recommender;
    const open = new Float64Array(rec.size);
    if (load instanceof Map)
      for (const [id, n] of load) {
        const s = rec.slotOf(id);
        if (s !== undefined) open[s] = n;
      }
    else if (load) for (let s = 0; s < rec.size; s++) open[s] = (load as ArrayLike<number>)[s] ?? 0;
    return reqs.map((req) => {
      const [pick] = rec.recommend({ ...req, limit: 1 }, open);
      if (!pick) return null;
      open[pick.slot]!++;
      return pick;
    });
  }

  /** The top workers for a case, each with its road ETA and route (full-time workers by e-bike). */
  advise(req: RecommendRequest, load?: Workload, now = Date.now()): AdvisedWorker[] {
    return this.rank(req, load, now).map((r) => ({
      ...r,
      eta: this.router.route([r.lng, r.lat], [req.lng, req.lat], travelModeFor(r.role)),
    }));
  }
}

import { buildTopology, encodeTopology, type EncodedTopology, type Topology } from '@gcc/shared/topology';
import type { BoundaryVersion } from '@gcc/shared';
import type { Boundary } from '../spatial/boundary.ts';

// The topology of a boundary version, built once per version. Plans store edits that name its
// node and edge ids, so it must come out the same after every restart: the grids go in by id
// (Boundary.load orders them so) and buildTopology numbers nodes and edges in input order.
//
// Building it takes 0.4–1 s on the stress city, so it starts in the background as soon as the
// boundary is loaded (warmPlanBaseline); a request that comes first awaits that same build.

export interface PlanBaseline {
  version: BoundaryVersion;
  topology: Topology;
  /** Problems the stored layer already has (an import may bring overlaps); the generator's has none. */
  problems: ReturnType<typeof buildTopology>['problems'];
  /** Built once: the planner screen loads it as it is. */
  encoded: EncodedTopology;
}

const cache = new WeakMap<Boundary, Promise<PlanBaseline>>();

function build(boundary: Boundary): PlanBaseline {
  const grids = [...boundary.grids]
    .sort((a, b) => a.id - b.id)
    .map((g) => ({ id: g.id, parentId: g.communityId, polygon: g.polygon }));
  const { topology, problems } = buildTopology(grids);
  return { version: boundary.version, topology, problems, encoded: encodeTopology(topology) };
}

/** The baseline topology of the boundary in force: built once per loaded boundary version, every caller awaiting the same build. */
export function planBaseline(boundary: Boundary): Promise<PlanBaseline> {
  let baseline = cache.get(boundary);
  if (!baseline) {
    // On the next turn of the event loop: whoever asked first (start-up, or a request) returns at once.
    baseline = new Promise<PlanBaseline>((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(build(boundary));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }),
    );
    // A failed build is not kept: the next call tries again.
    baseline.catch(() => cache.delete(boundary));
    cache.set(boundary, baseline);
  }
  return baseline;
}

/** Starts building the baseline of a boundary just loaded, so the first planner does not wait for it. */
export function warmPlanBaseline(boundary: Boundary): void {
  // A failure shows on the request that awaits the build; nothing to do here.
  planBaseline(boundary).catch(() => undefined);
}

import { buildTopology, encodeTopology, type EncodedTopology, type Topology } from '@gcc/shared/topology';
import type { BoundaryVersion } from '@gcc/shared';
import type { Boundary } from '../spatial/boundary.ts';

// The topology of a boundary version, built once per version. Plans store edits that name its
// node and edge ids, so it must come out the same after every restart: the grids go in by id
// (Boundary.load orders them so) and buildTopology numbers nodes and edges in input order.

export interface PlanBaseline {
  version: BoundaryVersion;
  topology: Topology;
  /** Problems the stored layer already has (an import may bring overlaps); the generator's has none. */
  problems: ReturnType<typeof buildTopology>['problems'];
  /** Built once: the planner screen loads it as it is. */
  encoded: EncodedTopology;
}

const cache = new WeakMap<Boundary, PlanBaseline>();

/** The baseline topology of the boundary in force (cached per loaded boundary version). */
export function planBaseline(boundary: Boundary): PlanBaseline {
  let baseline = cache.get(boundary);
  if (!baseline) {
    const grids = [...boundary.grids]
      .sort((a, b) => a.id - b.id)
      .map((g) => ({ id: g.id, parentId: g.communityId, polygon: g.polygon }));
    const { topology, problems } = buildTopology(grids);
    baseline = { version: boundary.version, topology, problems, encoded: encodeTopology(topology) };
    cache.set(boundary, baseline);
  }
  return baseline;
}

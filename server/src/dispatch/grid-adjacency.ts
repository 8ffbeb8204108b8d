import type { GridId, UnitId } from '@gcc/shared';
// Which grids touch: computed once when a boundary version is loaded, for surge dispatch
// (平时为掌、战时为拳: pull forces from the neighbouring grids and communities). Grids tile their
// community without gaps and the generator and the importer share exact vertex coordinates
// along common edges, so two grids touch when they share a vertex (a shared edge has two);
// coordinates are keyed at ~1 cm so that re-serialised numbers still meet.

export interface AdjacencyGrid {
  id: GridId;
  communityId: UnitId;
  polygon: readonly (readonly (readonly (readonly number[])[])[])[];
}

export interface GridAdjacency {
  /** Grids sharing at least one boundary vertex with a grid (sorted, the grid itself excluded). */
  neighbours: ReadonlyMap<number, readonly number[]>;
  /** Grids of each community. */
  gridsOfCommunity: ReadonlyMap<number, readonly number[]>;
  /** Communities touching a community (through any pair of their grids). */
  communityNeighbours: ReadonlyMap<number, readonly number[]>;
  communityOf: ReadonlyMap<number, number>;
}

const KEY_SCALE = 1e7;

/** Grid and community adjacency from shared boundary vertices. */
export function buildGridAdjacency(grids: readonly AdjacencyGrid[]): GridAdjacency {
  const gridsAt = new Map<string, number[]>();
  const communityOf = new Map<number, number>();
  const gridsOfCommunity = new Map<number, number[]>();
  for (const g of grids) {
    communityOf.set(g.id, g.communityId);
    let list = gridsOfCommunity.get(g.communityId);
    if (!list) gridsOfCommunity.set(g.communityId, (list = []));
    list.push(g.id);
    for (const poly of g.polygon)
      for (const ring of poly)
        for (const p of ring) {
          const key = `${Math.round(p[0]! * KEY_SCALE)},${Math.round(p[1]! * KEY_SCALE)}`;
          const at = gridsAt.get(key);
          if (!at) gridsAt.set(key, [g.id]);
          else if (at[at.length - 1] !== g.id && !at.includes(g.id)) at.push(g.id);
        }
  }
  const sets = new Map<number, Set<number>>(grids.map((g) => [g.id, new Set<number>()]));
  const communitySets = new Map<number, Set<number>>(
    [...gridsOfCommunity.keys()].map((c) => [c, new Set<number>()]),
  );
  for (const at of gridsAt.values()) {
    if (at.length < 2) continue;
    for (const a of at)
      for (const b of at) {
        if (a === b) continue;
        sets.get(a)!.add(b);
        const ca = communityOf.get(a)!,
          cb = communityOf.get(b)!;
        if (ca !== cb) communitySets.get(ca)!.add(cb);
      }
  }
  const sorted = (m: Map<number, Set<number>>) =>
    new Map([...m].map(([k, s]) => [k, [...s].sort((x, y) => x - y)] as const));
  return {
    neighbours: sorted(sets),
    gridsOfCommunity,
    communityNeighbours: sorted(communitySets),
    communityOf,
  };
}

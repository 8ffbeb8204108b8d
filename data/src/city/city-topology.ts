import { GridIdSchema, UnitIdSchema } from '@gcc/shared';
import type { TopologyInputGrid } from '@gcc/shared/topology';
import type { City } from '../city.ts';

// The generated city as the planner's topology takes it, for tests and benchmarks that build one
// without a database: ids by position, each grid under its community.

/**
 * The city's grids as topology input: grid i of `city.grids` gets id i + 1, and its parent is
 * its community, numbered by position among the city's communities (from 1).
 */
export function cityTopologyInput(city: Pick<City, 'grids' | 'units'>): TopologyInputGrid[] {
  const community = new Map(
    city.units.filter((u) => u.level === 'community').map((u, i) => [u.code, UnitIdSchema.parse(i + 1)]),
  );
  return city.grids.map((g, i) => {
    const parentId = community.get(g.communityCode);
    if (parentId === undefined) throw new Error(`grid ${g.code} names no community of the city`);
    return { id: GridIdSchema.parse(i + 1), parentId, polygon: g.polygon };
  });
}

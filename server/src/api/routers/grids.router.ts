import { encodeMultiPolygon } from '@gcc/shared/geo';
import { jurisdictionGrids, MAP_READERS, procedureFor, router } from '../trpc.ts';

// The grid layer as columns with delta-encoded integer coordinates: 5,000 grids load in a few
// hundred kilobytes (gzip on top), and the client builds deck.gl attributes without per-grid objects.
export const gridsRouter = router({
  layer: procedureFor(...MAP_READERS).query(({ ctx }) => {
    const b = ctx.services.boundary();
    const visible = jurisdictionGrids(ctx);
    const set = visible ? new Set(visible) : null;
    const list = set ? b.grids.filter((g) => set.has(g.id)) : b.grids;
    return {
      version: b.version,
      ids: list.map((g) => g.id),
      codes: list.map((g) => g.code),
      names: list.map((g) => g.name),
      parentIds: list.map((g) => g.communityId),
      households: list.map((g) => g.households),
      population: list.map((g) => g.population),
      polygons: list.map((g) => encodeMultiPolygon(g.polygon)),
    };
  }),
});

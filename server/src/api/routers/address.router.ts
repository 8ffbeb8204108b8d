import {
  AddressNearestInputSchema,
  AddressSearchInputSchema,
  DESK_REPORTERS,
  type GridId,
} from '@gcc/shared';
import { jurisdictionGrids, procedureFor, router, type Context } from '../trpc.ts';

// 地址搜索 for intake: the gazetteer searched by a part of a name, and the address nearest to a
// place clicked on the map. Only what lies inside the caller's jurisdiction (属地) is found.

/** The grids the caller may see, as a test (the whole city: everything). */
function allowedGrids(ctx: Context): (gridId: GridId) => boolean {
  const grids = jurisdictionGrids(ctx);
  if (!grids) return () => true;
  const mine = new Set(grids);
  return (g) => mine.has(g);
}

export const addressRouter = router({
  /** Roads, places, units, grids and address points whose name contains the query, best first (≤ 20). */
  search: procedureFor(...DESK_REPORTERS)
    .input(AddressSearchInputSchema)
    .query(async ({ ctx, input }) => {
      const index = await ctx.services.gazetteer.index();
      return { items: index.search(input.q, allowedGrids(ctx), input.limit) };
    }),

  /** The address point nearest to a place (within 300 m), or null: what a click on the map names. */
  nearest: procedureFor(...DESK_REPORTERS)
    .input(AddressNearestInputSchema)
    .query(async ({ ctx, input }) => {
      const index = await ctx.services.gazetteer.index();
      return { nearest: index.nearest(input.lng, input.lat, allowedGrids(ctx)) };
    }),
});

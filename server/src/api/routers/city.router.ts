import { MAP_READERS, procedureFor, router } from '../trpc.ts';

export const cityRouter = router({
  /** Name, extent, outline and the administrative units (for labels and filters). */
  info: procedureFor(...MAP_READERS).query(({ ctx }) => {
    const c = ctx.services.cityInfo;
    const b = ctx.services.boundary();
    return {
      name: c.name,
      code: c.code,
      profile: c.profile,
      bbox: c.bbox,
      boundaryVersion: b.version,
      /** The version's name (the plan it was published from; "初始网格划分" for the seeded one). */
      boundaryName: b.name,
      grids: b.grids.length,
      workers: ctx.services.roster.length,
      mapStyleUrl: ctx.services.config.MAP_STYLE_URL ?? null,
      units: b.units
        .filter((u) => u.level !== 'community')
        .map((u) => ({ ...u, center: c.unitCenters.get(u.id) ?? null })),
    };
  }),

  /** How far a first start's older case history has been written (the wall's and the desks' banner, analytics' caveat). */
  history: procedureFor(...MAP_READERS).query(({ ctx }) => {
    const { loading, fraction, completeFrom, failed } = ctx.services.history.status();
    return { loading, fraction, completeFrom, failed };
  }),
});

import { TRPCError } from '@trpc/server';
import { encodeMultiPolygon } from '@gcc/shared/geo';
import { translate } from '@gcc/shared/messages';
import { BoundaryVersionSchema } from '@gcc/shared';
import { z } from 'zod';
import { versionLayer } from '../../boundaries/version-reads.ts';
import type { GridInfo } from '../../spatial/boundary.ts';
import { jurisdictionGrids, MAP_READERS, procedureFor, router, userOf } from '../trpc.ts';

// The grid layer as columns with delta-encoded integer coordinates: 5,000 grids load in a few
// hundred kilobytes (gzip on top), and the client builds deck.gl attributes without per-grid objects.
// Without a version it is the version in force (what a screen refetches on a `boundary` event);
// with one, that version as it was or will be (history, a version picker).
export const gridsRouter = router({
  layer: procedureFor(...MAP_READERS)
    .input(z.object({ version: BoundaryVersionSchema.optional() }).strict().optional())
    .query(async ({ ctx, input }) => {
      const b = ctx.services.boundary();
      let version = b.version;
      let name = b.name;
      let list: readonly GridInfo[];
      if (input?.version === undefined || input.version === b.version) {
        const visible = jurisdictionGrids(ctx);
        const set = visible ? new Set(visible) : null;
        list = set ? b.grids.filter((g) => set.has(g.id)) : b.grids;
      } else {
        const layer = await versionLayer(ctx.services.database.db, input.version);
        if (!layer)
          throw new TRPCError({
            code: 'NOT_FOUND',
            message: `${translate('boundary.refusal.not-found', 'zh-CN')} / ${translate('boundary.refusal.not-found', 'en')} (not-found)`,
          });
        // 属地: a grid of another version is the user's when its community lies in their unit.
        const unit = userOf(ctx).unitId;
        list = b.isRoot(unit) ? layer.grids : layer.grids.filter((g) => b.unitWithin(g.communityId, unit));
        version = input.version;
        name = layer.name;
      }
      return {
        version,
        name,
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

import { TRPCError } from '@trpc/server';
import { translate } from '@gcc/shared/messages';
import { BoundaryVersionRefSchema } from '@gcc/shared/planning';
import { listVersions, versionReport } from '../../boundaries/version-reads.ts';
import { MAP_READERS, procedureFor, router, userOf } from '../trpc.ts';
import { PLANNERS, type BoundaryVersion, type UnitId } from '@gcc/shared';
import { ExportRequestSchema, ImportRequestSchema } from '@gcc/shared/boundary-io';
import { z } from 'zod';
import { ExportError } from '../../boundaries/io/boundary-export.ts';

const notFound = () =>
  new TRPCError({
    code: 'NOT_FOUND',
    message: `${translate('boundary.refusal.not-found', 'zh-CN')} / ${translate('boundary.refusal.not-found', 'en')} (not-found)`,
  });

// Boundary versions (边界版本): the list (a version picker; in force, scheduled, superseded) and
// each publish's change report (变更清单). Publishing is `plans.publish`; the live swap reaches
// screens as the `boundary.published` event of `events.stream`.
export const boundariesRouter = router({
  /** Every version, newest first: name, times, state, grid count and what its publish changed. */
  list: procedureFor(...MAP_READERS).query(({ ctx }) =>
    listVersions(ctx.services.database.db, ctx.services.boundary().version),
  ),

  /** The change report of a version (null for the seeded version): grids added, reshaped, retired, and what moved where. */
  report: procedureFor(...MAP_READERS)
    .input(BoundaryVersionRefSchema)
    .query(async ({ ctx, input }) => {
      const report = await versionReport(ctx.services.database.db, input.version);
      if (report === undefined) throw notFound();
      return report;
    }),

  /**
   * Imports a boundary file (GeoJSON FeatureCollection or array of features, within the 1 MB body
   * of an API call; larger files go to POST /api/boundaries/import) into a new plan: the report
   * lists every problem with its place; refused, nothing is stored. The grids replaced are those
   * of the caller's unit (or of `within`, inside it); a parent level is checked, not stored.
   */
  import: procedureFor(...PLANNERS)
    .input(ImportRequestSchema.extend({ file: z.unknown() }))
    .mutation(({ ctx, input }) => {
      const user = userOf(ctx);
      const { file, within, ...request } = input;
      return ctx.services.boundaries.importer.importFile(
        { id: user.id, role: user.role, unitId: user.unitId },
        file,
        { ...request, within: within as UnitId | undefined },
      );
    }),

  /** A version (the one in force by default) as GeoJSON or TopoJSON, WGS-84 or GCJ-02, cut to the caller's jurisdiction. */
  export: procedureFor(...PLANNERS)
    .input(ExportRequestSchema)
    .query(async ({ ctx, input }) => {
      try {
        return await ctx.services.boundaries.exporter.exportVersion(userOf(ctx).unitId, {
          ...input,
          version: input.version as BoundaryVersion | undefined,
        });
      } catch (e) {
        if (e instanceof ExportError) throw notFound();
        throw e;
      }
    }),
});

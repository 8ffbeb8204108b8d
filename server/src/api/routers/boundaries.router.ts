import { TRPCError } from '@trpc/server';
import { translate } from '@gcc/shared/messages';
import { BoundaryVersionRefSchema } from '@gcc/shared/planning';
import { listVersions, versionReport } from '../../boundaries/version-reads.ts';
import { MAP_READERS, procedureFor, router } from '../trpc.ts';

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
      if (report === undefined)
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `${translate('boundary.refusal.not-found', 'zh-CN')} / ${translate('boundary.refusal.not-found', 'en')} (not-found)`,
        });
      return report;
    }),
});

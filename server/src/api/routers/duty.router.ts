import { TRPCError } from '@trpc/server';
import { GridIdSchema, SetRosterInputSchema, type GridId } from '@gcc/shared';
import { bilingual } from '@gcc/shared/messages';
import { z } from 'zod';
import { RosterError } from '../../duty/field-duty.ts';
import { jurisdictionGrids, procedureFor, router, userOf, type Context } from '../trpc.ts';

// 排班: the weekly roster of a grid (duty/field-duty.ts). Administrators set it for grids of their
// jurisdiction; the desks that dispatch read it. A grid outside the caller's jurisdiction does not
// exist for it (属地).

function visibleGrid(ctx: Context, gridId: GridId): void {
  const visible = jurisdictionGrids(ctx);
  if (!ctx.services.boundary().gridById.has(gridId) || (visible && !visible.includes(gridId)))
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `${bilingual('refusal.unknown-grid')} (unknown-grid)`,
      cause: Object.assign(new Error('unknown-grid'), { reason: 'unknown-grid' }),
    });
}

export const dutyRouter = router({
  /** A grid's weekly roster (empty: the grid keeps no hours, any fresh report brings a worker on duty). */
  roster: procedureFor('admin', 'dispatcher')
    .input(z.object({ gridId: GridIdSchema }))
    .query(({ ctx, input }) => {
      visibleGrid(ctx, input.gridId);
      return { gridId: input.gridId, shifts: ctx.services.fieldDuty.rosterOf(input.gridId) };
    }),
  /** Replaces a grid's weekly roster (audited); a shift ending before it starts or overlapping another is refused. */
  setRoster: procedureFor('admin')
    .input(SetRosterInputSchema)
    .mutation(async ({ ctx, input }) => {
      visibleGrid(ctx, input.gridId);
      try {
        await ctx.services.fieldDuty.setRoster(input.gridId, input.shifts, userOf(ctx).id);
      } catch (e) {
        if (!(e instanceof RosterError)) throw e;
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `shifts.${e.at}: ${bilingual(`refusal.${e.reason}`)} (${e.reason})`,
          cause: e,
        });
      }
      return { gridId: input.gridId, shifts: ctx.services.fieldDuty.rosterOf(input.gridId) };
    }),
});

import { TRPCError } from '@trpc/server';
import { CaseReportInputSchema, CaseStatusSchema, startOfLocalDay } from '@gcc/shared';
import { z } from 'zod';
import { CaseIntakeError } from '../../cases/case-service.ts';
import { ALL_READERS, jurisdictionGrids, procedureFor, router, userOf } from '../trpc.ts';

const ListInput = z.object({
  status: z.array(CaseStatusSchema).max(20).optional(),
  gridId: z.number().int().positive().optional(),
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(5000).default(500),
  cursor: z.number().int().positive().optional(),
});

export const casesRouter = router({
  list: procedureFor(...ALL_READERS).input(ListInput).query(({ ctx, input }) =>
    ctx.services.cases.list({ ...input, gridIds: jurisdictionGrids(ctx) })),

  get: procedureFor(...ALL_READERS).input(z.object({ id: z.number().int().positive() })).query(async ({ ctx, input }) => {
    const found = await ctx.services.cases.get(input.id);
    const visible = jurisdictionGrids(ctx);
    if (!found || (visible && !visible.includes(found.case.gridId))) throw new TRPCError({ code: 'NOT_FOUND', message: `case ${input.id} not found` });
    return found;
  }),

  /** A hotline operator, the resident app or a patrol device reports a case; the server finds its grid. */
  report: procedureFor('admin', 'dispatcher', 'device').input(CaseReportInputSchema).mutation(async ({ ctx, input }) => {
    const user = userOf(ctx);
    try {
      return await ctx.services.cases.report(input, { userId: user.id, workerId: null }, { withinUnit: user.unitId });
    } catch (e) {
      if (e instanceof CaseIntakeError && e.reason === 'outside-jurisdiction') {
        throw new TRPCError({ code: 'FORBIDDEN', message: `该位置不在您的辖区内 / the location is outside your jurisdiction`, cause: e });
      }
      if (e instanceof CaseIntakeError) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `位置不在本市辖区内 / ${e.message}`, cause: e });
      }
      throw e;
    }
  }),

  /** Today's (UTC+8) counts by status and category, and open cases per grid: the wall's panels. */
  today: procedureFor(...ALL_READERS).query(async ({ ctx }) => {
    const now = Date.now();
    const gridIds = jurisdictionGrids(ctx);
    const from = startOfLocalDay(now);
    const [counts, openByGrid] = await Promise.all([
      ctx.services.cases.counts({ from, to: now + 1, gridIds }),
      ctx.services.cases.openCountsByGrid(gridIds),
    ]);
    return { from, at: now, ...counts, openByGrid };
  }),
});

import { z } from 'zod';
import { procedureFor, router, userOf } from '../trpc.ts';

export const adminRouter = router({
  issueKioskToken: procedureFor('admin')
    .input(z.object({ label: z.string().trim().min(1).max(64), unitId: z.number().int().positive().optional() }))
    .mutation(async ({ ctx, input }) => {
      const unitId = input.unitId ?? userOf(ctx).unitId;
      return ctx.services.auth.issueKioskToken(input.label, unitId);
    }),
  revokeToken: procedureFor('admin')
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => ({ revoked: await ctx.services.auth.revokeToken(input.id) })),
});

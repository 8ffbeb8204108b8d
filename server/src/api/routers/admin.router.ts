import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { procedureFor, router, userOf } from '../trpc.ts';

export const adminRouter = router({
  issueKioskToken: procedureFor('admin')
    .input(z.object({ label: z.string().trim().min(1).max(64), unitId: z.number().int().positive().optional() }))
    .mutation(async ({ ctx, input }) => {
      const admin = userOf(ctx);
      const unitId = input.unitId ?? admin.unitId;
      // 属地: an administrator issues tokens only for units inside its own jurisdiction.
      if (!ctx.services.boundary().unitWithin(unitId, admin.unitId)) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `单位 ${unitId} 不存在或不在您的辖区内 / unit ${unitId} is unknown or outside your jurisdiction` });
      }
      return ctx.services.auth.issueKioskToken(input.label, unitId);
    }),
  revokeToken: procedureFor('admin')
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => ({ revoked: await ctx.services.auth.revokeToken(input.id) })),
});

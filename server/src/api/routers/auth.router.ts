import { TRPCError } from '@trpc/server';
import { LoginInputSchema } from '@gcc/shared';
import { bilingual } from '@gcc/shared/messages';
import { z } from 'zod';
import { AccountDisabledError } from '../../auth/auth-service.ts';
import { CASE_DESKS, procedureFor, publicProcedure, router } from '../trpc.ts';

export const authRouter = router({
  login: publicProcedure.input(LoginInputSchema).mutation(async ({ ctx, input }) => {
    const { auth } = ctx.services;
    // A locked account name is refused before its password is checked, the right one included.
    const gate = auth.signIns.gate(input.username);
    if (!gate.open)
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: bilingual('login.tooMany', { seconds: gate.retryAfterSeconds }),
        cause: Object.assign(new Error('sign-in-backoff'), {
          reason: 'sign-in-backoff',
          retryAfter: gate.retryAfterSeconds,
        }),
      });
    const res = await auth.login(input.username, input.password).catch((e: unknown) => {
      if (!(e instanceof AccountDisabledError)) throw e;
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `${bilingual('refusal.account-disabled')} (account-disabled)`,
        cause: e,
      });
    });
    if (!res) {
      auth.signIns.failed(input.username);
      throw new TRPCError({ code: 'UNAUTHORIZED', message: '用户名或密码错误 / wrong username or password' });
    }
    auth.signIns.succeeded(input.username);
    ctx.setSessionCookie(res.token);
    return res.user;
  }),
  kiosk: publicProcedure
    .input(z.object({ token: z.string().min(20).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const res = await ctx.services.auth.loginWithKioskToken(input.token);
      if (!res)
        throw new TRPCError({
          code: 'UNAUTHORIZED',
          message: '大屏令牌无效或已吊销 / kiosk token invalid or revoked',
        });
      ctx.setSessionCookie(res.token, 30 * 24 * 3600);
      return res.user;
    }),
  logout: procedureFor(...CASE_DESKS).mutation(async ({ ctx }) => {
    await ctx.services.auth.logout(ctx.sessionToken);
    if (ctx.sessionToken) ctx.services.streams.endSession(ctx.sessionToken);
    ctx.setSessionCookie(null);
    return { ok: true };
  }),
  me: publicProcedure.query(({ ctx }) => ctx.user),
});

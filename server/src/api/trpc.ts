import { initTRPC, TRPCError } from '@trpc/server';
import type { Role, SessionUser } from '@gcc/shared';
import { ZodError } from 'zod';
import type { Services } from '../services.ts';

// Every procedure declares the roles that may call it (`meta.roles`); the middleware refuses
// everyone else, and a procedure without a declaration refuses everyone (default deny). A test
// enumerates the router to prove nothing is left undeclared.

export interface Meta {
  /** Roles allowed to call; 'public' means anyone, signed in or not (only login-type calls). */
  roles: readonly Role[] | 'public';
}

export interface Context {
  services: Services;
  user: SessionUser | null;
  sessionToken: string | undefined;
  ip: string;
  /** The CSRF header was present (required for every mutation). */
  csrfHeader: boolean;
  setSessionCookie(token: string | null, maxAgeSeconds?: number): void;
}

export const CSRF_HEADER = 'x-gcc-csrf';

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // SSE heartbeats well inside a reverse proxy's 60 s idle timeout; clients reconnect (with
    // lastEventId) when a stream goes silent for longer than that.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error }) {
      // zod issues become a readable reason and a machine-readable list.
      const zod = error.cause instanceof ZodError ? error.cause : null;
      return {
        ...shape,
        message: zod ? zod.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') : shape.message,
        data: { ...shape.data, reason: (error.cause as { reason?: string } | undefined)?.reason ?? null, issues: zod?.issues ?? null },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const guarded = t.procedure.use(async ({ ctx, meta, type, path, next, getRawInput }) => {
  if (type === 'mutation' && !ctx.csrfHeader) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `missing ${CSRF_HEADER} header` });
  }
  const limited = path === 'auth.login' || path === 'auth.kiosk' ? !ctx.services.limits.logins.take(ctx.ip) : type !== 'subscription' && !ctx.services.limits.calls.take(ctx.user ? `u${ctx.user.id}` : `ip${ctx.ip}`);
  if (limited) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: '操作过于频繁，请稍后再试 / too many requests, try again shortly' });
  const roles = meta?.roles;
  if (!roles) throw new TRPCError({ code: 'FORBIDDEN', message: `procedure ${path} declares no roles` });
  if (roles !== 'public') {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: '请先登录 / sign in first' });
    if (!roles.includes(ctx.user.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `role ${ctx.user.role} may not call ${path}` });
    }
  }
  const result = await next();
  if (type === 'mutation') {
    // Append-only audit of every state-changing call, successful or not.
    await ctx.services.audit.record({
      userId: ctx.user?.id ?? null, role: ctx.user?.role ?? null, action: path, ip: ctx.ip, ok: result.ok,
      input: path.startsWith('auth.') ? null : await getRawInput().catch(() => null),
    });
  }
  return result;
});

/** A procedure callable by the given roles. */
export function procedureFor(...roles: Role[]) {
  return guarded.meta({ roles });
}

/** A procedure anyone may call (login). */
export const publicProcedure = guarded.meta({ roles: 'public' });

/** The signed-in user (the middleware guarantees it for non-public procedures). */
export function userOf(ctx: Context): SessionUser {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: '请先登录 / sign in first' });
  return ctx.user;
}

/** Grid ids the user may see, or undefined for the whole city (属地 filter in the query). */
export function jurisdictionGrids(ctx: Context): readonly number[] | undefined {
  const user = userOf(ctx);
  const b = ctx.services.boundary();
  return b.isRoot(user.unitId) ? undefined : b.gridIdsUnder(user.unitId);
}

export const ALL_READERS: Role[] = ['admin', 'dispatcher', 'planner', 'wall'];

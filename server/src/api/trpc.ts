import { importAuditInput } from '@gcc/shared/boundary-io';
import { initTRPC, TRPCError } from '@trpc/server';
import {
  POSTS_OF_ROLE,
  refusalMessageKey,
  type CaseId,
  type GridId,
  type Role,
  type SessionUser,
  findBadText,
} from '@gcc/shared';
import { bilingual, translate, type MessageKey } from '@gcc/shared/messages';
import { withoutSecrets } from '../audit/audit-log.ts';
import { CaseCommandError, CaseIntakeError } from '../cases/case-errors.ts';
import { reportAuditInput } from '../audit/redact-caller.ts';
import type { CommandActor } from '../cases/case-access.ts';
import {
  DeadlineTermsError,
  type DeadlineDirectory,
  type TermsEditor,
} from '../deadlines/deadline-directory.ts';
import { ZodError } from 'zod';
import { PlanError } from '../plans/plan-errors.ts';
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
  /** The request names another site's page as its origin (Origin or Referer): no mutation then. */
  foreignOrigin: boolean;
  /** Fastify's id of the request: a 500 names it, and the log line with the detail carries it. */
  requestId: string;
  setSessionCookie(token: string | null, maxAgeSeconds?: number): void;
}

export const CSRF_HEADER = 'x-gcc-csrf';

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // No stack in any answer: a caller learns what it did wrong, never how the server is built.
    isDev: false,
    // SSE heartbeats well inside a reverse proxy's 60 s idle timeout; clients reconnect (with
    // lastEventId) when a stream goes silent for longer than that.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error, ctx }) {
      // An unexpected failure says so and names the request; what failed (SQL text, the input)
      // stays in the log, never in the answer.
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        const id = ctx?.requestId ?? '?';
        return {
          ...shape,
          message: `服务器内部错误，请求编号 ${id} / internal error, request ${id}`,
          data: {
            code: shape.data.code,
            httpStatus: shape.data.httpStatus,
            path: shape.data.path,
            reason: null,
            issues: null,
          },
        };
      }
      // zod issues become a readable reason and a machine-readable list.
      const zod = error.cause instanceof ZodError ? error.cause : null;
      // A refused plan edit says which edit (0-based) and where, so the planner's screen can show it.
      const edit = error.cause instanceof PlanError ? error.cause : null;
      const retryAfter = (error.cause as { retryAfter?: number } | undefined)?.retryAfter;
      return {
        ...shape,
        message: zod
          ? zod.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')
          : shape.message,
        data: {
          ...shape.data,
          reason: (error.cause as { reason?: string } | undefined)?.reason ?? null,
          issues: zod?.issues ?? null,
          // Seconds to wait, where a refusal knows (a locked sign-in).
          ...(retryAfter !== undefined ? { retryAfter } : {}),
          ...(edit && edit.step !== null ? { step: edit.step, at: edit.at } : {}),
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Small middlewares, composed in order: the rate limit first (a flood of refusals cannot flood
// the audit log), then the audit of mutations (it sees every refusal after it), then CSRF, then
// roles (default deny), then clean text (no NUL or lone surrogate reaches a parser or the database).

const TOO_MANY = () =>
  new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: '操作过于频繁，请稍后再试 / too many requests, try again shortly',
  });

/** Per-user call budget; a tight one per address for sign-in attempts (password guessing). */
const rateLimited = t.middleware(({ ctx, type, path, next }) => {
  const { limits } = ctx.services;
  const allowed =
    path === 'auth.login' || path === 'auth.kiosk'
      ? limits.logins.take(ctx.ip)
      : type === 'subscription' || limits.calls.take(ctx.user ? `u${ctx.user.id}` : `ip${ctx.ip}`);
  if (!allowed) throw TOO_MANY();
  return next();
});

/**
 * Append-only audit of every state-changing call: successful, failed or refused. The row is
 * written in the transaction of the change (audit-log.ts), so a committed change always has it.
 */
const audited = t.middleware(async ({ ctx, type, path, next, getRawInput }) => {
  if (type !== 'mutation') return next();
  const entry = {
    userId: ctx.user?.id ?? null,
    role: ctx.user?.role ?? null,
    action: path,
    ip: ctx.ip,
    input: path.startsWith('auth.')
      ? null
      : path === 'boundaries.import'
        ? importAuditInput(await getRawInput().catch(() => null))
        : path === 'cases.report'
          ? reportAuditInput(await getRawInput().catch(() => null))
          : withoutSecrets(await getRawInput().catch(() => null)),
  };
  // next() does not throw: a refusal or error further in comes back as { ok: false }.
  return ctx.services.audit.during(
    entry,
    () => next(),
    (result) => result.ok,
    (result) => (result.ok ? null : auditOutcome(result.error)),
  );
});

/** A refused or failed call as its audit row keeps it: the error code and the refusal's reason. */
function auditOutcome(error: TRPCError): string {
  const reason = (error.cause as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? `${error.code} ${reason}`.slice(0, 200) : error.code;
}

/** No NUL or lone surrogate in any text of the input (keys included): a typed 400 before anything parses or writes. */
const cleanText = t.middleware(async ({ getRawInput, next }) => {
  const where = findBadText(await getRawInput().catch(() => undefined));
  if (where)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${where}: ${translate('http.badText', 'zh-CN')} / ${translate('http.badText', 'en')}`,
      cause: Object.assign(new Error('bad-text'), { reason: 'bad-text' }),
    });
  return next();
});

/** Every mutation carries the custom header a cross-site form cannot send, and comes from our own pages. */
const csrfChecked = t.middleware(({ ctx, type, next }) => {
  if (type !== 'mutation') return next();
  if (!ctx.csrfHeader) throw new TRPCError({ code: 'FORBIDDEN', message: `missing ${CSRF_HEADER} header` });
  if (ctx.foreignOrigin)
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `${bilingual('http.badOrigin')} (bad-origin)`,
      cause: Object.assign(new Error('bad-origin'), { reason: 'bad-origin' }),
    });
  return next();
});

/** The procedure's declared roles; a procedure that declares none refuses everyone. */
const roleChecked = t.middleware(({ ctx, meta, path, next }) => {
  const roles = meta?.roles;
  if (!roles) throw new TRPCError({ code: 'FORBIDDEN', message: `procedure ${path} declares no roles` });
  if (roles !== 'public') {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: '请先登录 / sign in first' });
    if (!roles.includes(ctx.user.role))
      throw new TRPCError({ code: 'FORBIDDEN', message: `role ${ctx.user.role} may not call ${path}` });
  }
  return next();
});

const guarded = t.procedure.use(rateLimited).use(audited).use(csrfChecked).use(roleChecked).use(cleanText);

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
export function jurisdictionGrids(ctx: Context): readonly GridId[] | undefined {
  const user = userOf(ctx);
  const b = ctx.services.boundary();
  return b.isRoot(user.unitId) ? undefined : b.gridIdsUnder(user.unitId);
}

// The role groups live in @gcc/shared (the web shows desks by the same lists).
export {
  ALL_READERS,
  CASE_ACTORS,
  CASE_DESKS,
  CASE_READERS,
  MAP_READERS,
  PLANNERS,
  SUPERVISING_ROLES,
} from '@gcc/shared';

/** The signed-in user as the case rule table sees them: posts from the login role, level from the unit. */
export function caseActorOf(ctx: Context): CommandActor {
  const user = userOf(ctx);
  // A department user acts as its department (报到, handling); a user of no department row acts as no department.
  const department =
    user.role === 'department' ? (ctx.services.departments.byId(user.departmentId)?.code ?? null) : null;
  return {
    userId: user.id,
    workerId: null,
    posts: user.role === 'department' && department === null ? [] : POSTS_OF_ROLE[user.role],
    unitId: user.unitId,
    unitLevel: ctx.services.caseAccess.unitLevelOf(user.unitId),
    department,
  };
}

/** A refused case command as a TRPCError: a bilingual sentence (Chinese first) and the engine's reason code (`data.reason`). */
export function caseCommandError(e: unknown): unknown {
  if (!(e instanceof CaseCommandError) && !(e instanceof CaseIntakeError)) return e;
  const reason = e.reason;
  if (reason === 'not-found')
    return new TRPCError({ code: 'NOT_FOUND', message: `案件不存在 / case not found (${reason})`, cause: e });
  if (reason === 'outside-city')
    return new TRPCError({ code: 'BAD_REQUEST', message: `位置不在本市辖区内 / ${e.message}`, cause: e });
  const key = refusalMessageKey(reason === 'outside-jurisdiction' ? 'outside-jurisdiction' : reason);
  // A view another desk overtook (a newer version, a dispatch or return it did not see) is a conflict.
  const code =
    reason === 'stale-version' || reason === 'assignee-changed'
      ? 'CONFLICT'
      : reason === 'post-not-allowed' || reason === 'outside-jurisdiction' || reason === 'level-too-low'
        ? 'FORBIDDEN'
        : 'BAD_REQUEST';
  return new TRPCError({
    code,
    message: `${translate(key, 'zh-CN')} / ${translate(key, 'en')} (${reason})`,
    cause: e,
  });
}

/** A refused edit of the category table or a calendar as a TRPCError: a bilingual sentence (Chinese first), what it was about, and the reason code (`data.reason`). */
function deadlineTermsError(e: unknown): unknown {
  if (!(e instanceof DeadlineTermsError)) return e;
  const key = `refusal.${e.reason}` satisfies MessageKey;
  const at = (open: string, close: string) => (e.at ? `${open}${e.at}${close}` : '');
  const code =
    e.reason === 'city-admin-only' || e.reason === 'calendar-outside-jurisdiction'
      ? 'FORBIDDEN'
      : e.reason === 'calendar-in-use'
        ? 'CONFLICT'
        : 'BAD_REQUEST';
  return new TRPCError({
    code,
    message: `${translate(key, 'zh-CN')}${at('（', '）')} / ${translate(key, 'en')}${at(' (', ')')} (${e.reason})`,
    cause: e,
  });
}

/** Runs an edit of the category table or the calendars as the signed-in administrator; a refusal becomes a bilingual TRPCError. */
export async function editDeadlineTerms<T>(
  ctx: Context,
  edit: (directory: DeadlineDirectory, editor: TermsEditor) => Promise<T>,
): Promise<T> {
  const admin = userOf(ctx);
  try {
    return await edit(ctx.services.deadlines, { userId: admin.id, unitId: admin.unitId });
  } catch (e) {
    throw deadlineTermsError(e);
  }
}

/** The case if the user's jurisdiction covers it, else NOT_FOUND (属地: another street's case does not exist for this desk). */
export function visibleCaseGuard(ctx: Context, gridId: GridId, caseId: CaseId): void {
  const visible = jurisdictionGrids(ctx);
  if (visible && !visible.includes(gridId)) throw notFound(caseId);
}

export function notFound(caseId: CaseId): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `案件不存在 / case ${caseId} not found (not-found)` });
}

/** The department a department desk reads for ('' — no case — for a department user without a department row); undefined for other desks. */
export function departmentDeskOf(ctx: Context): string | undefined {
  const user = userOf(ctx);
  if (user.role !== 'department') return undefined;
  return ctx.services.departments.byId(user.departmentId)?.code ?? '';
}

/** A department desk sees a case only when its department was sent or called to it; to anyone else the case does not exist. */
export async function departmentCaseGuard(ctx: Context, caseId: CaseId): Promise<void> {
  const department = departmentDeskOf(ctx);
  if (department !== undefined && !(await ctx.services.caseReads.involves(caseId, department)))
    throw notFound(caseId);
}

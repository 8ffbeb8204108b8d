import {
  AccessTokenIdSchema,
  AuditQueryInputSchema,
  CreateUserInputSchema,
  ResetPasswordInputSchema,
  SetUserDisabledInputSchema,
  UnitIdSchema,
  UpdateUserInputSchema,
  WorkerIdSchema,
  type UnitId,
  type WorkerId,
} from '@gcc/shared';
import { TRPCError } from '@trpc/server';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { bilingual } from '@gcc/shared/messages';
import { z } from 'zod';
import { UserAdminError } from '../../auth/user-admin.ts';
import { accessTokens } from '../../db/schema.ts';
import { DEVICE_KINDS } from '../../devices/device-registry.ts';
import { auditEntry, auditPage, AuditQueryError } from '../../audit/audit-query.ts';
import { procedureFor, router, userOf, type Context } from '../trpc.ts';

const outsideUnit = (unitId: UnitId) =>
  new TRPCError({
    code: 'BAD_REQUEST',
    message: `单位 ${unitId} 不存在或不在您的辖区内 / unit ${unitId} is unknown or outside your jurisdiction`,
  });

/** At most this many credentials are issued in one call (a whole district's phones go street by street). */
const MAX_BULK = 5000;

/** A refusal of the administration desk as a TRPCError: Chinese first, then English, and the reason (`data.reason`). */
function refusal(code: TRPCError['code'], reason: string): TRPCError {
  return new TRPCError({
    code,
    message: `${bilingual(`refusal.${reason}` as Parameters<typeof bilingual>[0])} (${reason})`,
    cause: Object.assign(new Error(reason), { reason }),
  });
}

const USER_REFUSAL_CODE = {
  'last-admin': 'CONFLICT',
  'own-account': 'FORBIDDEN',
  'unknown-unit': 'BAD_REQUEST',
  'unknown-user': 'NOT_FOUND',
  'username-taken': 'CONFLICT',
  'department-required': 'BAD_REQUEST',
} as const satisfies Record<UserAdminError['reason'], TRPCError['code']>;

/** Runs an account change; a refusal becomes its typed TRPCError. */
async function accountChange<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof UserAdminError) throw refusal(USER_REFUSAL_CODE[e.reason], e.reason);
    throw e;
  }
}

/** A unit inside the administrator's jurisdiction, else `unknown-unit`. */
function ownUnit(ctx: Context, unitId: UnitId): UnitId {
  const b = ctx.services.boundary();
  if (!b.unitById.has(unitId) || !b.unitWithin(unitId, userOf(ctx).unitId))
    throw refusal('BAD_REQUEST', 'unknown-unit');
  return unitId;
}

/** Workers of a unit (by home grid), as the device desk lists them. */
function workersOf(ctx: Context, unitId: UnitId) {
  const b = ctx.services.boundary();
  return ctx.services.roster
    .filter((w) => b.gridInUnit(w.gridId, unitId))
    .map((w) => {
      const grid = b.gridById.get(w.gridId);
      return {
        id: w.id,
        name: w.name,
        role: w.role,
        gridId: w.gridId,
        gridCode: grid?.code ?? '',
        gridName: grid?.name ?? '',
        communityId: grid?.communityId ?? null,
        hasDevice: ctx.services.devices.hasDevice(w.id),
      };
    });
}

/** Issues one `device` credential per worker (in the administrator's jurisdiction, else refused), each shown once. */
async function issueForWorkers(ctx: Context, workerIds: readonly WorkerId[]) {
  const admin = userOf(ctx);
  const boundary = ctx.services.boundary();
  const byId = new Map(ctx.services.roster.map((w) => [w.id, w]));
  const workers = [...new Set(workerIds)].map((id) => {
    const w = byId.get(id);
    if (!w || !boundary.gridInUnit(w.gridId, admin.unitId)) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `网格员 ${id} 不存在或不在您的辖区内 / worker ${id} is unknown or outside your jurisdiction`,
      });
    }
    return { workerId: w.id, unitId: boundary.gridById.get(w.gridId)!.communityId, label: w.name };
  });
  return ctx.services.devices.issueDevices(workers);
}

export const adminRouter = router({
  /** The unit tree of the administrator's jurisdiction (for the unit pickers of the desk). */
  units: procedureFor('admin').query(({ ctx }) => {
    const admin = userOf(ctx);
    const b = ctx.services.boundary();
    return b.units
      .filter((u) => b.unitWithin(u.id, admin.unitId))
      .map((u) => ({ id: u.id, level: u.level, code: u.code, name: u.name, parentId: u.parentId }));
  }),

  /** People's accounts in the administrator's jurisdiction: role, unit, last sign-in, state. */
  users: procedureFor('admin').query(({ ctx }) => ctx.services.users.list(userOf(ctx))),

  /** Creates an account; `password` absent, one is made and returned once. */
  createUser: procedureFor('admin')
    .input(CreateUserInputSchema)
    .mutation(({ ctx, input }) => accountChange(() => ctx.services.users.create(userOf(ctx), input))),

  /** Changes an account's name, role, unit or department (a new role or unit ends its sessions). */
  updateUser: procedureFor('admin')
    .input(UpdateUserInputSchema)
    .mutation(({ ctx, input }) =>
      accountChange(async () => {
        const { user, endSessions } = await ctx.services.users.update(userOf(ctx), input);
        if (endSessions) ctx.services.streams.endUser(user.id);
        return user;
      }),
    ),

  /** Disables (停用) or enables an account; disabling ends its sessions and live streams. */
  setUserDisabled: procedureFor('admin')
    .input(SetUserDisabledInputSchema)
    .mutation(({ ctx, input }) =>
      accountChange(async () => {
        const user = await ctx.services.users.setDisabled(userOf(ctx), input.id, input.disabled);
        if (input.disabled) ctx.services.streams.endUser(user.id);
        return user;
      }),
    ),

  /** Sets a new password (made by the server when absent, returned once); the account's sessions end. */
  resetPassword: procedureFor('admin')
    .input(ResetPasswordInputSchema)
    .mutation(({ ctx, input }) =>
      accountChange(async () => {
        const res = await ctx.services.users.resetPassword(userOf(ctx), input.id, input.password);
        ctx.services.streams.endUser(res.user.id);
        return res;
      }),
    ),

  /** Workers of a unit of the jurisdiction, with whether a live device credential reports for each. */
  workers: procedureFor('admin')
    .input(z.object({ unitId: UnitIdSchema }))
    .query(({ ctx, input }) => workersOf(ctx, ownUnit(ctx, input.unitId)).slice(0, MAX_BULK)),

  /** Kiosk tokens (大屏令牌) of the jurisdiction, newest first, with when a wall last signed in with each. */
  kioskTokens: procedureFor('admin').query(async ({ ctx }) => {
    // 属地 in the query, before the limit.
    const within = ctx.services.boundary().unitsWithin(userOf(ctx).unitId);
    return ctx.services.database.db
      .select({
        id: accessTokens.id,
        label: accessTokens.label,
        unitId: accessTokens.unitId,
        createdAt: accessTokens.createdAt,
        revokedAt: accessTokens.revokedAt,
        lastUsedAt: accessTokens.lastUsedAt,
      })
      .from(accessTokens)
      .where(and(eq(accessTokens.kind, 'kiosk'), within ? inArray(accessTokens.unitId, within) : undefined))
      .orderBy(desc(accessTokens.id))
      .limit(5000);
  }),

  /** The audit log of the jurisdiction's users, newest first, a page at a time (`nextCursor`). */
  auditLog: procedureFor('admin')
    .input(AuditQueryInputSchema)
    .query(async ({ ctx, input }) => {
      try {
        return await auditPage(ctx.services, userOf(ctx), input);
      } catch (e) {
        if (e instanceof AuditQueryError) throw refusal('NOT_FOUND', e.reason);
        throw e;
      }
    }),

  /** One audit row whole: the input as stored and the outcome. */
  auditEntry: procedureFor('admin')
    .input(z.object({ id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }))
    .query(async ({ ctx, input }) => {
      const row = await auditEntry(ctx.services, userOf(ctx), input.id);
      if (!row) throw refusal('NOT_FOUND', 'unknown-audit-entry');
      return row;
    }),

  issueKioskToken: procedureFor('admin')
    .input(z.object({ label: z.string().trim().min(1).max(64), unitId: UnitIdSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      const admin = userOf(ctx);
      const unitId = input.unitId ?? admin.unitId;
      // 属地: an administrator issues tokens only for units inside its own jurisdiction.
      if (!ctx.services.boundary().unitWithin(unitId, admin.unitId)) throw outsideUnit(unitId);
      return ctx.services.auth.issueKioskToken(input.label, unitId);
    }),

  /**
   * A device credential: `device` for one worker's phone or terminal (also its Traccar Client
   * device identifier), `gateway` for a vendor platform relaying a unit's terminals. Shown once.
   */
  issueDeviceToken: procedureFor('admin')
    .input(
      z.discriminatedUnion('kind', [
        z.object({
          kind: z.literal('device'),
          workerId: WorkerIdSchema,
          label: z.string().trim().min(1).max(64).optional(),
        }),
        z.object({
          kind: z.literal('gateway'),
          label: z.string().trim().min(1).max(64),
          unitId: UnitIdSchema.optional(),
        }),
      ]),
    )
    .mutation(async ({ ctx, input }) => {
      const admin = userOf(ctx);
      const boundary = ctx.services.boundary();
      if (input.kind === 'device') {
        const worker = ctx.services.roster.find((w) => w.id === input.workerId);
        if (!worker || !boundary.gridInUnit(worker.gridId, admin.unitId)) {
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: `网格员 ${input.workerId} 不存在或不在您的辖区内 / worker ${input.workerId} is unknown or outside your jurisdiction`,
          });
        }
        const unitId = boundary.gridById.get(worker.gridId)!.communityId;
        return ctx.services.devices.issue({
          kind: 'device',
          label: input.label ?? worker.name,
          unitId,
          workerId: worker.id,
        });
      }
      const unitId = input.unitId ?? admin.unitId;
      if (!boundary.unitWithin(unitId, admin.unitId)) throw outsideUnit(unitId);
      return ctx.services.devices.issue({ kind: 'gateway', label: input.label, unitId, workerId: null });
    }),

  /** One device credential per worker, for enrolling many phones at once (each identifier shown once). */
  issueDeviceTokens: procedureFor('admin')
    .input(z.object({ workerIds: z.array(WorkerIdSchema).min(1).max(MAX_BULK) }))
    .mutation(({ ctx, input }) => issueForWorkers(ctx, input.workerIds)),

  /**
   * One device credential for each worker of a street or community (only those without a live one,
   * unless `all`): the desk's 批量发放, its identifiers shown once and downloadable as CSV.
   */
  issueUnitDeviceTokens: procedureFor('admin')
    .input(z.object({ unitId: UnitIdSchema, all: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const workers = workersOf(ctx, ownUnit(ctx, input.unitId)).filter((w) => input.all || !w.hasDevice);
      if (workers.length > MAX_BULK) throw refusal('BAD_REQUEST', 'too-many-workers');
      const issued = await issueForWorkers(
        ctx,
        workers.map((w) => w.id),
      );
      const byId = new Map(workers.map((w) => [w.id, w]));
      return issued.map((d) => {
        const w = byId.get(d.workerId)!;
        return { ...d, workerName: w.name, gridCode: w.gridCode, gridName: w.gridName };
      });
    }),

  /** Device credentials inside the administrator's jurisdiction, newest first, with when each was last heard. */
  devices: procedureFor('admin').query(async ({ ctx }) => {
    const { positions } = ctx.services;
    const boundary = ctx.services.boundary();
    // 属地 in the query, before the limit.
    const within = boundary.unitsWithin(userOf(ctx).unitId);
    const rows = await ctx.services.database.db
      .select()
      .from(accessTokens)
      .where(
        and(
          inArray(accessTokens.kind, [...DEVICE_KINDS]),
          within ? inArray(accessTokens.unitId, within) : undefined,
        ),
      )
      .orderBy(desc(accessTokens.id))
      .limit(5000);
    const workerById = new Map(ctx.services.roster.map((w) => [w.id, w]));
    return rows.map((r) => {
      const slot = r.workerId !== null ? positions.slotOf(r.workerId) : undefined;
      const worker = r.workerId !== null ? workerById.get(r.workerId) : undefined;
      return {
        id: r.id,
        kind: r.kind,
        label: r.label,
        unitId: r.unitId,
        workerId: r.workerId,
        workerName: worker?.name ?? null,
        gridName: worker ? (boundary.gridById.get(worker.gridId)?.name ?? null) : null,
        createdAt: r.createdAt,
        revokedAt: r.revokedAt,
        lastFixAt: slot !== undefined && positions.hasPosition(slot) ? positions.cols.at[slot]! : null,
      };
    });
  }),

  revokeToken: procedureFor('admin')
    .input(z.object({ id: AccessTokenIdSchema }))
    .mutation(async ({ ctx, input }) => {
      // 属地: a token of another unit does not exist for this administrator (it revoked any before).
      const admin = userOf(ctx);
      const [row] = await ctx.services.database.db
        .select({ unitId: accessTokens.unitId })
        .from(accessTokens)
        .where(eq(accessTokens.id, input.id));
      if (!row || !ctx.services.boundary().unitWithin(row.unitId, admin.unitId))
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `${bilingual('refusal.unknown-token')} (unknown-token)`,
          cause: Object.assign(new Error('unknown-token'), { reason: 'unknown-token' }),
        });
      const { revoked, kioskUserId } = await ctx.services.auth.revokeToken(input.id);
      ctx.services.devices.forget(input.id);
      if (kioskUserId !== null) ctx.services.streams.endUser(kioskUserId);
      return { revoked };
    }),
});

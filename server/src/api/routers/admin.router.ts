import { AccessTokenIdSchema, UnitIdSchema, WorkerIdSchema, type UnitId } from '@gcc/shared';
import { TRPCError } from '@trpc/server';
import { desc, eq, inArray } from 'drizzle-orm';
import { bilingual } from '@gcc/shared/messages';
import { z } from 'zod';
import { accessTokens } from '../../db/schema.ts';
import { DEVICE_KINDS } from '../../devices/device-registry.ts';
import { procedureFor, router, userOf } from '../trpc.ts';

const outsideUnit = (unitId: UnitId) =>
  new TRPCError({
    code: 'BAD_REQUEST',
    message: `单位 ${unitId} 不存在或不在您的辖区内 / unit ${unitId} is unknown or outside your jurisdiction`,
  });

export const adminRouter = router({
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
    .input(z.object({ workerIds: z.array(WorkerIdSchema).min(1).max(5000) }))
    .mutation(async ({ ctx, input }) => {
      const admin = userOf(ctx);
      const boundary = ctx.services.boundary();
      const byId = new Map(ctx.services.roster.map((w) => [w.id, w]));
      const workers = [...new Set(input.workerIds)].map((id) => {
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
    }),

  /** Device credentials inside the administrator's jurisdiction, newest first, with when each was last heard. */
  devices: procedureFor('admin').query(async ({ ctx }) => {
    const admin = userOf(ctx);
    const boundary = ctx.services.boundary();
    const { positions } = ctx.services;
    const rows = await ctx.services.database.db
      .select()
      .from(accessTokens)
      .where(inArray(accessTokens.kind, [...DEVICE_KINDS]))
      .orderBy(desc(accessTokens.id))
      .limit(5000);
    return rows
      .filter((r) => boundary.unitWithin(r.unitId, admin.unitId))
      .map((r) => {
        const slot = r.workerId !== null ? positions.slotOf(r.workerId) : undefined;
        return {
          id: r.id,
          kind: r.kind,
          label: r.label,
          unitId: r.unitId,
          workerId: r.workerId,
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

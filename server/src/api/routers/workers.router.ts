import { TRPCError } from '@trpc/server';
import { dutyFromIndex, WorkerIdSchema } from '@gcc/shared';
import { z } from 'zod';
import { MAX_REPLAY_MS } from '../../live/trajectory-recorder.ts';
import { ALL_READERS, jurisdictionGrids, procedureFor, router } from '../trpc.ts';

export const workersRouter = router({
  /** Every worker the user may see, with duty state and newest position (binary frames follow on /positions). */
  snapshot: procedureFor(...ALL_READERS).query(({ ctx }) => {
    const { roster, positions } = ctx.services;
    const visible = jurisdictionGrids(ctx);
    const set = visible ? new Set(visible) : null;
    const cols = positions.cols;
    const now = Date.now();
    return {
      at: now,
      workers: roster
        .filter((w) => !set || set.has(w.gridId))
        .map((w) => {
          const slot = positions.slotOf(w.id)!;
          const has = positions.hasPosition(slot);
          return {
            id: w.id,
            name: w.name,
            role: w.role,
            gridId: w.gridId,
            duty: dutyFromIndex(cols.duty[slot]!),
            lng: has ? cols.lng[slot]! : null,
            lat: has ? cols.lat[slot]! : null,
            at: has ? cols.at[slot]! : null,
          };
        }),
    };
  }),

  /**
   * Workers on duty outside their own grid now, each with why when something explains it (on the
   * way to or at a case, or walking back from one) — null: unexplained, the 离岗 alert's business.
   */
  away: procedureFor(...ALL_READERS).query(({ ctx }) => {
    const { roster, positions, caseTrips } = ctx.services;
    const visible = jurisdictionGrids(ctx);
    const set = visible ? new Set(visible) : null;
    const cols = positions.cols;
    const now = Date.now();
    const out = [];
    for (const w of roster) {
      if (set && !set.has(w.gridId)) continue;
      const slot = positions.slotOf(w.id)!;
      if (
        !positions.hasPosition(slot) ||
        !cols.outsideGrid[slot] ||
        dutyFromIndex(cols.duty[slot]!) === 'off'
      )
        continue;
      const gridId = positions.gridAt(slot);
      out.push({
        workerId: w.id,
        name: w.name,
        gridId: w.gridId,
        currentGridId: gridId,
        reason: caseTrips.reasonFor(w.id, cols.lng[slot]!, cols.lat[slot]!, gridId, now),
      });
    }
    return { at: now, workers: out };
  }),

  /** A worker's downsampled track for replay (at most 24 h per request), as flat [at, lng, lat, speed, heading] rows. */
  trajectory: procedureFor('admin', 'dispatcher', 'planner')
    .input(
      z
        .object({ workerId: WorkerIdSchema, from: z.number().int(), to: z.number().int() })
        .refine((v) => v.to > v.from && v.to - v.from <= MAX_REPLAY_MS, {
          message: '时间范围须在 24 小时以内 / the range must be positive and at most 24 h',
        }),
    )
    .query(async ({ ctx, input }) => {
      const worker = ctx.services.roster.find((w) => w.id === input.workerId);
      const visible = jurisdictionGrids(ctx);
      if (!worker || (visible && !visible.includes(worker.gridId))) {
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `网格员 ${input.workerId} 不存在或不在您的辖区内 / worker ${input.workerId} is unknown or outside your jurisdiction`,
        });
      }
      const points = await ctx.services.trajectories.replay(worker.id, input.from, input.to);
      return {
        workerId: worker.id,
        points: points.map((p) => [p.at, p.lng, p.lat, p.speed, p.heading] as const),
      };
    }),
});

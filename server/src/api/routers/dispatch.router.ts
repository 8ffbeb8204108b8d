import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { CaseIdSchema, isOpenStatus, type CaseId, type WorkerId } from '@gcc/shared';
import { roleFitForCategory } from '../../dispatch/recommender.ts';
import { caseActorOf, caseCommandError, notFound, procedureFor, router, visibleCaseGuard } from '../trpc.ts';

// The dispatcher's desk: ranked workers for a case (in its grid first, then distance, open
// cases, role fit; surge mode 战时为拳 widens to neighbouring grids and communities) with a road
// ETA and route for each, and bulk assignment of a selection.

const DEFAULT_TOP = 5;

export const dispatchRouter = router({
  /**
   * The top 5 workers for a case, each with its reasons (codes for dispatch.reason.*), ETA and
   * route polyline, and the case's assignee at the answer's `version` (a dispatch from this view
   * sends both: the version, and the assignee it replaces).
   */
  recommend: procedureFor('admin', 'dispatcher')
    .input(z.object({ caseId: CaseIdSchema, surge: z.boolean().optional() }))
    .query(async ({ ctx, input }) => {
      const c = (await ctx.services.caseReads.byIds([input.caseId])).get(input.caseId);
      if (!c) throw notFound(input.caseId);
      visibleCaseGuard(ctx, c.gridId, c.id);
      const now = Date.now();
      const [advisor, load, reporters] = await Promise.all([
        ctx.services.dispatch.advisor(),
        ctx.services.dispatch.load(now),
        ctx.services.caseReads.reportersOf([c.id]),
      ]);
      const names = new Map(ctx.services.roster.map((w) => [w.id, w.name]));
      // The assignee as of this answer's version: the desk marks it and names it in a 改派, and
      // it is not proposed again.
      const assignee =
        c.assigneeId !== null || c.assigneeDepartment !== null
          ? {
              workerId: c.assigneeId,
              department: c.assigneeDepartment,
              name: c.assigneeId !== null ? (names.get(c.assigneeId) ?? '') : '',
            }
          : null;
      const advised = advisor.advise(
        {
          lng: c.lng,
          lat: c.lat,
          gridId: c.gridId,
          surge: input.surge ?? false,
          roleFit: roleFitForCategory(c.category),
          limit: DEFAULT_TOP,
          ...(c.assigneeId !== null ? { excludeWorkerIds: [c.assigneeId] } : {}),
          reporterWorkerId: reporters.get(c.id) ?? null,
        },
        load,
        now,
      );
      return {
        caseId: c.id,
        version: c.version,
        assignee,
        surge: input.surge ?? false,
        workers: advised.map((w) => ({
          workerId: w.workerId,
          name: names.get(w.workerId) ?? '',
          role: w.role,
          homeGridId: w.homeGridId,
          lng: w.lng,
          lat: w.lat,
          tier: w.tier,
          score: w.score,
          reason: w.reason,
          eta: {
            etaS: w.eta.etaS,
            distanceM: w.eta.distanceM,
            straightM: w.eta.straightM,
            mode: w.eta.mode,
            fallback: w.eta.fallback,
            path: w.eta.path,
          },
        })),
      };
    }),

  /**
   * Bulk assignment of a selection: most urgent deadline first, each case takes its first
   * recommendation (a pick counts as one more open case for the ones after), then each is
   * dispatched with the version read here; a case another desk moved meanwhile is reported, not forced.
   */
  assignBulk: procedureFor('dispatcher')
    .input(
      z.object({
        caseIds: z.array(CaseIdSchema).min(1).max(100),
        surge: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const found = await ctx.services.caseReads.byIds([...new Set(input.caseIds)]);
      const selection = [...found.values()].filter((c) => isOpenStatus(c.status));
      for (const c of selection) visibleCaseGuard(ctx, c.gridId, c.id);
      selection.sort((a, b) => (a.deadlineAt ?? Infinity) - (b.deadlineAt ?? Infinity) || a.id - b.id);
      const now = Date.now();
      const [advisor, load, reporters] = await Promise.all([
        ctx.services.dispatch.advisor(),
        ctx.services.dispatch.load(now),
        ctx.services.caseReads.reportersOf(selection.map((c) => c.id)),
      ]);
      const picks = advisor.proposeBulk(
        selection.map((c) => ({
          lng: c.lng,
          lat: c.lat,
          gridId: c.gridId,
          surge: input.surge ?? false,
          roleFit: roleFitForCategory(c.category),
          reporterWorkerId: reporters.get(c.id) ?? null,
        })),
        load,
        now,
      );
      const actor = caseActorOf(ctx);
      const results: {
        caseId: CaseId;
        ok: boolean;
        workerId: WorkerId | null;
        reason: string | null;
        message: string | null;
      }[] = [];
      for (const [k, c] of selection.entries()) {
        const pick = picks[k];
        if (!pick) {
          results.push({
            caseId: c.id,
            ok: false,
            workerId: null,
            reason: 'no-worker',
            message: '附近没有可派遣的网格员 / no available worker nearby',
          });
          continue;
        }
        try {
          await ctx.services.cases.command(
            c.id,
            {
              type: 'dispatch',
              workerId: pick.workerId,
              department: null,
              expectedVersion: c.version,
            },
            actor,
          );
          results.push({ caseId: c.id, ok: true, workerId: pick.workerId, reason: null, message: null });
        } catch (e) {
          const err = caseCommandError(e);
          if (!(err instanceof TRPCError)) throw err;
          results.push({
            caseId: c.id,
            ok: false,
            workerId: pick.workerId,
            reason: (e as { reason?: string }).reason ?? null,
            message: err.message,
          });
        }
      }
      for (const id of input.caseIds) {
        if (!results.some((r) => r.caseId === id))
          results.push({
            caseId: id,
            ok: false,
            workerId: null,
            reason: 'not-open',
            message: '案件不存在或已办结 / case not found or not open',
          });
      }
      return { results };
    }),
});

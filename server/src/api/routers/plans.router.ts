import { PLANNERS, PlanIdSchema } from '@gcc/shared';
import { translate } from '@gcc/shared/messages';
import { addressPointsReady } from '../../seed/address-point-loader.ts';
import {
  HouseholdBandsSchema,
  PlanPublishSchema,
  PlanNameSchema,
  PlanRevisionSchema,
  PlanSaveSchema,
} from '@gcc/shared/planning';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { planBaseline } from '../../plans/baseline.ts';
import { PlanError } from '../../plans/plan-errors.ts';
import type { Planner } from '../../plans/plan-store.ts';
import { publishError } from '../../boundaries/boundary-errors.ts';
import { procedureFor, router, userOf, type Context } from '../trpc.ts';

/** The signed-in user as the plan store sees them. */
function plannerOf(ctx: Context): Planner {
  const user = userOf(ctx);
  return { id: user.id, role: user.role, unitId: user.unitId };
}

/**
 * A refused plan write as a TRPCError: a bilingual sentence (Chinese first), the reason code
 * (`data.reason`) and, for a refused edit, which edit and where (`data.step`, `data.at`).
 */
function planError(e: unknown): unknown {
  if (!(e instanceof PlanError)) return e;
  const key = `plan.refusal.${e.reason}` as const;
  const step = (locale: 'zh-CN' | 'en') =>
    e.step === null ? '' : `${translate('plan.step', locale).replace('{n}', String(e.step + 1))}: `;
  const code =
    e.reason === 'not-found'
      ? 'NOT_FOUND'
      : e.reason === 'not-author'
        ? 'FORBIDDEN'
        : e.reason === 'stale-revision' ||
            e.reason === 'discarded' ||
            e.reason === 'published' ||
            e.reason === 'outdated'
          ? 'CONFLICT'
          : // Every refused edit, the jurisdiction's included: the list sent cannot be saved as it is.
            'BAD_REQUEST';
  return new TRPCError({
    code,
    message: `${step('zh-CN')}${translate(key, 'zh-CN')} / ${step('en')}${translate(key, 'en')} (${e.reason})`,
    cause: e,
  });
}

async function refusingAsTrpc<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw planError(e);
  }
}

const PlanRefSchema = z.object({ id: PlanIdSchema, revision: PlanRevisionSchema }).strict();

// The boundary planner's API: the topology every plan is edited on, and the plans themselves.
export const plansRouter = router({
  /**
   * The boundary version in force as a topology, with the grids' attributes as columns. The whole
   * layer, also outside the planner's jurisdiction: a planner sees the neighbours of what they
   * edit (the server refuses edits outside it).
   */
  baseline: procedureFor(...PLANNERS).query(async ({ ctx }) => {
    const b = ctx.services.boundary();
    const { version, encoded } = await planBaseline(b);
    const list = [...b.grids].sort((a, c) => a.id - c.id);
    const unitId = userOf(ctx).unitId;
    return {
      version,
      // The units whose borders this planner may unlock: strictly inside their jurisdiction (the
      // rule plan replay enforces), so the page refuses a forbidden unlock before it is saved.
      unlockable: b.units.filter((u) => u.id !== unitId && b.unitWithin(u.id, unitId)).map((u) => u.id),
      topology: encoded,
      grids: {
        ids: list.map((g) => g.id),
        codes: list.map((g) => g.code),
        names: list.map((g) => g.name),
        parentIds: list.map((g) => g.communityId),
        urban: list.map((g) => g.urban),
        households: list.map((g) => g.households),
        population: list.map((g) => g.population),
      },
    };
  }),

  /** Plans of the version in force and drafts left on older ones: author, time, grids touched, open problems. */
  list: procedureFor(...PLANNERS).query(({ ctx }) => ctx.services.plans.list(plannerOf(ctx))),

  /** One plan with its edits and cursor (undo history included); every planner reads every plan. */
  get: procedureFor(...PLANNERS)
    .input(z.object({ id: PlanIdSchema }).strict())
    .query(({ ctx, input }) => refusingAsTrpc(() => ctx.services.plans.get(plannerOf(ctx), input.id))),

  /** A new, empty draft on the boundary version in force. */
  create: procedureFor(...PLANNERS)
    .input(z.object({ name: PlanNameSchema, bands: HouseholdBandsSchema.nullable().optional() }).strict())
    .mutation(({ ctx, input }) => refusingAsTrpc(() => ctx.services.plans.create(plannerOf(ctx), input))),

  /**
   * Saves the plan's edits (the redo part too) and cursor: the server replays all of them from the
   * version's topology; the first refused edit writes nothing (BAD_REQUEST, data.step, data.at).
   */
  save: procedureFor(...PLANNERS)
    .input(PlanSaveSchema)
    .mutation(({ ctx, input }) => refusingAsTrpc(() => ctx.services.plans.save(plannerOf(ctx), input))),

  rename: procedureFor(...PLANNERS)
    .input(PlanRefSchema.extend({ name: PlanNameSchema }))
    .mutation(({ ctx, input }) => refusingAsTrpc(() => ctx.services.plans.rename(plannerOf(ctx), input))),

  /**
   * Publishes the plan as the next boundary version, now or at `effectiveAt` (boundaries/publish.ts):
   * replayed on the newest version (a plan of an older one is rebased, or refused as
   * `stale-version` when it touches a grid changed since), refused with open problems, then the
   * version, its grids, the re-keyed rows and the change report in one transaction. A lost race
   * is CONFLICT `publish-conflict`; a refused edit says its step (data.step, data.at).
   */
  publish: procedureFor(...PLANNERS)
    .input(PlanPublishSchema)
    .mutation(({ ctx, input }) =>
      refusingAsTrpc(async () => {
        // Publishing re-keys the address points to the new grids: all of them, once a first start wrote them.
        await addressPointsReady(ctx.services.database.db);
        try {
          return await ctx.services.boundaries.publisher.publish(plannerOf(ctx), input);
        } catch (e) {
          throw publishError(e);
        }
      }),
    ),

  /** Discards a draft; it stays readable. */
  discard: procedureFor(...PLANNERS)
    .input(PlanRefSchema)
    .mutation(({ ctx, input }) => refusingAsTrpc(() => ctx.services.plans.discard(plannerOf(ctx), input))),
});

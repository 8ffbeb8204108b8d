import { TRPCError } from '@trpc/server';
import {
  CALL_BACK_ROLES,
  CaseCommandInputSchema,
  CaseIdSchema,
  DESK_REPORTERS,
  CaseMergeInputSchema,
  CaseReportFieldsSchema,
  CaseReportInputSchema,
  CaseStatusSchema,
  CaseTierSchema,
  type Category,
  type GridId,
  GridIdSchema,
  OPEN_STATUSES,
  photoIdOfRef,
  startOfLocalDay,
  TicketSchema,
  UnitIdSchema,
  type Urgency,
} from '@gcc/shared';
import { translate } from '@gcc/shared/messages';
import { z } from 'zod';
import { CaseIntakeError } from '../../cases/case-errors.ts';
import { attachPhotos, PhotoRefusal } from '../../photos/photo-store.ts';
import {
  caseActorOf,
  caseCommandError,
  CASE_ACTORS,
  CASE_DESKS,
  CASE_READERS,
  departmentCaseGuard,
  departmentDeskOf,
  jurisdictionGrids,
  notFound,
  procedureFor,
  router,
  userOf,
  visibleCaseGuard,
} from '../trpc.ts';

const ListInput = z.object({
  status: z.array(CaseStatusSchema).max(20).optional(),
  gridId: GridIdSchema.optional(),
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(5000).default(500),
  cursor: CaseIdSchema.optional(),
  tier: z.array(CaseTierSchema).max(4).optional(),
  urgency: z
    .array(z.enum(['red', 'yellow', 'blue']))
    .max(3)
    .optional(),
  /** Subclass (S0101) or major class (S01) codes. */
  category: z
    .array(z.string().regex(/^[BS]\d{2}(\d{2})?$/))
    .max(100)
    .optional(),
  overdue: z.boolean().optional(),
  /** An administrative unit (district, street, community): only its grids. */
  unitId: UnitIdSchema.optional(),
  sort: z.enum(['id', 'deadline']).default('id'),
  /** Only cases the signed-in post may act on now, by the same rules as `cases.allowed`. */
  actionable: z.boolean().optional(),
  /**
   * 待处理, the desk's default queue: cases waiting for the signed-in post's step first, then the
   * overdue ones it may chase (see CaseQueries.needsAction); `sort` and `cursor` do not apply.
   */
  needsAction: z.boolean().optional(),
});

/** The queue tabs' filters: the list's, without status, order or paging. */
const CountsInput = ListInput.pick({ tier: true, urgency: true, category: true, unitId: true, gridId: true });

const DuplicatesInput = z.union([
  z.object({ caseId: CaseIdSchema }).strict(),
  // A report being taken; with its 12345 ticket, a case already registered for that ticket is named too.
  CaseReportFieldsSchema.pick({ category: true, lng: true, lat: true })
    .extend({ ticket: TicketSchema.optional() })
    .strict(),
]);

/** The subclass codes a category/urgency filter selects, or undefined for no filter. */
function categoryCodes(
  table: readonly Category[],
  category: readonly string[] | undefined,
  urgency: readonly Urgency[] | undefined,
): string[] | undefined {
  if (!category?.length && !urgency?.length) return undefined;
  // The effective table: an urgency an administrator changed filters by its new value.
  return table
    .filter(
      (c) =>
        (!category?.length || category.some((k) => c.code === k || c.major === k)) &&
        (!urgency?.length || urgency.includes(c.urgency)),
    )
    .map((c) => c.code);
}

/** The grids both the user's jurisdiction and the chosen area cover. */
function areaGrids(
  jurisdiction: readonly GridId[] | undefined,
  area: readonly GridId[] | undefined,
): readonly GridId[] | undefined {
  if (!area) return jurisdiction;
  if (!jurisdiction) return area;
  const mine = new Set(jurisdiction);
  return area.filter((g) => mine.has(g));
}

function photoError(): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: `${translate('photo.notYours', 'zh-CN')} / ${translate('photo.notYours', 'en')} (bad-photo)`,
  });
}

export const casesRouter = router({
  list: procedureFor(...CASE_DESKS)
    .input(ListInput)
    .query(async ({ ctx, input }) => {
      const { urgency, category, unitId, actionable, needsAction, ...rest } = input;
      const area = unitId === undefined ? undefined : ctx.services.boundary().gridIdsUnder(unitId);
      if (needsAction) {
        const found = await ctx.services.caseReads.needsAction(
          {
            ...rest,
            categories: categoryCodes(ctx.services.deadlines.categories(), category, urgency),
            gridIds: areaGrids(jurisdictionGrids(ctx), area),
            now: Date.now(),
            department: departmentDeskOf(ctx),
          },
          caseActorOf(ctx),
        );
        return { ...found, nextCursor: null };
      }
      return ctx.services.caseReads.list({
        ...rest,
        categories: categoryCodes(ctx.services.deadlines.categories(), category, urgency),
        gridIds: areaGrids(jurisdictionGrids(ctx), area),
        now: Date.now(),
        actionableBy: actionable ? caseActorOf(ctx) : undefined,
        department: departmentDeskOf(ctx),
      });
    }),

  /** The queue tabs' counts: 待处理 (waiting, then overdue to chase), every open case, the open ones past their deadline. */
  queueCounts: procedureFor(...CASE_DESKS)
    .input(CountsInput)
    .query(async ({ ctx, input }) => {
      const { urgency, category, unitId, ...rest } = input;
      const area = unitId === undefined ? undefined : ctx.services.boundary().gridIdsUnder(unitId);
      const filter = {
        ...rest,
        categories: categoryCodes(ctx.services.deadlines.categories(), category, urgency),
        gridIds: areaGrids(jurisdictionGrids(ctx), area),
        now: Date.now(),
        department: departmentDeskOf(ctx),
      };
      const [mine, all] = await Promise.all([
        ctx.services.caseReads.needsAction({ ...filter, limit: 0 }, caseActorOf(ctx)),
        ctx.services.caseReads.openCounts(filter),
      ]);
      return { needsAction: mine.waiting + mine.chase, waiting: mine.waiting, chase: mine.chase, ...all };
    }),

  get: procedureFor(...CASE_DESKS)
    .input(z.object({ id: CaseIdSchema }))
    .query(async ({ ctx, input }) => {
      const found = await ctx.services.caseReads.get(input.id);
      if (!found) throw notFound(input.id);
      visibleCaseGuard(ctx, found.case.gridId, input.id);
      await departmentCaseGuard(ctx, input.id);
      // The caller in full only for the posts that call back; every other desk reads the masked `case.caller`.
      const callsBack = CALL_BACK_ROLES.includes(userOf(ctx).role);
      return { ...found, contact: callsBack ? found.contact : null };
    }),

  /** A hotline operator, the resident app or a patrol device reports a case; the server finds its grid. */
  report: procedureFor(...DESK_REPORTERS, 'device')
    .input(CaseReportInputSchema)
    .mutation(async ({ ctx, input }) => {
      const user = userOf(ctx);
      try {
        return await ctx.services.cases.report(
          input,
          { userId: user.id, workerId: null },
          { withinUnit: user.unitId },
        );
      } catch (e) {
        if (e instanceof CaseIntakeError && e.reason === 'outside-jurisdiction') {
          throw new TRPCError({
            code: 'FORBIDDEN',
            message: `该位置不在您的辖区内 / the location is outside your jurisdiction`,
            cause: e,
          });
        }
        if (e instanceof CaseIntakeError) {
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: `位置不在本市辖区内 / ${e.message}`,
            cause: e,
          });
        }
        throw e;
      }
    }),

  /**
   * Runs one step of the closed loop (立案, 派遣, 核查, 结案, 上报升级, 吹哨, 挂账 …) on a case. The
   * command carries the version the desk saw; a stale one is refused with CONFLICT and changes
   * nothing (two desks dispatching the same case: one wins). Who may run what is the rule table.
   */
  command: procedureFor(...CASE_ACTORS)
    .input(CaseCommandInputSchema)
    .mutation(async ({ ctx, input }) => {
      const found = await ctx.services.caseReads.byIds([input.caseId]);
      const c = found.get(input.caseId);
      if (!c) throw notFound(input.caseId);
      visibleCaseGuard(ctx, c.gridId, c.id);
      await departmentCaseGuard(ctx, c.id);
      // A desk's 反馈 references photos it uploaded (POST /api/photos); they are attached in the command's transaction.
      const refs = input.command.type === 'feedback' ? input.command.photos.map(photoIdOfRef) : [];
      const evidence = refs.filter((id) => id !== null);
      if (evidence.length < refs.length) throw photoError();
      try {
        const alsoInTx = evidence.length ? attachPhotos(evidence, { userId: userOf(ctx).id }) : undefined;
        return await ctx.services.cases.command(
          input.caseId,
          input.command,
          caseActorOf(ctx),
          alsoInTx ? { alsoInTx } : {},
        );
      } catch (e) {
        if (e instanceof PhotoRefusal) throw photoError();
        throw caseCommandError(e);
      }
    }),

  /** Merges a duplicate into its primary (the dispatcher confirms a suggested duplicate); they close together. */
  merge: procedureFor('dispatcher')
    .input(CaseMergeInputSchema)
    .mutation(async ({ ctx, input }) => {
      const found = await ctx.services.caseReads.byIds([input.duplicateId, input.primaryId]);
      for (const id of [input.duplicateId, input.primaryId]) {
        const c = found.get(id);
        if (!c) throw notFound(id);
        visibleCaseGuard(ctx, c.gridId, c.id);
      }
      try {
        return await ctx.services.cases.merge(
          input.duplicateId,
          input.primaryId,
          { duplicateVersion: input.duplicateVersion, primaryVersion: input.primaryVersion },
          caseActorOf(ctx),
        );
      } catch (e) {
        throw caseCommandError(e);
      }
    }),

  /**
   * Suspected duplicates (重复件): open cases of the same subclass near in place and time, nearest
   * first — of a case (to merge it) or of a report being taken (so intake sees the case already
   * there before making another). Only cases in the user's jurisdiction.
   */
  duplicates: procedureFor(...CASE_READERS)
    .input(DuplicatesInput)
    .query(async ({ ctx, input }) => {
      const gridIds = jurisdictionGrids(ctx);
      if ('caseId' in input) {
        const c = (await ctx.services.caseReads.byIds([input.caseId])).get(input.caseId);
        if (!c) throw notFound(input.caseId);
        visibleCaseGuard(ctx, c.gridId, c.id);
        // A finished or merged case has nothing left to merge.
        if (!OPEN_STATUSES.includes(c.status)) return { items: [], sameTicket: [] };
        return {
          items: await ctx.services.caseReads.duplicatesNear(
            { category: c.category, lng: c.lng, lat: c.lat, at: c.reportedAt },
            { excludeId: c.id, gridIds },
          ),
          sameTicket:
            c.caller?.ticket == null
              ? []
              : (await ctx.services.caseReads.byTicket(c.caller.ticket, { gridIds })).filter(
                  (t) => t.id !== c.id,
                ),
        };
      }
      const { ticket, ...report } = input;
      const [items, sameTicket] = await Promise.all([
        ctx.services.caseReads.duplicatesNear({ ...report, at: Date.now() }, { gridIds }),
        ticket === undefined ? [] : ctx.services.caseReads.byTicket(ticket, { gridIds }),
      ]);
      return { items, sameTicket };
    }),

  /** The commands the current user may run on a case now: the engine's legal steps ∩ the rule table for the user's posts and jurisdiction. */
  allowed: procedureFor(...CASE_DESKS)
    .input(z.object({ caseId: CaseIdSchema }))
    .query(async ({ ctx, input }) => {
      const found = await ctx.services.caseReads.state(input.caseId);
      if (!found) throw notFound(input.caseId);
      visibleCaseGuard(ctx, found.state.gridId, input.caseId);
      await departmentCaseGuard(ctx, input.caseId);
      const commands = ctx.services.caseAccess.allowedFor(caseActorOf(ctx), found.state);
      return { caseId: input.caseId, status: found.state.status, version: found.state.version, commands };
    }),

  /** Today's (UTC+8) counts by status and category, and open cases per grid: the wall's panels. */
  today: procedureFor(...CASE_READERS).query(async ({ ctx }) => {
    const now = Date.now();
    const gridIds = jurisdictionGrids(ctx);
    const from = startOfLocalDay(now);
    const [counts, openByGrid] = await Promise.all([
      ctx.services.caseReads.counts({ from, to: now + 1, gridIds }),
      ctx.services.caseReads.openCountsByGrid(gridIds),
    ]);
    return { from, at: now, ...counts, openByGrid };
  }),
});

import { CategoryOverrideSchema, findCategory, MAJOR_CATEGORIES } from '@gcc/shared';
import { z } from 'zod';
import { CASE_DESKS, editDeadlineTerms, procedureFor, router } from '../trpc.ts';

// The category table (事件分类与时限) as administrators edit it: the default table of
// categories.ts with their overrides applied. An edit applies to cases reported afterwards; a
// case keeps the limits recorded at its report. Every write is audited by the API middleware.

/** A subclass code taken loosely, so an unknown one is refused in the user's words (`unknown-category`). */
const code = z.string().trim().min(1).max(16);

export const categoriesRouter = router({
  /** Each subclass's tier, urgency and limits as in force now, for the desks (the default 立案 tier, urgency colours). */
  effective: procedureFor(...CASE_DESKS).query(({ ctx }) =>
    ctx.services.deadlines
      .categories()
      .map((c) => ({ code: c.code, tier: c.tier, urgency: c.urgency, limits: c.limits })),
  ),

  /** The effective table: each subclass as in force now, its default, and the fields an override changes. */
  table: procedureFor('admin').query(({ ctx }) => {
    const d = ctx.services.deadlines;
    return {
      majors: MAJOR_CATEGORIES.map((m) => ({ ...m })),
      items: d.categories().map((c) => {
        const stored = d.overrideOf(c.code);
        const base = findCategory(c.code)!;
        return {
          code: c.code,
          major: c.major,
          zh: c.zh,
          en: c.en,
          tier: c.tier,
          urgency: c.urgency,
          limits: c.limits,
          weight: c.weight,
          defaults: { tier: base.tier, urgency: base.urgency, limits: base.limits, weight: base.weight },
          overridden: d.overriddenFields(c.code),
          updatedAt: stored?.updatedAt ?? null,
          updatedBy: stored?.updatedBy ?? null,
        };
      }),
    };
  }),

  /** Sets one subclass's override (replacing the previous one; values equal to the defaults clear it). */
  setOverride: procedureFor('admin')
    .input(CategoryOverrideSchema.extend({ code }))
    .mutation(({ ctx, input }) => editDeadlineTerms(ctx, (d, editor) => d.setOverride(input, editor))),

  /** Back to the default table for one subclass. */
  clearOverride: procedureFor('admin')
    .input(z.object({ code }))
    .mutation(({ ctx, input }) => editDeadlineTerms(ctx, (d, editor) => d.clearOverride(input.code, editor))),
});

import { z } from 'zod';
import { CaseTierSchema, CategoryCodeSchema } from '../domain/schemas.ts';
import { URGENCIES, URGENCY_HOURS, type Category } from './categories.ts';

// An administrator's edit of one subclass (tier, urgency, limits, weight); the table in
// categories.ts is the default and overrides are applied on top of it.

const hours = z.number().finite().positive().max(24 * 60);

export const StepLimitsOverrideSchema = z
  .object({ register: hours, dispatch: hours, handle: hours, verify: hours, close: hours })
  .partial()
  .strict();

export const CategoryOverrideSchema = z
  .object({
    code: CategoryCodeSchema,
    tier: CaseTierSchema.optional(),
    urgency: z.enum(URGENCIES).optional(),
    limits: StepLimitsOverrideSchema.optional(),
    weight: z.number().finite().min(0).max(1).optional(),
  })
  .strict();
export type CategoryOverride = z.infer<typeof CategoryOverrideSchema>;

export const OVERRIDE_REFUSALS = { handleOverUrgency: 'handle-over-urgency' } as const;

/** Applies overrides to the table; an override whose handling limit exceeds its urgency's ceiling (red 2 h, yellow 24 h, blue 72 h) is refused. */
export function applyCategoryOverrides(
  table: readonly Category[],
  overrides: readonly CategoryOverride[],
): { ok: true; categories: Category[] } | { ok: false; reason: 'handle-over-urgency'; code: string } {
  const byCode = new Map(overrides.map((o) => [o.code, o]));
  const out: Category[] = [];
  for (const c of table) {
    const o = byCode.get(c.code);
    if (!o) {
      out.push(c);
      continue;
    }
    const limits = { ...c.limits, ...o.limits };
    const urgency = o.urgency ?? c.urgency;
    if (limits.handle > URGENCY_HOURS[urgency]) return { ok: false, reason: OVERRIDE_REFUSALS.handleOverUrgency, code: c.code };
    out.push({ ...c, urgency, tier: o.tier ?? c.tier, weight: o.weight ?? c.weight, limits, limitWorkingHours: limits.handle });
  }
  return { ok: true, categories: out };
}

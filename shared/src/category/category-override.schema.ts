import { z } from 'zod';
import { CaseTierSchema, CategoryCodeSchema } from '../domain/schemas.ts';
import { URGENCIES, URGENCY_HOURS, type Category } from './categories.ts';

// An administrator's edit of one subclass (tier, urgency, limits, weight); the table in
// categories.ts is the default and overrides are applied on top of it.

const hours = z
  .number()
  .finite()
  .positive()
  .max(24 * 60);

/** Per-step limits in working hours (all five steps). */
export const StepLimitsSchema = z
  .object({ register: hours, dispatch: hours, handle: hours, verify: hours, close: hours })
  .strict();

export const StepLimitsOverrideSchema = StepLimitsSchema.partial().strict();

/** The fields of a subclass an override may change, as `overriddenFields` names them. */
export const OVERRIDABLE_FIELDS = [
  'tier',
  'urgency',
  'weight',
  'limits.register',
  'limits.dispatch',
  'limits.handle',
  'limits.verify',
  'limits.close',
] as const;
export type OverridableField = (typeof OVERRIDABLE_FIELDS)[number];

/** The fields an override sets to a value other than the default table's (what the admin page marks as changed). */
export function overriddenFields(base: Category, override: CategoryOverride | undefined): OverridableField[] {
  if (!override) return [];
  const out: OverridableField[] = [];
  if (override.tier !== undefined && override.tier !== base.tier) out.push('tier');
  if (override.urgency !== undefined && override.urgency !== base.urgency) out.push('urgency');
  if (override.weight !== undefined && override.weight !== base.weight) out.push('weight');
  for (const step of ['register', 'dispatch', 'handle', 'verify', 'close'] as const) {
    const v = override.limits?.[step];
    if (v !== undefined && v !== base.limits[step]) out.push(`limits.${step}`);
  }
  return out;
}

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
    if (limits.handle > URGENCY_HOURS[urgency])
      return { ok: false, reason: OVERRIDE_REFUSALS.handleOverUrgency, code: c.code };
    out.push({
      ...c,
      urgency,
      tier: o.tier ?? c.tier,
      weight: o.weight ?? c.weight,
      limits,
      limitWorkingHours: limits.handle,
    });
  }
  return { ok: true, categories: out };
}

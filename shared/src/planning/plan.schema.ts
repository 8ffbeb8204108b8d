import { z } from 'zod';
import { PlanIdSchema } from '../domain/schemas.ts';
import { HouseholdBandsSchema } from './household-bands.ts';
import { TopologyEditSchema } from '../topology/topology-edit.schema.ts';

// A boundary plan (网格调整方案) as a client sends it: a name, the list of edits made on the
// boundary version it was started on (the whole history, the redo part included) and how many of
// them are applied. The server replays the list against that version; nothing here is trusted.

/** The longest plan name a list shows whole. */
export const PLAN_NAME_MAX = 60;

// C0/C1 controls, the bidi overrides that make a name read differently from what it is, and
// lone surrogates (no character at all).
const CONTROL_CHARS = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;

/** A plan's name: trimmed, 1–60 characters, no control characters. */
export const PlanNameSchema = z
  .string()
  .trim()
  .min(1, 'name is empty')
  .max(PLAN_NAME_MAX, `name longer than ${PLAN_NAME_MAX} characters`)
  .refine((s) => !CONTROL_CHARS.test(s), 'name contains control characters');

export const PLAN_STATUSES = ['draft', 'discarded', 'published'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** The most edits a plan holds: hours of work, and a bound on what one save makes the server replay. */
export const MAX_PLAN_EDITS = 3000;

/** A plan's optimistic-concurrency revision (each write bumps it). */
export const PlanRevisionSchema = z.number().int().positive().max(2_147_483_647);

/** A plan's edits as sent: each one crosses the edit schema; the server decides them again. */
export const PlanEditsSchema = z
  .array(TopologyEditSchema)
  .max(MAX_PLAN_EDITS, `more than ${MAX_PLAN_EDITS} edits`);

/**
 * Saving a plan: its edits, how many are applied (the rest is the redo stack), the revision it was
 * read at. With `keep`, the first `keep` edits stored at that revision stay and `edits` follow them:
 * a save sends what changed, not an imported city of several megabytes again.
 */
export const PlanSaveSchema = z
  .object({
    id: PlanIdSchema,
    revision: PlanRevisionSchema,
    keep: z.number().int().nonnegative().max(MAX_PLAN_EDITS).optional(),
    edits: PlanEditsSchema,
    cursor: z.number().int().nonnegative().max(MAX_PLAN_EDITS),
    /** Omitted keeps the plan's bands; null goes back to the defaults (HOUSEHOLD_BANDS). */
    bands: HouseholdBandsSchema.nullable().optional(),
  })
  .strict()
  .refine((p) => p.cursor <= (p.keep ?? 0) + p.edits.length, {
    message: 'cursor beyond the last edit',
    path: ['cursor'],
  });
export type PlanSave = z.infer<typeof PlanSaveSchema>;

/**
 * Why a planner's edit is refused besides the engine's reasons (EDIT_REFUSALS): it touches a grid
 * outside the planner's jurisdiction (属地), or unlocks a parent border the planner is not above.
 */
export const PLAN_EDIT_REFUSALS = ['outside-jurisdiction', 'unlock-forbidden'] as const;
export type PlanEditRefusalReason = (typeof PLAN_EDIT_REFUSALS)[number];

/** Why a plan cannot be written at all (message key `plan.refusal.<reason>`). */
export const PLAN_REFUSALS = [
  'not-found',
  'not-author',
  'discarded',
  'published',
  'outdated',
  'stale-revision',
  'keep-beyond-stored',
  'too-many-edits',
] as const;
export type PlanRefusalReason = (typeof PLAN_REFUSALS)[number];

import { z } from 'zod';
import type { BoundaryVersion, GridId, PlanId, UnitId } from '../ids.ts';
import type { UnitLevel } from '../domain/schemas.ts';
import { BoundaryVersionSchema, PlanIdSchema } from '../domain/schemas.ts';
import { PlanRevisionSchema } from './plan.schema.ts';

// Publishing a plan (网格调整方案) as boundary version N+1, and the change report (变更清单) each
// publish stores: which grids were added, reshaped and retired, and what moved from where to
// where (households, residents, open cases, staff). The server writes it; desks read and export it.

/** Publishing a plan: the revision it was reviewed at, and when it takes effect (omitted: now). */
export const PlanPublishSchema = z
  .object({
    planId: PlanIdSchema,
    revision: PlanRevisionSchema,
    /** ms since epoch, now or later; omitted takes effect at once. */
    effectiveAt: z.number().int().positive().max(8_640_000_000_000_000).optional(),
  })
  .strict();
export type PlanPublish = z.infer<typeof PlanPublishSchema>;

/** One boundary version, for `boundaries.report` and a version picker. */
export const BoundaryVersionRefSchema = z.object({ version: BoundaryVersionSchema }).strict();

/**
 * Why a publish is refused besides the plan's own reasons (PLAN_REFUSALS) and an edit's
 * (EDIT_REFUSALS, PLAN_EDIT_REFUSALS, with the step): message key `boundary.refusal.<reason>`.
 */
export const PUBLISH_REFUSALS = [
  /** The plan was made on an older version and touches a grid changed since. */
  'stale-version',
  /** Another publish won the race for the same version number: read again and retry. */
  'publish-conflict',
  /** The plan still has crossings, gaps, slivers… (band breaches only warn). */
  'open-problems',
  /** The plan changes nothing. */
  'empty-plan',
  /** The plan was published already. */
  'already-published',
  /** The effective time lies in the past. */
  'effective-in-past',
  /** The effective time lies before that of the version it follows. */
  'effective-before-previous',
] as const;
export type PublishRefusalReason = (typeof PUBLISH_REFUSALS)[number];

/** Where a version stands: waiting for its time, in force, or followed by a newer one in force. */
export type BoundaryVersionState = 'scheduled' | 'in-force' | 'superseded';

/** A grid as the change report names it, with what it holds. */
export interface ReportGrid {
  id: GridId;
  code: string;
  name: string;
  communityId: UnitId;
  areaKm2: number;
  households: number;
  residents: number;
  addressPoints: number;
  openCases: number;
  /** Staff (一长三员) whose home grid it is. */
  staff: number;
}

/** What moved from one grid of the old version to one of the new (both as codes and names). */
export interface ReportMove {
  from: { id: GridId; code: string; name: string };
  to: { id: GridId; code: string; name: string };
  households: number;
  residents: number;
  addressPoints: number;
  openCases: number;
  staff: number;
  /** Key places (重点场所) re-keyed. */
  places: number;
}

export const REPORT_WARNINGS = ['households-over', 'households-under', 'no-staff'] as const;
export type ReportWarningReason = (typeof REPORT_WARNINGS)[number];

/** Something to look at that does not stop a publish (message key `boundary.warning.<reason>`). */
export interface ReportWarning {
  reason: ReportWarningReason;
  gridId: GridId;
  code: string;
  households: number;
  band: readonly [number, number];
}

/** The change report (变更清单) of one publish. */
export interface BoundaryChangeReport {
  version: BoundaryVersion;
  previousVersion: BoundaryVersion;
  planId: PlanId;
  name: string;
  publishedAt: number;
  effectiveAt: number;
  /** False while the version is scheduled: the figures are a forecast, recounted when it takes effect. */
  final: boolean;
  /** New grids, with their new codes. */
  added: ReportGrid[];
  /**
   * Same code, new shape: the grid before and after. `nodesOnly`: the land is the same (to the
   * 100 m² the area is kept in) — a neighbour's edit put new nodes on a shared border.
   */
  reshaped: { before: ReportGrid; after: ReportGrid; nodesOnly: boolean }[];
  /** Grids that are no more (their codes are never given again). */
  retired: ReportGrid[];
  moves: ReportMove[];
  /** Rows re-keyed, per kind. */
  rekeyed: { addressPoints: number; openCases: number; staff: number; places: number };
  warnings: ReportWarning[];
  /**
   * Parent units (community, street, district) whose border the plan moved (解锁上级边界): they take
   * their new outline with the version. Absent in reports stored before units moved with versions.
   */
  units?: { id: UnitId; code: string; name: string; level: UnitLevel }[];
}

/** A version in the list (`boundaries.list`). */
export interface BoundaryVersionSummary {
  version: BoundaryVersion;
  name: string;
  publishedAt: number;
  effectiveAt: number;
  activatedAt: number | null;
  state: BoundaryVersionState;
  planId: PlanId | null;
  grids: number;
  added: number;
  reshaped: number;
  retired: number;
}

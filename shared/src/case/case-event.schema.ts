import { z } from 'zod';
import { StepLimitsSchema } from '../category/category-override.schema.ts';
import {
  CaseIdSchema,
  CaseSourceSchema,
  CaseTierSchema,
  CategoryCodeSchema,
  GridIdSchema,
  LatSchema,
  LngSchema,
  ResponsibleLevelSchema,
  UserIdSchema,
  WorkerIdSchema,
} from '../domain/schemas.ts';
import type { CaseId, UserId, WorkerId } from '../ids.ts';
import { bilingual } from '../i18n/index.ts';

// The case timeline's events: one schema guards what the server appends, what the event stream
// carries and what an importer of old timelines reads. The type is inferred from it. Fields added
// by issue #8 default to null so timelines written before it still parse.

const base = {
  caseId: CaseIdSchema,
  at: z.number().int().positive(),
  actor: z.object({ userId: UserIdSchema.nullable(), workerId: WorkerIdSchema.nullable() }),
};

/** A handling department (专业部门) by its code, e.g. `urban-management`. */
export const DepartmentCodeSchema = z.string().trim().min(1).max(64);
/** A stored photo: an opaque reference (object key or URL) the server resolves. */
export const PhotoRefSchema = z.string().min(1).max(512);
/** Photo evidence of handling (反馈): at least one photo. */
export const PhotoEvidenceSchema = z.array(PhotoRefSchema).min(1).max(9);
/** Longest reason a person may give. */
export const MAX_REASON_LENGTH = 500;
/** A reason a person gives (退回, 挂账, 上报升级, 吹哨, 不予立案); a missing, empty or too long one is refused saying which. */
export const ReasonSchema = z
  .string({ error: (issue) => (issue.input === undefined ? bilingual('refusal.empty-reason') : undefined) })
  .trim()
  .min(1, { error: bilingual('refusal.empty-reason') })
  .max(MAX_REASON_LENGTH, { error: bilingual('input.reasonTooLong', { max: MAX_REASON_LENGTH }) });

export const EVALUATION_RATINGS = ['satisfied', 'basic', 'unsatisfied'] as const;
export const EvaluationRatingSchema = z.enum(EVALUATION_RATINGS);
export type EvaluationRating = z.infer<typeof EvaluationRatingSchema>;

/** Who works on a case: a worker (网格员) or a department (专业部门); the other is null. */
const handler = {
  workerId: WorkerIdSchema.nullable(),
  department: DepartmentCodeSchema.nullable().default(null),
};

/**
 * The terms a case runs on, fixed when it is reported: the category's step limits and the id of
 * the work calendar then in force (`continuous` for red urgency). An administrator's later edit of
 * the category table or of a unit's calendar does not move this case's deadlines.
 */
export const CaseTermsSchema = z.object({ limits: StepLimitsSchema, calendarId: z.string().min(1).max(64) });
export type CaseTerms = z.infer<typeof CaseTermsSchema>;

const report = {
  /** Null on timelines written before the terms were recorded: their clock reads the category table. */
  terms: CaseTermsSchema.nullable().default(null),
  source: CaseSourceSchema,
  category: CategoryCodeSchema,
  gridId: GridIdSchema,
  lng: LngSchema,
  lat: LatSchema,
  description: z.string(),
  /** The address intake chose for the place; absent when the place was only a point. */
  address: z.string().optional(),
};

export const CaseEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('case.reported'), ...report }),
  /** 微事自办: the reporting worker reports a case already handled on the spot, with photos. */
  z.object({
    ...base,
    type: z.literal('case.selfHandled'),
    ...report,
    workerId: WorkerIdSchema,
    photos: PhotoEvidenceSchema,
    note: z.string(),
  }),
  z.object({ ...base, type: z.literal('case.registered'), tier: CaseTierSchema }),
  z.object({ ...base, type: z.literal('case.rejected'), reason: ReasonSchema }),
  z.object({
    ...base,
    type: z.literal('case.dispatched'),
    ...handler,
    /** 改派: the assignee this dispatch replaced (absent on a first dispatch and on older timelines). */
    replaced: z
      .object({ workerId: WorkerIdSchema.nullable(), department: DepartmentCodeSchema.nullable() })
      .nullable()
      .optional(),
  }),
  z.object({ ...base, type: z.literal('case.accepted'), ...handler }),
  z.object({ ...base, type: z.literal('case.started'), ...handler }),
  z.object({
    ...base,
    type: z.literal('case.handled'),
    ...handler,
    onSite: z.boolean(),
    note: z.string(),
    photos: PhotoEvidenceSchema,
  }),
  z.object({ ...base, type: z.literal('case.verified'), note: z.string() }),
  z.object({ ...base, type: z.literal('case.reworked'), note: z.string() }),
  z.object({ ...base, type: z.literal('case.closed'), withPrimary: CaseIdSchema.nullable().default(null) }),
  z.object({ ...base, type: z.literal('case.evaluated'), rating: EvaluationRatingSchema, note: z.string() }),
  /** 退回: `to: 'dispatch'` from the assignee back to the dispatcher, `to: 'intake'` from the dispatcher back to intake. */
  z.object({
    ...base,
    type: z.literal('case.returned'),
    to: z.enum(['dispatch', 'intake']),
    reason: ReasonSchema,
  }),
  z.object({
    ...base,
    type: z.literal('case.escalated'),
    from: ResponsibleLevelSchema,
    to: ResponsibleLevelSchema,
    reason: ReasonSchema,
    auto: z.boolean(),
  }),
  z.object({
    ...base,
    type: z.literal('case.whistled'),
    departments: z.array(DepartmentCodeSchema).min(1),
    reason: ReasonSchema,
  }),
  z.object({ ...base, type: z.literal('case.departmentReported'), department: DepartmentCodeSchema }),
  z.object({ ...base, type: z.literal('case.parked'), reason: ReasonSchema }),
  z.object({ ...base, type: z.literal('case.unparked') }),
  /** On the duplicate: it now follows `primaryId`'s timeline and closes with it. */
  z.object({ ...base, type: z.literal('case.merged'), primaryId: CaseIdSchema }),
  /** On the primary: a duplicate was merged into it. */
  z.object({ ...base, type: z.literal('case.duplicateAttached'), duplicateId: CaseIdSchema }),
]);

/** One event of a case's append-only timeline. */
export type CaseEvent = z.infer<typeof CaseEventSchema>;

/** The terms recorded when the case was reported (its first event), or null for an older timeline. */
export function recordedTerms(timeline: readonly CaseEvent[]): CaseTerms | null {
  const first = timeline[0];
  return first && (first.type === 'case.reported' || first.type === 'case.selfHandled') ? first.terms : null;
}

/** A timeline event as the server stores it: actor ids and type in columns, the rest in a JSON payload. */
export interface StoredCaseEvent {
  at: number;
  type: string;
  userId: UserId | null;
  workerId: WorkerId | null;
  payload: Record<string, unknown>;
}

/** Splits an event into the columns and payload the server stores. */
export function toStoredCaseEvent(event: CaseEvent): StoredCaseEvent {
  const { caseId: _caseId, at, type, actor, ...payload } = event;
  return { at, type, userId: actor.userId, workerId: actor.workerId, payload };
}

/** Rebuilds (and validates) an event of case `caseId` from its stored form; a bad row fails with the zod error. */
export function parseStoredCaseEvent(
  caseId: CaseId,
  row: StoredCaseEvent,
): ReturnType<typeof CaseEventSchema.safeParse> {
  return CaseEventSchema.safeParse({
    ...row.payload,
    caseId,
    at: row.at,
    type: row.type,
    actor: { userId: row.userId, workerId: row.workerId },
  });
}

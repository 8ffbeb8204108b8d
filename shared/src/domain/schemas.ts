import { z } from 'zod';
import { CATEGORY_CODES } from '../category/categories.ts';
import { GridCodeSchema } from '../admin/grid-code.ts';
import { CallerInputSchema, CaseCallerSchema } from '../case/caller.ts';
import type {
  AccessTokenId,
  PhotoId,
  PlanId,
  AlertId,
  CaseId,
  GridId,
  UnitId,
  UserId,
  WorkerId,
  EventSeq,
  BoundaryVersion,
} from '../ids.ts';

// One zod schema per domain object; the TypeScript type is inferred from it. The same schema
// guards tRPC input, device ingest, the importer and database row mapping.

/** Ids are the database's 32-bit serial keys: a larger number names nothing and is refused as input. */
export const MAX_ID = 2_147_483_647;

// The one place (with the database's sequences) where a branded id is born from a plain number.
const id = <T>() =>
  z
    .number()
    .int()
    .positive()
    .max(MAX_ID, 'id out of range')
    .transform((n) => n as T);
export const UnitIdSchema = id<UnitId>();
export const GridIdSchema = id<GridId>();
export const WorkerIdSchema = id<WorkerId>();
export const CaseIdSchema = id<CaseId>();
export const UserIdSchema = id<UserId>();
export const AlertIdSchema = id<AlertId>();
export const AccessTokenIdSchema = id<AccessTokenId>();
export const PhotoIdSchema = id<PhotoId>();
export const PlanIdSchema = id<PlanId>();
export const EventSeqSchema = z
  .number()
  .int()
  .nonnegative()
  .transform((n) => n as EventSeq);
export const BoundaryVersionSchema = z
  .number()
  .int()
  .positive()
  .transform((n) => n as BoundaryVersion);

export const LngSchema = z.number().finite().min(-180).max(180);
export const LatSchema = z.number().finite().min(-90).max(90);
export const LngLatSchema = z.tuple([LngSchema, LatSchema]);
export const PolygonSchema = z.array(z.array(LngLatSchema).min(4)).min(1);
export const MultiPolygonSchema = z.array(PolygonSchema).min(1);

export const UNIT_LEVELS = ['city', 'district', 'street', 'community'] as const;
export const UnitLevelSchema = z.enum(UNIT_LEVELS);
export type UnitLevel = z.infer<typeof UnitLevelSchema>;

export const AdminUnitSchema = z.object({
  id: UnitIdSchema,
  level: UnitLevelSchema,
  code: z.string().regex(/^\d{6}(\d{3}){0,2}$/),
  name: z.string().min(1).max(64),
  parentId: UnitIdSchema.nullable(),
});
export type AdminUnit = z.infer<typeof AdminUnitSchema>;

export const GridSchema = z.object({
  id: GridIdSchema,
  code: GridCodeSchema,
  name: z.string().min(1).max(64),
  communityId: UnitIdSchema,
  version: BoundaryVersionSchema,
  polygon: MultiPolygonSchema,
  households: z.number().int().nonnegative(),
  population: z.number().int().nonnegative(),
});
export type Grid = z.infer<typeof GridSchema>;

export const STAFF_ROLES = ['leader', 'fulltime', 'parttime', 'instructor'] as const;
export const StaffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

export const DUTY_STATES = ['off', 'available', 'enroute', 'onsite', 'busy'] as const;
export const DutyStateSchema = z.enum(DUTY_STATES);
export type DutyState = z.infer<typeof DutyStateSchema>;

export const WorkerSchema = z.object({
  id: WorkerIdSchema,
  name: z.string().min(1).max(32),
  role: StaffRoleSchema,
  gridId: GridIdSchema,
  phone: z.string().regex(/^1\d{10}$/),
  duty: DutyStateSchema,
});
export type Worker = z.infer<typeof WorkerSchema>;

/** The fastest thing we track (m/s): a grid worker walks or rides an e-bike, a patrol car is the fastest. */
export const MAX_POSITION_SPEED_MPS = 70;
/** The worst accuracy a fix may claim (metres). */
export const MAX_POSITION_ACCURACY_M = 10_000;

/**
 * A position fix as a device reports it. Device ingest checks the same rules with a hand-written
 * loop for speed (server/src/devices/position-input.ts); a property test holds the two equal.
 */
export const PositionSchema = z.object({
  workerId: WorkerIdSchema,
  lng: LngSchema,
  lat: LatSchema,
  /** ms since epoch */
  at: z.number().int().positive(),
  /** m/s */
  speed: z.number().finite().min(0).max(MAX_POSITION_SPEED_MPS).default(0),
  /** degrees clockwise from north */
  heading: z.number().finite().min(0).max(360).default(0),
  /** metres */
  accuracy: z.number().finite().min(0).max(MAX_POSITION_ACCURACY_M).default(10),
});
export type Position = z.infer<typeof PositionSchema>;

export const CASE_SOURCES = ['patrol', 'hotline', 'resident', 'sensor', 'superior'] as const;
export const CaseSourceSchema = z.enum(CASE_SOURCES);
export type CaseSource = z.infer<typeof CaseSourceSchema>;

export const CASE_STATUSES = [
  'reported',
  'registered',
  'rejected',
  'dispatched',
  'accepted',
  'handling',
  'handled',
  'verified',
  'closed',
  'evaluated',
  'merged',
] as const;
export const CaseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** 四事分流: micro 微事自办 / small 小事共办 / large 大事领办 / hard 难事联办. */
export const CASE_TIERS = ['micro', 'small', 'large', 'hard'] as const;
export const CaseTierSchema = z.enum(CASE_TIERS);
export type CaseTier = z.infer<typeof CaseTierSchema>;

export const RESPONSIBLE_LEVELS = ['grid', 'community', 'street', 'district', 'city'] as const;
export const ResponsibleLevelSchema = z.enum(RESPONSIBLE_LEVELS);
export type ResponsibleLevel = z.infer<typeof ResponsibleLevelSchema>;

export const CategoryCodeSchema = z.enum(CATEGORY_CODES, {
  // Only a string is echoed: String() of a hostile object ({toString: 'x'}) throws, and that was a 500.
  error: (issue) =>
    typeof issue.input === 'string'
      ? `unknown category: ${issue.input.slice(0, 16)}`
      : `category must be a code such as S0101, not ${issue.input === null ? 'null' : typeof issue.input}`,
});

export const MAX_DESCRIPTION_LENGTH = 500;
/** The longest address text a case keeps (a road, a number, a compound and a building fit in far less). */
export const MAX_ADDRESS_LENGTH = 120;

/** The place as intake chose it from the gazetteer ("人民路25号", "金桂小区3栋"): one line of text. */
export const CaseAddressSchema = z
  .string()
  .trim()
  .min(1, 'address is empty')
  .max(MAX_ADDRESS_LENGTH, `address longer than ${MAX_ADDRESS_LENGTH} characters`)
  .refine((s) => !/\p{Cc}/u.test(s), 'address holds control characters (a line break, a tab …)');

/** The fields of a report (picked from by other inputs; refinements live on CaseReportInputSchema). */
export const CaseReportFieldsSchema = z.object({
  category: CategoryCodeSchema,
  lng: LngSchema,
  lat: LatSchema,
  description: z
    .string()
    .trim()
    .min(1, 'description is empty')
    .max(MAX_DESCRIPTION_LENGTH, `description longer than ${MAX_DESCRIPTION_LENGTH} characters`),
  source: CaseSourceSchema,
  /** 受理登记 of a call: who called, their phone, the 12345 ticket. */
  caller: CallerInputSchema.optional(),
  /** The address chosen in intake's address search, kept with the case as typed there. */
  address: CaseAddressSchema.optional(),
});

/** Input of cases.report: what a hotline operator, a resident app or a patrol device sends. */
export const CaseReportInputSchema = CaseReportFieldsSchema.superRefine((r, ctx) => {
  // A 12345 ticket names a hotline work order: a patrol's or a resident app's report has none.
  if (r.caller?.ticket !== undefined && r.source !== 'hotline')
    ctx.addIssue({
      code: 'custom',
      path: ['caller', 'ticket'],
      message: 'a 12345 ticket only on a hotline case',
    });
  // 受理登记 of a 12345 call: the call was taken from the hotline's work order, which has its number
  // (the intake form asks for it; a client of the API must send it too).
  if (r.caller !== undefined && r.source === 'hotline' && r.caller.ticket === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['caller', 'ticket'],
      message: 'a 12345 call taken at intake names its ticket',
    });
});
export type CaseReportInput = z.infer<typeof CaseReportInputSchema>;

export const CaseSchema = z.object({
  id: CaseIdSchema,
  code: z.string(),
  source: CaseSourceSchema,
  category: CategoryCodeSchema,
  lng: LngSchema,
  lat: LatSchema,
  gridId: GridIdSchema,
  status: CaseStatusSchema,
  tier: CaseTierSchema,
  level: ResponsibleLevelSchema,
  description: z.string(),
  assigneeId: WorkerIdSchema.nullable(),
  /** A handling department (专业部门) the case was dispatched to instead of a worker. */
  assigneeDepartment: z.string().nullable(),
  reportedAt: z.number().int(),
  /** Deadline of the current step (ms), null when no clock runs. */
  deadlineAt: z.number().int().nullable(),
  closedAt: z.number().int().nullable(),
  updatedAt: z.number().int(),
  /** Optimistic concurrency: the number of events in the case's timeline; commands carry the version they expect. */
  version: z.number().int().nonnegative(),
  /** Parked (挂账) since, null when the clock runs. */
  parkedAt: z.number().int().nullable(),
  /** A duplicate's primary case (merged cases share its timeline), else null. */
  mergedInto: CaseIdSchema.nullable(),
  /** The caller of a call-in case, masked (138****5678); null when none was taken. */
  caller: CaseCallerSchema.nullable(),
  /** The address intake chose for the place ("人民路25号"); null when the place was only a point. */
  address: z.string().nullable(),
});
export type Case = z.infer<typeof CaseSchema>;

export const ALERT_KINDS = [
  'case-overdue',
  'worker-left-grid',
  'worker-silent',
  'hot-spot',
  'key-area',
] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const AlertSchema = z.object({
  id: AlertIdSchema,
  kind: AlertKindSchema,
  gridId: GridIdSchema.nullable(),
  caseId: CaseIdSchema.nullable(),
  workerId: WorkerIdSchema.nullable(),
  raisedAt: z.number().int(),
  resolvedAt: z.number().int().nullable(),
  message: z.string(),
});
export type Alert = z.infer<typeof AlertSchema>;

/**
 * Login roles. The posts of a real center (GB/T 30428) are roles too: inspector 监督员, intake
 * operator 受理员, shift lead 值班长, handling department 专业部门; what each may do to a case is
 * the rule table of `case/case-rules.ts`.
 */
export const ROLES = [
  'admin',
  'dispatcher',
  'planner',
  'wall',
  'device',
  'inspector',
  'intake',
  'shift-lead',
  'department',
] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const LoginInputSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export interface SessionUser {
  id: UserId;
  username: string;
  displayName: string;
  role: Role;
  /** Jurisdiction (属地): the unit this user sees and acts in. */
  unitId: UnitId;
  /** The department (专业部门) a `department` user works for; null for everyone else. */
  departmentId: number | null;
}

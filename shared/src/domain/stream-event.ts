import { z } from 'zod';
import { CaseEventSchema } from '../case/case-event.schema.ts';
import type { CaseEventType } from '../case/case-machine.ts';
import {
  AlertIdSchema,
  AlertKindSchema,
  BoundaryVersionSchema,
  CaseIdSchema,
  CaseSchema,
  GridIdSchema,
  WorkerIdSchema,
} from './schemas.ts';

// The reliable stream (case, alert and boundary events) as clients receive it: one schema, so a
// wall and a desk get typed events, and a client that meets an event it does not know (a newer
// server) can skip it instead of failing. `seq` is the resume point.

// `seq` stays a plain number: it is the tracked() id's text on the wire and the event hub's cursor.
const envelope = { seq: z.number().int().nonnegative(), at: z.number().int() };

/** Every type a case timeline event may have (`case.reported`, `case.dispatched`, …). */
export const CASE_EVENT_TYPES = CaseEventSchema.options.map((o) => o.shape.type.value);
export const CaseEventTypeSchema = z.enum(CASE_EVENT_TYPES as [CaseEventType, ...CaseEventType[]]);

/** A step of a case: the case's current state rides along so a client can upsert it. */
export const CaseStreamEventSchema = z.object({
  ...envelope,
  kind: z.literal('case'),
  type: CaseEventTypeSchema,
  caseId: CaseIdSchema,
  /** The case as stored now; null when it could not be read (a client then refetches). */
  case: CaseSchema.nullable(),
  /** The event's own fields (as stored in the timeline). */
  detail: z.record(z.string(), z.unknown()),
});

/** An alert (预警) raised or resolved; what it is about is in its own fields. */
export const AlertStreamEventSchema = z.object({
  ...envelope,
  kind: z.literal('alert'),
  type: z.enum(['alert.raised', 'alert.resolved']),
  alertId: AlertIdSchema,
  alertKind: AlertKindSchema,
  caseId: CaseIdSchema.nullable(),
  workerId: WorkerIdSchema.nullable(),
  gridId: GridIdSchema.nullable(),
  /** When the condition began (a deadline passed, a worker left the grid or went silent). */
  since: z.number().int().nullable(),
});

/**
 * A boundary version took effect (published for now, or a scheduled one whose time came): every
 * open wall, desk and planner refetches its grid layer (`grids.layer`) and shows the version's name.
 */
export const BoundaryStreamEventSchema = z.object({
  ...envelope,
  kind: z.literal('boundary'),
  type: z.literal('boundary.published'),
  version: BoundaryVersionSchema,
  /** The version's name (the plan's name). */
  name: z.string(),
  /** When it took effect (ms since epoch). */
  effectiveAt: z.number().int(),
});

/** The client is further behind than the server keeps: it reloads its snapshot. */
export const ResyncStreamEventSchema = z.object({
  ...envelope,
  kind: z.literal('resync'),
  type: z.literal('resync'),
  reason: z.literal('behind-retention'),
});

export const StreamEventSchema = z.discriminatedUnion('kind', [
  CaseStreamEventSchema,
  AlertStreamEventSchema,
  BoundaryStreamEventSchema,
  ResyncStreamEventSchema,
]);

/** What a stored event row is about (the stream adds `resync`). */
export type EventKind = 'case' | 'alert' | 'boundary';

/** One event of the reliable stream. */
export type StreamEvent = z.infer<typeof StreamEventSchema>;
export type CaseStreamEvent = z.infer<typeof CaseStreamEventSchema>;
export type AlertStreamEvent = z.infer<typeof AlertStreamEventSchema>;

/** What an alert event's stored payload holds (besides the row's case, worker and grid columns). */
export const AlertEventPayloadSchema = z.object({
  alertId: AlertIdSchema,
  alertKind: AlertKindSchema,
  since: z.number().int().nullish(),
});

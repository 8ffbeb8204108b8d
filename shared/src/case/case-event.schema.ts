import { z } from 'zod';
import { CaseIdSchema, CaseSourceSchema, CaseTierSchema, CategoryCodeSchema, GridIdSchema, LatSchema, LngSchema, UserIdSchema, WorkerIdSchema } from '../domain/schemas.ts';

// The case timeline's events: one schema guards what the server appends, what the event stream
// carries and what an importer of old timelines reads. The type is inferred from it.

const base = {
  caseId: CaseIdSchema,
  at: z.number().int().positive(),
  actor: z.object({ userId: UserIdSchema.nullable(), workerId: WorkerIdSchema.nullable() }),
};

export const CaseEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('case.reported'), source: CaseSourceSchema, category: CategoryCodeSchema, gridId: GridIdSchema, lng: LngSchema, lat: LatSchema, description: z.string() }),
  z.object({ ...base, type: z.literal('case.registered'), tier: CaseTierSchema }),
  z.object({ ...base, type: z.literal('case.rejected'), reason: z.string().min(1) }),
  z.object({ ...base, type: z.literal('case.dispatched'), workerId: WorkerIdSchema }),
  z.object({ ...base, type: z.literal('case.accepted'), workerId: WorkerIdSchema }),
  z.object({ ...base, type: z.literal('case.started'), workerId: WorkerIdSchema }),
  z.object({ ...base, type: z.literal('case.handled'), workerId: WorkerIdSchema, onSite: z.boolean(), note: z.string() }),
  z.object({ ...base, type: z.literal('case.verified'), note: z.string() }),
  z.object({ ...base, type: z.literal('case.reworked'), note: z.string() }),
  z.object({ ...base, type: z.literal('case.closed') }),
]);

/** One event of a case's append-only timeline. */
export type CaseEvent = z.infer<typeof CaseEventSchema>;

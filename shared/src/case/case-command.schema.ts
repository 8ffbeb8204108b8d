import { z } from 'zod';
import { CaseIdSchema, CaseTierSchema, WorkerIdSchema } from '../domain/schemas.ts';
import {
  DepartmentCodeSchema,
  EvaluationRatingSchema,
  PhotoEvidenceSchema,
  ReasonSchema,
} from './case-event.schema.ts';
import type { CaseCommand } from './case-machine.ts';

// The wire form of the engine's commands (cases.command): one schema per command type, each
// with the case version it expects. The type check at the bottom keeps it equal to CaseCommand.

const v = { expectedVersion: z.number().int().min(1) };
const note = z.string().trim().max(500);

export const CaseCommandSchema = z.discriminatedUnion('type', [
  z.object({ ...v, type: z.literal('register'), tier: CaseTierSchema }),
  z.object({ ...v, type: z.literal('reject'), reason: ReasonSchema }),
  z.object({
    ...v,
    type: z.literal('dispatch'),
    workerId: WorkerIdSchema.nullable(),
    department: DepartmentCodeSchema.nullable(),
    // 改派: the assignee the desk saw (see the engine's rule); omitted for a first dispatch.
    replaces: z
      .object({ workerId: WorkerIdSchema.nullable(), department: DepartmentCodeSchema.nullable() })
      .nullable()
      .optional(),
  }),
  z.object({ ...v, type: z.literal('accept') }),
  z.object({ ...v, type: z.literal('start') }),
  z.object({ ...v, type: z.literal('feedback'), onSite: z.boolean(), note, photos: PhotoEvidenceSchema }),
  z.object({ ...v, type: z.literal('verify'), passed: z.boolean(), note }),
  z.object({ ...v, type: z.literal('close') }),
  z.object({ ...v, type: z.literal('evaluate'), rating: EvaluationRatingSchema, note }),
  z.object({ ...v, type: z.literal('return'), reason: ReasonSchema }),
  // `auto` is the system's: a person's escalation is never automatic.
  z.object({ ...v, type: z.literal('escalate'), reason: ReasonSchema }),
  z.object({
    ...v,
    type: z.literal('whistle'),
    departments: z.array(DepartmentCodeSchema).min(1).max(20),
    reason: ReasonSchema,
  }),
  z.object({ ...v, type: z.literal('checkIn'), department: DepartmentCodeSchema }),
  z.object({ ...v, type: z.literal('park'), reason: ReasonSchema }),
  z.object({ ...v, type: z.literal('unpark') }),
]);

/** Input of cases.command. */
export const CaseCommandInputSchema = z.object({ caseId: CaseIdSchema, command: CaseCommandSchema });

/** Input of cases.merge: the duplicate, its primary, and the version of each the dispatcher saw. */
export const CaseMergeInputSchema = z.object({
  duplicateId: CaseIdSchema,
  primaryId: CaseIdSchema,
  duplicateVersion: z.number().int().min(1),
  primaryVersion: z.number().int().min(1),
});

// Compile-time: every wire command is an engine command.
type Assignable<T extends CaseCommand> = T;
export type WireCaseCommand = Assignable<z.infer<typeof CaseCommandSchema>>;

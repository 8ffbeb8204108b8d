import {
  CaseIdSchema,
  GridIdSchema,
  PlanIdSchema,
  UnitIdSchema,
  UserIdSchema,
  WorkerIdSchema,
} from '../domain/schemas.ts';
import type { CaseId, GridId, PlanId, UnitId, UserId, WorkerId } from '../ids.ts';

// Test fixtures name ids by number; they go through the same schemas as any outside input, so a
// fixture can never hold an id the API would refuse. For tests only (`@gcc/shared/testing`).

/** A grid id for a fixture. */
export const gridId = (n: number): GridId => GridIdSchema.parse(n);
/** A unit id for a fixture. */
export const unitId = (n: number): UnitId => UnitIdSchema.parse(n);
/** A worker id for a fixture. */
export const workerId = (n: number): WorkerId => WorkerIdSchema.parse(n);
/** A case id for a fixture. */
export const caseId = (n: number): CaseId => CaseIdSchema.parse(n);
/** A user id for a fixture. */
export const userId = (n: number): UserId => UserIdSchema.parse(n);
/** A plan id for a fixture. */
export const planId = (n: number): PlanId => PlanIdSchema.parse(n);

import type { PlanId } from '@gcc/shared';
import type { PlanEditRefusalReason, PlanRefusalReason } from '@gcc/shared/planning';
import type { EditRefusalReason } from '@gcc/shared/topology';

// Why a plan was not written: values the API turns into typed refusals (message key
// `plan.refusal.<reason>`). An edit refusal also says which edit (`step`, 0-based) and where (`at`).

export type PlanErrorReason = PlanRefusalReason | EditRefusalReason | PlanEditRefusalReason;

export class PlanError extends Error {
  constructor(
    readonly reason: PlanErrorReason,
    readonly planId: PlanId | null,
    /** The refused edit's index in the plan's list; null when the plan as a whole was refused. */
    readonly step: number | null = null,
    readonly at: [number, number] | null = null,
  ) {
    super(`plan ${planId ?? '(new)'} refused: ${reason}${step !== null ? ` at edit ${step}` : ''}`);
  }
}

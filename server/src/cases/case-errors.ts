import type { AuthRefusal, CaseId, RefusalReason } from '@gcc/shared';

// Why a case was not taken in or a command not run: values the API turns into typed refusals.

export class CaseIntakeError extends Error {
  constructor(
    readonly reason: 'outside-city' | 'outside-jurisdiction' | RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** Why a case command was refused: the engine's reason, the rule table's, or a case that does not exist. */
export type CaseCommandRefusal = RefusalReason | AuthRefusal | 'not-found';

/** A refused case command; `reason` is the engine's code (message key `refusal.<reason>`). */
export class CaseCommandError extends Error {
  constructor(
    readonly reason: CaseCommandRefusal,
    readonly command: string,
    readonly caseId: CaseId,
  ) {
    super(`${command} on case ${caseId} refused: ${reason}`);
  }
}

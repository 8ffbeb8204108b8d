import type { CaseStatus, CaseTier, ResponsibleLevel } from '../domain/schemas.ts';
import type { CaseId, GridId, WorkerId } from '../ids.ts';
import type { CaseEvent } from './case-event.schema.ts';

export type { CaseEvent };

// The case lifecycle of GB/T 30428 as a pure function: (state, command) → event | refusal.
// The server persists the event, then applies it with `applyCaseEvent`; the web client calls
// `decideCaseCommand` to show which actions are allowed. Issue #8 grows escalation, whistle,
// park and merge on this spine.

export interface CaseState {
  id: CaseId;
  status: CaseStatus;
  gridId: GridId;
  assigneeId: WorkerId | null;
  tier: CaseTier;
  level: ResponsibleLevel;
  reworkCount: number;
}

export type CaseCommand =
  | { type: 'register'; tier: CaseTier }
  | { type: 'reject'; reason: string }
  | { type: 'dispatch'; workerId: WorkerId }
  | { type: 'accept'; workerId: WorkerId }
  | { type: 'start'; workerId: WorkerId }
  | { type: 'feedback'; workerId: WorkerId; onSite: boolean; note: string }
  | { type: 'verify'; passed: boolean; note: string }
  | { type: 'close' };

/** Who caused an event: a user (dispatcher, operator) or a worker's device; both null for the system. */
export type CaseActor = CaseEvent['actor'];

export type CaseEventType = CaseEvent['type'];

export const REFUSAL_REASONS = {
  illegalTransition: 'illegal-transition',
  notAssignee: 'not-assignee',
  emptyReason: 'empty-reason',
} as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[keyof typeof REFUSAL_REASONS];

export type CaseDecision =
  | { ok: true; event: CaseEvent }
  | { ok: false; reason: RefusalReason; status: CaseStatus; command: CaseCommand['type'] };

/** Which command types are legal from each status (the closed loop). */
export const ALLOWED_COMMANDS: Readonly<Record<CaseStatus, readonly CaseCommand['type'][]>> = {
  reported: ['register', 'reject'],
  registered: ['dispatch'],
  rejected: [],
  dispatched: ['accept', 'dispatch'],
  accepted: ['start', 'dispatch'],
  handling: ['feedback'],
  handled: ['verify'],
  verified: ['close'],
  closed: [],
};

/** Decides whether a command is legal for a case and returns the event it produces. */
export function decideCaseCommand(
  state: CaseState,
  command: CaseCommand,
  ctx: { at: number; actor: CaseActor },
): CaseDecision {
  const refuse = (reason: RefusalReason): CaseDecision => ({ ok: false, reason, status: state.status, command: command.type });
  if (!ALLOWED_COMMANDS[state.status].includes(command.type)) return refuse(REFUSAL_REASONS.illegalTransition);
  const base = { caseId: state.id, at: ctx.at, actor: ctx.actor };
  switch (command.type) {
    case 'register':
      return { ok: true, event: { ...base, type: 'case.registered', tier: command.tier } };
    case 'reject':
      if (!command.reason.trim()) return refuse(REFUSAL_REASONS.emptyReason);
      return { ok: true, event: { ...base, type: 'case.rejected', reason: command.reason } };
    case 'dispatch':
      return { ok: true, event: { ...base, type: 'case.dispatched', workerId: command.workerId } };
    case 'accept':
    case 'start':
    case 'feedback': {
      // Only the worker the case was dispatched to may act on it.
      if (state.assigneeId !== command.workerId) return refuse(REFUSAL_REASONS.notAssignee);
      if (command.type === 'accept') return { ok: true, event: { ...base, type: 'case.accepted', workerId: command.workerId } };
      if (command.type === 'start') return { ok: true, event: { ...base, type: 'case.started', workerId: command.workerId } };
      return { ok: true, event: { ...base, type: 'case.handled', workerId: command.workerId, onSite: command.onSite, note: command.note } };
    }
    case 'verify':
      return command.passed
        ? { ok: true, event: { ...base, type: 'case.verified', note: command.note } }
        : { ok: true, event: { ...base, type: 'case.reworked', note: command.note } };
    case 'close':
      return { ok: true, event: { ...base, type: 'case.closed' } };
    default: {
      const never: never = command;
      return never;
    }
  }
}

/** Applies an event to a case state; the inverse of nothing — replaying a timeline rebuilds the state. */
export function applyCaseEvent(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'case.reported':
      return { ...state, status: 'reported', gridId: event.gridId };
    case 'case.registered':
      return { ...state, status: 'registered', tier: event.tier };
    case 'case.rejected':
      return { ...state, status: 'rejected' };
    case 'case.dispatched':
      return { ...state, status: 'dispatched', assigneeId: event.workerId };
    case 'case.accepted':
      return { ...state, status: 'accepted' };
    case 'case.started':
      return { ...state, status: 'handling' };
    case 'case.handled':
      return { ...state, status: 'handled' };
    case 'case.verified':
      return { ...state, status: 'verified' };
    case 'case.reworked':
      // 返工: back to the same assignee, who must accept again.
      return { ...state, status: 'dispatched', reworkCount: state.reworkCount + 1 };
    case 'case.closed':
      return { ...state, status: 'closed' };
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** Statuses in which a case is still open (counts toward a grid's load on the wall). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['reported', 'registered', 'dispatched', 'accepted', 'handling', 'handled', 'verified'];

/** True when the case still needs work. */
export function isOpenStatus(status: CaseStatus): boolean {
  return status !== 'closed' && status !== 'rejected';
}

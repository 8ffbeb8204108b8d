import {
  RESPONSIBLE_LEVELS,
  type CaseSource,
  type CaseStatus,
  type CaseTier,
  type ResponsibleLevel,
} from '../domain/schemas.ts';
import type { CaseId, GridId, UserId, WorkerId } from '../ids.ts';
import type { CaseEvent, CaseTerms, EvaluationRating } from './case-event.schema.ts';

export type { CaseEvent };

// The case lifecycle of GB/T 30428 as pure functions: (state, command) → event | refusal.
// The server persists the event, then applies it with `applyCaseEvent`; the web client calls
// `decideCaseCommand` to show which actions are allowed. Replaying a timeline from its first
// event (`replayCase`) rebuilds the state exactly, version included.
//
// Rules decided here (who may act by post and jurisdiction is `case-rules.ts`):
// - Every command carries the version it expects; the version is the number of events applied.
// - 挂账 (park) freezes the case: only unpark is accepted until then.
// - 吹哨 (whistle) calls departments; each must report back (报到). While any is pending the
//   case cannot be handled (反馈) nor closed (结案). A 难事联办 (hard) case must be whistled before
//   it is dispatched: its departments are called in first.
// - 上报升级 (escalate) moves responsibility one level up and back to the dispatch step of the
//   new level (status registered, no assignee).
// - 退回 (return): the assignee returns a dispatched case to the dispatcher (→ registered); the
//   dispatcher returns a registered case to intake (→ reported), where it may be rejected — a
//   registration later voided (准确立案率).
// - 改派 (reassign): a dispatch of a case that has an assignee must name that assignee
//   (`replaces`), so a desk whose view is older than the last dispatch cannot send a second
//   one by accident; sending it again to its own assignee is refused.
// - 核查 (verify) is done by someone other than the handler.
// - A duplicate merged into a primary stops its own loop (status merged) and is closed by the
//   server when the primary closes (`decideCloseWithPrimary`).

/** The state of a case, rebuilt from its timeline. */
export interface CaseState {
  id: CaseId;
  status: CaseStatus;
  gridId: GridId;
  category: string;
  source: CaseSource;
  tier: CaseTier;
  /** Responsible level: set from the tier at registration, raised by escalation. */
  level: ResponsibleLevel;
  assigneeId: WorkerId | null;
  assigneeDepartment: string | null;
  /** Who submitted the last feedback (反馈): the verifier must be someone else. */
  handledBy: { workerId: WorkerId | null; userId: UserId | null; department: string | null } | null;
  onSite: boolean;
  photos: readonly string[];
  reworkCount: number;
  returnCount: number;
  escalationCount: number;
  /** Parked (挂账) since, null when the clock runs. */
  parkedAt: number | null;
  /** Departments called by a whistle (吹哨), in call order. */
  calledDepartments: readonly string[];
  /** Called departments that have not reported back (报到) yet. */
  pendingDepartments: readonly string[];
  mergedInto: CaseId | null;
  duplicates: readonly CaseId[];
  evaluation: EvaluationRating | null;
  /** When the case was closed (结案): the evaluation window runs from here. */
  closedAt: number | null;
  /** Number of events applied: the optimistic-concurrency version. */
  version: number;
}

/** Who a case is dispatched to: a worker or a department (the other is null). */
export interface CaseAssignee {
  workerId: WorkerId | null;
  department: string | null;
}

/** Who runs a command: a user, a worker's device, or the system (both null); a department user names its department. */
export interface CaseActorContext {
  userId: UserId | null;
  workerId: WorkerId | null;
  department?: string | null;
}

/** Commands on an existing case; each carries the case version it expects. */
export type CaseCommand = { expectedVersion: number } & (
  | { type: 'register'; tier: CaseTier }
  | { type: 'reject'; reason: string }
  | {
      type: 'dispatch';
      workerId: WorkerId | null;
      department: string | null;
      /** 改派: the assignee the desk saw and replaces; absent or null for a first dispatch. */
      replaces?: CaseAssignee | null;
    }
  | { type: 'accept' }
  | { type: 'start' }
  | { type: 'feedback'; onSite: boolean; note: string; photos: readonly string[] }
  | { type: 'verify'; passed: boolean; note: string }
  | { type: 'close' }
  | { type: 'evaluate'; rating: EvaluationRating; note: string }
  | { type: 'return'; reason: string }
  | { type: 'escalate'; reason: string; auto?: boolean }
  | { type: 'whistle'; departments: readonly string[]; reason: string }
  | { type: 'checkIn'; department: string }
  | { type: 'park'; reason: string }
  | { type: 'unpark' }
);

export type CaseCommandType = CaseCommand['type'];
/** A command without its expected version (what a form or a button builds). */
export type CaseCommandBody = DistributiveOmit<CaseCommand, 'expectedVersion'>;

/** Who caused an event: a user (dispatcher, operator) or a worker's device; both null for the system. */
export type CaseActor = CaseEvent['actor'];

export type CaseEventType = CaseEvent['type'];

/** Why a command was refused; each has a message under `refusal.<reason>` in the message tables. */
export const REFUSAL_REASONS = {
  illegalTransition: 'illegal-transition',
  staleVersion: 'stale-version',
  notAssignee: 'not-assignee',
  emptyReason: 'empty-reason',
  photoRequired: 'photo-required',
  noAssignee: 'no-assignee',
  parked: 'parked',
  notParked: 'not-parked',
  topLevel: 'top-level',
  departmentsPending: 'departments-pending',
  whistleRequired: 'whistle-required',
  noDepartments: 'no-departments',
  alreadyCalled: 'already-called',
  notCalled: 'not-called',
  verifierIsHandler: 'verifier-is-handler',
  sameCase: 'same-case',
  primaryNotOpen: 'primary-not-open',
  differentGrid: 'different-grid',
  primaryNotClosed: 'primary-not-closed',
  notMergedHere: 'not-merged-here',
  notWorker: 'not-worker',
  unknownDepartment: 'unknown-department',
  unknownWorker: 'unknown-worker',
  workerOutsideJurisdiction: 'worker-outside-jurisdiction',
  workerOffDuty: 'worker-off-duty',
  evaluationClosed: 'evaluation-closed',
  assigneeChanged: 'assignee-changed',
  alreadyAssignee: 'already-assignee',
} as const;

/**
 * 评价 follows closing within this window (the 回访 of a closed case); after it the case stays
 * closed without a rating and leaves the shift lead's queue, instead of piling up there.
 */
export const EVALUATION_WINDOW_HOURS = 72;
const EVALUATION_WINDOW_MS = EVALUATION_WINDOW_HOURS * 3_600_000;

/** Whether a closed case may still be evaluated at `at`. */
export function evaluationOpen(state: Pick<CaseState, 'status' | 'closedAt'>, at: number): boolean {
  return (
    state.status === 'closed' && (state.closedAt === null || at - state.closedAt <= EVALUATION_WINDOW_MS)
  );
}
export type RefusalReason = (typeof REFUSAL_REASONS)[keyof typeof REFUSAL_REASONS];

export type CaseRefusal = { ok: false; reason: RefusalReason; status: CaseStatus; command: string };
export type CaseDecision = { ok: true; event: CaseEvent } | CaseRefusal;

/** Which command types are legal from each status (the closed loop); parking is checked apart. */
export const ALLOWED_COMMANDS: Readonly<Record<CaseStatus, readonly CaseCommandType[]>> = {
  reported: ['register', 'reject'],
  registered: ['dispatch', 'return', 'escalate', 'whistle', 'checkIn', 'park'],
  rejected: [],
  dispatched: ['accept', 'dispatch', 'return', 'escalate', 'whistle', 'checkIn', 'park'],
  accepted: ['start', 'dispatch', 'return', 'escalate', 'whistle', 'checkIn', 'park'],
  handling: ['feedback', 'return', 'escalate', 'whistle', 'checkIn', 'park'],
  handled: ['verify'],
  verified: ['close'],
  closed: ['evaluate'],
  evaluated: [],
  merged: [],
};

/** Statuses from which a case can be merged into another (as the duplicate) or receive one (as the primary). */
export const MERGEABLE_STATUSES: readonly CaseStatus[] = ['reported', 'registered'];

/** Responsible level of each tier (四事分流): micro by the grid, small with the community, large led by the street, hard with district departments. */
export const LEVEL_OF_TIER: Readonly<Record<CaseTier, ResponsibleLevel>> = {
  micro: 'grid',
  small: 'community',
  large: 'street',
  hard: 'district',
};

/** Rank of a level, grid 0 … city 4. */
export function levelRank(level: ResponsibleLevel): number {
  return RESPONSIBLE_LEVELS.indexOf(level);
}

/** The level above, or null at the top (city). */
export function nextLevel(level: ResponsibleLevel): ResponsibleLevel | null {
  return RESPONSIBLE_LEVELS[levelRank(level) + 1] ?? null;
}

const eventActor = (a: CaseActorContext): CaseActor => ({ userId: a.userId, workerId: a.workerId });

/** True when the actor is the case's current assignee (the worker, or a user of the department). */
/** The case's assignee (worker or department), or null when nobody has it. */
export function assigneeOf(state: Pick<CaseState, 'assigneeId' | 'assigneeDepartment'>): CaseAssignee | null {
  if (state.assigneeId === null && state.assigneeDepartment === null) return null;
  return { workerId: state.assigneeId, department: state.assigneeDepartment };
}

/** Whether two assignees (or two nobodies) are the same. */
export function sameAssignee(a: CaseAssignee | null, b: CaseAssignee | null): boolean {
  if (a === null || b === null) return a === b;
  return a.workerId === b.workerId && (a.department ?? null) === (b.department ?? null);
}

export function isAssignee(
  state: Pick<CaseState, 'assigneeId' | 'assigneeDepartment'>,
  actor: Pick<CaseActorContext, 'workerId' | 'department'>,
): boolean {
  if (state.assigneeId !== null) return actor.workerId === state.assigneeId;
  if (state.assigneeDepartment !== null) return (actor.department ?? null) === state.assigneeDepartment;
  return false;
}

const uniq = (xs: readonly string[]): string[] => [
  ...new Set(xs.map((x) => x.trim()).filter((x) => x.length > 0)),
];

/** Whether a desk may send a case to a worker: 'ok', or why not. */
export type WorkerStanding = 'ok' | 'unknown' | 'outside' | 'off-duty';

/**
 * Decides whether a command is legal for a case and returns the event it produces. With
 * `departments` (the codes of the department table) a whistle or a dispatch naming a department
 * outside it is refused; 报到 is not checked, so a department called before a rename still reports in.
 */
export function decideCaseCommand(
  state: CaseState,
  command: CaseCommand,
  ctx: {
    at: number;
    actor: CaseActorContext;
    departments?: ReadonlySet<string>;
    /** Where a worker a case is sent to stands for this desk: unknown, outside its jurisdiction (属地), off duty. */
    workerStanding?: (workerId: WorkerId) => WorkerStanding;
  },
): CaseDecision {
  const refuse = (reason: RefusalReason): CaseRefusal => ({
    ok: false,
    reason,
    status: state.status,
    command: command.type,
  });
  if (command.expectedVersion !== state.version) return refuse(REFUSAL_REASONS.staleVersion);
  if (state.parkedAt !== null)
    return command.type === 'unpark' ? ok({ type: 'case.unparked' }) : refuse(REFUSAL_REASONS.parked);
  if (command.type === 'unpark') return refuse(REFUSAL_REASONS.notParked);
  if (!ALLOWED_COMMANDS[state.status].includes(command.type))
    return refuse(REFUSAL_REASONS.illegalTransition);
  const by = { workerId: ctx.actor.workerId, department: ctx.actor.department ?? null };
  function ok(body: DistributiveOmit<CaseEvent, 'caseId' | 'at' | 'actor'>): CaseDecision {
    return {
      ok: true,
      event: { caseId: state.id, at: ctx.at, actor: eventActor(ctx.actor), ...body } as CaseEvent,
    };
  }
  switch (command.type) {
    case 'register':
      return ok({ type: 'case.registered', tier: command.tier });
    case 'reject':
      if (!command.reason.trim()) return refuse(REFUSAL_REASONS.emptyReason);
      return ok({ type: 'case.rejected', reason: command.reason.trim() });
    case 'dispatch': {
      // Exactly one assignee: a worker or a department.
      if ((command.workerId === null) === (command.department === null || !command.department.trim()))
        return refuse(REFUSAL_REASONS.noAssignee);
      if (command.department !== null && ctx.departments && !ctx.departments.has(command.department.trim()))
        return refuse(REFUSAL_REASONS.unknownDepartment);
      // A case is never 'dispatched' to nobody, nor to someone this desk does not command.
      const standing = command.workerId !== null ? ctx.workerStanding?.(command.workerId) : 'ok';
      if (standing === 'unknown') return refuse(REFUSAL_REASONS.unknownWorker);
      if (standing === 'outside') return refuse(REFUSAL_REASONS.workerOutsideJurisdiction);
      // A worker off duty (下岗, or never came on) would not see the case: dispatch someone on duty.
      if (standing === 'off-duty') return refuse(REFUSAL_REASONS.workerOffDuty);
      // 难事联办: departments are called in (吹哨) before the case is dispatched.
      if (state.tier === 'hard' && state.calledDepartments.length === 0)
        return refuse(REFUSAL_REASONS.whistleRequired);
      const to: CaseAssignee = { workerId: command.workerId, department: command.department?.trim() ?? null };
      const current = assigneeOf(state);
      // 改派 names the assignee it replaces: a view that missed a dispatch (or a return) is refused.
      if (!sameAssignee(current, command.replaces ?? null)) return refuse(REFUSAL_REASONS.assigneeChanged);
      if (current && sameAssignee(current, to)) return refuse(REFUSAL_REASONS.alreadyAssignee);
      return ok({
        type: 'case.dispatched',
        ...to,
        ...(current ? { replaced: current } : {}),
      });
    }
    case 'accept':
    case 'start':
    case 'feedback': {
      // Only the worker or department the case was dispatched to may act on it.
      if (!isAssignee(state, ctx.actor)) return refuse(REFUSAL_REASONS.notAssignee);
      if (command.type === 'accept') return ok({ type: 'case.accepted', ...by });
      if (command.type === 'start') return ok({ type: 'case.started', ...by });
      if (state.pendingDepartments.length > 0) return refuse(REFUSAL_REASONS.departmentsPending);
      // 反馈 needs photo evidence.
      const photos = command.photos.filter((p) => p.trim().length > 0);
      if (photos.length === 0) return refuse(REFUSAL_REASONS.photoRequired);
      return ok({ type: 'case.handled', ...by, onSite: command.onSite, note: command.note, photos });
    }
    case 'verify': {
      // GB/T 30428: the case is verified by someone other than its handler.
      const h = state.handledBy;
      if (
        h &&
        ((h.workerId !== null && h.workerId === ctx.actor.workerId) ||
          (h.userId !== null && h.userId === ctx.actor.userId) ||
          (h.department !== null && h.department === (ctx.actor.department ?? null)))
      ) {
        return refuse(REFUSAL_REASONS.verifierIsHandler);
      }
      return command.passed
        ? ok({ type: 'case.verified', note: command.note })
        : ok({ type: 'case.reworked', note: command.note });
    }
    case 'close':
      if (state.pendingDepartments.length > 0) return refuse(REFUSAL_REASONS.departmentsPending);
      return ok({ type: 'case.closed', withPrimary: null });
    case 'evaluate':
      if (!evaluationOpen(state, ctx.at)) return refuse(REFUSAL_REASONS.evaluationClosed);
      return ok({ type: 'case.evaluated', rating: command.rating, note: command.note });
    case 'return': {
      if (!command.reason.trim()) return refuse(REFUSAL_REASONS.emptyReason);
      if (state.status === 'registered')
        return ok({ type: 'case.returned', to: 'intake', reason: command.reason.trim() });
      if (!isAssignee(state, ctx.actor)) return refuse(REFUSAL_REASONS.notAssignee);
      return ok({ type: 'case.returned', to: 'dispatch', reason: command.reason.trim() });
    }
    case 'escalate': {
      if (!command.reason.trim()) return refuse(REFUSAL_REASONS.emptyReason);
      const to = nextLevel(state.level);
      if (to === null) return refuse(REFUSAL_REASONS.topLevel);
      return ok({
        type: 'case.escalated',
        from: state.level,
        to,
        reason: command.reason.trim(),
        auto: command.auto ?? false,
      });
    }
    case 'whistle': {
      if (!command.reason.trim()) return refuse(REFUSAL_REASONS.emptyReason);
      const asked = uniq(command.departments);
      if (asked.length === 0) return refuse(REFUSAL_REASONS.noDepartments);
      if (ctx.departments && asked.some((d) => !ctx.departments!.has(d)))
        return refuse(REFUSAL_REASONS.unknownDepartment);
      const fresh = asked.filter((d) => !state.calledDepartments.includes(d));
      if (fresh.length === 0) return refuse(REFUSAL_REASONS.alreadyCalled);
      return ok({ type: 'case.whistled', departments: fresh, reason: command.reason.trim() });
    }
    case 'checkIn': {
      const d = command.department.trim();
      // A department reports in for itself only.
      if (ctx.actor.department != null && ctx.actor.department !== d)
        return refuse(REFUSAL_REASONS.notCalled);
      if (!state.pendingDepartments.includes(d)) return refuse(REFUSAL_REASONS.notCalled);
      return ok({ type: 'case.departmentReported', department: d });
    }
    case 'park':
      if (!command.reason.trim()) return refuse(REFUSAL_REASONS.emptyReason);
      return ok({ type: 'case.parked', reason: command.reason.trim() });
    default: {
      const never: never = command;
      return never;
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a case report carries (the grid comes from point-in-polygon, never typed by hand). */
export interface CaseReport {
  caseId: CaseId;
  source: CaseSource;
  category: string;
  gridId: GridId;
  lng: number;
  lat: number;
  description: string;
  /** The address chosen at intake ("人民路25号"), when there was one. */
  address?: string;
  /** The category's step limits and the calendar id in force now, recorded on the report (see `CaseTermsSchema`). */
  terms?: CaseTerms | null;
}

export type CaseOpening =
  { ok: true; event: CaseEvent } | { ok: false; reason: RefusalReason; command: 'report' | 'reportMicro' };

/** The first event of a case: a report (上报). */
export function decideReport(report: CaseReport, ctx: { at: number; actor: CaseActorContext }): CaseOpening {
  return {
    ok: true,
    event: {
      ...report,
      terms: report.terms ?? null,
      type: 'case.reported',
      at: ctx.at,
      actor: eventActor(ctx.actor),
    } as CaseEvent,
  };
}

/** The first event of a 微事自办 case: the reporting worker reports it already handled on the spot, with photos; it still goes to verification. */
export function decideMicroReport(
  report: CaseReport,
  evidence: { photos: readonly string[]; note: string },
  ctx: { at: number; actor: CaseActorContext },
): CaseOpening {
  const workerId = ctx.actor.workerId;
  if (workerId === null) return { ok: false, reason: REFUSAL_REASONS.notWorker, command: 'reportMicro' };
  const photos = evidence.photos.filter((p) => p.trim().length > 0);
  if (photos.length === 0)
    return { ok: false, reason: REFUSAL_REASONS.photoRequired, command: 'reportMicro' };
  return {
    ok: true,
    event: {
      ...report,
      terms: report.terms ?? null,
      type: 'case.selfHandled',
      workerId,
      photos,
      note: evidence.note,
      at: ctx.at,
      actor: eventActor(ctx.actor),
    } as CaseEvent,
  };
}

export type MergeDecision = { ok: true; duplicateEvent: CaseEvent; primaryEvent: CaseEvent } | CaseRefusal;

/**
 * Merges a duplicate into a primary (the dispatcher confirms a suggested duplicate): two events,
 * one on each case, each checked against the version its command expects.
 */
export function decideMerge(
  duplicate: CaseState,
  primary: CaseState,
  expected: { duplicateVersion: number; primaryVersion: number },
  ctx: { at: number; actor: CaseActorContext },
): MergeDecision {
  const refuse = (reason: RefusalReason): CaseRefusal => ({
    ok: false,
    reason,
    status: duplicate.status,
    command: 'merge',
  });
  if (expected.duplicateVersion !== duplicate.version || expected.primaryVersion !== primary.version)
    return refuse(REFUSAL_REASONS.staleVersion);
  if (duplicate.id === primary.id) return refuse(REFUSAL_REASONS.sameCase);
  if (duplicate.parkedAt !== null) return refuse(REFUSAL_REASONS.parked);
  if (!MERGEABLE_STATUSES.includes(duplicate.status)) return refuse(REFUSAL_REASONS.illegalTransition);
  if (!isOpenStatus(primary.status) || primary.status === 'merged' || primary.mergedInto !== null)
    return refuse(REFUSAL_REASONS.primaryNotOpen);
  const actor = eventActor(ctx.actor);
  return {
    ok: true,
    duplicateEvent: { caseId: duplicate.id, at: ctx.at, actor, type: 'case.merged', primaryId: primary.id },
    primaryEvent: {
      caseId: primary.id,
      at: ctx.at,
      actor,
      type: 'case.duplicateAttached',
      duplicateId: duplicate.id,
    },
  };
}

/** Closes a merged duplicate after its primary closed (merged cases close together); run by the system. */
export function decideCloseWithPrimary(
  duplicate: CaseState,
  primary: CaseState,
  ctx: { at: number },
): CaseDecision {
  const refuse = (reason: RefusalReason): CaseRefusal => ({
    ok: false,
    reason,
    status: duplicate.status,
    command: 'closeWithPrimary',
  });
  if (duplicate.status !== 'merged' || duplicate.mergedInto !== primary.id)
    return refuse(REFUSAL_REASONS.notMergedHere);
  if (primary.status !== 'closed' && primary.status !== 'evaluated')
    return refuse(REFUSAL_REASONS.primaryNotClosed);
  return {
    ok: true,
    event: {
      caseId: duplicate.id,
      at: ctx.at,
      actor: { userId: null, workerId: null },
      type: 'case.closed',
      withPrimary: primary.id,
    },
  };
}

/** The state a case starts in from its first event; null when the event cannot open a timeline. */
export function openCase(event: CaseEvent): CaseState | null {
  if (event.type !== 'case.reported' && event.type !== 'case.selfHandled') return null;
  const state: CaseState = {
    id: event.caseId,
    status: 'reported',
    gridId: event.gridId,
    category: event.category,
    source: event.source,
    tier: 'small',
    level: 'grid',
    assigneeId: null,
    assigneeDepartment: null,
    handledBy: null,
    onSite: false,
    photos: [],
    reworkCount: 0,
    returnCount: 0,
    escalationCount: 0,
    parkedAt: null,
    calledDepartments: [],
    pendingDepartments: [],
    mergedInto: null,
    duplicates: [],
    evaluation: null,
    closedAt: null,
    version: 1,
  };
  if (event.type === 'case.reported') return state;
  return {
    ...state,
    status: 'handled',
    tier: 'micro',
    assigneeId: event.workerId,
    onSite: true,
    photos: event.photos,
    handledBy: { workerId: event.workerId, userId: event.actor.userId, department: null },
  };
}

/** Applies an event to a case state; replaying a timeline from `openCase` rebuilds the state. */
export function applyCaseEvent(state: CaseState, event: CaseEvent): CaseState {
  const s = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'case.reported':
    case 'case.selfHandled':
      // A timeline opens once; a second opening event is ignored but counted.
      return s;
    case 'case.registered': {
      const tierLevel = LEVEL_OF_TIER[event.tier];
      return {
        ...s,
        status: 'registered',
        tier: event.tier,
        level: levelRank(tierLevel) > levelRank(s.level) ? tierLevel : s.level,
      };
    }
    case 'case.rejected':
      return { ...s, status: 'rejected' };
    case 'case.dispatched':
      return { ...s, status: 'dispatched', assigneeId: event.workerId, assigneeDepartment: event.department };
    case 'case.accepted':
      return { ...s, status: 'accepted' };
    case 'case.started':
      return { ...s, status: 'handling' };
    case 'case.handled':
      return {
        ...s,
        status: 'handled',
        onSite: event.onSite,
        photos: event.photos,
        handledBy: { workerId: event.workerId, userId: event.actor.userId, department: event.department },
      };
    case 'case.verified':
      return { ...s, status: 'verified' };
    case 'case.reworked':
      // 返工: back to the same assignee, who must accept again.
      return { ...s, status: 'dispatched', reworkCount: s.reworkCount + 1 };
    case 'case.closed':
      return { ...s, status: 'closed', closedAt: event.at };
    case 'case.evaluated':
      return { ...s, status: 'evaluated', evaluation: event.rating };
    case 'case.returned':
      return event.to === 'intake'
        ? { ...s, status: 'reported', returnCount: s.returnCount + 1 }
        : {
            ...s,
            status: 'registered',
            assigneeId: null,
            assigneeDepartment: null,
            returnCount: s.returnCount + 1,
          };
    case 'case.escalated':
      return {
        ...s,
        status: 'registered',
        level: event.to,
        assigneeId: null,
        assigneeDepartment: null,
        escalationCount: s.escalationCount + 1,
      };
    case 'case.whistled':
      return {
        ...s,
        calledDepartments: [...s.calledDepartments, ...event.departments],
        pendingDepartments: [...s.pendingDepartments, ...event.departments],
      };
    case 'case.departmentReported':
      return { ...s, pendingDepartments: s.pendingDepartments.filter((d) => d !== event.department) };
    case 'case.parked':
      return { ...s, parkedAt: event.at };
    case 'case.unparked':
      return { ...s, parkedAt: null };
    case 'case.merged':
      return { ...s, status: 'merged', mergedInto: event.primaryId };
    case 'case.duplicateAttached':
      return { ...s, duplicates: [...s.duplicates, event.duplicateId] };
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** Rebuilds a case from its timeline (oldest first); throws when the timeline does not open with a report. */
export function replayCase(events: readonly CaseEvent[]): CaseState {
  const [first, ...rest] = events;
  const opened = first ? openCase(first) : null;
  if (!opened) throw new Error(`timeline of case ${String(first?.caseId)} does not open with a report`);
  return rest.reduce(applyCaseEvent, opened);
}

/** Statuses in which a case is still open (counts toward a grid's load on the wall); a merged duplicate counts with its primary. */
export const OPEN_STATUSES: readonly CaseStatus[] = [
  'reported',
  'registered',
  'dispatched',
  'accepted',
  'handling',
  'handled',
  'verified',
];

/** True when the case still needs work. */
export function isOpenStatus(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Command types the case allows now (for the console's buttons); the rule table narrows them by post. */
export function allowedCommands(state: CaseState): readonly CaseCommandType[] {
  return state.parkedAt !== null ? ['unpark'] : ALLOWED_COMMANDS[state.status];
}

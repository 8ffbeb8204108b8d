import { CASE_STATUSES, type CaseStatus, type ResponsibleLevel, type Role } from '../domain/schemas.ts';
import type { GridId, UnitId } from '../ids.ts';
import {
  ALLOWED_COMMANDS,
  evaluationOpen,
  isAssignee,
  levelRank,
  MERGEABLE_STATUSES,
  type CaseCommandType,
  type CaseState,
} from './case-machine.ts';

// Who may run each case command: rules as code, one table a test enumerates.
//
// GB/T 30428 keeps the supervising center (监督中心: inspectors 监督员 report and verify, intake
// operators 受理员 register, shift leads 值班长 register, close and evaluate) apart from the
// commanding center (指挥中心: dispatchers 派遣员 dispatch, escalate, whistle, merge, park), and
// both apart from the handlers (专业部门 departments and grid workers 网格员). No post sits on two
// sides, so nobody verifies or closes what they dispatched or handled.

export const CASE_POSTS = [
  'inspector',
  'intake',
  'shift-lead',
  'dispatcher',
  'department',
  'grid-worker',
  'system',
] as const;
export type CasePost = (typeof CASE_POSTS)[number];

export type CaseSide = 'supervising' | 'commanding' | 'handling' | 'system';
export const SIDE_OF_POST: Readonly<Record<CasePost, CaseSide>> = {
  inspector: 'supervising',
  intake: 'supervising',
  'shift-lead': 'supervising',
  dispatcher: 'commanding',
  department: 'handling',
  'grid-worker': 'handling',
  system: 'system',
};

/** Every command the rules cover: the case commands plus opening a case and merging. */
export type RuledCommand = CaseCommandType | 'report' | 'reportMicro' | 'merge' | 'closeWithPrimary';
export const RULED_COMMANDS: readonly RuledCommand[] = [
  'report',
  'reportMicro',
  'register',
  'reject',
  'dispatch',
  'accept',
  'start',
  'feedback',
  'verify',
  'close',
  'evaluate',
  'return',
  'escalate',
  'whistle',
  'checkIn',
  'park',
  'unpark',
  'merge',
  'closeWithPrimary',
];

/**
 * How a post's right to a command is scoped:
 * - `unit`: the case's grid must lie inside the actor's unit (属地), and for commanding commands
 *   the actor's unit must sit at or above the case's responsible level;
 * - `assignment`: being the case's assignee is the authority (checked by the state machine), so a
 *   worker sent across grids (surge) can still act;
 * - `any`: the system's timer, no jurisdiction.
 */
export type RuleScope = 'unit' | 'assignment' | 'any';

/** The rule table: command → post → scope. A post absent from a row may not run the command. */
export const CASE_RULES: Readonly<Record<RuledCommand, Partial<Record<CasePost, RuleScope>>>> = {
  report: { inspector: 'unit', intake: 'unit', dispatcher: 'unit', 'grid-worker': 'unit' },
  reportMicro: { 'grid-worker': 'unit' },
  register: { intake: 'unit', 'shift-lead': 'unit' },
  reject: { intake: 'unit', 'shift-lead': 'unit' },
  dispatch: { dispatcher: 'unit' },
  accept: { department: 'assignment', 'grid-worker': 'assignment' },
  start: { department: 'assignment', 'grid-worker': 'assignment' },
  feedback: { department: 'assignment', 'grid-worker': 'assignment' },
  verify: { inspector: 'unit' },
  close: { 'shift-lead': 'unit' },
  evaluate: { 'shift-lead': 'unit' },
  // The dispatcher returns a registered case to intake; the assignee returns a dispatched one.
  return: { dispatcher: 'unit', department: 'assignment', 'grid-worker': 'assignment' },
  escalate: { dispatcher: 'unit', system: 'any' },
  whistle: { dispatcher: 'unit' },
  // 报到: a called department reports in; the machine checks it was called.
  checkIn: { department: 'unit' },
  park: { dispatcher: 'unit' },
  unpark: { dispatcher: 'unit' },
  merge: { dispatcher: 'unit' },
  closeWithPrimary: { system: 'any' },
};

/** Which posts a login role holds. Admins file reports like an intake desk (keeps existing users working) but run no other step. */
export const POSTS_OF_ROLE: Readonly<Record<Role, readonly CasePost[]>> = {
  admin: ['intake'],
  dispatcher: ['dispatcher'],
  planner: [],
  wall: [],
  device: ['grid-worker'],
  inspector: ['inspector'],
  intake: ['intake'],
  'shift-lead': ['shift-lead'],
  department: ['department'],
};

/** The acting person as the rules see them. */
export interface RuleActor {
  posts: readonly CasePost[];
  /** Jurisdiction (属地); null for the system. */
  unitId: UnitId | null;
  /** Level of the actor's unit; a grid worker's is `grid`. */
  unitLevel: ResponsibleLevel | null;
}

export const AUTH_REFUSALS = {
  postNotAllowed: 'post-not-allowed',
  outsideJurisdiction: 'outside-jurisdiction',
  levelTooLow: 'level-too-low',
} as const;
export type AuthRefusal = (typeof AUTH_REFUSALS)[keyof typeof AUTH_REFUSALS];

export type AuthDecision =
  { ok: true; post: CasePost; scope: RuleScope } | { ok: false; reason: AuthRefusal; command: RuledCommand };

/** Whether a unit contains a grid (injected: the server answers from its unit tree). */
export type UnitContainsGrid = (unitId: UnitId, gridId: GridId) => boolean;

/**
 * Decides whether the actor may run a command on a case in `gridId` at responsible level `level`;
 * the first post of the actor that the table allows and whose scope holds wins.
 */
export function authorizeCaseCommand(
  command: RuledCommand,
  actor: RuleActor,
  target: { gridId: GridId; level: ResponsibleLevel },
  unitContainsGrid: UnitContainsGrid,
): AuthDecision {
  const row = CASE_RULES[command];
  let refusal: AuthRefusal = AUTH_REFUSALS.postNotAllowed;
  for (const post of actor.posts) {
    const scope = row[post];
    if (scope === undefined) continue;
    if (scope !== 'unit') return { ok: true, post, scope };
    if (actor.unitId === null || !unitContainsGrid(actor.unitId, target.gridId)) {
      refusal = AUTH_REFUSALS.outsideJurisdiction;
      continue;
    }
    // A community desk does not command a case escalated to the street.
    if (
      SIDE_OF_POST[post] === 'commanding' &&
      (actor.unitLevel === null || levelRank(actor.unitLevel) < levelRank(target.level))
    ) {
      if (refusal !== AUTH_REFUSALS.outsideJurisdiction) refusal = AUTH_REFUSALS.levelTooLow;
      continue;
    }
    return { ok: true, post, scope };
  }
  return { ok: false, reason: refusal, command };
}

/**
 * Whether a handler holds the case for a command the rule table let through: steps of
 * `assignment` scope (签收, 处置, 反馈, a handler's 退回) are the assignee's, and 报到 is for a
 * department that was called and has not reported in. The machine refuses the rest anyway; the
 * desks ask this so that they offer only what will pass.
 */
export function holdsCase(
  command: RuledCommand,
  scope: RuleScope,
  state: Pick<CaseState, 'assigneeId' | 'assigneeDepartment' | 'pendingDepartments'>,
  actor: { workerId: number | null; department?: string | null | undefined },
): boolean {
  if (command === 'checkIn')
    return actor.department != null && state.pendingDepartments.includes(actor.department);
  if (scope === 'assignment')
    return isAssignee(state, {
      workerId: actor.workerId as CaseState['assigneeId'],
      department: actor.department ?? null,
    });
  return true;
}

/** Commands a set of posts may ever run (the console hides the others). */
export function commandsOfPosts(posts: readonly CasePost[]): RuledCommand[] {
  return RULED_COMMANDS.filter((c) => posts.some((p) => CASE_RULES[c][p] !== undefined));
}

/** Commands the engine allows on a case now, merging included: what `cases.allowed` narrows by post and 属地. */
export function legalCommands(
  state: Pick<CaseState, 'status' | 'parkedAt'> & { closedAt?: number | null },
  now?: number,
): RuledCommand[] {
  // 挂账 freezes the case: only unpark.
  if (state.parkedAt !== null) return ['unpark'];
  // A closed case past its evaluation window has nothing left to do (with `now` given).
  if (
    state.status === 'closed' &&
    now !== undefined &&
    !evaluationOpen({ status: state.status, closedAt: state.closedAt ?? null }, now)
  )
    return [];
  const legal: RuledCommand[] = [...ALLOWED_COMMANDS[state.status]];
  if (MERGEABLE_STATUSES.includes(state.status)) legal.push('merge');
  return legal;
}

/**
 * Where a post holder can have anything to do: the statuses with a command their posts may run,
 * and whether parked cases count (they may unpark). A coarse filter for a query; whether they
 * may act on one case is `legalCommands` ∩ `authorizeCaseCommand`.
 */
export function actionableStatuses(posts: readonly CasePost[]): { statuses: CaseStatus[]; parked: boolean } {
  const mine = new Set(commandsOfPosts(posts));
  const statuses = CASE_STATUSES.filter((s) =>
    legalCommands({ status: s, parkedAt: null }).some((c) => mine.has(c)),
  );
  return { statuses, parked: mine.has('unpark') };
}

/**
 * The steps that move a case on from each status: the loop's next step. A desk that may run one
 * of them is what the case waits for (待处理 first: 立案, 派遣 — after a return or an escalation
 * too, that is 改派 —, 签收, 反馈, 核查, 结案, and a called department's 报到). Everything else a
 * desk may do (改派 of a case someone has, 上报升级, 挂账, 评价) is how it chases or follows up.
 */
export const NEXT_STEPS: Readonly<Record<CaseStatus, readonly RuledCommand[]>> = {
  reported: ['register', 'reject'],
  registered: ['dispatch', 'whistle', 'checkIn'],
  rejected: [],
  dispatched: ['accept', 'checkIn'],
  accepted: ['start', 'checkIn'],
  handling: ['feedback', 'checkIn'],
  handled: ['verify'],
  verified: ['close'],
  closed: [],
  evaluated: [],
  merged: [],
};

/** Whether a case waits for a desk that may run `allowed` on it now (a parked case waits for nobody). */
export function waitsFor(
  state: Pick<CaseState, 'status' | 'parkedAt'>,
  allowed: readonly RuledCommand[],
): boolean {
  if (state.parkedAt !== null) return false;
  const next = NEXT_STEPS[state.status];
  return allowed.some((c) => next.includes(c));
}

/** Statuses in which a case can wait for a holder of these posts (a coarse filter for a query). */
export function waitingStatuses(posts: readonly CasePost[]): CaseStatus[] {
  const mine = new Set(commandsOfPosts(posts));
  return CASE_STATUSES.filter((s) => NEXT_STEPS[s].some((c) => mine.has(c)));
}

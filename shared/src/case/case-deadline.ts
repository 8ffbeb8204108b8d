import type { Category, StepLimits } from '../category/categories.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import {
  addWorkingTime,
  CONTINUOUS_CALENDAR,
  workingTimeBetween,
  type WorkCalendar,
} from '../time/work-calendar.ts';
import type { CaseCommand, CaseEvent, CaseState } from './case-machine.ts';
import { recordedTerms } from './case-event.schema.ts';

// Deadlines of the current step, in working time on the jurisdiction's calendar, from the
// category's per-step limits (categories.ts). Decided here:
// - Steps: register (上报→立案), dispatch (立案→派遣), handle (派遣→反馈, the clock starts at
//   dispatch), verify (反馈→核查), close (核查→结案). Evaluation has no clock.
// - A step restarts when the case re-enters it: rework (返工) restarts handle, escalation and a
//   return to the dispatcher restart dispatch, a return to intake restarts register. Re-dispatch
//   to another worker does not: the handle clock keeps running.
// - Parked time (挂账) does not count: while parked there is no deadline; on unpark the rest of
//   the limit counts from the unpark. A step already overdue when parked stays overdue.
// - So a step's deadline never moves backwards: parking only ever pushes it later, and a
//   restarted step starts later than the one it replaces.

export const CASE_STEPS = ['register', 'dispatch', 'handle', 'verify', 'close'] as const;
export type CaseStep = (typeof CASE_STEPS)[number];

/** The clock of a case: the step it is in, when that step started, and its deadline (null while parked or when no clock runs). */
export interface CaseClock {
  step: CaseStep | null;
  stepStartedAt: number | null;
  deadlineAt: number | null;
  parked: boolean;
  /** Working time consumed by the step before the last park. */
  consumedMs: number;
}

const HOUR = 3_600_000;

/** The calendar a case's clock runs on: red urgency around the clock, the others on the jurisdiction's working calendar. */
export function calendarForCategory(
  category: Pick<Category, 'urgency'>,
  jurisdiction: WorkCalendar,
): WorkCalendar {
  return category.urgency === 'red' ? CONTINUOUS_CALENDAR : jurisdiction;
}

/**
 * Rebuilds the clock of a case from its timeline (oldest first). The step limits recorded on the
 * report win over `limits` (the table's, for timelines from before they were recorded), so an
 * edit of the category table never moves an existing case's deadlines.
 */
export function caseClock(
  events: readonly CaseEvent[],
  tableLimits: StepLimits,
  calendar: WorkCalendar,
): CaseClock {
  const limits = recordedTerms(events)?.limits ?? tableLimits;
  let clock: CaseClock = { step: null, stepStartedAt: null, deadlineAt: null, parked: false, consumedMs: 0 };
  let activeSince: number | null = null;
  const start = (step: CaseStep, at: number): void => {
    clock = {
      step,
      stepStartedAt: at,
      deadlineAt: addWorkingTime(calendar, at, Math.round(limits[step] * HOUR)),
      parked: false,
      consumedMs: 0,
    };
    activeSince = at;
  };
  const stop = (): void => {
    clock = { step: null, stepStartedAt: null, deadlineAt: null, parked: false, consumedMs: 0 };
    activeSince = null;
  };
  for (const e of events) {
    switch (e.type) {
      case 'case.reported':
        start('register', e.at);
        break;
      case 'case.selfHandled':
        start('verify', e.at);
        break;
      case 'case.registered':
        start('dispatch', e.at);
        break;
      case 'case.dispatched':
        if (clock.step !== 'handle') start('handle', e.at);
        break;
      case 'case.handled':
        start('verify', e.at);
        break;
      case 'case.verified':
        start('close', e.at);
        break;
      case 'case.reworked':
        start('handle', e.at);
        break;
      case 'case.returned':
        start(e.to === 'intake' ? 'register' : 'dispatch', e.at);
        break;
      case 'case.escalated':
        start('dispatch', e.at);
        break;
      case 'case.rejected':
      case 'case.closed':
      case 'case.evaluated':
      case 'case.merged':
        stop();
        break;
      case 'case.parked': {
        if (clock.step === null || activeSince === null) break;
        const overdue = clock.deadlineAt !== null && clock.deadlineAt <= e.at;
        const consumedMs = clock.consumedMs + workingTimeBetween(calendar, activeSince, e.at);
        clock = { ...clock, parked: true, consumedMs, deadlineAt: overdue ? clock.deadlineAt : null };
        activeSince = null;
        break;
      }
      case 'case.unparked': {
        if (clock.step === null || !clock.parked) break;
        activeSince = e.at;
        const rest = Math.round(limits[clock.step] * HOUR) - clock.consumedMs;
        clock = {
          ...clock,
          parked: false,
          deadlineAt: clock.deadlineAt ?? addWorkingTime(calendar, e.at, rest),
        };
        break;
      }
      case 'case.accepted':
      case 'case.started':
      case 'case.whistled':
      case 'case.departmentReported':
      case 'case.duplicateAttached':
        break;
      default: {
        const never: never = e;
        return never;
      }
    }
  }
  return clock;
}

/** True when the step's deadline has passed (超期). */
export function isOverdue(clock: CaseClock, now: number): boolean {
  return clock.deadlineAt !== null && now > clock.deadlineAt;
}

/** How overdue cases are followed up: the overdue alert (超期督办) at once, automatic escalation after a grace in working time. */
export interface OverduePolicy {
  /** Working time after the deadline before the case escalates by itself; null turns auto-escalation off. */
  escalateAfterMs: number | null;
}
export const DEFAULT_OVERDUE_POLICY: OverduePolicy = { escalateAfterMs: 2 * HOUR };

export interface OverdueCheck {
  overdue: boolean;
  /** The deadline that was missed, when overdue. */
  overdueSince: number | null;
  /** The command the server's timer should run now (escalate one level), or null. */
  escalate: CaseCommand | null;
}

/** Checks one case on the server's timer: is it overdue, and is it time to escalate it automatically? */
export function checkOverdue(
  state: CaseState,
  clock: CaseClock,
  now: number,
  calendar: WorkCalendar,
  policy: OverduePolicy = DEFAULT_OVERDUE_POLICY,
): OverdueCheck {
  if (!isOverdue(clock, now) || clock.deadlineAt === null)
    return { overdue: false, overdueSince: null, escalate: null };
  const overdueSince = clock.deadlineAt;
  const escalatable =
    state.parkedAt === null &&
    state.level !== 'city' &&
    (clock.step === 'dispatch' || clock.step === 'handle');
  const due =
    policy.escalateAfterMs !== null && now >= addWorkingTime(calendar, overdueSince, policy.escalateAfterMs);
  return {
    overdue: true,
    overdueSince,
    escalate:
      escalatable && due
        ? {
            type: 'escalate',
            reason: zhCN['case.autoEscalateReason'],
            auto: true,
            expectedVersion: state.version,
          }
        : null,
  };
}

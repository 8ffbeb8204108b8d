import { findCategory, type StepLimits } from '../category/categories.ts';
import { DEFAULT_CALENDAR, type WorkCalendar } from '../time/work-calendar.ts';
import { calendarForCategory, caseClock } from './case-deadline.ts';
import type { CaseEvent } from './case-event.schema.ts';

// Assessment indicators (考核指标) by the standard's formulas, over case timelines and a time
// range [from, to), per group (grid, community, street, district, department, worker: the
// caller's key function). Decided here:
// - The cohort is the cases registered (立案, or reported already handled: 微事自办) in the range;
//   only events before `to` count. Merged duplicates are left out (they follow their primary).
// - 应结案数 (due) = the cohort less voided registrations; 缓办 (deferred) = due cases parked (挂账)
//   at `to`. 结案率 = closed / (due − deferred).
// - 按期结案率 = closed on time / cases whose term has been judged: the closed ones and the open,
//   unparked ones already late (a feedback came after its handling deadline, or the running
//   handling deadline passed before the end of the range, or before `now` for a range that runs
//   on). On time means every feedback (反馈) came before the handling deadline then in force. A
//   case whose deadline has not come is not late, so today's open cases do not pull the rate down.
// - 现场处置率 = cases whose last feedback was on the spot / cases with feedback.
// - 网格内解决率 = closed cases never escalated nor whistled and handled by a grid worker / closed.
// - 返工率 = cases with a failed verification / cases verified at least once.
// - 准确立案率 = (registered − voided) / registered; voided = registered, later rejected.
// - Mean time per step, in ms of elapsed time, over the step completions in the cohort.

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator / denominator, null when the denominator is 0. */
  rate: number | null;
}

export const TIMED_STEPS = ['register', 'dispatch', 'accept', 'handle', 'verify', 'close'] as const;
export type TimedStep = (typeof TIMED_STEPS)[number];

export interface Indicators {
  registered: number;
  due: number;
  deferred: number;
  closed: number;
  closedOnTime: number;
  /** Open, unparked cases already past their handling deadline (超期未结): late whenever they close. */
  overdueOpen: number;
  closureRate: Ratio;
  onTimeClosureRate: Ratio;
  onSiteRate: Ratio;
  inGridRate: Ratio;
  reworkRate: Ratio;
  accurateRegistrationRate: Ratio;
  /** Mean elapsed ms per step and how many completions it averages; null mean when none. */
  meanStepMs: Record<TimedStep, { mean: number | null; count: number }>;
}

export interface IndicatorOptions {
  from: number;
  to: number;
  /** The present: a range that runs past it judges open cases' deadlines at `now` (default: `to`). */
  now?: number;
  /** The group a case counts in (null: only in the total). */
  groupOf?: (timeline: readonly CaseEvent[]) => string | null;
  limitsOf?: (category: string) => StepLimits | undefined;
  calendarOf?: (timeline: readonly CaseEvent[]) => WorkCalendar;
}

const ratio = (numerator: number, denominator: number): Ratio => ({
  numerator,
  denominator,
  rate: denominator > 0 ? numerator / denominator : null,
});

/** Where a step starts (any of `from`) and ends (`to`): the duration runs from the latest start. */
const STEP_EDGES: Readonly<
  Record<TimedStep, { from: readonly CaseEvent['type'][]; to: readonly CaseEvent['type'][] }>
> = {
  register: { from: ['case.reported'], to: ['case.registered', 'case.rejected'] },
  dispatch: { from: ['case.registered', 'case.escalated'], to: ['case.dispatched'] },
  accept: { from: ['case.dispatched', 'case.reworked'], to: ['case.accepted'] },
  handle: { from: ['case.accepted'], to: ['case.handled'] },
  verify: { from: ['case.handled', 'case.selfHandled'], to: ['case.verified', 'case.reworked'] },
  close: { from: ['case.verified'], to: ['case.closed'] },
};

/**
 * The facts of one case the indicators need, from its timeline up to `to`. They depend on the
 * events only, never on `to` itself: facts taken from a whole timeline equal those taken up to
 * any `to` after its last event (what lets the server keep them per case as cases are written).
 */
export interface CaseFacts {
  registeredAt: number | null;
  /** The last event counted (null for an empty timeline). */
  lastEventAt: number | null;
  voided: boolean;
  merged: boolean;
  parkedAtEnd: boolean;
  closed: boolean;
  closedOnTime: boolean;
  /** When the case closed (结案), and whether it closed with the primary it was merged into (not a closure of its own). */
  closedAt: number | null;
  closedWithPrimary: boolean;
  handled: boolean;
  onSite: boolean;
  inGrid: boolean;
  verifiedOnce: boolean;
  reworked: boolean;
  /** A feedback came after the handling deadline then in force. */
  handledLate: boolean;
  /** The deadline of the handling step running at the end (null when none runs or the case is parked in time). */
  handleDeadlineAt: number | null;
  /** The worker (as a string id) and department of the last feedback: the groups 'worker' and 'department'. */
  worker: string | null;
  department: string | null;
  stepMs: { step: TimedStep; ms: number }[];
}

/** Extracts the facts of one case (events before `to` only). */
export function caseFacts(
  timeline: readonly CaseEvent[],
  to: number,
  limits: StepLimits | undefined,
  calendar: WorkCalendar,
): CaseFacts {
  const events = timeline.filter((e) => e.at < to);
  const f: CaseFacts = {
    registeredAt: null,
    lastEventAt: events.length ? events[events.length - 1]!.at : null,
    voided: false,
    merged: false,
    parkedAtEnd: false,
    closed: false,
    closedOnTime: false,
    closedAt: null,
    closedWithPrimary: false,
    handled: false,
    onSite: false,
    inGrid: true,
    verifiedOnce: false,
    reworked: false,
    handledLate: false,
    handleDeadlineAt: null,
    worker: GROUP_BY.worker(events),
    department: GROUP_BY.department(events),
    stepMs: [],
  };
  // On time (按期) only if every feedback came before the handling deadline then in force.
  let allHandledOnTime = true;
  let lastHandlerWorker = false;
  const started = new Map<TimedStep, number>();
  events.forEach((e, k) => {
    for (const step of TIMED_STEPS) {
      const edge = STEP_EDGES[step];
      if (edge.to.includes(e.type) && started.has(step)) {
        f.stepMs.push({ step, ms: e.at - started.get(step)! });
        started.delete(step);
      }
      if (edge.from.includes(e.type)) started.set(step, e.at);
    }
    switch (e.type) {
      case 'case.selfHandled':
        f.registeredAt ??= e.at;
        f.handled = true;
        f.onSite = true;
        lastHandlerWorker = true;
        break;
      case 'case.registered':
        f.registeredAt ??= e.at;
        break;
      case 'case.rejected':
        if (f.registeredAt !== null) f.voided = true;
        break;
      case 'case.handled': {
        f.handled = true;
        f.onSite = e.onSite;
        lastHandlerWorker = e.workerId !== null;
        const clock = limits ? caseClock(events.slice(0, k), limits, calendar) : null;
        if (clock !== null && clock.deadlineAt !== null && e.at > clock.deadlineAt) allHandledOnTime = false;
        break;
      }
      case 'case.verified':
        f.verifiedOnce = true;
        break;
      case 'case.reworked':
        f.verifiedOnce = true;
        f.reworked = true;
        break;
      case 'case.escalated':
      case 'case.whistled':
        f.inGrid = false;
        break;
      case 'case.parked':
        f.parkedAtEnd = true;
        break;
      case 'case.unparked':
        f.parkedAtEnd = false;
        break;
      case 'case.merged':
        f.merged = true;
        break;
      case 'case.closed':
        f.closed = true;
        f.closedOnTime = allHandledOnTime;
        f.closedAt = e.at;
        f.closedWithPrimary = e.withPrimary !== null;
        break;
      default:
        break;
    }
  });
  f.inGrid = f.inGrid && lastHandlerWorker;
  f.handledLate = !allHandledOnTime;
  if (limits && !f.closed) {
    const clock = caseClock(events, limits, calendar);
    if (clock.step === 'handle') f.handleDeadlineAt = clock.deadlineAt;
  }
  return f;
}

/** Raw counts of a group, additive: what the rates are made of (the server sums them in SQL too). */
export interface IndicatorCounts {
  registered: number;
  voided: number;
  deferred: number;
  closed: number;
  closedOnTime: number;
  overdueOpen: number;
  handled: number;
  onSite: number;
  inGrid: number;
  verified: number;
  reworked: number;
  steps: Record<TimedStep, { sum: number; count: number }>;
}

/** Counts of no case. */
export function emptyCounts(): IndicatorCounts {
  return {
    registered: 0,
    voided: 0,
    deferred: 0,
    closed: 0,
    closedOnTime: 0,
    overdueOpen: 0,
    handled: 0,
    onSite: 0,
    inGrid: 0,
    verified: 0,
    reworked: 0,
    steps: Object.fromEntries(TIMED_STEPS.map((s) => [s, { sum: 0, count: 0 }])) as IndicatorCounts['steps'],
  };
}

/** True when an open case of the cohort is already late at `asOf` (see 按期结案率 above). */
export function isOverdueOpen(f: CaseFacts, asOf: number): boolean {
  return (
    !f.voided &&
    !f.closed &&
    !f.parkedAtEnd &&
    (f.handledLate || (f.handleDeadlineAt !== null && f.handleDeadlineAt < asOf))
  );
}

/** Counts one cohort case, its open deadline judged at `asOf`. */
export function countFacts(acc: IndicatorCounts, f: CaseFacts, asOf: number): void {
  acc.registered++;
  if (f.voided) {
    acc.voided++;
    return;
  }
  if (f.parkedAtEnd && !f.closed) acc.deferred++;
  if (f.closed) acc.closed++;
  if (f.closed && f.closedOnTime) acc.closedOnTime++;
  if (isOverdueOpen(f, asOf)) acc.overdueOpen++;
  if (f.handled) acc.handled++;
  if (f.handled && f.onSite) acc.onSite++;
  if (f.closed && f.inGrid) acc.inGrid++;
  if (f.verifiedOnce) acc.verified++;
  if (f.reworked) acc.reworked++;
  for (const { step, ms } of f.stepMs) {
    acc.steps[step].sum += ms;
    acc.steps[step].count++;
  }
}

/** The plain counts of IndicatorCounts (all but the step sums). */
export const INDICATOR_COUNT_KEYS = [
  'registered',
  'voided',
  'deferred',
  'closed',
  'closedOnTime',
  'overdueOpen',
  'handled',
  'onSite',
  'inGrid',
  'verified',
  'reworked',
] as const satisfies readonly Exclude<keyof IndicatorCounts, 'steps'>[];

/** Adds the counts `b` into `a`. */
export function mergeCounts(a: IndicatorCounts, b: IndicatorCounts): void {
  for (const k of INDICATOR_COUNT_KEYS) a[k] += b[k];
  for (const s of TIMED_STEPS) {
    a.steps[s].sum += b.steps[s].sum;
    a.steps[s].count += b.steps[s].count;
  }
}

/** The indicators of a group's counts. */
export function indicatorsOf(acc: IndicatorCounts): Indicators {
  const due = acc.registered - acc.voided;
  const base = due - acc.deferred;
  const meanStepMs = Object.fromEntries(
    TIMED_STEPS.map((s) => {
      const v = acc.steps[s];
      return [s, { mean: v.count ? v.sum / v.count : null, count: v.count }];
    }),
  ) as Indicators['meanStepMs'];
  return {
    registered: acc.registered,
    due,
    deferred: acc.deferred,
    closed: acc.closed,
    closedOnTime: acc.closedOnTime,
    overdueOpen: acc.overdueOpen,
    closureRate: ratio(acc.closed, base),
    onTimeClosureRate: ratio(acc.closedOnTime, acc.closed + acc.overdueOpen),
    onSiteRate: ratio(acc.onSite, acc.handled),
    inGridRate: ratio(acc.inGrid, acc.closed),
    reworkRate: ratio(acc.reworked, acc.verified),
    accurateRegistrationRate: ratio(acc.registered - acc.voided, acc.registered),
    meanStepMs,
  };
}

/** The facts of a case if it belongs to the range's cohort (registered in [from, to), not merged), else null. */
export function cohortFacts(
  t: readonly CaseEvent[],
  opts: Pick<IndicatorOptions, 'from' | 'to' | 'limitsOf' | 'calendarOf'>,
  limitsOf: (category: string) => StepLimits | undefined = opts.limitsOf ??
    ((c: string) => findCategory(c)?.limits),
): CaseFacts | null {
  const first = t[0];
  if (!first || (first.type !== 'case.reported' && first.type !== 'case.selfHandled')) return null;
  const category = findCategory(first.category);
  const calendar =
    opts.calendarOf?.(t) ?? (category ? calendarForCategory(category, DEFAULT_CALENDAR) : DEFAULT_CALENDAR);
  const f = caseFacts(t, opts.to, limitsOf(first.category), calendar);
  if (f.registeredAt === null || f.registeredAt < opts.from || f.registeredAt >= opts.to || f.merged)
    return null;
  return f;
}

/**
 * Indicators accumulated one timeline at a time, so a caller can stream a long range in batches
 * (bounded memory) and still get exactly what `computeIndicators` gives over the whole set.
 */
export class IndicatorAccumulator {
  private readonly total = emptyCounts();
  private readonly groups = new Map<string, IndicatorCounts>();
  private readonly limitsOf: (category: string) => StepLimits | undefined;
  /** When open cases' deadlines are judged: the end of the range, or now if the range runs on. */
  readonly asOf: number;

  constructor(private readonly opts: IndicatorOptions) {
    this.limitsOf = opts.limitsOf ?? ((c: string) => findCategory(c)?.limits);
    this.asOf = Math.min(opts.to, opts.now ?? opts.to);
  }

  /** Counts one case (timeline oldest first) if it was registered in the range and not merged. */
  add(t: readonly CaseEvent[]): void {
    const f = cohortFacts(t, this.opts, this.limitsOf);
    if (f) this.addFacts(f, this.opts.groupOf?.(t) ?? null);
  }

  private group(key: string): IndicatorCounts {
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = emptyCounts()));
    return g;
  }

  /** Counts the facts of a cohort case (from `cohortFacts`) in the total and in group `key`. */
  addFacts(f: CaseFacts, key: string | null): void {
    countFacts(this.total, f, this.asOf);
    if (key !== null) countFacts(this.group(key), f, this.asOf);
  }

  /** Adds counts made elsewhere (judged at the same `asOf`) to the total and to group `key`. */
  addCounts(c: IndicatorCounts, key: string | null): void {
    mergeCounts(this.total, c);
    if (key !== null) mergeCounts(this.group(key), c);
  }

  result(): { total: Indicators; groups: Map<string, Indicators> } {
    return {
      total: indicatorsOf(this.total),
      groups: new Map([...this.groups].map(([k, a]) => [k, indicatorsOf(a)])),
    };
  }
}

/** Computes the indicators over timelines (each oldest first) for a range, in total and per group. */
export function computeIndicators(
  timelines: readonly (readonly CaseEvent[])[],
  opts: IndicatorOptions,
): { total: Indicators; groups: Map<string, Indicators> } {
  const acc = new IndicatorAccumulator(opts);
  for (const t of timelines) acc.add(t);
  return acc.result();
}

/** The breakdowns an indicator report offers: by area (grid up to district), by department, by worker. */
export const INDICATOR_GROUPS = ['grid', 'community', 'street', 'district', 'department', 'worker'] as const;
export type IndicatorGroupBy = (typeof INDICATOR_GROUPS)[number];

/** The rates of the standard, in the order reports print them. */
export const INDICATOR_RATE_KEYS = [
  'closureRate',
  'onTimeClosureRate',
  'onSiteRate',
  'inGridRate',
  'reworkRate',
  'accurateRegistrationRate',
] as const;
export type IndicatorRateKey = (typeof INDICATOR_RATE_KEYS)[number];

/** Columns an indicator table is ordered by: counts and the rates of the standard. */
export const INDICATOR_SORT_KEYS = ['registered', 'closed', ...INDICATOR_RATE_KEYS] as const;
export type IndicatorSortKey = (typeof INDICATOR_SORT_KEYS)[number];

/** The value a row is ordered by: a count, or a rate (null without a denominator). */
export function indicatorSortValue(i: Indicators, key: IndicatorSortKey): number | null {
  return key === 'registered' || key === 'closed' ? i[key] : i[key].rate;
}

/** Names in the order of a Chinese index (one collator: `localeCompare` with a locale builds one per call). */
const NAMES = new Intl.Collator('zh-CN');

/**
 * Orders group rows in place by a column (rates without a denominator last), then by case volume,
 * name and key: a total order, so two rows alike (a grid and the reshaped grid of the same name
 * after a publish) come in the same order whatever order they were counted in.
 */
export function sortIndicatorRows<T extends { key: string; name: string; indicators: Indicators }>(
  rows: T[],
  key: IndicatorSortKey,
  order: 'asc' | 'desc',
): T[] {
  const sign = order === 'asc' ? 1 : -1;
  const byName = (a: T, b: T) =>
    NAMES.compare(a.name, b.name) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return rows.sort((a, b) => {
    const x = indicatorSortValue(a.indicators, key);
    const y = indicatorSortValue(b.indicators, key);
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return x !== y ? sign * (x - y) : b.indicators.registered - a.indicators.registered || byName(a, b);
  });
}

/** Group keys for the usual breakdowns; units above the grid go through the caller's grid → unit map. */
export const GROUP_BY = {
  grid: (t: readonly CaseEvent[]): string | null => {
    const first = t[0];
    return first && 'gridId' in first ? String(first.gridId) : null;
  },
  unit:
    (unitOfGrid: (gridId: number) => number | null) =>
    (t: readonly CaseEvent[]): string | null => {
      const g = GROUP_BY.grid(t);
      const u = g === null ? null : unitOfGrid(Number(g));
      return u === null ? null : String(u);
    },
  /** The worker who gave the last feedback (反馈). */
  worker: (t: readonly CaseEvent[]): string | null => {
    for (let k = t.length - 1; k >= 0; k--) {
      const e = t[k]!;
      if (e.type === 'case.handled') return e.workerId === null ? null : String(e.workerId);
      if (e.type === 'case.selfHandled') return String(e.workerId);
    }
    return null;
  },
  /** The department that gave the last feedback. */
  department: (t: readonly CaseEvent[]): string | null => {
    for (let k = t.length - 1; k >= 0; k--) {
      const e = t[k]!;
      if (e.type === 'case.handled') return e.department;
    }
    return null;
  },
};

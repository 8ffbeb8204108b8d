import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import {
  caseFacts,
  localDay,
  parseStoredCaseEvent,
  TIMED_STEPS,
  type CaseEvent,
  type CaseFacts,
  type CaseId,
  type GridId,
  type StepLimits,
  type WorkCalendar,
} from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { caseFacts as caseFactsTable, cases, events } from '../db/schema.ts';
import type { Tx } from '../live/event-log.ts';
import { calendarOfCase, FALLBACK_LIMITS, type CaseTermsSource } from '../deadlines/deadline-directory.ts';
import { STORED_EVENT_COLUMNS } from '../cases/case-row.ts';
import type { Logger } from '../log.ts';

// The per-case facts table (case_facts) behind the indicators: what a case contributes to every
// indicator, taken from its whole timeline in the transaction that appends to it. Facts depend on
// the events only (case-indicators.ts), so the row of a case whose last event came before a
// range's end is exactly what replaying its timeline up to that end would give; the indicator
// service sums those rows in SQL and replays only the cases that moved on after the end. Every
// path that appends to a timeline (CaseCommands.report and persist) writes the row in its
// transaction, and a publish re-keys `grid_id` with the case (re-key.ts), so after the backfill
// at start the table never lags the record.

/** The step limits and calendar a timeline is judged on, as the deadline clock does. */
export interface FactTerms {
  limitsOf: (category: string) => StepLimits;
  calendarOf: (timeline: readonly CaseEvent[]) => WorkCalendar;
}

/** The terms of the directory: recorded terms win (caseClock), else the table and the grid's calendar now. */
export function factTerms(terms: CaseTermsSource): FactTerms {
  return {
    limitsOf: (category) => terms.categoryOf(category)?.limits ?? FALLBACK_LIMITS,
    calendarOf: (t) => {
      const first = t[0];
      return first && 'category' in first
        ? calendarOfCase(terms, first.category, first.gridId, t)
        : calendarOfCase(terms, '', null, t);
    },
  };
}

/** The facts of a whole timeline (oldest first) and the calendar they were judged on, or null when it does not open with a report. */
export function factsOfTimeline(
  t: readonly CaseEvent[],
  terms: FactTerms,
): (CaseFacts & { calendarId: string }) | null {
  const first = t[0];
  if (!first || (first.type !== 'case.reported' && first.type !== 'case.selfHandled')) return null;
  const calendar = terms.calendarOf(t);
  const f = caseFacts(t, Number.POSITIVE_INFINITY, terms.limitsOf(first.category), calendar);
  // Timelines are in append order; the latest instant is what a range's end is compared with.
  let last = f.lastEventAt ?? first.at;
  for (const e of t) if (e.at > last) last = e.at;
  return { ...f, lastEventAt: last, calendarId: calendar.id };
}

export type FactsRow = typeof caseFactsTable.$inferInsert;

/** The facts row of a case at `version` from its whole timeline, or null when the timeline does not open with a report. */
export function factsRowOf(
  c: { id: CaseId; gridId: GridId; version: number },
  timeline: readonly CaseEvent[],
  terms: FactTerms,
): FactsRow | null {
  const f = factsOfTimeline(timeline, terms);
  return f ? toRow(c.id, c.gridId, c.version, f) : null;
}

function toRow(
  caseId: CaseId,
  gridId: GridId,
  version: number,
  f: CaseFacts & { calendarId: string },
): FactsRow {
  const stepMs = TIMED_STEPS.map(() => 0);
  const stepCount = TIMED_STEPS.map(() => 0);
  for (const { step, ms } of f.stepMs) {
    const k = TIMED_STEPS.indexOf(step);
    stepMs[k]! += ms;
    stepCount[k]!++;
  }
  return {
    caseId,
    gridId,
    version,
    registeredAt: f.registeredAt,
    registeredDay: f.registeredAt === null ? null : localDay(f.registeredAt),
    lastEventAt: f.lastEventAt ?? 0,
    voided: f.voided,
    merged: f.merged,
    parkedAtEnd: f.parkedAtEnd,
    closed: f.closed,
    closedOnTime: f.closedOnTime,
    closedAt: f.closedAt,
    closedWithPrimary: f.closedWithPrimary,
    handled: f.handled,
    onSite: f.onSite,
    inGrid: f.inGrid,
    verifiedOnce: f.verifiedOnce,
    reworked: f.reworked,
    handledLate: f.handledLate,
    handleDeadlineAt: f.handleDeadlineAt,
    worker: f.worker,
    department: f.department,
    stepMs,
    stepCount,
    calendarId: f.calendarId,
  };
}

const UPSERT_SET = {
  gridId: sql`excluded.grid_id`,
  version: sql`excluded.version`,
  registeredAt: sql`excluded.registered_at`,
  registeredDay: sql`excluded.registered_day`,
  lastEventAt: sql`excluded.last_event_at`,
  voided: sql`excluded.voided`,
  merged: sql`excluded.merged`,
  parkedAtEnd: sql`excluded.parked_at_end`,
  closed: sql`excluded.closed`,
  closedOnTime: sql`excluded.closed_on_time`,
  closedAt: sql`excluded.closed_at`,
  closedWithPrimary: sql`excluded.closed_with_primary`,
  handled: sql`excluded.handled`,
  onSite: sql`excluded.on_site`,
  inGrid: sql`excluded.in_grid`,
  verifiedOnce: sql`excluded.verified_once`,
  reworked: sql`excluded.reworked`,
  handledLate: sql`excluded.handled_late`,
  handleDeadlineAt: sql`excluded.handle_deadline_at`,
  worker: sql`excluded.worker`,
  department: sql`excluded.department`,
  stepMs: sql`excluded.step_ms`,
  stepCount: sql`excluded.step_count`,
  calendarId: sql`excluded.calendar_id`,
};

/** Inserts or replaces facts rows (one statement: callers keep a batch within the parameter limit). */
export async function upsertCaseFacts(tx: Tx | Db, rows: FactsRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(caseFactsTable).values(rows).onConflictDoUpdate({
    target: caseFactsTable.caseId,
    set: UPSERT_SET,
  });
}

/** Writes the facts of a case at `version` inside the transaction that brought it there. */
export async function writeCaseFacts(
  tx: Tx,
  c: { id: CaseId; gridId: GridId; version: number },
  timeline: readonly CaseEvent[],
  terms: FactTerms,
): Promise<void> {
  const row = factsRowOf(c, timeline, terms);
  if (row) await upsertCaseFacts(tx, [row]);
  // A timeline that does not parse or replay keeps no row: the indicators leave it out, as before.
  else await tx.delete(caseFactsTable).where(eq(caseFactsTable.caseId, c.id));
}

/** Timelines of cases in batches of `ids` (oldest event first), null for one that does not parse. */
export async function readTimelines(
  db: Db | Tx,
  ids: readonly CaseId[],
  before = Number.POSITIVE_INFINITY,
): Promise<Map<CaseId, CaseEvent[] | null>> {
  const out = new Map<CaseId, CaseEvent[] | null>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ caseId: events.caseId, ...STORED_EVENT_COLUMNS })
    .from(events)
    .where(
      and(
        inArray(events.caseId, [...ids]),
        eq(events.kind, 'case'),
        Number.isFinite(before) ? sql`${events.at} < ${before}` : undefined,
      ),
    )
    .orderBy(asc(events.caseId), asc(events.seq));
  for (const r of rows) {
    const id = r.caseId!;
    const t = out.get(id);
    if (t === null) continue;
    const p = parseStoredCaseEvent(id, r);
    if (!p.success) out.set(id, null);
    else if (t) t.push(p.data);
    else out.set(id, [p.data]);
  }
  return out;
}

const BACKFILL_BATCH = 2_000;

/** Writes the facts of `ids` anew from their timelines, their case rows locked against a concurrent command; returns the versions written. */
async function rewrite(tx: Tx, ids: readonly CaseId[], terms: FactTerms): Promise<Map<CaseId, number>> {
  const written = new Map<CaseId, number>();
  const locked = await tx
    .select({ id: cases.id, gridId: cases.gridId, version: cases.version })
    .from(cases)
    .where(inArray(cases.id, [...ids]))
    .for('update');
  const timelines = await readTimelines(tx, ids);
  const rows: FactsRow[] = [];
  for (const c of locked) {
    const t = timelines.get(c.id);
    const row = t ? factsRowOf(c, t, terms) : null;
    if (row) rows.push(row);
    written.set(c.id, c.version);
  }
  for (let j = 0; j < rows.length; j += 500) await upsertCaseFacts(tx, rows.slice(j, j + 500));
  return written;
}

/** At most this many cases are re-judged inside a calendar edit's transaction (a holiday touches the open ones and a few weeks'). */
export const REJUDGE_IN_EDIT = 5_000;

/** Facts rows whose 按期 may change with a calendar's working time over [from, to) (see rejudgeCaseFacts). */
async function judgedOver(
  db: Db | Tx,
  calendarId: string,
  window: { from: number; to: number },
): Promise<{ id: CaseId; version: number }[]> {
  const f = caseFactsTable;
  return db
    .select({ id: f.caseId, version: f.version })
    .from(f)
    .where(
      and(
        eq(f.calendarId, calendarId),
        // A case's deadlines count working time from its registration on (the handling step starts
        // at a dispatch after it) up to its last feedback, or to its running deadline: working time
        // outside that span moves neither.
        Number.isFinite(window.to) ? lt(f.registeredAt, window.to) : isNotNull(f.registeredAt),
        Number.isFinite(window.from)
          ? or(gte(f.lastEventAt, window.from), gte(f.handleDeadlineAt, window.from))
          : undefined,
      ),
    )
    .orderBy(asc(f.caseId));
}

/**
 * Re-judges the facts of the cases judged on calendar `calendarId` whose deadlines counted working
 * time over `window` (the span an edit of the calendar changed: `changedWorkingTime`), in the
 * edit's transaction: 按期 (every feedback before the handling deadline then in force) and the
 * running handling deadline count working days. `terms` give the calendar's new body. Returns
 * the versions written, for `settleRejudged` (none when more than REJUDGE_IN_EDIT are touched:
 * all of them are then re-judged there).
 */
export async function rejudgeCaseFacts(
  tx: Tx,
  calendarId: string,
  window: { from: number; to: number },
  terms: FactTerms,
): Promise<Map<CaseId, number>> {
  const touched = await judgedOver(tx, calendarId, window);
  const written = new Map<CaseId, number>();
  // Other working hours or weekdays move every case on the calendar: re-judged after the edit in
  // batches of their own (settleRejudged) rather than holding every case row locked in it.
  if (touched.length > REJUDGE_IN_EDIT) return written;
  for (let k = 0; k < touched.length; k += BACKFILL_BATCH) {
    const ids = touched.slice(k, k + BACKFILL_BATCH).map((r) => r.id);
    for (const [id, v] of await rewrite(tx, ids, terms)) written.set(id, v);
  }
  return written;
}

/**
 * After the edit's terms are in force here: re-judges the cases of the window that the edit did
 * not write or that a command wrote meanwhile on the calendar's old body (a command waiting on the
 * edit's row locks, a case reported before the reload), each batch in its own transaction.
 * Returns how many it wrote.
 */
export async function settleRejudged(
  db: Db,
  calendarId: string,
  window: { from: number; to: number },
  written: ReadonlyMap<CaseId, number>,
  terms: FactTerms,
): Promise<number> {
  const moved = (await judgedOver(db, calendarId, window))
    .filter((r) => written.get(r.id) !== r.version)
    .map((r) => r.id);
  for (let k = 0; k < moved.length; k += BACKFILL_BATCH) {
    const ids = moved.slice(k, k + BACKFILL_BATCH);
    await db.transaction((tx) => rewrite(tx, ids, terms));
  }
  return moved.length;
}

/**
 * Writes the facts of every case that has none or whose row lags its case (a database from before
 * case_facts, or a seed): in batches, each in its own transaction, the case row locked against a
 * concurrent command. Returns how many cases it wrote; idempotent, safe on several processes.
 */
export async function backfillCaseFacts(
  db: Db,
  terms: FactTerms,
  log?: Logger,
  signal?: AbortSignal,
): Promise<number> {
  const stale = await db
    .select({ id: cases.id })
    .from(cases)
    .leftJoin(caseFactsTable, eq(caseFactsTable.caseId, cases.id))
    .where(
      or(
        isNull(caseFactsTable.caseId),
        ne(caseFactsTable.version, cases.version),
        // Rows from before migration 0017: no calendar for an edit to find them by, no day to group by.
        isNull(caseFactsTable.calendarId),
      ),
    )
    .orderBy(asc(cases.id));
  if (stale.length === 0) return 0;
  const t0 = performance.now();
  let done = 0;
  for (let k = 0; k < stale.length; k += BACKFILL_BATCH) {
    if (signal?.aborted) return done;
    const ids = stale.slice(k, k + BACKFILL_BATCH).map((r) => r.id);
    await db.transaction((tx) => rewrite(tx, ids, terms));
    done += ids.length;
    if (done < stale.length && k % (BACKFILL_BATCH * 10) === 0)
      log?.info({ done, of: stale.length }, 'writing case facts for indicators');
  }
  // Planner statistics for the new rows: the embedded database runs no autovacuum, and a table
  // filled in bulk without them may be read by a plan made for an empty one.
  if (!signal?.aborted) await db.execute(sql`analyze case_facts`);
  log?.info({ cases: done, ms: Math.round(performance.now() - t0) }, 'case facts written for indicators');
  return done;
}

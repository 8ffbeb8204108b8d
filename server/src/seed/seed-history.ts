import { inArray, sql } from 'drizzle-orm';
import {
  caseClock,
  LEVEL_OF_TIER,
  isOpenStatus,
  localDay,
  localMidnight,
  nextLevel,
  parseStoredCaseEvent,
  replayCase,
  type CaseEvent,
  type CaseId,
  type CaseStatus,
  type CaseTier,
  type GridId,
  type ResponsibleLevel,
  type WorkerId,
} from '@gcc/shared';
import type { City, GeneratedCase } from '@gcc/data';
import { cases } from '../db/schema.ts';
import type { Tx } from '../live/event-log.ts';
import type { NewEvent } from '../live/event-log.ts';
import { caseCode } from '../cases/case-row.ts';
import { calendarOfCase, termsFor, type CaseTermsSource } from '../deadlines/deadline-directory.ts';
import { factsRowOf, upsertCaseFacts, type FactsRow, type FactTerms } from '../indicators/case-facts.ts';

// The generated case history as the record keeps it: every case with its id, its timeline and the
// sequence number of each event fixed up front (ids in report order, events in time order, as one
// seed in one go would number them), so the history can be written in any order and in pieces —
// the recent cases before the server listens, the older ones behind it — and still end as the
// same record. A piece is one transaction: a case's row, its timeline and its indicator facts go
// in together or not at all, and a piece already written (another process, a run before a crash)
// is recognised by its case ids and skipped.

/** A history case ready to be written: its row (level and deadline filled at write time) and numbered events. */
export interface PlannedCase {
  id: CaseId;
  gridId: GridId;
  generated: GeneratedCase;
  status: CaseStatus;
  tier: CaseTier;
  /** Events in timeline order, each with its fixed sequence number. */
  events: (NewEvent & { seq: number })[];
  /** The latest instant of its timeline: a period from after it on does not need the case. */
  lastEventAt: number;
}

export interface HistoryPlan {
  cases: PlannedCase[];
  /** Events of the whole history: the live sequence continues after them. */
  events: number;
}

/** The level a history case of `tier` is escalated to (上报升级): the next one up. */
const escalatedLevel = (tier: CaseTier): ResponsibleLevel =>
  nextLevel(LEVEL_OF_TIER[tier]) ?? LEVEL_OF_TIER[tier];

/** The history case's events, in the order the generator's times give, and the state they lead to. */
function historyEvents(
  c: GeneratedCase,
  id: CaseId,
  gridId: GridId,
  source: CaseTermsSource,
): { status: CaseStatus; tier: CaseTier; events: (NewEvent & { seq: number })[] } {
  const ev: (NewEvent & { seq: number })[] = [];
  // A literal of one shape, numbered later (planHistory): a spread of a shared base here cost a
  // quzhou first start seconds over its 770,000 events.
  const push = (
    at: number | null,
    type: string,
    payload: Record<string, unknown> = {},
    workerId: WorkerId | null = null,
  ) => {
    if (at !== null)
      ev.push({ kind: 'case', caseId: id, gridId, at: Math.round(at), type, payload, workerId, seq: 0 });
  };
  // The generator numbers its staff; the record keeps those numbers as worker ids.
  const assignee = c.assigneeId as WorkerId | null;
  const tier: CaseTier = c.onSite ? 'micro' : 'small';
  // 反馈 carries photo evidence; the history's photos are placeholders the web shows as such.
  const photo = (n: number) => [`seed/${id}-${n}.jpg`];
  // Seeded cases carry their terms as live ones do (the directory's, the default table in an empty database).
  push(
    c.reportedAt,
    'case.reported',
    {
      terms: termsFor(source, c.category, gridId),
      source: c.source,
      category: c.category,
      gridId,
      lng: c.lng,
      lat: c.lat,
      description: c.description,
    },
    c.source === 'patrol' ? assignee : null,
  );
  let status: CaseStatus = 'reported';
  if (c.rejectedAt !== null) {
    push(c.rejectedAt, 'case.rejected', { reason: '不属于受理范围' });
    status = 'rejected';
  }
  push(c.registeredAt, 'case.registered', { tier });
  if (c.registeredAt !== null) status = 'registered';
  if (c.voidedAt !== null) {
    // 作废立案: sent back to intake, then not accepted (counts against 准确立案率).
    push(c.voidedAt - 5 * 60_000, 'case.returned', { to: 'intake', reason: '非本辖区事项，退回受理' });
    push(c.voidedAt, 'case.rejected', { reason: '非本辖区事项' });
    status = 'rejected';
  }
  // 上报升级 to the street before dispatch (not resolved inside the grid).
  push(c.escalatedAt, 'case.escalated', {
    from: LEVEL_OF_TIER[tier],
    to: escalatedLevel(tier),
    reason: '需街道协调处置',
    auto: false,
  });
  if (c.dispatchedAt !== null && assignee !== null) {
    push(c.dispatchedAt, 'case.dispatched', { workerId: assignee });
    status = 'dispatched';
  }
  if (c.acceptedAt !== null) {
    push(c.acceptedAt, 'case.accepted', { workerId: assignee }, assignee);
    status = 'accepted';
  }
  if (c.handledAt !== null) {
    // A reworked case was handled twice: once before the failed verification, once after.
    if (c.reworked && c.verifiedAt !== null) {
      const first = c.acceptedAt! + (c.handledAt - c.acceptedAt!) / 3;
      push(first - 60_000, 'case.started', { workerId: assignee }, assignee);
      push(
        first,
        'case.handled',
        { workerId: assignee, onSite: false, note: '已处置', photos: photo(1) },
        assignee,
      );
      push(first + (c.handledAt - first) / 3, 'case.reworked', { note: '核查未通过，需返工' });
      push(first + (c.handledAt - first) / 2, 'case.accepted', { workerId: assignee }, assignee);
    }
    push(c.handledAt - 60_000, 'case.started', { workerId: assignee }, assignee);
    push(
      c.handledAt,
      'case.handled',
      {
        workerId: assignee,
        onSite: c.handledOnSite,
        note: c.handledOnSite ? '现场处置完毕' : '处置完毕',
        photos: photo(2),
      },
      assignee,
    );
    status = 'handled';
  }
  if (c.verifiedAt !== null) {
    push(c.verifiedAt, 'case.verified', { note: '核查通过' });
    status = 'verified';
  }
  if (c.closedAt !== null) {
    push(c.closedAt, 'case.closed');
    status = 'closed';
  }
  if (c.evaluatedAt !== null && c.rating !== null) {
    push(c.evaluatedAt, 'case.evaluated', { rating: c.rating, note: '' });
    status = 'evaluated';
  }
  // 挂账: the clock stops where the case was parked; the status stays.
  if (c.parkedAt !== null) push(c.parkedAt, 'case.parked', { reason: '等待条件具备后处置' });
  ev.sort((a, b) => a.at - b.at);
  return { status, tier, events: ev };
}

/**
 * Numbers the generated history: case ids 1…N in report order, event sequence numbers 1…E in time
 * order (ties in each case's timeline order) — what one seed inserting everything at once gives.
 */
export function planHistory(
  cityData: Pick<City, 'cases'>,
  gridIdOf: (code: string) => GridId,
  terms: CaseTermsSource,
): HistoryPlan {
  // Oldest first so ids and event seqs follow time.
  const history = [...cityData.cases].sort((a, b) => a.reportedAt - b.reportedAt);
  const planned: PlannedCase[] = [];
  const all: (NewEvent & { seq: number })[] = [];
  history.forEach((c, i) => {
    // History case ids are born here, in time order (the live sequence continues after them).
    const id = (i + 1) as CaseId;
    const gridId = gridIdOf(c.gridCode);
    const t = historyEvents(c, id, gridId, terms);
    const events = t.events;
    for (const e of events) all.push(e);
    planned.push({
      id,
      gridId,
      generated: c,
      status: t.status,
      tier: t.tier,
      events,
      lastEventAt: events[events.length - 1]!.at,
    });
  });
  // A stable sort: events of one instant keep the order they were pushed in.
  all.sort((a, b) => a.at - b.at);
  all.forEach((e, k) => (e.seq = k + 1));
  return { cases: planned, events: all.length };
}

/**
 * Splits a plan into what the desks need at once — every case still open, and every case with a
 * step since yesterday's local midnight (today's counts, yesterday's closures) — and the rest,
 * newest last step first: loaded in that order, each piece makes the periods after the next
 * case's last step complete.
 */
export function splitHistory(
  plan: HistoryPlan,
  now: number,
): { recent: PlannedCase[]; older: PlannedCase[] } {
  const since = localMidnight(localDay(now) - 1);
  const recent: PlannedCase[] = [];
  const older: PlannedCase[] = [];
  for (const p of plan.cases) (p.lastEventAt >= since || isOpenStatus(p.status) ? recent : older).push(p);
  older.sort((a, b) => b.lastEventAt - a.lastEventAt || b.id - a.id);
  return { recent, older };
}

/** The engine replays what the generator wrote; its clock gives the row its deadline, as a live case would have it. */
function settle(
  p: PlannedCase,
  terms: CaseTermsSource,
): { timeline: CaseEvent[]; level: ResponsibleLevel; deadlineAt: number | null } {
  const timeline = p.events.map((e) => {
    const parsed = parseStoredCaseEvent(p.id, {
      at: e.at,
      type: e.type,
      userId: null,
      workerId: e.workerId ?? null,
      payload: e.payload,
    });
    if (!parsed.success)
      throw new Error(`seeded case ${p.id}: ${e.type} does not parse: ${parsed.error.message}`);
    return parsed.data;
  });
  const state = replayCase(timeline);
  if (state.status !== p.status)
    throw new Error(`seeded case ${p.id} replays to ${state.status}, not ${p.status}`);
  const c = p.generated;
  const clock = caseClock(
    timeline,
    termsFor(terms, c.category, p.gridId).limits,
    calendarOfCase(terms, c.category, p.gridId, timeline),
  );
  return { timeline, level: state.level, deadlineAt: clock.deadlineAt };
}

/** Cases per insert statement (about 25 parameters a row, well inside PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 500;
/** Events per insert statement: each batch travels as one JSON parameter (binding per row is slow on PGlite). */
const EVENTS_PER_STATEMENT = 5_000;

/**
 * Writes planned cases inside `tx` — rows, timelines with their fixed sequence numbers, indicator
 * facts — leaving out any whose id is in the record already. Returns how many it wrote.
 */
export async function writeHistoryCases(
  tx: Tx,
  planned: readonly PlannedCase[],
  terms: CaseTermsSource,
  facts: FactTerms,
): Promise<number> {
  if (planned.length === 0) return 0;
  const present = new Set<number>();
  for (let i = 0; i < planned.length; i += ROWS_PER_STATEMENT) {
    const ids = planned.slice(i, i + ROWS_PER_STATEMENT).map((p) => p.id);
    for (const r of await tx.select({ id: cases.id }).from(cases).where(inArray(cases.id, ids)))
      present.add(r.id);
  }
  const todo = planned.filter((p) => !present.has(p.id));
  const rows: (typeof cases.$inferInsert)[] = [];
  const factRows: FactsRow[] = [];
  const events: (NewEvent & { seq: number })[] = [];
  for (const p of todo) {
    const c = p.generated;
    const t = settle(p, terms);
    const row = {
      id: p.id,
      code: caseCode(c.reportedAt, p.id),
      source: c.source,
      category: c.category,
      lng: c.lng,
      lat: c.lat,
      gridId: p.gridId,
      status: p.status,
      tier: p.tier,
      // The level its timeline replays to (its tier's, one up once escalated: 上报升级).
      level: t.level,
      description: c.description,
      assigneeId: c.assigneeId as WorkerId | null,
      reworkCount: c.reworked ? 1 : 0,
      onSite: c.handledOnSite,
      reportedAt: c.reportedAt,
      deadlineAt: t.deadlineAt,
      closedAt: c.closedAt,
      updatedAt: p.lastEventAt,
      version: p.events.length,
      parkedAt: c.parkedAt,
    };
    rows.push(row);
    const f = factsRowOf(row, t.timeline, facts);
    if (f) factRows.push(f);
    for (const e of p.events) events.push(e);
  }
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    await tx.insert(cases).values(rows.slice(i, i + ROWS_PER_STATEMENT));
  for (let i = 0; i < events.length; i += EVENTS_PER_STATEMENT) {
    const batch = JSON.stringify(
      events.slice(i, i + EVENTS_PER_STATEMENT).map((e) => ({
        s: e.seq,
        a: e.at,
        k: e.kind,
        t: e.type,
        c: e.caseId ?? null,
        g: e.gridId ?? null,
        w: e.workerId ?? null,
        p: e.payload,
      })),
    );
    // Explicit sequence numbers below the live ones: followers of the event stream, which read
    // after the newest number they saw, never see old history as news.
    await tx.execute(sql`
      insert into events (seq, at, kind, type, case_id, grid_id, user_id, worker_id, payload)
      select s, a, k, t, c, g, null, w, p
      from json_to_recordset(${batch}::json) as e(s bigint, a bigint, k text, t text, c integer, g integer, w integer, p jsonb)`);
  }
  for (let i = 0; i < factRows.length; i += ROWS_PER_STATEMENT)
    await upsertCaseFacts(tx, factRows.slice(i, i + ROWS_PER_STATEMENT));
  return todo.length;
}

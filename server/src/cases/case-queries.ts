import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import {
  actionableStatuses,
  EVALUATION_WINDOW_HOURS,
  waitingStatuses,
  waitsFor,
  OPEN_STATUSES,
  type Case,
  type CaseClock,
  type CaseId,
  type CaseState,
  type CaseTier,
  type CaseStatus,
  type GridId,
  type UserId,
  type WorkCalendar,
  type WorkerId,
  WorkerIdSchema,
} from '@gcc/shared';
import {
  callerOf,
  DEFAULT_DUPLICATE_RULE,
  suggestDuplicates,
  type CaseCaller,
  type DuplicateRule,
} from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { cases, events, users, workers } from '../db/schema.ts';
import {
  caseToWire,
  involvesDepartment,
  loadCase,
  stateFromRow,
  STORED_EVENT_COLUMNS,
  type CaseRow,
} from './case-row.ts';
import { type CaseAccess, type CommandActor } from './case-access.ts';
import type { CaseClocks } from './case-clocks.ts';

// The read side of cases: lists and queues, counts, one case with its timeline, duplicates near a
// report. Every filter that narrows by jurisdiction (属地) does it in the query.

/** A case as the detail view reads it. */
export interface CaseDetail {
  case: Case;
  timeline: {
    seq: number;
    at: number;
    type: string;
    userId: UserId | null;
    workerId: WorkerId | null;
    payload: Record<string, unknown>;
    actorName: string | null;
  }[];
  /** Names of the workers the case and its timeline refer to (assignee, dispatched to), by id. */
  workers: Record<number, string>;
  /** The caller in full (name, phone, ticket) for a call-back; the API gives it only to the posts that call back. */
  contact: CaseCaller | null;
}

export interface CaseListFilter {
  status?: CaseStatus[] | undefined;
  gridId?: GridId | undefined;
  from?: number | undefined;
  to?: number | undefined;
  /** Jurisdiction: only cases in these grids (undefined = no restriction). */
  gridIds?: readonly GridId[] | undefined;
  limit: number;
  /** Resume after this case id (pages are ordered by id descending = newest first). */
  cursor?: CaseId | undefined;
  /** 四事分流 tiers. */
  tier?: CaseTier[] | undefined;
  /** Subclass codes (category filter and urgency, expanded to codes by the caller). */
  categories?: readonly string[] | undefined;
  /** Only cases past their deadline at `now` (true) or not past it (false). */
  overdue?: boolean | undefined;
  now?: number | undefined;
  /** `id` (newest first, cursor pages) or `deadline` (the dispatcher's queue: earliest deadline first, so overdue first; no deadline last). */
  sort?: 'id' | 'deadline' | undefined;
  /** Only cases this actor may run some command on now (the desk's 待处理 queue), by the engine's rules. */
  actionableBy?: CommandActor | undefined;
  /** Only cases a handling department (专业部门) was sent or called to: what its desk may read. */
  department?: string | undefined;
}

/** What needs a desk's action now (待处理): cases waiting for its step first, then overdue ones to chase. */
export interface NeedsAction {
  /** Waiting cases first (most urgent deadline first), then the overdue ones to chase. */
  items: Case[];
  /** How many of each there are (the first `waiting` of `items` wait; counts go past `items`' limit). */
  waiting: number;
  chase: number;
}

/** Rows a 待处理 queue reads at most (waiting and overdue cases of one desk's jurisdiction). */
const NEEDS_ACTION_SCAN = 20_000;

/** Rows read per round when the exact rule check in code drops some of a page. */
const ACTIONABLE_BATCH = 500;

/** Metres per degree of latitude (mean): the bounding box of the duplicate search. */
const METRES_PER_DEGREE_LAT = 111_320;

export class CaseQueries {
  constructor(
    private readonly db: Db,
    private readonly clocks: CaseClocks,
    private readonly access: CaseAccess,
  ) {}

  /** The state of a case as the engine sees it, with its clock (the console's allowed actions, the overdue timer), or null. */
  async state(
    caseId: CaseId,
  ): Promise<{ state: CaseState; clock: CaseClock; calendar: WorkCalendar; category: string } | null> {
    const loaded = await this.db.transaction((tx) => loadCase(tx, caseId, false));
    if (!loaded) return null;
    const clock = loaded.replayed
      ? this.clocks.clockOf(loaded.row, loaded.timeline)
      : {
          step: null,
          stepStartedAt: null,
          deadlineAt: loaded.row.deadlineAt,
          parked: loaded.row.parkedAt !== null,
          consumedMs: 0,
        };
    return {
      state: loaded.state,
      clock,
      calendar: this.clocks.calendarOf(loaded.row, loaded.timeline),
      category: loaded.row.category,
    };
  }

  /** The worker who reported each case (a patrol's device, 微事自办), for the cases a worker reported. */
  async reportersOf(ids: readonly CaseId[]): Promise<Map<CaseId, WorkerId>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .select({ caseId: events.caseId, workerId: events.workerId })
      .from(events)
      .where(
        and(
          inArray(events.caseId, [...ids]),
          inArray(events.type, ['case.reported', 'case.selfHandled']),
          isNotNull(events.workerId),
        ),
      );
    return new Map(rows.map((r) => [r.caseId!, r.workerId!]));
  }

  /** Open cases per assigned worker (the recommender's workload). */
  async openLoadByWorker(): Promise<Map<WorkerId, number>> {
    const rows = await this.db
      .select({ workerId: cases.assigneeId, n: sql<number>`count(*)::int` })
      .from(cases)
      .where(and(inArray(cases.status, [...OPEN_STATUSES]), sql`${cases.assigneeId} is not null`))
      .groupBy(cases.assigneeId);
    return new Map(rows.map((r) => [r.workerId!, r.n]));
  }

  private where(f: Omit<CaseListFilter, 'limit' | 'cursor'>): SQL | undefined {
    const conds: SQL[] = [];
    if (f.status?.length) conds.push(inArray(cases.status, f.status));
    if (f.gridId !== undefined) conds.push(eq(cases.gridId, f.gridId));
    if (f.from !== undefined) conds.push(gte(cases.reportedAt, f.from));
    if (f.to !== undefined) conds.push(lt(cases.reportedAt, f.to));
    if (f.gridIds) conds.push(f.gridIds.length ? inArray(cases.gridId, [...f.gridIds]) : sql`false`);
    if (f.tier?.length) conds.push(inArray(cases.tier, f.tier));
    if (f.categories)
      conds.push(f.categories.length ? inArray(cases.category, [...f.categories]) : sql`false`);
    if (f.department !== undefined) conds.push(involvesDepartment(f.department));
    if (f.overdue !== undefined) {
      const now = f.now ?? Date.now();
      conds.push(
        f.overdue
          ? and(isNotNull(cases.deadlineAt), lt(cases.deadlineAt, now))!
          : or(isNull(cases.deadlineAt), gte(cases.deadlineAt, now))!,
      );
    }
    return conds.length ? and(...conds) : undefined;
  }

  /** A page of cases, newest first, and the cursor of the next page. */
  async list(f: CaseListFilter): Promise<{ items: Case[]; nextCursor: number | null }> {
    if (f.actionableBy) return this.listActionable(f, f.actionableBy);
    const base = this.where(f);
    if (f.sort === 'deadline') {
      // One page, most urgent first: a desk works the top of its queue, it does not page through it.
      const rows = await this.db
        .select()
        .from(cases)
        .where(base)
        .orderBy(sql`${cases.deadlineAt} asc nulls last`, asc(cases.id))
        .limit(f.limit);
      return { items: rows.map(caseToWire), nextCursor: null };
    }
    const where = f.cursor !== undefined ? and(base, lt(cases.id, f.cursor)) : base;
    const rows = await this.db
      .select()
      .from(cases)
      .where(where)
      .orderBy(desc(cases.id))
      .limit(f.limit + 1);
    const more = rows.length > f.limit;
    const items = rows.slice(0, f.limit).map(caseToWire);
    return { items, nextCursor: more ? items[items.length - 1]!.id : null };
  }

  /**
   * The cases an actor may act on now. SQL narrows to the statuses where the actor's posts have any
   * command (and parked cases when they may unpark), on the status index; the exact check is the
   * same as `cases.allowed` (legal steps ∩ rule table: 属地, level), in code on the row's fields,
   * reading further batches while it drops rows (a street desk's escalated cases, say).
   */
  private async listActionable(
    f: CaseListFilter,
    actor: CommandActor,
  ): Promise<{ items: Case[]; nextCursor: number | null }> {
    const { statuses, parked } = actionableStatuses(actor.posts);
    const { status: asked, ...rest } = f;
    const wanted = asked?.length ? statuses.filter((s) => asked.includes(s)) : statuses;
    // Closed cases wait for 评价 only inside the evaluation window.
    const evaluable = or(
      ne(cases.status, 'closed'),
      gte(cases.closedAt, (f.now ?? Date.now()) - EVALUATION_WINDOW_HOURS * 3_600_000),
    );
    const active = and(
      isNull(cases.parkedAt),
      wanted.length ? inArray(cases.status, wanted) : sql`false`,
      evaluable,
    )!;
    const coarse = parked
      ? or(active, and(isNotNull(cases.parkedAt), asked?.length ? inArray(cases.status, asked) : undefined))!
      : active;
    const base = and(this.where(rest), coarse);
    const byDeadline = f.sort === 'deadline';
    // 报到 is owed by a called department: the row does not say who, the whistles do.
    const calls = actor.department ? await this.pendingCalls(actor.department) : null;
    const out: CaseRow[] = [];
    let after: { deadline: number | null; id: CaseId } | null =
      f.cursor !== undefined && !byDeadline ? { deadline: null, id: f.cursor } : null;
    for (;;) {
      // Keyset pages in the list's own order: (deadline nulls last, id) or id descending.
      let page: SQL | undefined;
      if (after && byDeadline) {
        page =
          after.deadline === null
            ? and(isNull(cases.deadlineAt), sql`${cases.id} > ${after.id}`)
            : or(
                isNull(cases.deadlineAt),
                sql`${cases.deadlineAt} > ${after.deadline}`,
                and(eq(cases.deadlineAt, after.deadline), sql`${cases.id} > ${after.id}`),
              );
      } else if (after) {
        page = lt(cases.id, after.id);
      }
      const q = this.db
        .select()
        .from(cases)
        .where(page ? and(base, page) : base);
      const rows = byDeadline
        ? await q.orderBy(sql`${cases.deadlineAt} asc nulls last`, asc(cases.id)).limit(ACTIONABLE_BATCH)
        : await q.orderBy(desc(cases.id)).limit(ACTIONABLE_BATCH);
      for (const r of rows) {
        const state = stateFromRow(r);
        if (calls?.has(r.id)) state.pendingDepartments = [actor.department!];
        if (this.access.allowedFor(actor, state, f.now).length > 0) out.push(r);
        if (out.length > f.limit) break;
      }
      if (out.length > f.limit || rows.length < ACTIONABLE_BATCH) break;
      const last = rows[rows.length - 1]!;
      after = { deadline: last.deadlineAt, id: last.id };
    }
    const items = out.slice(0, f.limit).map(caseToWire);
    // The deadline queue is one page (as `list`); id pages continue with a cursor.
    return { items, nextCursor: !byDeadline && out.length > f.limit ? items[items.length - 1]!.id : null };
  }

  /**
   * 待处理, "needs my action now": the cases waiting for a step this actor's posts run (立案,
   * 派遣 — 改派 after a return or an escalation —, 核查, 结案, 报到 …), then the overdue cases it
   * may act on otherwise (督办: 改派, 上报升级, 挂账). The rule check is `cases.allowed`'s, in code
   * on each row SQL narrows to (waiting statuses, or past the deadline).
   */
  async needsAction(
    f: Omit<CaseListFilter, 'actionableBy' | 'sort' | 'cursor'>,
    actor: CommandActor,
  ): Promise<NeedsAction> {
    const now = f.now ?? Date.now();
    const { status: asked, overdue: _overdue, ...rest } = f;
    const narrow = (xs: CaseStatus[]) => (asked?.length ? xs.filter((s) => asked.includes(s)) : xs);
    const waitingIn = narrow(waitingStatuses(actor.posts));
    const chaseIn = narrow(actionableStatuses(actor.posts).statuses);
    const inStatuses = (xs: CaseStatus[]) => (xs.length ? inArray(cases.status, xs) : sql`false`);
    const coarse = and(
      isNull(cases.parkedAt),
      or(
        inStatuses(waitingIn),
        and(inStatuses(chaseIn), isNotNull(cases.deadlineAt), lt(cases.deadlineAt, now)),
      ),
    );
    const rows = await this.db
      .select()
      .from(cases)
      .where(and(this.where(rest), coarse))
      .orderBy(sql`${cases.deadlineAt} asc nulls last`, asc(cases.id))
      .limit(NEEDS_ACTION_SCAN);
    const calls = actor.department ? await this.pendingCalls(actor.department) : null;
    const waiting: CaseRow[] = [];
    const chase: CaseRow[] = [];
    for (const r of rows) {
      const state = stateFromRow(r);
      if (calls?.has(r.id)) state.pendingDepartments = [actor.department!];
      const allowed = this.access.allowedFor(actor, state, now);
      if (waitsFor(state, allowed)) waiting.push(r);
      else if (allowed.length > 0 && r.deadlineAt !== null && r.deadlineAt < now) chase.push(r);
    }
    return {
      items: [...waiting, ...chase].slice(0, f.limit).map(caseToWire),
      waiting: waiting.length,
      chase: chase.length,
    };
  }

  /** How many cases a filter (without its status) finds open and open past their deadline: the queue tabs' counts. */
  async openCounts(f: Omit<CaseListFilter, 'limit' | 'cursor' | 'status' | 'overdue'>): Promise<{
    open: number;
    overdue: number;
  }> {
    const now = f.now ?? Date.now();
    const [row] = await this.db
      .select({
        open: sql<number>`count(*)::int`,
        overdue: sql<number>`count(*) filter (where ${cases.deadlineAt} < ${now})::int`,
      })
      .from(cases)
      .where(and(this.where(f), inArray(cases.status, [...OPEN_STATUSES])));
    return { open: row?.open ?? 0, overdue: row?.overdue ?? 0 };
  }

  /** Cases that called a department by a whistle (吹哨) and have not had its 报到 yet. */
  async pendingCalls(department: string): Promise<Set<CaseId>> {
    const rows = await this.db
      .select({ caseId: events.caseId, type: events.type })
      .from(events)
      .where(
        or(
          and(
            eq(events.type, 'case.whistled'),
            sql`${events.payload}->'departments' @> ${JSON.stringify([department])}::jsonb`,
          ),
          and(
            eq(events.type, 'case.departmentReported'),
            sql`${events.payload}->>'department' = ${department}`,
          ),
        ),
      )
      .orderBy(asc(events.seq));
    const pending = new Set<CaseId>();
    for (const r of rows) {
      if (r.caseId === null) continue;
      if (r.type === 'case.whistled') pending.add(r.caseId);
      else pending.delete(r.caseId);
    }
    return pending;
  }

  /** Whether a department was sent or called to a case (its desk may read it). */
  async involves(caseId: CaseId, department: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.id, caseId), involvesDepartment(department)));
    return row !== undefined;
  }

  /** Counts grouped by status and by category for a time range (the wall's panels). */
  async counts(
    f: Omit<CaseListFilter, 'limit' | 'cursor'>,
  ): Promise<{ total: number; byStatus: Record<string, number>; byCategory: Record<string, number> }> {
    const where = this.where(f);
    const rows = await this.db
      .select({ status: cases.status, category: cases.category, n: sql<number>`count(*)::int` })
      .from(cases)
      .where(where)
      .groupBy(cases.status, cases.category);
    const byStatus: Record<string, number> = {};
    const byCategory: Record<string, number> = {};
    let total = 0;
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      byCategory[r.category] = (byCategory[r.category] ?? 0) + r.n;
      total += r.n;
    }
    return { total, byStatus, byCategory };
  }

  /** Open-case count per grid (the wall colours grids by it). */
  async openCountsByGrid(gridIds?: readonly GridId[]): Promise<Record<number, number>> {
    const open = inArray(cases.status, [...OPEN_STATUSES]);
    const where = gridIds
      ? and(open, gridIds.length ? inArray(cases.gridId, [...gridIds]) : sql`false`)
      : open;
    const rows = await this.db
      .select({ gridId: cases.gridId, n: sql<number>`count(*)::int` })
      .from(cases)
      .where(where)
      .groupBy(cases.gridId);
    return Object.fromEntries(rows.map((r) => [r.gridId, r.n]));
  }

  /**
   * One case with its timeline (append-only events, oldest first), each step with the name of who
   * did it (a user's display name or a worker's name; null for the system), and the names of the
   * workers the timeline sends the case to — resolved in one batched lookup.
   */
  async get(id: CaseId): Promise<CaseDetail | null> {
    // Row and timeline from one snapshot: a step committed between two reads would show a
    // timeline one step ahead of the case it belongs to.
    const found = await this.db.transaction(
      async (tx) => {
        const [row] = await tx.select().from(cases).where(eq(cases.id, id));
        if (!row) return null;
        const timeline = await tx
          .select({ seq: events.seq, ...STORED_EVENT_COLUMNS })
          .from(events)
          // The case's own timeline; its alerts (超期督办) travel on the stream and in the alerts table.
          .where(and(eq(events.caseId, id), eq(events.kind, 'case')))
          .orderBy(asc(events.seq));
        return { row, timeline };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    if (!found) return null;
    const { row, timeline } = found;
    const userIds = new Set<UserId>();
    const workerIds = new Set<WorkerId>();
    if (row.assigneeId !== null) workerIds.add(row.assigneeId);
    for (const e of timeline) {
      if (e.userId !== null) userIds.add(e.userId);
      if (e.workerId !== null) workerIds.add(e.workerId);
      const sentTo = WorkerIdSchema.safeParse(e.payload.workerId);
      if (sentTo.success) workerIds.add(sentTo.data);
      // 改派 names whom it replaced.
      const replaced = e.payload.replaced as { workerId?: unknown } | null | undefined;
      const was = WorkerIdSchema.safeParse(replaced?.workerId);
      if (was.success) workerIds.add(was.data);
    }
    const names = await this.names([...userIds], [...workerIds]);
    const workers: Record<number, string> = {};
    for (const w of workerIds) {
      const n = names.workers.get(w);
      if (n !== undefined) workers[w] = n;
    }
    return {
      case: caseToWire(row),
      timeline: timeline.map((e) => ({
        ...e,
        actorName:
          (e.userId !== null ? names.users.get(e.userId) : undefined) ??
          (e.workerId !== null ? names.workers.get(e.workerId) : undefined) ??
          null,
      })),
      workers,
      contact: callerOf(row, 'full'),
    };
  }

  /** Display names of users and workers, in one query. */
  private async names(
    userIds: UserId[],
    workerIds: WorkerId[],
  ): Promise<{ users: Map<number, string>; workers: Map<number, string> }> {
    const out = { users: new Map<number, string>(), workers: new Map<number, string>() };
    if (userIds.length === 0 && workerIds.length === 0) return out;
    const u = this.db
      .select({
        kind: sql<string>`'u'`.as('kind'),
        id: sql<number>`${users.id}`.as('id'),
        name: users.displayName,
      })
      .from(users)
      .where(userIds.length ? inArray(users.id, userIds) : sql`false`);
    const w = this.db
      .select({
        kind: sql<string>`'w'`.as('kind'),
        id: sql<number>`${workers.id}`.as('id'),
        name: workers.name,
      })
      .from(workers)
      .where(workerIds.length ? inArray(workers.id, workerIds) : sql`false`);
    for (const r of await u.unionAll(w)) (r.kind === 'u' ? out.users : out.workers).set(r.id, r.name);
    return out;
  }

  /** Cases by ids (the event stream attaches the current state to each case event). */
  async byIds(ids: readonly CaseId[]): Promise<Map<CaseId, Case>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .select()
      .from(cases)
      .where(inArray(cases.id, [...ids]));
    return new Map(rows.map((r) => [r.id, caseToWire(r)]));
  }

  /**
   * Cases registered for a 12345 ticket (工单号), newest first: the same work order taken twice is a
   * duplicate whatever its place or subclass. Open or finished (a closed one is 重复来电 to reopen
   * by hand, not a second case). Only cases in the jurisdiction.
   */
  async byTicket(ticket: string, opts: { gridIds?: readonly GridId[] | undefined } = {}): Promise<Case[]> {
    const conds: SQL[] = [eq(cases.ticketNo, ticket)];
    if (opts.gridIds) conds.push(opts.gridIds.length ? inArray(cases.gridId, [...opts.gridIds]) : sql`false`);
    const rows = await this.db
      .select()
      .from(cases)
      .where(and(...conds))
      .orderBy(desc(cases.id))
      .limit(5);
    return rows.map(caseToWire);
  }

  /** The callers of cases in full, by id (a worker's device calls back on the cases on its hands). */
  async contacts(ids: readonly CaseId[]): Promise<Map<CaseId, CaseCaller>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .select({
        id: cases.id,
        callerName: cases.callerName,
        callerPhone: cases.callerPhone,
        ticketNo: cases.ticketNo,
      })
      .from(cases)
      .where(inArray(cases.id, [...ids]));
    const out = new Map<CaseId, CaseCaller>();
    for (const r of rows) {
      const c = callerOf(r, 'full');
      if (c) out.set(r.id, c);
    }
    return out;
  }

  /**
   * Open cases (or merged ones, standing for their primary) that a report of this subclass at
   * this place and time may duplicate: same subclass within the rule's radius and window,
   * nearest first (`suggestDuplicates`). The database narrows by subclass, time and a box
   * around the point; the rule decides exactly.
   */
  async duplicatesNear(
    report: { category: string; lng: number; lat: number; at: number },
    opts: { excludeId?: CaseId | undefined; gridIds?: readonly GridId[] | undefined; limit?: number } = {},
    rule: DuplicateRule = DEFAULT_DUPLICATE_RULE,
  ): Promise<{ case: Case; distanceM: number; minutesApart: number }[]> {
    const windowMs = rule.windowMin * 60_000;
    const dLat = rule.radiusM / METRES_PER_DEGREE_LAT;
    const dLng = dLat / Math.max(0.01, Math.cos((report.lat * Math.PI) / 180));
    const conds: SQL[] = [
      eq(cases.category, report.category),
      inArray(cases.status, [...OPEN_STATUSES, 'merged']),
      gte(cases.reportedAt, report.at - windowMs),
      lt(cases.reportedAt, report.at + windowMs + 1),
      sql`${cases.lng} between ${report.lng - dLng} and ${report.lng + dLng}`,
      sql`${cases.lat} between ${report.lat - dLat} and ${report.lat + dLat}`,
    ];
    if (opts.excludeId !== undefined) conds.push(ne(cases.id, opts.excludeId));
    if (opts.gridIds) conds.push(opts.gridIds.length ? inArray(cases.gridId, [...opts.gridIds]) : sql`false`);
    const rows = await this.db
      .select()
      .from(cases)
      .where(and(...conds))
      .limit(200);
    const found = suggestDuplicates(
      report,
      rows.map((r) => ({
        id: r.id,
        category: r.category,
        lng: r.lng,
        lat: r.lat,
        reportedAt: r.reportedAt,
        status: r.status,
        mergedInto: r.mergedInto,
      })),
      rule,
    )
      .filter((d) => d.caseId !== opts.excludeId)
      .slice(0, opts.limit ?? 5);
    // A merged case stands for its primary, which may lie outside the rows read: only those are fetched.
    const byId = new Map(rows.map((r) => [r.id, caseToWire(r)]));
    const missing = found.map((d) => d.caseId).filter((id) => !byId.has(id));
    for (const [id, c] of await this.byIds(missing)) byId.set(id, c);
    return found.flatMap((d) => {
      const c = byId.get(d.caseId);
      // A merged case's primary may have been finished since: finished cases are no duplicates.
      if (!c || !OPEN_STATUSES.includes(c.status) || (opts.gridIds && !opts.gridIds.includes(c.gridId)))
        return [];
      return [{ case: c, distanceM: Math.round(d.distanceM), minutesApart: Math.round(d.minutesApart) }];
    });
  }
}

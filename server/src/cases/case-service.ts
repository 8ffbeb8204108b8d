import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import {
  actionableStatuses,
  applyCaseEvent,
  holdsCase,
  authorizeCaseCommand,
  caseClock,
  decideCaseCommand,
  decideCloseWithPrimary,
  decideMerge,
  decideMicroReport,
  decideReport,
  EVALUATION_WINDOW_HOURS,
  legalCommands,
  OPEN_STATUSES,
  parseStoredCaseEvent,
  replayCase,
  toStoredCaseEvent,
  type AuthRefusal,
  type Case,
  type CaseActorContext,
  type CaseClock,
  type CaseCommand,
  type CaseEvent,
  type CaseId,
  type CasePost,
  type CaseReportInput,
  type CaseState,
  type CaseTier,
  type CaseStatus,
  type GridId,
  type RefusalReason,
  type ResponsibleLevel,
  type RuledCommand,
  type StepLimits,
  type UnitId,
  type UserId,
  type WorkCalendar,
  type WorkerId,
  WorkerIdSchema,
} from '@gcc/shared';
import { DEFAULT_DUPLICATE_RULE, suggestDuplicates, type DuplicateRule } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { alerts, cases, events, users, workers } from '../db/schema.ts';
import type { EventLog, NewEvent, Tx } from '../live/event-log.ts';
import type { Boundary } from '../spatial/boundary.ts';
import {
  calendarOfCase,
  FALLBACK_LIMITS,
  termsFor,
  type CaseTermsSource,
} from '../deadlines/deadline-directory.ts';

// Case intake and queries. Every path that creates a case (hotline operator, resident app,
// patrol device, the simulator) goes through `report`, which finds the grid by
// point-in-polygon — a grid is never typed by hand.

export type CaseRow = typeof cases.$inferSelect;

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

/** Who runs a case command, as the engine (event actor) and the rule table (posts, 属地) see them. */
export interface CommandActor {
  userId: UserId | null;
  workerId: WorkerId | null;
  department?: string | null;
  posts: readonly CasePost[];
  /** Jurisdiction (属地); null for the system. */
  unitId: UnitId | null;
  unitLevel: ResponsibleLevel | null;
}

/** The server's own timer (overdue escalation, closing merged duplicates). */
export const SYSTEM_ACTOR: CommandActor = {
  userId: null,
  workerId: null,
  posts: ['system'],
  unitId: null,
  unitLevel: null,
};

/** Result of a command: the case as stored now and the events appended (a close may close merged duplicates too). */
export interface CommandResult {
  case: Case;
  events: CaseEvent[];
}

type Loaded = { row: CaseRow; state: CaseState; timeline: CaseEvent[]; replayed: boolean };

/** Work that must commit or fail with a case's event (e.g. attaching the photos a feedback references). */
export type AlsoInTx = (tx: Tx, row: CaseRow) => Promise<void>;

export interface Actor {
  userId: UserId | null;
  workerId: WorkerId | null;
}

/** Maps a database row to the wire type. */
export function caseToWire(r: CaseRow): Case {
  return {
    id: r.id,
    code: r.code,
    source: r.source,
    category: r.category,
    lng: r.lng,
    lat: r.lat,
    gridId: r.gridId,
    status: r.status,
    tier: r.tier,
    level: r.level,
    description: r.description,
    assigneeId: r.assigneeId,
    assigneeDepartment: r.assigneeDepartment,
    reportedAt: r.reportedAt,
    deadlineAt: r.deadlineAt,
    closedAt: r.closedAt,
    updatedAt: r.updatedAt,
    version: r.version,
    parkedAt: r.parkedAt,
    mergedInto: r.mergedInto,
  };
}

/** Case code: date of report (Asia/Shanghai) + serial, e.g. 20261122000123. */
export function caseCode(reportedAt: number, id: number): string {
  const d = new Date(reportedAt + 8 * 3600_000);
  const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${ymd}${String(id).padStart(6, '0')}`;
}

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

/** Rows read per round when the exact rule check in code drops some of a page. */
const ACTIONABLE_BATCH = 500;

export class CaseService {
  constructor(
    private readonly db: Db,
    private readonly eventLog: EventLog,
    private readonly boundary: () => Boundary,
    /** The category table and the jurisdictions' work calendars (the admin-edited directory). */
    private readonly terms: CaseTermsSource,
    /** Codes of the department table: whistles and dispatches to departments must name one (unchecked when absent). */
    private readonly departmentCodes: () => ReadonlySet<string> | undefined = () => undefined,
  ) {}

  /**
   * The clock of a timeline: on the limits and calendar recorded at its report; a timeline from
   * before they were recorded runs on the category table and its grid's calendar as they are now
   * (red urgency around the clock).
   */
  clockOf(c: { category: string; gridId: GridId }, timeline: readonly CaseEvent[]): CaseClock {
    return caseClock(timeline, this.limitsOf(c.category), this.calendarOf(c, timeline));
  }

  /** The calendar a case's clock runs on (see `clockOf`). */
  calendarOf(c: { category: string; gridId: GridId }, timeline: readonly CaseEvent[]): WorkCalendar {
    return calendarOfCase(this.terms, c.category, c.gridId, timeline);
  }

  /** The category table's step limits now (for timelines without recorded terms). */
  limitsOf(category: string): StepLimits {
    return this.terms.categoryOf(category)?.limits ?? FALLBACK_LIMITS;
  }

  /** The rule-table actor of a signed-in user: posts from the login role, level from the user's unit. */
  unitLevelOf(unitId: UnitId): ResponsibleLevel | null {
    const level = this.boundary().unitById.get(unitId)?.level;
    return level === 'city' || level === 'district' || level === 'street' || level === 'community'
      ? level
      : null;
  }

  /**
   * Registers a new case report; refuses a location outside every grid, or outside the reporter's
   * jurisdiction (`withinUnit`), and stores nothing then. With `micro` evidence a grid worker
   * reports a 微事自办 case already handled on the spot (it still goes to verification).
   */
  async report(
    input: CaseReportInput,
    actor: Actor,
    opts: {
      at?: number;
      withinUnit?: UnitId;
      micro?: { photos: readonly string[]; note: string };
      alsoInTx?: AlsoInTx;
    } = {},
  ): Promise<Case> {
    const at = opts.at ?? Date.now();
    const boundary = this.boundary();
    const gridId = boundary.index.locate(input.lng, input.lat);
    if (gridId === null) {
      throw new CaseIntakeError(
        'outside-city',
        `(${input.lng}, ${input.lat}) is outside every grid of the city`,
      );
    }
    if (opts.withinUnit !== undefined && !boundary.gridInUnit(gridId, opts.withinUnit)) {
      throw new CaseIntakeError('outside-jurisdiction', `grid ${gridId} is outside unit ${opts.withinUnit}`);
    }
    const ctxActor: CaseActorContext = { userId: actor.userId, workerId: actor.workerId };
    const row = await this.db.transaction(async (tx) => {
      // Take the id first so the case code (date + serial) is written in the same insert.
      const next = (await tx.execute(
        sql`select nextval(pg_get_serial_sequence('cases', 'id'))::int as id`,
      )) as unknown as { rows: { id: number }[] };
      // A case id is born here, from the table's sequence.
      const id = Number(next.rows[0]!.id) as CaseId;
      // The terms in force now travel with the case: a later edit of the table does not move its deadlines.
      const terms = termsFor(this.terms, input.category, gridId);
      const report = {
        caseId: id,
        source: input.source,
        category: input.category,
        gridId,
        lng: input.lng,
        lat: input.lat,
        description: input.description,
        terms,
      };
      const opened = opts.micro
        ? decideMicroReport(report, opts.micro, { at, actor: ctxActor })
        : decideReport(report, { at, actor: ctxActor });
      if (!opened.ok) throw new CaseIntakeError(opened.reason, `${opened.command} refused: ${opened.reason}`);
      const state = replayCase([opened.event]);
      const clock = this.clockOf({ category: input.category, gridId }, [opened.event]);
      const [inserted] = await tx
        .insert(cases)
        .values({
          id,
          code: caseCode(at, id),
          source: input.source,
          category: input.category,
          lng: input.lng,
          lat: input.lat,
          gridId,
          status: state.status,
          tier: state.tier,
          level: state.level,
          description: input.description,
          reportedAt: at,
          updatedAt: at,
          assigneeId: state.assigneeId,
          onSite: state.onSite,
          deadlineAt: clock.deadlineAt,
          version: state.version,
        })
        .returning();
      await this.eventLog.append(tx, [storedEvent(opened.event, gridId)]);
      await opts.alsoInTx?.(tx, inserted!);
      return inserted!;
    });
    this.eventLog.committed();
    return caseToWire(row);
  }

  /** Locks a case row (`for update`) and rebuilds its state from the timeline, or from the row when the timeline does not replay. */
  private async load(tx: Tx, id: CaseId, lock = true): Promise<Loaded | null> {
    const q = tx.select().from(cases).where(eq(cases.id, id));
    const [row] = lock ? await q.for('update') : await q;
    if (!row) return null;
    const rows = await tx
      .select({
        at: events.at,
        type: events.type,
        userId: events.userId,
        workerId: events.workerId,
        payload: events.payload,
      })
      .from(events)
      .where(and(eq(events.caseId, id), eq(events.kind, 'case')))
      .orderBy(asc(events.seq));
    const timeline: CaseEvent[] = [];
    let parsed = true;
    for (const r of rows) {
      const p = parseStoredCaseEvent(id, r);
      if (!p.success) {
        parsed = false;
        break;
      }
      timeline.push(p.data);
    }
    let state: CaseState | null = null;
    if (parsed && timeline.length > 0) {
      try {
        state = replayCase(timeline);
      } catch {
        state = null;
      }
    }
    // The locked row is the authority on the version (what two desks race for).
    const replayed = state !== null;
    state = state ? { ...state, version: row.version } : stateFromRow(row);
    return { row, state, timeline: replayed ? timeline : [], replayed };
  }

  private contains = (unitId: UnitId, gridId: GridId): boolean => this.boundary().gridInUnit(gridId, unitId);

  private authorize(command: RuledCommand, actor: CommandActor, state: CaseState): void {
    const auth = authorizeCaseCommand(
      command,
      { posts: actor.posts, unitId: actor.unitId, unitLevel: actor.unitLevel },
      { gridId: state.gridId, level: state.level },
      this.contains,
    );
    if (!auth.ok) throw new CaseCommandError(auth.reason, command, state.id);
  }

  /** Appends an event to a locked case and writes the row the event leads to. */
  private async persist(tx: Tx, loaded: Loaded, event: CaseEvent): Promise<CaseRow> {
    const { row, state, timeline } = loaded;
    const next = applyCaseEvent(state, event);
    const clock = this.clockOf(row, [...timeline, event]);
    await this.eventLog.append(tx, [storedEvent(event, row.gridId)]);
    const closed = event.type === 'case.closed';
    const [updated] = await tx
      .update(cases)
      .set({
        status: next.status,
        assigneeId: next.assigneeId,
        assigneeDepartment: next.assigneeDepartment,
        tier: next.tier,
        level: next.level,
        version: row.version + 1,
        deadlineAt: clock.deadlineAt,
        parkedAt: next.parkedAt,
        mergedInto: next.mergedInto,
        closedAt: closed ? event.at : row.closedAt,
        onSite: next.onSite,
        reworkCount: next.reworkCount,
        updatedAt: event.at,
      })
      .where(and(eq(cases.id, row.id), eq(cases.version, row.version)))
      .returning();
    if (!updated) throw new CaseCommandError('stale-version', event.type, row.id);
    // The case moved on: its overdue alert (超期督办) is settled unless the new step is overdue already.
    if (clock.deadlineAt === null || clock.deadlineAt > event.at)
      await this.resolveOverdue(tx, row.id, row.gridId, event.at);
    return updated;
  }

  /** Resolves the open overdue alert of a case, once across processes. */
  async resolveOverdue(tx: Tx, caseId: CaseId, gridId: GridId, at: number): Promise<void> {
    const rows = await tx
      .update(alerts)
      .set({ resolvedAt: at })
      .where(and(eq(alerts.kind, 'case-overdue'), eq(alerts.caseId, caseId), isNull(alerts.resolvedAt)))
      .returning({ id: alerts.id });
    await this.eventLog.append(
      tx,
      rows.map((r) => ({
        at,
        kind: 'alert',
        type: 'alert.resolved',
        caseId,
        gridId,
        payload: { alertId: r.id, alertKind: 'case-overdue' },
      })),
    );
  }

  /**
   * Runs a command on a case in one transaction: lock the row, rebuild the state, check the rule
   * table (post, 属地) and the engine (transition, expected version), append the event, update the
   * row. A close also closes the duplicates merged into the case. Refusals throw CaseCommandError
   * and change nothing.
   */
  async command(
    caseId: CaseId,
    command: CaseCommand,
    actor: CommandActor,
    opts: { at?: number; alsoInTx?: AlsoInTx } = {},
  ): Promise<CommandResult> {
    const at = opts.at ?? Date.now();
    const result = await this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, caseId);
      if (!loaded) throw new CaseCommandError('not-found', command.type, caseId);
      this.authorize(command.type, actor, loaded.state);
      const departments = this.departmentCodes();
      const decision = decideCaseCommand(loaded.state, command, {
        at,
        actor: engineActor(actor),
        ...(departments ? { departments } : {}),
      });
      if (!decision.ok) throw new CaseCommandError(decision.reason, command.type, caseId);
      const row = await this.persist(tx, loaded, decision.event);
      const appended = [decision.event];
      await opts.alsoInTx?.(tx, row);
      if (decision.event.type === 'case.closed') appended.push(...(await this.closeDuplicates(tx, row, at)));
      return { case: caseToWire(row), events: appended };
    });
    this.eventLog.committed();
    return result;
  }

  /** Merged cases close together: each duplicate merged into `primary` is closed by the system. */
  private async closeDuplicates(tx: Tx, primaryRow: CaseRow, at: number): Promise<CaseEvent[]> {
    const dups = await tx
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.mergedInto, primaryRow.id), eq(cases.status, 'merged')))
      .orderBy(asc(cases.id));
    const out: CaseEvent[] = [];
    const primary = stateFromRow(primaryRow);
    for (const d of dups) {
      const loaded = await this.load(tx, d.id);
      if (!loaded) continue;
      const decision = decideCloseWithPrimary(loaded.state, primary, { at });
      if (!decision.ok) continue;
      await this.persist(tx, loaded, decision.event);
      out.push(decision.event);
    }
    return out;
  }

  /** Merges a duplicate into a primary (both rows locked, in id order so two merges cannot deadlock). */
  async merge(
    duplicateId: CaseId,
    primaryId: CaseId,
    versions: { duplicateVersion: number; primaryVersion: number },
    actor: CommandActor,
    opts: { at?: number } = {},
  ): Promise<{ duplicate: Case; primary: Case }> {
    const at = opts.at ?? Date.now();
    const result = await this.db.transaction(async (tx) => {
      const [first, second] = duplicateId < primaryId ? [duplicateId, primaryId] : [primaryId, duplicateId];
      const a = await this.load(tx, first);
      const b = first === second ? a : await this.load(tx, second);
      const dup = duplicateId === first ? a : b;
      const primary = duplicateId === first ? b : a;
      if (!dup) throw new CaseCommandError('not-found', 'merge', duplicateId);
      if (!primary) throw new CaseCommandError('not-found', 'merge', primaryId);
      this.authorize('merge', actor, dup.state);
      this.authorize('merge', actor, primary.state);
      const decision = decideMerge(dup.state, primary.state, versions, { at, actor: engineActor(actor) });
      if (!decision.ok) throw new CaseCommandError(decision.reason, 'merge', duplicateId);
      const d = await this.persist(tx, dup, decision.duplicateEvent);
      const p = await this.persist(tx, primary, decision.primaryEvent);
      return { duplicate: caseToWire(d), primary: caseToWire(p) };
    });
    this.eventLog.committed();
    return result;
  }

  /** The state of a case as the engine sees it, with its clock (the console's allowed actions, the overdue timer), or null. */
  async state(
    caseId: CaseId,
  ): Promise<{ state: CaseState; clock: CaseClock; calendar: WorkCalendar; category: string } | null> {
    const loaded = await this.db.transaction((tx) => this.load(tx, caseId, false));
    if (!loaded) return null;
    const clock = loaded.replayed
      ? this.clockOf(loaded.row, loaded.timeline)
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
      calendar: this.calendarOf(loaded.row, loaded.timeline),
      category: loaded.row.category,
    };
  }

  /** The commands the actor may run on a case now: the engine's legal steps ∩ the rule table (posts, 属地, level). */
  allowedFor(
    actor: CommandActor,
    state: Pick<
      CaseState,
      | 'status'
      | 'parkedAt'
      | 'closedAt'
      | 'gridId'
      | 'level'
      | 'assigneeId'
      | 'assigneeDepartment'
      | 'pendingDepartments'
    >,
    now = Date.now(),
  ): RuledCommand[] {
    return legalCommands(state, now).filter((c) => {
      const d = authorizeCaseCommand(
        c,
        { posts: actor.posts, unitId: actor.unitId, unitLevel: actor.unitLevel },
        { gridId: state.gridId, level: state.level },
        this.contains,
      );
      return d.ok && holdsCase(c, d.scope, state, actor);
    });
  }

  /** Whether the actor's posts and jurisdiction allow a command on a case (the engine's state checks apart). */
  authorized(
    command: RuledCommand,
    actor: CommandActor,
    state: Pick<CaseState, 'gridId' | 'level'>,
  ): boolean {
    return authorizeCaseCommand(
      command,
      { posts: actor.posts, unitId: actor.unitId, unitLevel: actor.unitLevel },
      { gridId: state.gridId, level: state.level },
      this.contains,
    ).ok;
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
        if (this.allowedFor(actor, state, f.now).length > 0) out.push(r);
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
    const [row] = await this.db.select().from(cases).where(eq(cases.id, id));
    if (!row) return null;
    const timeline = await this.db
      .select({
        seq: events.seq,
        at: events.at,
        type: events.type,
        userId: events.userId,
        workerId: events.workerId,
        payload: events.payload,
      })
      .from(events)
      // The case's own timeline; its alerts (超期督办) travel on the stream and in the alerts table.
      .where(and(eq(events.caseId, id), eq(events.kind, 'case')))
      .orderBy(asc(events.seq));
    const userIds = new Set<UserId>();
    const workerIds = new Set<WorkerId>();
    if (row.assigneeId !== null) workerIds.add(row.assigneeId);
    for (const e of timeline) {
      if (e.userId !== null) userIds.add(e.userId);
      if (e.workerId !== null) workerIds.add(e.workerId);
      const sentTo = WorkerIdSchema.safeParse(e.payload.workerId);
      if (sentTo.success) workerIds.add(sentTo.data);
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

/** Metres per degree of latitude (mean): the bounding box of the duplicate search. */
const METRES_PER_DEGREE_LAT = 111_320;

function engineActor(a: CommandActor): CaseActorContext {
  return { userId: a.userId, workerId: a.workerId, department: a.department ?? null };
}

function storedEvent(event: CaseEvent, gridId: GridId): NewEvent {
  const st = toStoredCaseEvent(event);
  return {
    at: st.at,
    kind: 'case',
    type: st.type,
    caseId: event.caseId,
    gridId,
    userId: st.userId,
    workerId: st.workerId,
    payload: st.payload,
  };
}

/** A case's state from its row alone (a timeline that does not replay, e.g. imported history). */
/** A case a department holds now, was dispatched to once, or was called to by a whistle (event types on their index, payload checked). */
function involvesDepartment(department: string): SQL {
  return sql`(${cases.assigneeDepartment} = ${department} or ${cases.id} in (select ${events.caseId} from ${events} where (${events.type} = 'case.dispatched' and ${events.payload}->>'department' = ${department}) or (${events.type} = 'case.whistled' and ${events.payload}->'departments' @> ${JSON.stringify([department])}::jsonb)))`;
}

export function stateFromRow(r: CaseRow): CaseState {
  return {
    id: r.id,
    status: r.status,
    gridId: r.gridId,
    category: r.category,
    source: r.source,
    tier: r.tier,
    level: r.level,
    assigneeId: r.assigneeId,
    assigneeDepartment: r.assigneeDepartment,
    handledBy: null,
    onSite: r.onSite,
    photos: [],
    reworkCount: r.reworkCount,
    returnCount: 0,
    escalationCount: 0,
    parkedAt: r.parkedAt,
    calledDepartments: [],
    pendingDepartments: [],
    mergedInto: r.mergedInto,
    duplicates: [],
    evaluation: null,
    closedAt: r.closedAt,
    version: r.version,
  };
}

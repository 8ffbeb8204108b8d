import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import {
  applyCaseEvent,
  decideCaseCommand,
  decideCloseWithPrimary,
  decideMerge,
  decideMicroReport,
  decideReport,
  replayCase,
  type Case,
  type CaseActorContext,
  type CaseCommand,
  type CaseEvent,
  type CaseId,
  type CaseReportInput,
  type DutyState,
  type GridId,
  type UnitId,
  type WorkerId,
} from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { alerts, cases } from '../db/schema.ts';
import type { EventLog, Tx } from '../live/event-log.ts';
import type { Boundary } from '../spatial/boundary.ts';
import { termsFor } from '../deadlines/deadline-directory.ts';
import { CaseCommandError, CaseIntakeError } from './case-errors.ts';
import {
  caseCode,
  caseToWire,
  loadCase,
  stateFromRow,
  storedEvent,
  type CaseRow,
  type LoadedCase,
} from './case-row.ts';
import { type CaseAccess, engineActor, type Actor, type CommandActor } from './case-access.ts';
import type { CaseClocks } from './case-clocks.ts';
import { factTerms, readTimelines, writeCaseFacts, type FactTerms } from '../indicators/case-facts.ts';

// The write side of cases: every path that creates a case (hotline operator, resident app, patrol
// device, the simulator) goes through `report`, which finds the grid by point-in-polygon — a grid
// is never typed by hand; every step goes through `command` (or `merge`): lock the row, check
// the rule table and the engine, append the event, update the row, in one transaction.

/** Result of a command: the case as stored now and the events appended (a close may close merged duplicates too). */
export interface CommandResult {
  case: Case;
  events: CaseEvent[];
}

/** Work that must commit or fail with a case's event (e.g. attaching the photos a feedback references). */
export type AlsoInTx = (tx: Tx, row: CaseRow) => Promise<void>;

export class CaseCommands {
  /** The terms the indicator facts of a written case are taken on (case_facts). */
  private readonly factTerms: FactTerms;

  constructor(
    private readonly db: Db,
    private readonly eventLog: EventLog,
    private readonly boundary: () => Boundary,
    private readonly clocks: CaseClocks,
    private readonly access: CaseAccess,
    /** Codes of the department table: whistles and dispatches to departments must name one (unchecked when absent). */
    private readonly departmentCodes: () => ReadonlySet<string> | undefined = () => undefined,
    /** A worker's home grid, or undefined for no such worker: a dispatch names someone real, inside the desk's jurisdiction. */
    /** A worker's home grid and duty state, or undefined for an unknown worker. */
    private readonly workerOf: (id: WorkerId) => { gridId: GridId; duty: DutyState } | undefined = () =>
      undefined,
  ) {
    this.factTerms = factTerms(clocks.terms);
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
      const terms = termsFor(this.clocks.terms, input.category, gridId);
      const report = {
        caseId: id,
        source: input.source,
        category: input.category,
        gridId,
        lng: input.lng,
        lat: input.lat,
        description: input.description,
        ...(input.address !== undefined ? { address: input.address } : {}),
        terms,
      };
      const opened = opts.micro
        ? decideMicroReport(report, opts.micro, { at, actor: ctxActor })
        : decideReport(report, { at, actor: ctxActor });
      if (!opened.ok) throw new CaseIntakeError(opened.reason, `${opened.command} refused: ${opened.reason}`);
      const state = replayCase([opened.event]);
      const clock = this.clocks.clockOf({ category: input.category, gridId }, [opened.event]);
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
          // The grid and the version it was found in travel together (a publish re-keys open cases).
          boundaryVersion: boundary.version,
          status: state.status,
          tier: state.tier,
          level: state.level,
          description: input.description,
          callerName: input.caller?.name ?? null,
          callerPhone: input.caller?.phone ?? null,
          ticketNo: input.caller?.ticket ?? null,
          address: input.address ?? null,
          reportedAt: at,
          updatedAt: at,
          assigneeId: state.assigneeId,
          onSite: state.onSite,
          deadlineAt: clock.deadlineAt,
          version: state.version,
        })
        .returning();
      await this.eventLog.append(tx, [storedEvent(opened.event, gridId)]);
      await writeCaseFacts(tx, inserted!, [opened.event], this.factTerms);
      await opts.alsoInTx?.(tx, inserted!);
      return inserted!;
    });
    this.eventLog.committed();
    return caseToWire(row);
  }

  /** Appends an event to a locked case and writes the row the event leads to. */
  private async persist(tx: Tx, loaded: LoadedCase, event: CaseEvent): Promise<CaseRow> {
    const { row, state, timeline } = loaded;
    const next = applyCaseEvent(state, event);
    const clock = this.clocks.clockOf(row, [...timeline, event]);
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
    // The indicators' facts move with the case, in the same transaction (case_facts). A timeline
    // that does not replay (imported history) is taken as it parses, as the indicators read it.
    const history = loaded.replayed ? timeline : ((await readTimelines(tx, [row.id])).get(row.id) ?? null);
    await writeCaseFacts(tx, updated, history ? [...history, event] : [], this.factTerms);
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
      const loaded = await loadCase(tx, caseId);
      if (!loaded) throw new CaseCommandError('not-found', command.type, caseId);
      this.access.authorize(command.type, actor, loaded.state);
      const departments = this.departmentCodes();
      const boundary = this.boundary();
      const decision = decideCaseCommand(loaded.state, command, {
        at,
        actor: engineActor(actor),
        ...(departments ? { departments } : {}),
        workerStanding: (id) => {
          const worker = this.workerOf(id);
          if (worker === undefined) return 'unknown';
          // The system (no unit) commands the whole city.
          if (actor.unitId !== null && !boundary.gridInUnit(worker.gridId, actor.unitId)) return 'outside';
          return worker.duty === 'off' ? 'off-duty' : 'ok';
        },
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
      const loaded = await loadCase(tx, d.id);
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
      const a = await loadCase(tx, first);
      const b = first === second ? a : await loadCase(tx, second);
      const dup = duplicateId === first ? a : b;
      const primary = duplicateId === first ? b : a;
      if (!dup) throw new CaseCommandError('not-found', 'merge', duplicateId);
      if (!primary) throw new CaseCommandError('not-found', 'merge', primaryId);
      this.access.authorize('merge', actor, dup.state);
      this.access.authorize('merge', actor, primary.state);
      const decision = decideMerge(dup.state, primary.state, versions, { at, actor: engineActor(actor) });
      if (!decision.ok) throw new CaseCommandError(decision.reason, 'merge', duplicateId);
      const d = await this.persist(tx, dup, decision.duplicateEvent);
      const p = await this.persist(tx, primary, decision.primaryEvent);
      return { duplicate: caseToWire(d), primary: caseToWire(p) };
    });
    this.eventLog.committed();
    return result;
  }
}

import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { OPEN_STATUSES, type Case, type CaseReportInput, type CaseStatus } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { cases, events } from '../db/schema.ts';
import type { EventLog } from '../live/event-log.ts';
import type { Boundary } from '../spatial/boundary.ts';

// Case intake and queries. Every path that creates a case (hotline operator, resident app,
// patrol device, the simulator) goes through `report`, which finds the grid by
// point-in-polygon — a grid is never typed by hand.

export type CaseRow = typeof cases.$inferSelect;

export class CaseIntakeError extends Error {
  constructor(readonly reason: 'outside-city' | 'outside-jurisdiction', message: string) {
    super(message);
  }
}

export interface Actor {
  userId: number | null;
  workerId: number | null;
}

/** Maps a database row to the wire type. */
export function caseToWire(r: CaseRow): Case {
  return {
    id: r.id, code: r.code, source: r.source, category: r.category, lng: r.lng, lat: r.lat, gridId: r.gridId,
    status: r.status, tier: r.tier, level: r.level, description: r.description, assigneeId: r.assigneeId,
    reportedAt: r.reportedAt, deadlineAt: r.deadlineAt, closedAt: r.closedAt, updatedAt: r.updatedAt,
    version: r.version, parkedAt: r.parkedAt, mergedInto: r.mergedInto,
  } as Case;
}

/** Case code: date of report (Asia/Shanghai) + serial, e.g. 20261122000123. */
export function caseCode(reportedAt: number, id: number): string {
  const d = new Date(reportedAt + 8 * 3600_000);
  const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${ymd}${String(id).padStart(6, '0')}`;
}

export interface CaseListFilter {
  status?: CaseStatus[] | undefined;
  gridId?: number | undefined;
  from?: number | undefined;
  to?: number | undefined;
  /** Jurisdiction: only cases in these grids (undefined = no restriction). */
  gridIds?: readonly number[] | undefined;
  limit: number;
  /** Resume after this case id (pages are ordered by id descending = newest first). */
  cursor?: number | undefined;
}

export class CaseService {
  constructor(
    private readonly db: Db,
    private readonly eventLog: EventLog,
    private readonly boundary: () => Boundary,
  ) {}

  /**
   * Registers a new case report; refuses a location outside every grid, or outside the reporter's
   * jurisdiction (`withinUnit`), and stores nothing then.
   */
  async report(input: CaseReportInput, actor: Actor, opts: { at?: number; withinUnit?: number } = {}): Promise<Case> {
    const at = opts.at ?? Date.now();
    const boundary = this.boundary();
    const gridId = boundary.index.locate(input.lng, input.lat);
    if (gridId === null) {
      throw new CaseIntakeError('outside-city', `(${input.lng}, ${input.lat}) is outside every grid of the city`);
    }
    if (opts.withinUnit !== undefined && !boundary.gridInUnit(gridId, opts.withinUnit)) {
      throw new CaseIntakeError('outside-jurisdiction', `grid ${gridId} is outside unit ${opts.withinUnit}`);
    }
    const row = await this.db.transaction(async (tx) => {
      // Take the id first so the case code (date + serial) is written in the same insert.
      const next = (await tx.execute(sql`select nextval(pg_get_serial_sequence('cases', 'id'))::int as id`)) as unknown as { rows: { id: number }[] };
      const id = Number(next.rows[0]!.id);
      const [inserted] = await tx
        .insert(cases)
        .values({
          id, code: caseCode(at, id), source: input.source, category: input.category, lng: input.lng, lat: input.lat, gridId,
          status: 'reported', tier: 'small', level: 'grid', description: input.description, reportedAt: at, updatedAt: at,
        })
        .returning();
      await this.eventLog.append(tx, [{
        at, kind: 'case', type: 'case.reported', caseId: id, gridId, userId: actor.userId, workerId: actor.workerId,
        payload: { source: input.source, category: input.category, gridId, lng: input.lng, lat: input.lat, description: input.description },
      }]);
      return inserted!;
    });
    this.eventLog.committed();
    return caseToWire(row);
  }

  private where(f: Omit<CaseListFilter, 'limit' | 'cursor'>): SQL | undefined {
    const conds: SQL[] = [];
    if (f.status?.length) conds.push(inArray(cases.status, f.status));
    if (f.gridId !== undefined) conds.push(eq(cases.gridId, f.gridId));
    if (f.from !== undefined) conds.push(gte(cases.reportedAt, f.from));
    if (f.to !== undefined) conds.push(lt(cases.reportedAt, f.to));
    if (f.gridIds) conds.push(f.gridIds.length ? inArray(cases.gridId, [...f.gridIds]) : sql`false`);
    return conds.length ? and(...conds) : undefined;
  }

  /** A page of cases, newest first, and the cursor of the next page. */
  async list(f: CaseListFilter): Promise<{ items: Case[]; nextCursor: number | null }> {
    const base = this.where(f);
    const where = f.cursor !== undefined ? and(base, lt(cases.id, f.cursor)) : base;
    const rows = await this.db.select().from(cases).where(where).orderBy(desc(cases.id)).limit(f.limit + 1);
    const more = rows.length > f.limit;
    const items = rows.slice(0, f.limit).map(caseToWire);
    return { items, nextCursor: more ? items[items.length - 1]!.id : null };
  }

  /** Counts grouped by status and by category for a time range (the wall's panels). */
  async counts(f: Omit<CaseListFilter, 'limit' | 'cursor'>): Promise<{ total: number; byStatus: Record<string, number>; byCategory: Record<string, number> }> {
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
  async openCountsByGrid(gridIds?: readonly number[]): Promise<Record<number, number>> {
    const open = inArray(cases.status, [...OPEN_STATUSES]);
    const where = gridIds ? and(open, gridIds.length ? inArray(cases.gridId, [...gridIds]) : sql`false`) : open;
    const rows = await this.db.select({ gridId: cases.gridId, n: sql<number>`count(*)::int` }).from(cases).where(where).groupBy(cases.gridId);
    return Object.fromEntries(rows.map((r) => [r.gridId, r.n]));
  }

  /** One case with its timeline (append-only events, oldest first). */
  async get(id: number): Promise<{ case: Case; timeline: { seq: number; at: number; type: string; userId: number | null; workerId: number | null; payload: Record<string, unknown> }[] } | null> {
    const [row] = await this.db.select().from(cases).where(eq(cases.id, id));
    if (!row) return null;
    const timeline = await this.db
      .select({ seq: events.seq, at: events.at, type: events.type, userId: events.userId, workerId: events.workerId, payload: events.payload })
      .from(events)
      .where(eq(events.caseId, id))
      .orderBy(asc(events.seq));
    return { case: caseToWire(row), timeline };
  }

  /** Cases by ids (the event stream attaches the current state to each case event). */
  async byIds(ids: readonly number[]): Promise<Map<number, Case>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.select().from(cases).where(inArray(cases.id, [...ids]));
    return new Map(rows.map((r) => [r.id, caseToWire(r)]));
  }
}

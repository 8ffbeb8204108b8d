import { and, asc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import {
  callerOf,
  parseStoredCaseEvent,
  replayCase,
  toStoredCaseEvent,
  type Case,
  type CaseEvent,
  type CaseId,
  type CaseState,
  type GridId,
} from '@gcc/shared';
import { cases, events } from '../db/schema.ts';
import type { NewEvent, Tx } from '../live/event-log.ts';

// A case row as stored and what it means: the wire type, the engine's state, its timeline events.

export type CaseRow = typeof cases.$inferSelect;

/** A case read for a command: its row, the state its timeline replays to, and that timeline. */
export interface LoadedCase {
  row: CaseRow;
  state: CaseState;
  timeline: CaseEvent[];
  /** False when the timeline did not replay (imported history): the state then comes from the row. */
  replayed: boolean;
}

/** Maps a database row to the wire type; the caller masked (the full one is `callerOf(row, 'full')`, for the posts that call back). */
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
    caller: callerOf(r, 'masked'),
    address: r.address,
  };
}

/** Case code: date of report (Asia/Shanghai) + serial, e.g. 20261122000123. */
export function caseCode(reportedAt: number, id: number): string {
  const d = new Date(reportedAt + 8 * 3600_000);
  const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${ymd}${String(id).padStart(6, '0')}`;
}

/** Locks a case row (`for update`) and rebuilds its state from the timeline, or from the row when the timeline does not replay. */
/** The columns of a stored timeline event (what parseStoredCaseEvent reads). */
export const STORED_EVENT_COLUMNS = {
  at: events.at,
  type: events.type,
  userId: events.userId,
  workerId: events.workerId,
  payload: events.payload,
};

export async function loadCase(tx: Tx, id: CaseId, lock = true): Promise<LoadedCase | null> {
  const q = tx.select().from(cases).where(eq(cases.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) return null;
  const rows = await tx
    .select(STORED_EVENT_COLUMNS)
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

export function storedEvent(event: CaseEvent, gridId: GridId): NewEvent {
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

/** A case a department holds now, was dispatched to once, or was called to by a whistle (event types on their index, payload checked). */
export function involvesDepartment(department: string): SQL {
  return sql`(${cases.assigneeDepartment} = ${department} or ${cases.id} in (select ${events.caseId} from ${events} where (${events.type} = 'case.dispatched' and ${events.payload}->>'department' = ${department}) or (${events.type} = 'case.whistled' and ${events.payload}->'departments' @> ${JSON.stringify([department])}::jsonb)))`;
}

/** A case's state from its row alone (a timeline that does not replay, e.g. imported history). */
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

/** Cases a worker holds in the steps that put it on the road: sent, accepted, handled on site (parked cases wait). */
export function onWorkersHands(): SQL {
  return and(
    inArray(cases.status, ['dispatched', 'accepted', 'handling']),
    isNotNull(cases.assigneeId),
    isNull(cases.parkedAt),
  )!;
}

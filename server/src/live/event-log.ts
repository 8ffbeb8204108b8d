import type { CaseId, EventKind, GridId, UserId, WorkerId } from '@gcc/shared';
import { EventEmitter } from 'node:events';
import { and, asc, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { events } from '../db/schema.ts';

// Appends to the event table happen inside the transaction of the change they describe, under a
// transaction-scoped advisory lock, so `seq` order equals commit order and a reader that has
// seen seq N never later finds a committed event below N. After commit, followers are woken.

const EVENT_APPEND_LOCK = 0x6763_6301; // 'gcc' + 1

export interface NewEvent {
  at: number;
  kind: EventKind;
  type: string;
  caseId?: CaseId | null;
  gridId?: GridId | null;
  userId?: UserId | null;
  workerId?: WorkerId | null;
  payload: Record<string, unknown>;
}
export type EventRow = typeof events.$inferSelect;

/** A Drizzle transaction handle (same API as Db). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export class EventLog {
  private readonly wake = new EventEmitter();

  constructor(private readonly db: Db) {
    this.wake.setMaxListeners(0);
  }

  /** Appends events inside `tx`; call `committed()` after the transaction commits. */
  async append(tx: Tx, rows: readonly NewEvent[]): Promise<number[]> {
    if (rows.length === 0) return [];
    await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_APPEND_LOCK})`);
    const out = await tx
      .insert(events)
      .values(
        rows.map((r) => ({
          ...r,
          caseId: r.caseId ?? null,
          gridId: r.gridId ?? null,
          userId: r.userId ?? null,
          workerId: r.workerId ?? null,
        })),
      )
      .returning({ seq: events.seq });
    return out.map((r) => r.seq);
  }

  /** Tells other server processes that events were appended (set by the cluster bus). */
  notifyOthers: () => void = () => {};

  /** Wakes every follower, here and on the other processes: new events are readable. */
  committed(): void {
    this.wake.emit('append');
    this.notifyOthers();
  }

  /** Another process appended: wake the followers here. */
  appendedElsewhere(): void {
    this.wake.emit('append');
  }

  /** The newest sequence number (0 when empty). */
  async latestSeq(): Promise<number> {
    const [row] = await this.db.select({ max: sql<string | null>`max(${events.seq})` }).from(events);
    return row?.max ? Number(row.max) : 0;
  }

  /** Events after `seq`, oldest first; with `gridIds`, only events in those grids (jurisdiction). */
  async readAfter(seq: number, limit: number, gridIds?: readonly GridId[]): Promise<EventRow[]> {
    // Events with no grid (boundary publishes, city-wide alerts) concern every jurisdiction.
    const where = gridIds
      ? and(gt(events.seq, seq), or(isNull(events.gridId), inArray(events.gridId, [...gridIds])))
      : gt(events.seq, seq);
    return this.db.select().from(events).where(where).orderBy(asc(events.seq)).limit(limit);
  }

  /** Resolves when new events were committed, or after `timeoutMs` (a safety net), or on abort. */
  waitForAppend(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.off('append', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.wake.once('append', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

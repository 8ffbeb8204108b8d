import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { cases, city } from '../db/schema.ts';
import type { CaseTermsSource } from '../deadlines/deadline-directory.ts';
import type { FactTerms } from '../indicators/case-facts.ts';
import type { Logger } from '../log.ts';
import { writeHistoryCases, type PlannedCase } from './seed-history.ts';

// The older case history of a first start, written behind a server that already listens: the
// wall and the desks work on the recent cases while months of closed ones go in, newest first, in
// pieces of BATCH cases — one transaction each (row, timeline and indicator facts of a case
// together), after which the record says up to where periods are complete. A stop between pieces
// leaves whole cases only; the next start finds `history_complete_from` set and writes what is missing.

/** Cases per transaction: short enough that the embedded database (one connection) serves requests between them. */
export const HISTORY_BATCH = 100;
/** The least rest between pieces (ms), even after a quick one. */
const MIN_REST_MS = 20;

/** Waits about as long as the last piece took (at least MIN_REST_MS), or until stopped. */
export function rest(pieceMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(MIN_REST_MS, pieceMs));
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
/** Serialises writers of the history across processes on one PostgreSQL database. */
const HISTORY_LOCK = 0x6763_6303;

export interface HistoryStatus {
  /** True while older history is still being written. */
  loading: boolean;
  /** History cases in the record, of `total`. */
  loaded: number;
  total: number;
  /** loaded / total, 1 when there is nothing to load. */
  fraction: number;
  /** While loading: periods from this instant on are complete (earlier ones lack cases); null once complete. */
  completeFrom: number | null;
  /** The load stopped on an error (the next start resumes it). */
  failed: boolean;
}

const DONE: HistoryStatus = {
  loading: false,
  loaded: 0,
  total: 0,
  fraction: 1,
  completeFrom: null,
  failed: false,
};

export class HistoryLoader {
  private state: HistoryStatus = DONE;
  private readonly stopper = new AbortController();
  private readonly listeners = new Set<(s: HistoryStatus) => void>();
  /** Settles when the history is complete, the load stopped, or failed. */
  done: Promise<void> = Promise.resolve();

  status(): HistoryStatus {
    return this.state;
  }

  /** Called after every piece written, and once at the end. */
  onProgress(listener: (s: HistoryStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(next: HistoryStatus): void {
    this.state = next;
    for (const l of this.listeners) l(next);
  }

  /**
   * Says the history is loading before the load starts (the address points go in first, and a
   * resumed start generates the city again): `loaded` of `total` cases are in the record.
   */
  expect(opts: { loaded: number; total: number; completeFrom: number }): void {
    const { loaded, total, completeFrom } = opts;
    this.set({
      loading: true,
      loaded,
      total,
      fraction: Math.min(loaded / Math.max(total, 1), 0.999),
      completeFrom,
      failed: false,
    });
  }

  /** Nothing was left to write after all (another process wrote it, or a run just before a stop). */
  finish(): void {
    this.set({ ...DONE, loaded: this.state.loaded, total: this.state.total });
  }

  /** What had to come first failed: the history is not loaded by this process (the next start resumes it). */
  fail(err: unknown, log: Logger): void {
    log.error({ err }, 'case history load failed; the next start resumes it');
    this.set({ ...this.state, loading: false, failed: true });
  }

  /** True once stop() was called. */
  stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  /**
   * Writes `older` (newest last step first) in pieces. `total` is the history's case count; the
   * cases already in the record count as loaded.
   */
  start(opts: {
    db: Db;
    older: readonly PlannedCase[];
    total: number;
    terms: CaseTermsSource;
    facts: FactTerms;
    log: Logger;
    /** Waited for before each piece: tests hold the load mid-way (settle on `signal` to let a stop through). */
    beforeBatch?: (index: number, signal: AbortSignal) => Promise<void>;
  }): void {
    const { older, total, log } = opts;
    this.set({
      loading: true,
      loaded: 0,
      total,
      fraction: 0,
      completeFrom: older[0] ? older[0].lastEventAt + 1 : null,
      failed: false,
    });
    this.done = this.run(opts).catch((err: unknown) => this.fail(err, log));
  }

  private async run(opts: Parameters<HistoryLoader['start']>[0]): Promise<void> {
    const { db, older, total, terms, facts, log } = opts;
    const signal = this.stopper.signal;
    const inRecord = async () => {
      const [row] = await db
        .select({ n: count() })
        .from(cases)
        .where(sql`${cases.id} <= ${total}`);
      return row?.n ?? 0;
    };
    let loaded = await inRecord();
    this.set({ ...this.state, loaded, fraction: Math.min(loaded / Math.max(total, 1), 0.999) });
    const t0 = performance.now();
    log.info(
      { cases: older.length, loaded, of: total },
      'loading older case history behind the running server',
    );
    let told = Math.floor((loaded / Math.max(total, 1)) * 10);
    for (let i = 0, k = 0; i < older.length; i += HISTORY_BATCH, k++) {
      if (signal.aborted) return;
      await opts.beforeBatch?.(k, signal);
      if (signal.aborted) return;
      const piece = older.slice(i, i + HISTORY_BATCH);
      const next = older[i + HISTORY_BATCH];
      const completeFrom = next ? next.lastEventAt + 1 : null;
      const started = performance.now();
      const wrote = await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${HISTORY_LOCK})`);
        const n = await writeHistoryCases(tx, piece, terms, facts);
        await tx.update(city).set({ historyCompleteFrom: completeFrom }).where(eq(city.id, 1));
        return n;
      });
      loaded += wrote;
      const fraction = completeFrom === null ? 1 : Math.min(loaded / Math.max(total, 1), 0.999);
      this.set({ loading: completeFrom !== null, loaded, total, fraction, completeFrom, failed: false });
      if (Math.floor(fraction * 10) > told) {
        told = Math.floor(fraction * 10);
        log.info({ loaded, of: total, percent: Math.round(fraction * 100) }, 'loading older case history');
      }
      // The server's thread (and the embedded database's single connection) is shared with every
      // request: the load takes at most half of it, so the wall and the desks answer meanwhile.
      if (completeFrom !== null) await rest(performance.now() - started, signal);
    }
    // Planner statistics for the tables just filled: the embedded database runs no autovacuum, and
    // the indicators' queries would otherwise be planned for the few rows of the first start.
    if (!signal.aborted) await db.execute(sql`analyze cases, events, case_facts`);
    log.info({ loaded, of: total, ms: Math.round(performance.now() - t0) }, 'case history complete');
  }

  /** Stops between pieces (what is written stays; the next start resumes). */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.done;
  }
}

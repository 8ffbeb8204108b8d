import type { GridId } from '@gcc/shared';
import { EventEmitter } from 'node:events';
import type { EventLog, EventRow } from './event-log.ts';

// One reader of the event table per server process, fanning out in memory: every open stream
// (walls, desks) reads from a window of recent events instead of querying the table on each
// wake-up — 20 walls cost one query per append, not twenty. The window holds every committed
// event with seq in (windowFrom, head]; a client resuming from before the window is served from
// the table (catch-up), and one that fell further behind than RESYNC_GAP is told to resync from
// a snapshot. Appends on this process wake the reader at once; appends by other processes are
// seen on a short poll (or at once with a pub/sub wake-up).

/** Events kept in memory for resuming clients. */
const WINDOW = 20_000;
/** A client this many events behind reloads a snapshot instead of replaying them all. */
export const RESYNC_GAP = 100_000;
const PAGE = 1000;

export class EventHub {
  private rows: EventRow[] = [];
  private windowFrom = 0;
  private head = 0;
  private readonly emitter = new EventEmitter();
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private pulling: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: EventLog,
    private readonly pollMs = 2000,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Starts reading from the newest event. */
  async start(): Promise<void> {
    this.head = await this.log.latestSeq();
    this.windowFrom = this.head;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.emitter.emit('head');
    await this.loop;
  }

  /** The newest sequence number this process has read. */
  get latest(): number {
    return this.head;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.pull();
      } catch {
        // The table is unreachable for a moment: the next poll retries; streams keep waiting.
      }
      if (this.stopped) break;
      await this.log.waitForAppend(this.pollMs, this.abort.signal);
    }
  }

  /** Reads everything after `head` into the window and wakes the streams (one pull at a time). */
  pull(): Promise<void> {
    this.pulling = this.pulling.then(
      () => this.pullNow(),
      () => this.pullNow(),
    );
    return this.pulling;
  }

  private async pullNow(): Promise<void> {
    for (;;) {
      const rows = await this.log.readAfter(this.head, PAGE);
      if (rows.length === 0) return;
      for (const r of rows) this.rows.push(r);
      this.head = rows[rows.length - 1]!.seq;
      if (this.rows.length > WINDOW) {
        const drop = this.rows.length - WINDOW;
        this.windowFrom = this.rows[drop - 1]!.seq;
        this.rows = this.rows.slice(drop);
      }
      this.emitter.emit('head');
      if (rows.length < PAGE) return;
    }
  }

  /**
   * Events after `after` the user may see (`gridIds`: jurisdiction; events without a grid concern
   * everyone), oldest first, at most `limit`, and the cursor to continue from (past events the
   * user may not see, so a filtered stream never re-scans them); or 'resync' when the client is
   * too far behind.
   */
  async read(
    after: number,
    limit: number,
    gridIds?: readonly GridId[],
  ): Promise<{ rows: EventRow[]; cursor: number } | 'resync'> {
    const head = this.head;
    if (head - after > RESYNC_GAP) return 'resync';
    if (after < this.windowFrom) {
      const rows = await this.log.readAfter(after, limit, gridIds);
      // Fewer than asked: nothing else the user may see up to the head read before the query.
      return {
        rows,
        cursor:
          rows.length === limit ? rows[rows.length - 1]!.seq : Math.max(head, rows.at(-1)?.seq ?? after),
      };
    }
    const grids = gridIds ? new Set(gridIds) : null;
    const rows: EventRow[] = [];
    // First row with seq > after (binary search: the window is in seq order).
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid]!.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.rows.length; i++) {
      const r = this.rows[i]!;
      if (grids && r.gridId !== null && !grids.has(r.gridId)) continue;
      rows.push(r);
      if (rows.length === limit) return { rows, cursor: r.seq };
    }
    return { rows, cursor: Math.max(after, this.rows.at(-1)?.seq ?? after) };
  }

  /** Resolves when this process has read past `seq`, after `timeoutMs`, or on abort. */
  waitBeyond(seq: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.head > seq || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off('head', check);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const check = () => {
        if (this.head > seq || this.stopped) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.emitter.on('head', check);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

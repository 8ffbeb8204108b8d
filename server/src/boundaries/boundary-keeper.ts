import { and, asc, desc, eq, gt, isNull, lte } from 'drizzle-orm';
import type { BoundaryVersion, GridId } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { boundaryVersions } from '../db/schema.ts';
import type { ClusterBus } from '../live/cluster-bus.ts';
import type { EventLog } from '../live/event-log.ts';
import type { Logger } from '../log.ts';
import { Boundary } from '../spatial/boundary.ts';
import { activateVersion } from './activate.ts';
import { rekeyRows } from './re-key.ts';

// The boundary version in force on this process, and the moment it changes. The next Boundary
// (grid rows, unit tree, GridIndex) is built whole, the parts that hang off it prepare their next
// state (workers' home grids), and only then is one reference swapped, synchronously: a position
// or a case is located against the old index or the new one, never a half-built one.
//
// When: after this process publishes; when another process says so on the cluster bus; at a
// scheduled version's effective time (a timer per pending version, armed at start and whenever
// versions change); and on a slow safety poll. A scheduled version is activated (rows re-keyed,
// event appended) once, by whichever process gets there first (`activated_at` is set under the row
// lock); every process then loads it by itself.

/**
 * A part's next state for a new boundary (`previous` is the one in force until the swap), applied
 * in the same tick as the swap.
 */
export type SwapPreparer = (next: Boundary, previous: Boundary) => Promise<(() => void) | void>;

/** Longest setTimeout delay; a later version is re-armed on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Safety poll: a lost bus message or a timer missed during a pause is caught this late. */
const POLL_MS = 30_000;

export class BoundaryKeeper {
  private current: Boundary;
  private readonly preparers: SwapPreparer[] = [];
  private readonly timers = new Map<BoundaryVersion, ReturnType<typeof setTimeout>>();
  private poll: ReturnType<typeof setInterval> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly eventLog: EventLog,
    private readonly bus: ClusterBus,
    private readonly log: Logger,
    initial: Boundary,
    /** The clock every decision of "now" reads (injected by tests). */
    readonly clock: () => number = Date.now,
  ) {
    this.current = initial;
  }

  /** The boundary version in force on this process. */
  get(): Boundary {
    return this.current;
  }

  /** Registers a part that must follow a swap (prepared before, applied in the swap's tick). */
  onSwap(prepare: SwapPreparer): void {
    this.preparers.push(prepare);
  }

  /** Starts the timers, the bus listener and the safety poll. */
  async start(): Promise<void> {
    this.bus.onRemoteBoundary(() => void this.refresh().catch((err: unknown) => this.warn(err)));
    this.poll = setInterval(() => void this.refresh().catch((err: unknown) => this.warn(err)), POLL_MS);
    this.poll.unref();
    await this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private warn(err: unknown): void {
    this.log.warn({ err }, 'boundary refresh failed (retried on the next poll)');
  }

  /** This process published: take the version if it is in force, arm its timer if not, tell the others. */
  async published(): Promise<void> {
    await this.refresh();
    this.bus.publishBoundary();
  }

  /**
   * Activates versions whose time has come, loads the version in force at `at` and swaps to it,
   * moves rows left on retired grids, and arms timers for scheduled versions. One at a time.
   */
  refresh(at = this.clock()): Promise<void> {
    const run = this.chain.then(() => this.refreshNow(at));
    this.chain = run.catch(() => {});
    return run;
  }

  private async refreshNow(at: number): Promise<void> {
    if (this.stopped) return;
    const activated = await this.activateDue(at);
    const [inForce] = await this.db
      .select({ version: boundaryVersions.version, note: boundaryVersions.note })
      .from(boundaryVersions)
      .where(lte(boundaryVersions.effectiveAt, at))
      .orderBy(desc(boundaryVersions.version))
      .limit(1);
    // A version activated here right now is swapped in even when it was loaded already (at start,
    // before its rows were re-keyed): the parts re-read what the activation moved.
    if (inForce && (inForce.version !== this.current.version || activated)) {
      const next =
        inForce.version > this.current.version
          ? await this.current.next(this.db, inForce.version, inForce.note)
          : await Boundary.loadVersion(this.db, inForce.version, inForce.note);
      await this.swap(next);
      // Not awaited: the version is in force already; stragglers are a moment's rows, moved in the background.
      void this.sweep(next).catch((err: unknown) => this.warn(err));
    }
    if (activated) this.bus.publishBoundary();
    await this.arm(at);
  }

  /** Builds every part's next state, then swaps them all in one tick. */
  private async swap(next: Boundary): Promise<void> {
    const t0 = performance.now();
    const commits = await Promise.all(this.preparers.map((p) => p(next, this.current)));
    const from = this.current.version;
    this.current = next;
    for (const commit of commits) commit?.();
    this.log.info(
      { from, to: next.version, grids: next.grids.length, ms: Math.round(performance.now() - t0) },
      'boundary version swapped',
    );
  }

  /** Activates every due version not yet activated, oldest first; true when this process activated one. */
  private async activateDue(at: number): Promise<boolean> {
    const due = await this.db
      .select()
      .from(boundaryVersions)
      .where(and(isNull(boundaryVersions.activatedAt), lte(boundaryVersions.effectiveAt, at)))
      .orderBy(asc(boundaryVersions.version));
    let any = false;
    for (const v of due) {
      if (v.planId === null) continue;
      const planId = v.planId;
      const won = await this.db.transaction(async (tx) => {
        // The row lock decides which process activates; the others find it done and only load it.
        const [mine] = await tx
          .update(boundaryVersions)
          .set({ activatedAt: at })
          .where(and(eq(boundaryVersions.version, v.version), isNull(boundaryVersions.activatedAt)))
          .returning({ version: boundaryVersions.version });
        if (!mine) return false;
        await activateVersion(
          tx,
          {
            version: v.version,
            previousVersion: (v.version - 1) as BoundaryVersion,
            planId,
            name: v.note,
            publishedAt: v.publishedAt,
            effectiveAt: v.effectiveAt,
          },
          at,
          true,
          this.eventLog,
        );
        return true;
      });
      if (won) {
        this.eventLog.committed();
        any = true;
      }
    }
    return any;
  }

  /**
   * Rows still keyed to a grid the version in force no longer has: a case reported on another
   * process's old index in the moment of a swap. Moved by location, like the publish moved the others.
   */
  private async sweep(b: Boundary): Promise<void> {
    const pool = b.grids;
    const nearest = (lng: number, lat: number): GridId => {
      let best = pool[0]!.id;
      let bestD = Infinity;
      for (const g of pool) {
        const p = g.polygon[0]?.[0]?.[0];
        const d = p ? (p[0]! - lng) ** 2 + (p[1]! - lat) ** 2 : Infinity;
        if (d < bestD) [best, bestD] = [g.id, d];
      }
      return best;
    };
    const moved = await this.db.transaction((tx) =>
      rekeyRows(
        tx,
        b.version,
        { changed: b.index, anywhere: () => null, nearest, codeOf: (g) => b.gridById.get(g)!.code },
        true,
        { through: true },
      ),
    );
    const n = Object.values(moved.rekeyed).reduce((a, c) => a + c, 0);
    if (n) this.log.info({ version: b.version, ...moved.rekeyed }, 'rows left on retired grids re-keyed');
  }

  /** A timer per scheduled version, at its effective time (each process arms its own). */
  private async arm(at: number): Promise<void> {
    const pending = await this.db
      .select({ version: boundaryVersions.version, effectiveAt: boundaryVersions.effectiveAt })
      .from(boundaryVersions)
      .where(and(isNull(boundaryVersions.activatedAt), gt(boundaryVersions.effectiveAt, at)));
    for (const v of pending) {
      if (this.timers.has(v.version) || this.stopped) continue;
      const delay = Math.min(MAX_TIMER_MS, Math.max(0, v.effectiveAt - this.clock()));
      const timer = setTimeout(() => {
        this.timers.delete(v.version);
        void this.refresh().catch((err: unknown) => this.warn(err));
      }, delay);
      timer.unref();
      this.timers.set(v.version, timer);
    }
  }
}

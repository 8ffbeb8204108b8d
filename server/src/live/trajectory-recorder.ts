import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Position, WorkerId } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { trajectoryChunks } from '../db/schema.ts';
import { metres } from '../sim/road-graph.ts';
import { runEvery } from './periodic.ts';
import type { PositionStore } from './position-store.ts';
import { decodeChunk, encodeSegment, type TrajectoryPoint } from './trajectory-codec.ts';

// Keeps each worker's track for replay, downsampled: a fix is kept when at least 15 s and 20 m
// lie between it and the last kept one, or 5 minutes have passed (a standing worker still shows
// as present). Kept points wait in memory and are appended to the worker's hour row every
// minute (one statement for all workers); rows older than the retention are deleted hourly.
// Fixes arrive in time order per worker (the live store drops older ones before they get here).

const HOUR_MS = 3600_000;
export const TRAJECTORY_RULES = {
  minGapMs: 15_000,
  minMoveM: 20,
  heartbeatMs: 5 * 60_000,
  retentionDays: 30,
} as const;
/** Rows per statement when flushing. */
const FLUSH_ROWS = 2000;
/** Longest span one replay request may cover. */
export const MAX_REPLAY_MS = 24 * HOUR_MS;

export class TrajectoryRecorder {
  private readonly lastAt: Float64Array;
  private readonly lastLng: Float64Array;
  private readonly lastLat: Float64Array;
  private pending = new Map<number, TrajectoryPoint[]>();

  constructor(
    private readonly db: Db,
    private readonly positions: PositionStore,
  ) {
    this.lastAt = new Float64Array(positions.capacity);
    this.lastLng = new Float64Array(positions.capacity);
    this.lastLat = new Float64Array(positions.capacity);
    positions.onFix((slot, p) => this.observe(slot, p));
  }

  /** Decides whether an accepted fix is kept. */
  observe(slot: number, p: Position): void {
    const gap = p.at - this.lastAt[slot]!;
    if (gap < TRAJECTORY_RULES.minGapMs) return;
    if (
      gap < TRAJECTORY_RULES.heartbeatMs &&
      metres(this.lastLng[slot]!, this.lastLat[slot]!, p.lng, p.lat) < TRAJECTORY_RULES.minMoveM
    )
      return;
    this.lastAt[slot] = p.at;
    this.lastLng[slot] = p.lng;
    this.lastLat[slot] = p.lat;
    let list = this.pending.get(slot);
    if (!list) this.pending.set(slot, (list = []));
    list.push({ at: p.at, lng: p.lng, lat: p.lat, speed: p.speed, heading: p.heading });
  }

  /** Points kept but not yet written. */
  get pendingCount(): number {
    let n = 0;
    for (const l of this.pending.values()) n += l.length;
    return n;
  }

  /** Appends every pending point to its worker's hour row; returns the number of points written. */
  async flush(): Promise<number> {
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    const ids: number[] = [];
    const hours: number[] = [];
    const blobs: string[] = [];
    const counts: number[] = [];
    const slotsOfRow: number[] = [];
    let flushedRows = 0;
    let points = 0;
    for (const [slot, list] of batch) {
      const workerId = this.positions.workerAt(slot);
      let start = 0;
      while (start < list.length) {
        const hour = Math.floor(list[start]!.at / HOUR_MS) * HOUR_MS;
        let end = start;
        while (end < list.length && list[end]!.at < hour + HOUR_MS) end++;
        ids.push(workerId);
        slotsOfRow.push(slot);
        hours.push(hour);
        blobs.push(Buffer.from(encodeSegment(hour, list.slice(start, end))).toString('base64'));
        counts.push(end - start);
        points += end - start;
        start = end;
      }
    }
    try {
      // Slices of rows, yielding between them: the embedded database runs on this thread.
      for (let i = 0; i < ids.length; i += FLUSH_ROWS) {
        const end = Math.min(ids.length, i + FLUSH_ROWS);
        const list = (xs: (number | string)[]) => `{${xs.slice(i, end).join(',')}}`;
        // Arrays as single parameters (base64 text needs no quoting inside an array literal).
        await this.db.execute(sql`
          insert into ${trajectoryChunks} (worker_id, hour_start, points, count)
          select w, h, decode(p, 'base64'), n from unnest(${list(ids)}::int[], ${list(hours)}::bigint[], ${list(blobs)}::text[], ${list(counts)}::int[]) as t(w, h, p, n)
          on conflict (worker_id, hour_start) do update set
            points = ${trajectoryChunks}.points || excluded.points, count = ${trajectoryChunks}.count + excluded.count`);
        flushedRows = end;
        await new Promise((r) => setImmediate(r));
      }
    } catch (err) {
      // Put back the points of workers with rows not written (in front of newer ones) for the next flush;
      // a worker spanning an hour boundary may then get its earlier hour's points twice (replay sorts).
      const unwritten = new Set(slotsOfRow.slice(flushedRows));
      for (const [slot, list] of batch)
        if (unwritten.has(slot)) this.pending.set(slot, [...list, ...(this.pending.get(slot) ?? [])]);
      throw err;
    }
    return points;
  }

  /** A worker's kept points in [from, to), written and pending. */
  async replay(workerId: WorkerId, from: number, to: number): Promise<TrajectoryPoint[]> {
    const rows = await this.db
      .select()
      .from(trajectoryChunks)
      .where(
        and(
          eq(trajectoryChunks.workerId, workerId),
          gte(trajectoryChunks.hourStart, Math.floor(from / HOUR_MS) * HOUR_MS),
          lt(trajectoryChunks.hourStart, to),
        ),
      )
      .orderBy(trajectoryChunks.hourStart);
    const out: TrajectoryPoint[] = [];
    for (const r of rows) out.push(...decodeChunk(r.hourStart, r.points));
    const slot = this.positions.slotOf(workerId);
    if (slot !== undefined) out.push(...(this.pending.get(slot) ?? []));
    return out.filter((p) => p.at >= from && p.at < to).sort((a, b) => a.at - b.at);
  }

  /** Deletes rows older than the retention. */
  async prune(now = Date.now()): Promise<void> {
    await this.db
      .delete(trajectoryChunks)
      .where(lt(trajectoryChunks.hourStart, now - TRAJECTORY_RULES.retentionDays * 24 * HOUR_MS));
  }
}

/** Flushes every `periodMs`, prunes hourly, flushes once more on stop. */
export function startTrajectoryRecording(
  recorder: TrajectoryRecorder,
  onError: (err: unknown) => void,
  periodMs = 60_000,
) {
  const flush = runEvery(periodMs, () => recorder.flush(), onError, { onStop: () => recorder.flush() });
  const prune = runEvery(HOUR_MS, () => recorder.prune(), onError);
  return {
    flush: () => flush.runNow(),
    async stop() {
      await prune.stop();
      await flush.stop();
    },
  };
}

import { sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { workerPositions } from '../db/schema.ts';
import { runEvery } from './periodic.ts';
import type { PositionStore } from './position-store.ts';

// Write-behind of the newest positions: the live store is the fast path, the table lets a
// restarted server show every worker where it was last seen. Trajectories are a separate
// (downsampled) table, added with device ingest.

/**
 * Rows per statement. The embedded database runs on the server's own thread: a statement blocks
 * the event loop while it runs, so write-behind goes in slices that each cost a few tens of ms
 * (one 40,000-row statement stalled live frames for most of a second).
 */
const BATCH = 2000;

/** A PostgreSQL array literal of numbers ('{1,2.5,NULL}'), sent as one text parameter. */
const arr = (xs: ArrayLike<number | null>): string => {
  let out = '{';
  for (let i = 0; i < xs.length; i++) out += (i ? ',' : '') + (xs[i] === null ? 'NULL' : String(xs[i]));
  return `${out}}`;
};

/**
 * Upserts the positions that changed since the last call; returns how many rows were written.
 * One statement per slice with the columns as arrays (unnest): building a many-row VALUES list
 * through the query builder cost more CPU than the whole ingest path at city scale.
 */
export async function persistPositions(db: Db, store: PositionStore): Promise<number> {
  const slots = store.takeUnpersistedRows();
  for (let i = 0; i < slots.length; i += BATCH) {
    const rows = Array.from(slots.subarray(i, i + BATCH), (s) => store.row(s));
    await db.execute(sql`
      insert into ${workerPositions} (worker_id, lng, lat, at, speed, heading, accuracy, grid_id)
      select * from unnest(${arr(rows.map((r) => r.workerId))}::int[], ${arr(rows.map((r) => r.lng))}::float8[], ${arr(rows.map((r) => r.lat))}::float8[],
        ${arr(rows.map((r) => r.at))}::bigint[], ${arr(rows.map((r) => r.speed))}::real[], ${arr(rows.map((r) => r.heading))}::real[],
        ${arr(rows.map((r) => r.accuracy))}::real[], ${arr(rows.map((r) => r.gridId))}::int[])
      on conflict (worker_id) do update set
        lng = excluded.lng, lat = excluded.lat, at = excluded.at, speed = excluded.speed,
        heading = excluded.heading, accuracy = excluded.accuracy, grid_id = excluded.grid_id
      -- Newest wins here too: a slower writer never overwrites a newer row.
      where excluded.at > ${workerPositions}.at`);
    // Let frames and requests through between slices.
    await new Promise((r) => setImmediate(r));
  }
  return slots.length;
}

/** Persists changed positions every `periodMs`, and once more on stop. */
export function startPositionPersistence(
  db: Db,
  store: PositionStore,
  periodMs = 15_000,
  onError: (err: unknown) => void = () => {},
) {
  const job = runEvery(periodMs, () => persistPositions(db, store), onError, {
    onStop: () => persistPositions(db, store),
  });
  return { flush: () => job.runNow(), stop: () => job.stop() };
}

import { sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { workerPositions } from '../db/schema.ts';
import type { PositionStore } from './position-store.ts';

// Write-behind of the newest positions: the live store is the fast path, the table lets a
// restarted server show every worker where it was last seen. Trajectories are a separate
// (downsampled) table, added with device ingest.

const BATCH = 1000;

/** Upserts the positions that changed since the last call; returns how many rows were written. */
export async function persistPositions(db: Db, store: PositionStore): Promise<number> {
  const slots = store.takeUnpersistedRows();
  for (let i = 0; i < slots.length; i += BATCH) {
    await db
      .insert(workerPositions)
      .values(Array.from(slots.subarray(i, i + BATCH), (s) => store.row(s)))
      .onConflictDoUpdate({
        target: workerPositions.workerId,
        set: {
          lng: sql`excluded.lng`, lat: sql`excluded.lat`, at: sql`excluded.at`, speed: sql`excluded.speed`,
          heading: sql`excluded.heading`, accuracy: sql`excluded.accuracy`, gridId: sql`excluded.grid_id`,
        },
        // Newest wins here too: a slower writer never overwrites a newer row.
        setWhere: sql`excluded.at > ${workerPositions.at}`,
      });
  }
  return slots.length;
}

/** Persists changed positions every `periodMs`, and once more on stop. */
export function startPositionPersistence(db: Db, store: PositionStore, periodMs = 15_000, onError: (err: unknown) => void = () => {}) {
  let running: Promise<void> = Promise.resolve();
  const flush = () => {
    running = running.then(async () => {
      try {
        await persistPositions(db, store);
      } catch (err) {
        onError(err);
      }
    });
    return running;
  };
  const timer = setInterval(() => void flush(), periodMs);
  return {
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

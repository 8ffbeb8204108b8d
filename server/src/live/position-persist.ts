import { sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { workerPositions } from '../db/schema.ts';
import type { PositionStore } from './position-store.ts';

// Write-behind of the newest positions: the live store is the fast path, the table lets a
// restarted server show every worker where it was last seen. Trajectories are a separate
// (downsampled) table, added with device ingest.

const BATCH = 1000;

/** Upserts every known position; returns how many rows were written. */
export async function persistPositions(db: Db, store: PositionStore, since: number): Promise<number> {
  const rows = [...store.positions()].filter((p) => p.at > since);
  for (let i = 0; i < rows.length; i += BATCH) {
    await db
      .insert(workerPositions)
      .values(rows.slice(i, i + BATCH).map((p) => ({ ...p, accuracy: 10 })))
      .onConflictDoUpdate({
        target: workerPositions.workerId,
        set: {
          lng: sql`excluded.lng`, lat: sql`excluded.lat`, at: sql`excluded.at`, speed: sql`excluded.speed`,
          heading: sql`excluded.heading`, gridId: sql`excluded.grid_id`,
        },
        setWhere: sql`excluded.at > ${workerPositions.at}`,
      });
  }
  return rows.length;
}

/** Persists changed positions every `periodMs`, and once more on stop. */
export function startPositionPersistence(db: Db, store: PositionStore, periodMs = 15_000, onError: (err: unknown) => void = () => {}) {
  let since = 0;
  let running: Promise<void> = Promise.resolve();
  const flush = () => {
    running = running.then(async () => {
      const startedAt = Date.now();
      try {
        await persistPositions(db, store, since);
        since = startedAt - 1000;
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

import { loadConfig, startServer, type RunningServer } from '@gcc/server';
import { createTestDatabase } from './test-database.ts';

// A real server on a free loopback port, on an in-memory PGlite or on a fresh database of the
// test PostgreSQL server, with the `tiny` city. Integration tests run against both.

export type DbKind = 'pglite' | 'postgres';

export async function startTestServer(opts: {
  db: DbKind;
  pgUrl?: string | null;
  env?: Record<string, string>;
  /** A second server on the database of a first one (PostgreSQL): two processes, one record. */
  databaseUrl?: string;
  /**
   * Holds the older history of a first start before each piece (a test watching it load); without
   * it the server is handed over once its whole history is written, as the tests expect a city.
   */
  beforeHistoryBatch?: (index: number, signal: AbortSignal) => Promise<void>;
  /** The same before each piece of a first start's address points (they go in before the history). */
  beforePointPiece?: (index: number, signal: AbortSignal) => Promise<void>;
}): Promise<RunningServer & { databaseUrl?: string }> {
  let databaseUrl = opts.databaseUrl;
  if (opts.db === 'postgres' && !databaseUrl) {
    if (!opts.pgUrl) throw new Error('no PostgreSQL server for this run');
    databaseUrl = await createTestDatabase(opts.pgUrl);
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: 'memory://',
    CITY_PROFILE: 'tiny',
    SIMULATOR: 'off',
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...opts.env,
  });
  const server = await startServer(config, {
    ...(opts.beforeHistoryBatch ? { beforeBatch: opts.beforeHistoryBatch } : {}),
    ...(opts.beforePointPiece ? { beforePointPiece: opts.beforePointPiece } : {}),
  });
  if (!opts.beforeHistoryBatch && !opts.beforePointPiece) await server.services.history.done;
  return databaseUrl ? { ...server, databaseUrl } : server;
}

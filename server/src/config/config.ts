import { z } from 'zod';
import { DEFAULT_SEED } from '@gcc/data';

// Every setting comes from the environment, validated once at start; a bad value stops the
// server with a message that names it.

const bool = z
  .enum(['0', '1', 'true', 'false', 'on', 'off'])
  .transform((v) => v === '1' || v === 'true' || v === 'on');

const EnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  /** Redis for running several server processes together (needs DATABASE_URL): position relay, event wake-ups, socket.io adapter. */
  REDIS_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./.data/pglite'),
  /**
   * Where a fresh PGlite database finds (and leaves) the dump of a migrated empty one, so as not to
   * run initdb again (db/pglite-template.ts); `off` makes every fresh database from nothing.
   */
  PGLITE_TEMPLATES: z.string().min(1).optional(),
  CITY_PROFILE: z.enum(['tiny', 'demo', 'quzhou', 'stress']).default('demo'),
  CITY_SEED: z.coerce.number().int().default(DEFAULT_SEED),
  /** Days of case history the first start seeds (the profile's own figure when unset). */
  SEED_HISTORY_DAYS: z.coerce.number().int().min(0).max(365).optional(),
  /** A pause between the pieces of the older history written behind a first start (tests and demonstrations watch it load). */
  SEED_HISTORY_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Address points per piece written behind a first start (tests make it small to stop a load between pieces). */
  SEED_POINT_PIECE: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /** The demo simulator; on by default in demo mode only (in production it would move real workers). */
  SIMULATOR: bool.optional(),
  /** Simulated seconds per real second: walking, intake, and every delay of the simulated desk and workers. */
  SIM_SPEED: z.coerce.number().min(0.1).max(1000).default(1),
  /** The simulated command-center desk (立案, 派遣, 核查, 结案, 评价); off leaves those steps to people at the console. */
  SIM_DESK: bool.default(true),
  /** Share of handled cases the simulated inspector fails (返工). */
  SIM_REWORK_SHARE: z.coerce.number().min(0).max(1).default(0.03),
  /** Cases the simulator reports per simulated day across the city (0 = none). */
  SIM_CASES_PER_DAY: z.coerce.number().min(0).max(200_000).optional(),
  SESSION_SECRET: z.string().optional(),
  /** A MapLibre style URL to use instead of the offline style drawn from the city. */
  MAP_STYLE_URL: z.string().optional(),
  /** Where the built web app lives. */
  WEB_DIST: z.string().optional(),
  /** Trust X-Forwarded-For from this many proxy hops (0 = the socket address is the client). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Position frames per second to a client that does not ask for a rate. */
  POSITION_HZ: z.coerce.number().min(0.5).max(10).default(2),
  /** Highest rate a client may ask for (handshake `auth: { hz }`): the server's base tick. */
  POSITION_MAX_HZ: z.coerce.number().min(0.5).max(10).default(10),
  /** Live streams (position sockets + event subscriptions) one user may hold open on a process. */
  STREAMS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(64),
  /** A second port for the Traccar Client (OsmAnd at `/`); unset = only /api/osmand on PORT. */
  OSMAND_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** A worker on duty outside its own grid this long raises an alert (离岗). */
  ALERT_LEFT_GRID_MINUTES: z.coerce
    .number()
    .min(0.05)
    .max(24 * 60)
    .default(15),
  /** A worker on duty not heard from this long raises an alert (失联). */
  ALERT_SILENT_MINUTES: z.coerce
    .number()
    .min(0.05)
    .max(24 * 60)
    .default(10),
  /** Working minutes after a missed deadline before the case escalates by itself (0 = never). */
  OVERDUE_ESCALATE_MINUTES: z.coerce
    .number()
    .min(0)
    .max(30 * 24 * 60)
    .default(120),
  /** Requests per second one device may send (bursts of 20× are allowed: offline buffers). */
  DEVICE_RATE_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Omit<z.infer<typeof EnvSchema>, 'SIMULATOR'> & { demoMode: boolean; SIMULATOR: boolean };

/**
 * The NODE_ENV values that mean a developer's or a test's machine. Anything else — `production`,
 * `Production`, `staging`, a typo — runs as production: a deployment that misspells its mode must
 * not come up with demo passwords and insecure cookies.
 */
export const DEMO_NODE_ENVS: readonly string[] = ['development', 'test'];

/** Reads and validates the configuration; throws an Error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.REDIS_URL && !parsed.data.DATABASE_URL) {
    throw new Error(
      'invalid configuration:\n  REDIS_URL: several processes must share one PostgreSQL database (set DATABASE_URL)',
    );
  }
  const demoMode = DEMO_NODE_ENVS.includes(parsed.data.NODE_ENV);
  if (!demoMode && (!parsed.data.SESSION_SECRET || parsed.data.SESSION_SECRET.length < 32)) {
    throw new Error(
      `production mode (NODE_ENV=${parsed.data.NODE_ENV}) needs SESSION_SECRET (at least 32 characters)`,
    );
  }
  return { ...parsed.data, demoMode, SIMULATOR: parsed.data.SIMULATOR ?? demoMode };
}

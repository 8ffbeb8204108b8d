import { eq, sql } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { translate } from '@gcc/shared/messages';
import type { GeneratedAddressPoints } from '@gcc/data';
import type { Db } from '../db/connect.ts';
import { addressPoints, city } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { rest } from './history-loader.ts';

// The address points of a first start (about 490,000 on quzhou, ten seconds of writing on the
// embedded database), written behind a server that already listens, before the older history.
// Point k of the generated city (in generator order) is row k + 1, and the pieces go in id order,
// one transaction each: after a stop the record holds points 1…m, and the next start — having
// generated the same city again — writes from m + 1 on. `city.address_points_loading` is true
// until the last piece, in the same transaction; whoever reads address points (planner
// statistics, the gazetteer, a publish re-keying them) waits for it (`addressPointsReady`) and
// never counts from a part of them.

/** Serialises writers of the points across processes on one PostgreSQL database. */
const POINTS_LOCK = 0x6763_6304;
/** How long a reader waits for the points before it is refused (a load that failed stays incomplete). */
const READY_WAIT_MS = 60_000;
const POLL_MS = 250;

/** The refusal code of a read that needs the address points while they are still being written. */
export const ADDRESS_POINTS_LOADING = 'address-points-loading';

/** Databases seen with every point written: the flag never goes back, so they are not asked again. */
const complete = new WeakSet<object>();

async function loadingFlag(db: Pick<Db, 'select'>): Promise<boolean> {
  const [row] = await db.select({ loading: city.addressPointsLoading }).from(city).where(eq(city.id, 1));
  return row?.loading ?? false;
}

/**
 * Resolves once every address point of the city is in the record (at once, after a first start's
 * load); refused with the typed reason ADDRESS_POINTS_LOADING after READY_WAIT_MS.
 */
export async function addressPointsReady(db: Db, waitMs = READY_WAIT_MS): Promise<void> {
  if (complete.has(db)) return;
  const until = Date.now() + waitMs;
  for (;;) {
    if (!(await loadingFlag(db))) {
      complete.add(db);
      return;
    }
    if (Date.now() >= until)
      throw new TRPCError({
        code: 'PRECONDITION_FAILED',
        // data.reason for the client (api/trpc.ts errorFormatter).
        cause: Object.assign(new Error(ADDRESS_POINTS_LOADING), { reason: ADDRESS_POINTS_LOADING }),
        message: `${translate(`refusal.${ADDRESS_POINTS_LOADING}`, 'zh-CN')} / ${translate(`refusal.${ADDRESS_POINTS_LOADING}`, 'en')} (${ADDRESS_POINTS_LOADING})`,
      });
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The generated points as rows, each with its grid's code (points without one are left out). */
export interface PointRows {
  gridCode: string[];
  lng: number[];
  lat: number[];
  households: number[];
  residents: number[];
  label: string[];
}

/** The rows of `points`, in generator order, with the grid code `gridOf` gives each. */
export function pointRows(
  points: GeneratedAddressPoints,
  gridOf: (gridIndex: number, lng: number, lat: number) => string | null,
): PointRows {
  const rows: PointRows = { gridCode: [], lng: [], lat: [], households: [], residents: [], label: [] };
  for (let i = 0; i < points.lng.length; i++) {
    const lng = points.lng[i]!;
    const lat = points.lat[i]!;
    const code = gridOf(points.grid[i]!, lng, lat);
    if (code === null) continue;
    rows.gridCode.push(code);
    rows.lng.push(lng);
    rows.lat.push(lat);
    rows.households.push(points.households[i]!);
    rows.residents.push(points.residents[i]!);
    rows.label.push(points.labels[i]!);
  }
  return rows;
}

/** Writes rows [from, to) of `rows` as ids from + 1 … to, in one statement. */
export async function writePointRows(
  db: Pick<Db, 'execute'>,
  rows: PointRows,
  from: number,
  to: number,
): Promise<void> {
  const batch: { i: number; c: string; x: number; y: number; h: number; r: number; l: string }[] = [];
  for (let k = from; k < to; k++)
    batch.push({
      i: k + 1,
      c: rows.gridCode[k]!,
      x: rows.lng[k]!,
      y: rows.lat[k]!,
      h: rows.households[k]!,
      r: rows.residents[k]!,
      l: rows.label[k]!,
    });
  await db.execute(sql`
    insert into ${addressPoints} (id, grid_code, lng, lat, households, residents, label)
    select i, c, x, y, h, r, l
    from json_to_recordset(${JSON.stringify(batch)}::json) as p(i integer, c text, x double precision, y double precision, h integer, r integer, l text)`);
}

export interface PointLoadStatus {
  /** True until every point is in (also after a stop or a failure mid-way). */
  loading: boolean;
  failed: boolean;
  written: number;
  total: number;
}

/** Writes the points of a first start behind the running server; `done` settles when all are in, or on stop or failure. */
export class AddressPointLoader {
  private state: PointLoadStatus = { loading: false, failed: false, written: 0, total: 0 };
  private readonly stopper = new AbortController();
  done: Promise<void> = Promise.resolve();

  status(): PointLoadStatus {
    return this.state;
  }

  /** Starts the load: `rows` written from the first id the record lacks on. */
  start(opts: {
    db: Db;
    rows: PointRows;
    log: Logger;
    /** Points per transaction (config SEED_POINT_PIECE). */
    piece: number;
    /** Waited for before each piece (a pause for tests and demonstrations; settle on `signal` to let a stop through). */
    beforePiece?: (index: number, signal: AbortSignal) => Promise<void>;
  }): void {
    this.state = { loading: true, failed: false, written: 0, total: 0 };
    this.done = this.run(opts).catch((err: unknown) => {
      opts.log.error({ err }, 'address points not written; the next start resumes them');
      this.state = { ...this.state, failed: true };
    });
  }

  private async run(opts: Parameters<AddressPointLoader['start']>[0]): Promise<void> {
    const { db, log } = opts;
    const { piece } = opts;
    const signal = this.stopper.signal;
    const t0 = performance.now();
    const rows = opts.rows;
    const total = rows.gridCode.length;
    log.info({ points: total }, 'writing address points behind the running server');
    for (let k = 0; ; k++) {
      if (signal.aborted) return;
      await opts.beforePiece?.(k, signal);
      if (signal.aborted) return;
      const started = performance.now();
      const written = await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${POINTS_LOCK})`);
        // Another process (or a run before a stop) may have written further: go on from the record.
        if (!(await loadingFlag(tx))) return total;
        const [row] = await tx
          .select({ n: sql<number>`coalesce(max(${addressPoints.id}), 0)::int` })
          .from(addressPoints);
        const from = row?.n ?? 0;
        const to = Math.min(from + piece, total);
        if (to > from) await writePointRows(tx, rows, from, to);
        if (to >= total) {
          await tx.execute(
            sql`select setval(pg_get_serial_sequence('address_points', 'id'), greatest(${total}, 1), ${total > 0})`,
          );
          await tx.update(city).set({ addressPointsLoading: false }).where(eq(city.id, 1));
        }
        return to;
      });
      this.state = { loading: written < total, failed: false, written, total };
      if (written >= total) break;
      // The single connection of the embedded database is shared with every request: rest about
      // as long as the piece took, so the wall and the desks answer meanwhile.
      await rest(performance.now() - started, signal);
    }
    if (!signal.aborted) await db.execute(sql`analyze address_points`);
    complete.add(db);
    log.info({ points: total, ms: Math.round(performance.now() - t0) }, 'address points complete');
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.done;
  }
}

import { count, eq, sql } from 'drizzle-orm';
import { FIRST_BOUNDARY_VERSION, type GridId, type UnitId } from '@gcc/shared';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { City, GeneratedAddressPoints } from '@gcc/data';
import type { Db } from '../db/connect.ts';
import {
  addressPoints,
  boundaryVersions,
  city as cityTable,
  departments,
  grids,
  places,
  roads,
  units,
  water,
  workers,
} from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { TABLE_TERMS, type CaseTermsSource } from '../deadlines/deadline-directory.ts';
import { factTerms, type FactTerms } from '../indicators/case-facts.ts';
import type { Tx } from '../live/event-log.ts';
import { planHistory, splitHistory, writeHistoryCases, type PlannedCase } from './seed-history.ts';
import { pointRows, writePointRows, type PointRows } from './address-point-loader.ts';

// Loads a generated city into an empty record: units, boundary version 1, grids, address points,
// staff, roads, water, places and the case history with a full timeline per case (the timeline
// replays to the stored state) and its indicator facts. Rows go in batches, in one transaction, so
// a crash mid-way leaves an empty database that the next start seeds again. On a first start the
// address points and the older history are left out of it (`points: 'behind'`, `history:
// 'recent'`) and written behind the listening server by the AddressPointLoader and the
// HistoryLoader, which the record (`address_points_loading`, `history_complete_from`) sends back
// to work after a crash.

const BATCH = 1000;
const SEED_LOCK = 0x6763_6302;

async function insertBatched<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/** Rows per statement of a JSON batch (insertAsJson). */
const JSON_BATCH = 20_000;

/**
 * Inserts `rows` into `table` as JSON documents the database expands (json_to_recordset), one
 * statement per JSON_BATCH rows: building and binding a parameter per value cost a quzhou first
 * start seconds for its 38,000 staff and 20,000 road segments. `columns` maps each column (a
 * key of the rows) to its PostgreSQL type; names come from this file, never from input.
 */
async function insertAsJson(
  db: Pick<Db, 'execute'>,
  table: PgTable,
  columns: Record<string, string>,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const names = Object.keys(columns).join(', ');
  const types = Object.entries(columns)
    .map(([c, t]) => `${c} ${t}`)
    .join(', ');
  for (let i = 0; i < rows.length; i += JSON_BATCH) {
    const batch = JSON.stringify(rows.slice(i, i + JSON_BATCH));
    await db.execute(
      sql`insert into ${table} (${sql.raw(names)}) select ${sql.raw(names)} from json_to_recordset(${batch}::json) as r(${sql.raw(types)})`,
    );
  }
}

/**
 * Writes the generated address points, each with the grid code `gridOf` gives it (points for which
 * it gives none are left out), as ids 1…n in generator order; the live sequence continues after.
 * Rows travel as one JSON document per statement, expanded by the database (json_to_recordset):
 * binding seven parameters per row cost PGlite about 0.1 ms a row.
 */
export async function insertAddressPoints(
  db: Pick<Db, 'execute'>,
  points: GeneratedAddressPoints,
  gridOf: (gridIndex: number, lng: number, lat: number) => string | null,
): Promise<number> {
  return insertPointRows(db, pointRows(points, gridOf));
}

/** Writes point rows as ids 1…n in one go (see insertAddressPoints); returns n. */
async function insertPointRows(db: Pick<Db, 'execute'>, rows: PointRows): Promise<number> {
  const n = rows.gridCode.length;
  for (let i = 0; i < n; i += JSON_BATCH) await writePointRows(db, rows, i, Math.min(i + JSON_BATCH, n));
  await db.execute(
    sql`select setval(pg_get_serial_sequence('address_points', 'id'), greatest(${n}, 1), ${n > 0})`,
  );
  return n;
}

/**
 * A record seeded before address points existed gets them now, from the generator run of its
 * city (`generate`, called only when the table is empty), each point in the grid of the version in
 * force that contains it. Once, under the seed lock, whichever process comes first.
 */
export async function backfillAddressPoints(
  db: Db,
  generate: () => GeneratedAddressPoints,
  /** The code of the grid of the version in force holding a point, or null outside every grid. */
  locate: (lng: number, lat: number) => string | null,
  log: Logger,
): Promise<void> {
  const [have] = await db.select({ n: count() }).from(addressPoints);
  if ((have?.n ?? 0) > 0) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const [again] = await tx.select({ n: count() }).from(addressPoints);
    if ((again?.n ?? 0) > 0) return;
    const t0 = performance.now();
    const points = await insertAddressPoints(tx, generate(), (_g, lng, lat) => locate(lng, lat));
    log.info({ points, ms: Math.round(performance.now() - t0) }, 'backfilled address points');
  });
}

/** What a first start wrote, and the older history left for the loader (empty once all is written). */
export interface SeedResult {
  /** False when another process had seeded the record already. */
  seeded: boolean;
  /** History cases not written yet, newest last step first. */
  older: PlannedCase[];
  /** With `points: 'behind'`: the address points to write (AddressPointLoader), else null. */
  points: PointRows | null;
}

/**
 * Writes `city` into an empty database in one transaction: everything but the older history
 * when `history` is 'recent' (the loader writes that behind, `HistoryLoader`), everything when 'all'.
 */
export async function seedCity(
  db: Db,
  cityData: City,
  log: Logger,
  now = Date.now(),
  terms: CaseTermsSource = TABLE_TERMS,
  opts: {
    history?: 'all' | 'recent';
    /** 'behind' leaves the address points to the AddressPointLoader (the record says they are loading). */
    points?: 'with' | 'behind';
    historyDays?: number;
    facts?: FactTerms;
  } = {},
): Promise<SeedResult> {
  const t0 = performance.now();
  const facts = opts.facts ?? factTerms(terms);
  const result = await db.transaction(async (tx): Promise<SeedResult> => {
    // Several processes may start on one empty PostgreSQL database: one seeds, the others wait and skip.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    if ((await tx.select({ id: cityTable.id }).from(cityTable)).length > 0)
      return { seeded: false, older: [], points: null };
    const gridId = await seedPlace(tx, cityData, now);
    const rows = pointRows(cityData.addressPoints, (g) => cityData.grids[g]!.code);
    if (opts.points !== 'behind') {
      const pointsT0 = performance.now();
      const n = await insertPointRows(tx, rows);
      log.info({ points: n, ms: Math.round(performance.now() - pointsT0) }, 'seeded address points');
    }
    const plan = planHistory(cityData, (code) => gridId.get(code)!, terms);
    const { recent, older } =
      opts.history === 'recent' ? splitHistory(plan, now) : { recent: plan.cases, older: [] };
    log.info(
      { cases: plan.cases.length, events: plan.events, now: recent.length, behind: older.length },
      'seeding case history',
    );
    await writeHistoryCases(tx, recent, terms, facts);
    // Explicit ids and sequence numbers above: the live ones continue after the whole history.
    await tx.execute(
      sql`select setval(pg_get_serial_sequence('cases', 'id'), greatest(${plan.cases.length}, 1), ${plan.cases.length > 0})`,
    );
    await tx.execute(
      sql`select setval(pg_get_serial_sequence('events', 'seq'), greatest(${plan.events}, 1), ${plan.events > 0})`,
    );
    await tx
      .update(cityTable)
      .set({
        historyCases: plan.cases.length,
        historyDays: opts.historyDays ?? null,
        historyCompleteFrom: older.length > 0 ? older[0]!.lastEventAt + 1 : null,
        addressPointsLoading: opts.points === 'behind' && rows.gridCode.length > 0,
      })
      .where(eq(cityTable.id, 1));
    return { seeded: true, older, points: opts.points === 'behind' ? rows : null };
  });
  if (result.seeded)
    log.info(
      {
        profile: cityData.profile,
        grids: cityData.grids.length,
        workers: cityData.staff.length,
        historyBehind: result.older.length,
        ms: Math.round(performance.now() - t0),
      },
      'seeded city',
    );
  return result;
}

/** Grid ids of the seeded version by code (a resumed load finds its cases' grids so). */
export async function seededGridIds(db: Db): Promise<Map<string, GridId>> {
  const rows = await db
    .select({ id: grids.id, code: grids.code })
    .from(grids)
    .where(eq(grids.version, FIRST_BOUNDARY_VERSION));
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** The city without its history and address points: units, boundary version 1, grids, staff, roads, water, departments, places. */
async function seedPlace(tx: Tx, cityData: City, now: number): Promise<Map<string, GridId>> {
  await tx.insert(cityTable).values({
    name: cityData.name,
    code: cityData.code,
    profile: cityData.profile,
    seed: cityData.seed,
    bbox: cityData.bbox,
    outline: cityData.outline,
    createdAt: now,
  });
  // Units top-down so parents get ids first; the city itself is the root unit.
  const unitId = new Map<string, UnitId>();
  const root = await tx
    .insert(units)
    .values({
      level: 'city',
      code: cityData.code,
      name: cityData.name,
      parentId: null,
      urban: true,
      polygon: cityData.outline,
    })
    .returning({ id: units.id });
  unitId.set(cityData.code, root[0]!.id);
  for (const level of ['district', 'street', 'community'] as const) {
    const rows = cityData.units.filter((u) => u.level === level);
    await insertBatched(rows, async (batch) => {
      const ids = await tx
        .insert(units)
        .values(
          batch.map((u) => ({
            level: u.level,
            code: u.code,
            name: u.name,
            parentId: u.parentCode ? (unitId.get(u.parentCode) ?? null) : null,
            urban: u.urban,
            polygon: u.polygon,
          })),
        )
        .returning({ id: units.id, code: units.code });
      for (const r of ids) unitId.set(r.code, r.id);
    });
  }
  await tx.insert(boundaryVersions).values({
    version: FIRST_BOUNDARY_VERSION,
    publishedAt: now,
    note: '初始网格划分',
    effectiveAt: now,
    activatedAt: now,
  });
  const gridId = new Map<string, GridId>();
  await insertBatched(cityData.grids, async (batch) => {
    const ids = await tx
      .insert(grids)
      .values(
        batch.map((g) => ({
          version: FIRST_BOUNDARY_VERSION,
          code: g.code,
          name: g.name,
          communityId: unitId.get(g.communityCode)!,
          polygon: g.polygon,
          households: g.households,
          population: g.population,
          areaKm2: g.areaKm2,
          urban: g.urban,
        })),
      )
      .returning({ id: grids.id, code: grids.code });
    for (const r of ids) gridId.set(r.code, r.id);
  });
  // Worker ids are born here: the generator numbers its staff, the record keeps the numbers.
  await insertAsJson(
    tx,
    workers,
    {
      id: 'integer',
      name: 'text',
      role: 'text',
      grid_id: 'integer',
      phone: 'text',
      duty: 'text',
      home_lng: 'double precision',
      home_lat: 'double precision',
    },
    cityData.staff.map((s) => ({
      id: s.id,
      name: s.name,
      role: s.role,
      grid_id: gridId.get(s.gridCode)!,
      phone: s.phone,
      duty: 'off',
      home_lng: s.home[0],
      home_lat: s.home[1],
    })),
  );
  await insertAsJson(
    tx,
    roads,
    { id: 'integer', class: 'text', name: 'text', coords: 'jsonb' },
    cityData.roads.map((r) => ({ id: r.id, class: r.class, name: r.name, coords: r.coords })),
  );
  await insertAsJson(
    tx,
    water,
    { name: 'text', kind: 'text', polygon: 'jsonb' },
    cityData.water.map((w) => ({ name: w.name, kind: w.kind, polygon: w.polygon })),
  );
  await tx.insert(departments).values(cityData.departments).onConflictDoNothing({ target: departments.code });
  await insertAsJson(
    tx,
    places,
    { kind: 'text', name: 'text', lng: 'double precision', lat: 'double precision', grid_id: 'integer' },
    cityData.places.map((p) => ({
      kind: p.kind,
      name: p.name,
      lng: p.lng,
      lat: p.lat,
      grid_id: gridId.get(p.gridCode) ?? null,
    })),
  );

  return gridId;
}

import { and, eq, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import { OPEN_STATUSES, type BoundaryVersion, type GridId } from '@gcc/shared';
import type { GridIndex } from '@gcc/shared/geo';
import type { BoundaryChangeReport, ReportMove } from '@gcc/shared/planning';
import { addressPoints, cases, grids, places, workers } from '../db/schema.ts';
import { readRows } from '../db/bulk-read.ts';
import type { Tx } from '../live/event-log.ts';

// Re-keying by location (属地): when a version takes effect, every row keyed to a grid that the
// version no longer has — address points (households), open cases, workers' home grids, key
// places — is moved to the grid of the new version that contains it. Only those rows are read
// and written: rows of unchanged grids keep their grid id (the grid row is the same), and address
// points, keyed by grid code, are written only when their code changes. The point
// test runs in an index of the version's new grid rows only (the changed area), so a re-key costs
// what the plan changed, not the city. Closed cases are never touched: they keep the grid and
// version they were handled under.

export type RekeyKind = keyof BoundaryChangeReport['rekeyed'];

/** Where a point of the changed area goes: the new rows' index, then the whole version, then the nearest grid. */
export interface RekeyLocator {
  /** Index of the rows the version added (the changed area). */
  changed: GridIndex;
  /** The whole version's grid at a point (rows retired earlier and missed by a process still on the old index). */
  anywhere(lng: number, lat: number): GridId | null;
  /** The nearest grid of the version: a point outside every grid (a worker living outside the city) still gets one. */
  nearest(lng: number, lat: number): GridId;
  /** The code of a grid the three above answer (address points are keyed by code). */
  codeOf(grid: GridId): string;
}

/** What moved from one old grid to one new grid (the report's move, by grid id). */
export type MoveTally = Omit<ReportMove, 'from' | 'to'> & { from: GridId; to: GridId };

export interface RekeyResult {
  moves: MoveTally[];
  rekeyed: Record<RekeyKind, number>;
}

/** Rows per update statement: each batch travels as one JSON parameter (as the seed's inserts do). */
const BATCH = 20_000;

interface Located {
  id: number;
  from: GridId;
  to: GridId;
}

/**
 * Re-keys the rows whose grid `version` retired (`through`: retired in it or before — the sweep
 * for rows keyed on an old index during a swap). With `write` false it counts where they would
 * go and writes nothing (the forecast of a scheduled version).
 */
export async function rekeyRows(
  tx: Tx,
  version: BoundaryVersion,
  locator: RekeyLocator,
  write: boolean,
  opts: {
    /** Also rows of grids retired before `version` (the sweep after a swap). */
    through?: boolean;
    /** Receives how long reading took, in ms. */
    took?: Record<string, number>;
  } = {},
): Promise<RekeyResult> {
  const { through = false, took = {} } = opts;
  const t0 = performance.now();
  const retired = await tx
    .select({ id: grids.id, code: grids.code })
    .from(grids)
    .where(
      through ? and(isNotNull(grids.retiredIn), lte(grids.retiredIn, version)) : eq(grids.retiredIn, version),
    );
  const gone = retired.map((r) => r.id);
  const tallies = new Map<string, MoveTally>();
  const rekeyed: Record<RekeyKind, number> = { addressPoints: 0, openCases: 0, staff: 0, places: 0 };
  if (gone.length === 0) return { moves: [], rekeyed };

  const locate = (lng: number, lat: number): GridId =>
    locator.changed.locate(lng, lat) ?? locator.anywhere(lng, lat) ?? locator.nearest(lng, lat);
  const tally = (from: GridId, to: GridId): MoveTally => {
    const key = `${from}>${to}`;
    let t = tallies.get(key);
    if (!t)
      tallies.set(
        key,
        (t = { from, to, households: 0, residents: 0, addressPoints: 0, openCases: 0, staff: 0, places: 0 }),
      );
    return t;
  };

  // Address points (标准地址: households and residents), keyed by grid code: every point of a
  // changed grid is located and counted (the report's figures are its whole content), but only
  // those whose code changes are written — a reshape that moves a border by a metre rewrites the
  // few points that crossed it, not the grid's hundreds. Points are re-keyed only here, inside the
  // publish, so the sweep of stragglers (`through`) has none to look for.
  const pointMoves: { id: number; code: string }[] = [];
  if (!through) {
    const rowOfCode = new Map(retired.map((r) => [r.code, r.id]));
    const points = await readRows(
      tx,
      sql`select id, grid_code, lng, lat, households, residents from ${addressPoints}
          where ${inArray(addressPoints.gridCode, [...rowOfCode.keys()])}`,
      ['number', 'text', 'number', 'number', 'number', 'number'] as const,
    );
    for (const [id, code, lng, lat, households, residents] of points) {
      const to = locate(lng, lat);
      const t = tally(rowOfCode.get(code)!, to);
      t.households += households;
      t.residents += residents;
      t.addressPoints++;
      const toCode = locator.codeOf(to);
      if (toCode !== code) pointMoves.push({ id, code: toCode });
    }
    rekeyed.addressPoints = points.length;
  }
  // Open cases (the grid and the version they are now handled under), staff (一长三员: the home
  // grid follows the home) and key places (重点场所), each counted where it goes.
  const moveAll = (
    rows: readonly { id: number; gridId: GridId | null; lng: number; lat: number }[],
    kind: RekeyKind,
  ) => {
    const moves = rows.map((r) => ({ id: r.id, from: r.gridId!, to: locate(r.lng, r.lat) }));
    for (const m of moves) tally(m.from, m.to)[kind]++;
    rekeyed[kind] = moves.length;
    return moves;
  };
  const caseMoves = moveAll(
    await tx
      .select({ id: cases.id, gridId: cases.gridId, lng: cases.lng, lat: cases.lat })
      .from(cases)
      .where(and(inArray(cases.gridId, gone), inArray(cases.status, [...OPEN_STATUSES]))),
    'openCases',
  );
  const staffMoves = moveAll(
    await tx
      .select({ id: workers.id, gridId: workers.gridId, lng: workers.homeLng, lat: workers.homeLat })
      .from(workers)
      .where(inArray(workers.gridId, gone)),
    'staff',
  );
  const placeMoves = moveAll(
    await tx
      .select({ id: places.id, gridId: places.gridId, lng: places.lng, lat: places.lat })
      .from(places)
      .where(inArray(places.gridId, gone)),
    'places',
  );

  took.rekeyReadMs = Math.round(performance.now() - t0);
  if (write) {
    for (let i = 0; i < pointMoves.length; i += BATCH) {
      const batch = JSON.stringify(pointMoves.slice(i, i + BATCH).map((m) => ({ i: m.id, c: m.code })));
      await tx.execute(sql`
        update ${addressPoints} as t set grid_code = v.c
        from json_to_recordset(${batch}::json) as v(i integer, c text)
        where t.id = v.i`);
    }
    await updateGrids(tx, 'cases', caseMoves, sql`, boundary_version = ${version}`);
    // The indicators group a case by its grid from its facts row (indicators/case-facts.ts).
    await updateGrids(tx, 'case_facts', caseMoves);
    await updateGrids(tx, 'workers', staffMoves);
    await updateGrids(tx, 'places', placeMoves);
  }
  return { moves: [...tallies.values()], rekeyed };
}

/** `update <table> set grid_id = … where id = …` for many rows, a JSON document per batch. */
async function updateGrids(
  tx: Tx,
  table: 'cases' | 'case_facts' | 'workers' | 'places',
  moves: readonly Located[],
  extra: SQL = sql``,
): Promise<void> {
  const key = table === 'case_facts' ? 'case_id' : 'id';
  for (let i = 0; i < moves.length; i += BATCH) {
    const batch = JSON.stringify(moves.slice(i, i + BATCH).map((m) => ({ i: m.id, g: m.to })));
    await tx.execute(sql`
      update ${sql.identifier(table)} as t set grid_id = v.g ${extra}
      from json_to_recordset(${batch}::json) as v(i integer, g integer)
      where ${sql.identifier('t')}.${sql.identifier(key)} = v.i`);
  }
}

import { and, count, gte, inArray, or, sql } from 'drizzle-orm';
import { OPEN_STATUSES, type GridId } from '@gcc/shared';
import {
  CASE_OPEN,
  CASE_RECENT,
  createAddressPointColumns,
  createCasePointColumns,
  encodeAddressPoints,
  encodeCasePoints,
  HOUSEHOLD_BANDS,
  PlanningPoints,
  type PlanningContext,
  type PlanningContextWire,
} from '@gcc/shared/planning';
import { readRows } from '../db/bulk-read.ts';
import type { Db } from '../db/connect.ts';
import { addressPoints, cases, workers } from '../db/schema.ts';
import type { Boundary } from '../spatial/boundary.ts';
import { addressPointsReady } from '../seed/address-point-loader.ts';

// What a planner's live statistics are counted from, for the boundary version in force: the
// address points (read from the record once per version and kept as columns), the case points
// (open, or reported in the last 90 days; positions and flags only, no personal data) and the
// staff per grid. Everything is cut to the caller's jurisdiction (属地) in the query.

/** Cases of the last 90 days count as a grid's recent case load. */
export const RECENT_CASE_DAYS = 90;
const DAY_MS = 86_400_000;

interface StoredPoints {
  gridId: Int32Array;
  lng: Float64Array;
  lat: Float64Array;
  households: Uint16Array;
  residents: Uint16Array;
}

// A published plan replaces the Boundary object, so its points are read again.
const cache = new WeakMap<Boundary, Promise<StoredPoints>>();

async function loadPoints(db: Db, boundary: Boundary): Promise<StoredPoints> {
  // Never counted from a part of them: a first start writes them behind the listening server.
  await addressPointsReady(db);
  const rows = await readRows(
    db,
    // Grid order keeps the wire deltas small.
    sql`select grid_code, lng, lat, households, residents from ${addressPoints} order by grid_code, id`,
    ['text', 'number', 'number', 'number', 'number'] as const,
  );
  const p = { gridId: new Int32Array(rows.length), ...createAddressPointColumns(rows.length) };
  rows.forEach(([code, lng, lat, households, residents], i) => {
    // A code the version in force lacks cannot happen (a publish re-keys in its transaction); 0 is no grid.
    p.gridId[i] = boundary.gridOfCode(code) ?? 0;
    p.lng[i] = lng;
    p.lat[i] = lat;
    p.households[i] = households;
    p.residents[i] = residents;
  });
  return p;
}

function storedPoints(db: Db, boundary: Boundary): Promise<StoredPoints> {
  let p = cache.get(boundary);
  if (!p) {
    p = loadPoints(db, boundary);
    // A failed read is not kept: the next call tries again.
    p.catch(() => cache.delete(boundary));
    cache.set(boundary, p);
  }
  return p;
}

const householdCache = new WeakMap<Boundary, Promise<PlanningContext>>();

/**
 * What the server counts a saved plan's grids from (gridStats): every address point of the
 * version in one R-tree, built once per boundary. No case points or staff: a plan's household
 * band is all the server counts.
 */
export function householdContext(db: Db, boundary: Boundary): Promise<PlanningContext> {
  let p = householdCache.get(boundary);
  if (!p) {
    p = storedPoints(db, boundary).then((all) => ({
      points: new PlanningPoints(all, createCasePointColumns(0)),
      staff: new Map(),
    }));
    p.catch(() => householdCache.delete(boundary));
    householdCache.set(boundary, p);
  }
  return p;
}

/** The planning context for the grids `visible` (undefined: the whole city). */
export async function planningContext(
  db: Db,
  boundary: Boundary,
  visible: readonly GridId[] | undefined,
  now: number,
): Promise<PlanningContextWire> {
  const all = await storedPoints(db, boundary);
  const inView = visible ? new Set(visible) : null;
  const keep: number[] = [];
  for (let i = 0; i < all.gridId.length; i++)
    if (!inView || inView.has(all.gridId[i] as GridId)) keep.push(i);
  const addresses = createAddressPointColumns(keep.length);
  keep.forEach((src, i) => {
    addresses.lng[i] = all.lng[src]!;
    addresses.lat[i] = all.lat[src]!;
    addresses.households[i] = all.households[src]!;
    addresses.residents[i] = all.residents[src]!;
  });

  const recentSince = now - RECENT_CASE_DAYS * DAY_MS;
  const gridFilter = visible ? inArray(cases.gridId, [...visible]) : undefined;
  const caseRows = await db
    .select({ lng: cases.lng, lat: cases.lat, status: cases.status, reportedAt: cases.reportedAt })
    .from(cases)
    .where(and(or(inArray(cases.status, [...OPEN_STATUSES]), gte(cases.reportedAt, recentSince)), gridFilter))
    .orderBy(cases.gridId, cases.id);
  const open = new Set<string>(OPEN_STATUSES);
  const casePoints = createCasePointColumns(caseRows.length);
  caseRows.forEach((c, i) => {
    casePoints.lng[i] = c.lng;
    casePoints.lat[i] = c.lat;
    casePoints.flags[i] =
      (open.has(c.status) ? CASE_OPEN : 0) | (c.reportedAt >= recentSince ? CASE_RECENT : 0);
  });

  const staffRows = await db
    .select({ gridId: workers.gridId, n: count() })
    .from(workers)
    .where(visible ? inArray(workers.gridId, [...visible]) : undefined)
    .groupBy(workers.gridId)
    .orderBy(workers.gridId);

  return {
    version: boundary.version,
    addresses: encodeAddressPoints(addresses),
    cases: encodeCasePoints(casePoints),
    recentSince,
    staff: { gridIds: staffRows.map((r) => r.gridId), counts: staffRows.map((r) => r.n) },
    bands: HOUSEHOLD_BANDS,
  };
}

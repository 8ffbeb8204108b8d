import { eq, sql } from 'drizzle-orm';
import type { BoundaryVersion, GridId, PlanId } from '@gcc/shared';
import { GridIndex } from '@gcc/shared/geo';
import type { BoundaryChangeReport, HouseholdBands } from '@gcc/shared/planning';
import { boundaryVersions, grids, plans } from '../db/schema.ts';
import type { EventLog, Tx } from '../live/event-log.ts';
import { buildChangeReport } from './change-report.ts';
import { rekeyRows, type RekeyLocator } from './re-key.ts';
import { applyUnitShapes } from './unit-shapes.ts';

// A version takes effect (at once when published for now, else when its time comes, on whichever
// process gets there first): the rows of changed grids are re-keyed, the new rows get their
// households and population from the address points that fell in them, units whose border the
// plan moved take their new shape, the change report is stored with its final figures and the
// `boundary.published` event is appended — all in the caller's transaction. A scheduled
// version's forecast is the same computation, writing nothing but the report.

/** The `boundary.published` event's payload: what a wall or desk needs to refetch its grid layer. */
export interface BoundaryEventPayload extends Record<string, unknown> {
  version: BoundaryVersion;
  name: string;
  effectiveAt: number;
  planId: PlanId | null;
}

/**
 * Where rows of the changed area go in `version`: its new rows; a point on their outer border that
 * the exact test leaves out goes to the nearest of them (it lay in a changed grid, so it stays in
 * the changed area). `anywhere` answers for rows of grids retired earlier (a straggler sweep
 * passes the in-memory index of the version in force).
 */
export async function locatorFor(
  tx: Tx,
  version: BoundaryVersion,
  anywhere: (lng: number, lat: number) => GridId | null = () => null,
): Promise<RekeyLocator> {
  const added = await tx
    .select({ id: grids.id, code: grids.code, polygon: grids.polygon })
    .from(grids)
    .where(eq(grids.version, version));
  const codes = new Map(added.map((g) => [g.id, g.code]));
  return {
    changed: new GridIndex(added),
    anywhere,
    nearest: (lng, lat) => nearestGrid(added, lng, lat),
    codeOf: (grid) => codes.get(grid)!,
  };
}

/** The grid whose nearest vertex is nearest (a point outside every grid still gets one). */
function nearestGrid(
  rows: readonly { id: GridId; polygon: number[][][][] }[],
  lng: number,
  lat: number,
): GridId {
  let best = rows[0]?.id ?? (0 as GridId);
  let bestD = Infinity;
  for (const r of rows)
    for (const poly of r.polygon)
      for (const p of poly[0] ?? []) {
        const d = (p[0]! - lng) ** 2 + (p[1]! - lat) ** 2;
        if (d < bestD) [best, bestD] = [r.id, d];
      }
  return best;
}

/** The version taking effect, as its report heads it. */
export type Activation = Pick<
  BoundaryChangeReport,
  'version' | 'previousVersion' | 'planId' | 'name' | 'publishedAt' | 'effectiveAt'
>;

/**
 * Re-keys (or, with `final` false, forecasts) the version's changes, stores its report and the new
 * rows' households; when final, marks it activated and appends its event.
 */
export async function activateVersion(
  tx: Tx,
  v: Activation,
  now: number,
  final: boolean,
  eventLog: EventLog,
  /** Receives how long each step took, in ms (for the publish log). */
  took: Record<string, number> = {},
): Promise<BoundaryChangeReport> {
  let t = performance.now();
  const lap = (step: string) => {
    const at = performance.now();
    took[step] = Math.round(at - t);
    t = at;
  };
  const locator = await locatorFor(tx, v.version);
  lap('locatorMs');
  const rekey = await rekeyRows(tx, v.version, locator, final, { took });
  lap('rekeyMs');
  const [plan] = await tx.select({ bands: plans.bands }).from(plans).where(eq(plans.id, v.planId));
  const bands: HouseholdBands | null = plan?.bands ?? null;
  const { report, totals } = await buildChangeReport(tx, { ...v, final, bands }, rekey);
  lap('reportMs');
  if (totals.length) {
    const batch = JSON.stringify(totals.map((t) => ({ i: t.id, h: t.households, r: t.residents })));
    await tx.execute(sql`
      update ${grids} as g set households = v.h, population = v.r
      from json_to_recordset(${batch}::json) as v(i integer, h integer, r integer)
      where g.id = v.i`);
  }
  await tx
    .update(boundaryVersions)
    .set({ report: report as unknown as Record<string, unknown>, ...(final ? { activatedAt: now } : {}) })
    .where(eq(boundaryVersions.version, v.version));
  if (final) {
    await applyUnitShapes(tx, v.version);
    const payload: BoundaryEventPayload = {
      version: v.version,
      name: v.name,
      effectiveAt: v.effectiveAt,
      planId: v.planId,
    };
    await eventLog.append(tx, [{ at: now, kind: 'boundary', type: 'boundary.published', payload }]);
  }
  lap('finishMs');
  return report;
}

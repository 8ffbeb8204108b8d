import { eq, sql } from 'drizzle-orm';
import type { BoundaryVersion } from '@gcc/shared';
import type {
  BoundaryChangeReport,
  BoundaryVersionState,
  BoundaryVersionSummary,
} from '@gcc/shared/planning';
import type { Db } from '../db/connect.ts';
import { boundaryVersions } from '../db/schema.ts';
import { gridInVersion, gridRecords, type GridRecord } from '../spatial/boundary.ts';

// Reading versions: the list (a version picker, the planner's history), one version's change
// report, and the grid rows of a past version for the layer endpoints (history is read-only, so
// a version's rows are cached once read).

/** Where `version` stands against the version in force on this process. */
export function stateOf(version: BoundaryVersion, inForce: BoundaryVersion): BoundaryVersionState {
  return version === inForce ? 'in-force' : version > inForce ? 'scheduled' : 'superseded';
}

/** Every version, newest first, with its grid count and what its report says changed. */
export async function listVersions(db: Db, inForce: BoundaryVersion): Promise<BoundaryVersionSummary[]> {
  const rows = (await db.execute(sql`
    select bv.version, bv.note, bv.published_at, bv.effective_at, bv.activated_at, bv.plan_id,
      bv.report->'added' as added, bv.report->'reshaped' as reshaped, bv.report->'retired' as retired,
      (select count(*) from grids g
        where g.version <= bv.version and (g.retired_in is null or g.retired_in > bv.version)) as grids
    from ${boundaryVersions} bv order by bv.version desc`)) as unknown as {
    rows: {
      version: number;
      note: string;
      published_at: string | number;
      effective_at: string | number;
      activated_at: string | number | null;
      plan_id: number | null;
      added: unknown[] | null;
      reshaped: unknown[] | null;
      retired: unknown[] | null;
      grids: string | number;
    }[];
  };
  return rows.rows.map((r) => {
    const version = r.version as BoundaryVersion;
    return {
      version,
      name: r.note,
      publishedAt: Number(r.published_at),
      effectiveAt: Number(r.effective_at),
      activatedAt: r.activated_at === null ? null : Number(r.activated_at),
      state: stateOf(version, inForce),
      planId: r.plan_id as BoundaryVersionSummary['planId'],
      grids: Number(r.grids),
      added: r.added?.length ?? 0,
      reshaped: r.reshaped?.length ?? 0,
      retired: r.retired?.length ?? 0,
    };
  });
}

/** The stored change report of a version; null for the seeded version; undefined when there is no such version. */
export async function versionReport(
  db: Db,
  version: BoundaryVersion,
): Promise<BoundaryChangeReport | null | undefined> {
  const [row] = await db
    .select({ report: boundaryVersions.report })
    .from(boundaryVersions)
    .where(eq(boundaryVersions.version, version));
  if (!row) return undefined;
  return row.report as unknown as BoundaryChangeReport | null;
}

/** Versions whose rows were read (a few: a picker flips between them). */
const layerCache = new Map<string, Promise<{ name: string; grids: GridRecord[] } | null>>();
const LAYER_CACHE_SIZE = 4;

/** The grid rows and name of a version (a past one, or a scheduled one), or null when there is none. */
export function versionLayer(
  db: Db,
  version: BoundaryVersion,
): Promise<{ name: string; grids: GridRecord[] } | null> {
  // A scheduled version's rows get their households when it takes effect: not cached until then.
  const key = String(version);
  const hit = layerCache.get(key);
  if (hit) return hit;
  const read = (async () => {
    const [v] = await db
      .select({ note: boundaryVersions.note, activatedAt: boundaryVersions.activatedAt })
      .from(boundaryVersions)
      .where(eq(boundaryVersions.version, version));
    if (!v) return null;
    const grids = (await gridRecords(db)).filter((g) => gridInVersion(g, version));
    if (v.activatedAt === null) layerCache.delete(key);
    return { name: v.note, grids };
  })();
  layerCache.set(key, read);
  read.catch(() => layerCache.delete(key));
  while (layerCache.size > LAYER_CACHE_SIZE) layerCache.delete(layerCache.keys().next().value!);
  return read;
}

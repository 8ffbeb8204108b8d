import { and, eq, gt, inArray, lte, notExists, sql } from 'drizzle-orm';
import {
  FIRST_BOUNDARY_VERSION,
  type BoundaryVersion,
  type GridId,
  type UnitId,
  type UnitLevel,
} from '@gcc/shared';
import { COORD_SCALE, gridsByUnit, regionOutline, type Topology } from '@gcc/shared/topology';
import type { Db } from '../db/connect.ts';
import { units, unitShapes } from '../db/schema.ts';
import type { Tx } from '../live/event-log.ts';
import type { Boundary } from '../spatial/boundary.ts';

// A plan that unlocked a parent border (解锁上级边界) moves a community's outline, and with it
// maybe its street's and district's. The publish stores each moved unit's new outline, walked
// from the plan's topology (so it holds the new grids exactly), as the unit's shape in the new
// version; the version taking effect writes it into `units.polygon`, which the importer's
// parent check, the base map and the labels read.

export interface UnitShape {
  unitId: UnitId;
  polygon: number[][][][];
}

/** How far (in the topology's 1e-7° units, ≈ 1 cm) a point may lie off the line of its neighbours and still not count as a corner. */
const STRAIGHT_UNITS = 1;

/**
 * An outline as a comparable text: each ring in the topology's integer units, without the points
 * that lie on the line of their neighbours (a split that ends on a parent border puts a node there,
 * rounded to ≈ 1 cm, which moves no border), from its lowest point on; rings sorted.
 */
function canonical(outline: readonly (readonly (readonly number[])[])[][]): string {
  const rings = outline.flatMap((poly) =>
    poly.map((ring) => {
      const pts = ring
        .slice(0, -1)
        .map((p) => [Math.round(p[0]! * COORD_SCALE), Math.round(p[1]! * COORD_SCALE)]);
      const corners = pts.filter((p, i) => {
        const a = pts[(i + pts.length - 1) % pts.length]!;
        const b = pts[(i + 1) % pts.length]!;
        const len = Math.hypot(b[0]! - a[0]!, b[1]! - a[1]!);
        const off = Math.abs((b[0]! - a[0]!) * (p[1]! - a[1]!) - (b[1]! - a[1]!) * (p[0]! - a[0]!));
        return len === 0 || off / len >= STRAIGHT_UNITS;
      });
      const keys = corners.map((p) => `${p[0]},${p[1]}`);
      let low = 0;
      keys.forEach((k, i) => {
        if (k < keys[low]!) low = i;
      });
      return [...keys.slice(low), ...keys.slice(0, low)].join(' ');
    }),
  );
  return rings.sort().join('|');
}

/**
 * The units whose outline the plan moved (the communities of the grids it touched, before and
 * after, and the units above them), with their new outline; a unit whose grids are all gone has
 * none and is left as it was (its code and name stay in the record).
 */
export function movedUnitShapes(
  before: Topology,
  after: Topology,
  touched: readonly GridId[],
  boundary: Pick<Boundary, 'unitById'>,
): UnitShape[] {
  const parentOf = (u: UnitId): UnitId | null => boundary.unitById.get(u)?.parentId ?? null;
  const candidates = new Set<UnitId>();
  for (const g of touched)
    for (const t of [before, after])
      for (let u: UnitId | null = t.faces.get(g)?.parentId ?? null; u !== null; u = parentOf(u))
        candidates.add(u);
  if (!candidates.size) return [];
  const was = gridsByUnit(before, parentOf);
  const now = gridsByUnit(after, parentOf);
  const moved: UnitShape[] = [];
  for (const u of candidates) {
    const grids = now.get(u);
    if (!grids?.size) continue;
    const outline = regionOutline(after, grids);
    if (canonical(outline) !== canonical(regionOutline(before, was.get(u) ?? new Set())))
      moved.push({ unitId: u, polygon: outline });
  }
  return moved;
}

/**
 * Stores the moved units' shapes as those of `version` (in the publish's transaction); a unit's
 * first move also keeps the shape it had until then, as the shape of version 1.
 */
export async function storeUnitShapes(tx: Tx, version: BoundaryVersion, shapes: readonly UnitShape[]) {
  if (!shapes.length) return;
  const ids = shapes.map((s) => s.unitId);
  await tx.insert(unitShapes).select(
    tx
      .select({
        unitId: units.id,
        version: sql<BoundaryVersion>`${FIRST_BOUNDARY_VERSION}`.as('version'),
        polygon: units.polygon,
      })
      .from(units)
      .where(
        and(
          inArray(units.id, ids),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(unitShapes)
              .where(eq(unitShapes.unitId, units.id)),
          ),
        ),
      ),
  );
  await tx.insert(unitShapes).values(shapes.map((s) => ({ unitId: s.unitId, version, polygon: s.polygon })));
}

/** A version taking effect: its units' shapes become the units' polygons. */
export async function applyUnitShapes(tx: Tx, version: BoundaryVersion): Promise<void> {
  const shapes = await tx.select().from(unitShapes).where(eq(unitShapes.version, version));
  for (const s of shapes) await tx.update(units).set({ polygon: s.polygon }).where(eq(units.id, s.unitId));
}

/** Units whose shape changed in a version after `from` up to `to`, with the shape they have now. */
export async function unitsMovedBetween(
  db: Pick<Db, 'selectDistinct'>,
  from: BoundaryVersion,
  to: BoundaryVersion,
): Promise<{ id: UnitId; level: UnitLevel; polygon: number[][][][] }[]> {
  return db
    .selectDistinct({ id: units.id, level: units.level, polygon: units.polygon })
    .from(units)
    .innerJoin(unitShapes, eq(unitShapes.unitId, units.id))
    .where(and(gt(unitShapes.version, from), lte(unitShapes.version, to)));
}

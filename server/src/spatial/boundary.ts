import { and, eq, desc } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { boundaryVersions, grids, units } from '../db/schema.ts';
import { GridIndex } from '@gcc/shared/geo';
import {
  FIRST_BOUNDARY_VERSION,
  type AdminUnit,
  type BoundaryVersion,
  type Grid,
  type GridId,
  type UnitId,
} from '@gcc/shared';

// The current boundary version in memory: grid rows, the unit tree and the spatial index.
// The database is the record; this is the fast path, rebuilt when a version is published.

/** A grid of the version in force, as the index and the desks need it. */
export type GridInfo = Pick<Grid, 'id' | 'code' | 'name' | 'communityId' | 'households' | 'population'> & {
  polygon: number[][][][];
  /** Urban grids and rural ones are held to different household bands. */
  urban: boolean;
};

/** An administrative unit (city → community) of the hierarchy. */
export type UnitInfo = AdminUnit;

export class Boundary {
  readonly gridById: ReadonlyMap<GridId, GridInfo>;
  readonly unitById: ReadonlyMap<UnitId, UnitInfo>;
  private readonly gridsUnder = new Map<UnitId, GridId[]>();

  constructor(
    readonly version: BoundaryVersion,
    readonly grids: readonly GridInfo[],
    readonly units: readonly UnitInfo[],
    readonly index: GridIndex,
  ) {
    this.gridById = new Map(grids.map((g) => [g.id, g]));
    this.unitById = new Map(units.map((u) => [u.id, u]));
    // Every unit's grids, for jurisdiction filters (属地): a grid counts for each ancestor.
    for (const g of grids) {
      let unit: UnitId | null = g.communityId;
      while (unit !== null) {
        let list = this.gridsUnder.get(unit);
        if (!list) this.gridsUnder.set(unit, (list = []));
        list.push(g.id);
        unit = this.unitById.get(unit)?.parentId ?? null;
      }
    }
  }

  /** Grid ids inside a unit (all grids for the root unit). */
  gridIdsUnder(unitId: UnitId): readonly GridId[] {
    return this.gridsUnder.get(unitId) ?? [];
  }

  /** True when the unit is the root of the hierarchy (the city): no filter needed. */
  isRoot(unitId: UnitId): boolean {
    return this.unitById.get(unitId)?.parentId === null;
  }

  /** True when `gridId` lies inside `unitId`'s jurisdiction. */
  gridInUnit(gridId: GridId, unitId: UnitId): boolean {
    let unit: UnitId | null = this.gridById.get(gridId)?.communityId ?? null;
    while (unit !== null) {
      if (unit === unitId) return true;
      unit = this.unitById.get(unit)?.parentId ?? null;
    }
    return false;
  }

  /** True when unit `unitId` is `ancestorId` or lies inside it. */
  unitWithin(unitId: UnitId, ancestorId: UnitId): boolean {
    let unit: UnitId | null = unitId;
    while (unit !== null) {
      if (unit === ancestorId) return true;
      unit = this.unitById.get(unit)?.parentId ?? null;
    }
    return false;
  }

  /** Loads the newest published boundary version from the record. */
  static async load(db: Db): Promise<Boundary> {
    const [latest] = await db
      .select()
      .from(boundaryVersions)
      .orderBy(desc(boundaryVersions.version))
      .limit(1);
    const version = latest?.version ?? FIRST_BOUNDARY_VERSION;
    const rows = await db
      .select({
        id: grids.id,
        code: grids.code,
        name: grids.name,
        communityId: grids.communityId,
        households: grids.households,
        population: grids.population,
        polygon: grids.polygon,
        urban: grids.urban,
      })
      .from(grids)
      .where(and(eq(grids.version, version)))
      .orderBy(grids.id);
    const unitRows = await db
      .select({
        id: units.id,
        level: units.level,
        code: units.code,
        name: units.name,
        parentId: units.parentId,
      })
      .from(units);
    return new Boundary(version, rows, unitRows, new GridIndex(rows));
  }
}

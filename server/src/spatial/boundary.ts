import { and, eq, desc } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { boundaryVersions, grids, units } from '../db/schema.ts';
import { GridIndex } from '@gcc/shared/geo';

// The current boundary version in memory: grid rows, the unit tree and the spatial index.
// The database is the record; this is the fast path, rebuilt when a version is published.

export interface GridInfo {
  id: number;
  code: string;
  name: string;
  communityId: number;
  households: number;
  population: number;
  polygon: number[][][][];
}

export interface UnitInfo {
  id: number;
  level: string;
  code: string;
  name: string;
  parentId: number | null;
}

export class Boundary {
  readonly gridById: ReadonlyMap<number, GridInfo>;
  readonly unitById: ReadonlyMap<number, UnitInfo>;
  private readonly gridsUnder = new Map<number, number[]>();

  constructor(
    readonly version: number,
    readonly grids: readonly GridInfo[],
    readonly units: readonly UnitInfo[],
    readonly index: GridIndex,
  ) {
    this.gridById = new Map(grids.map((g) => [g.id, g]));
    this.unitById = new Map(units.map((u) => [u.id, u]));
    // Every unit's grids, for jurisdiction filters (属地): a grid counts for each ancestor.
    for (const g of grids) {
      let unit: number | null = g.communityId;
      while (unit !== null) {
        let list = this.gridsUnder.get(unit);
        if (!list) this.gridsUnder.set(unit, (list = []));
        list.push(g.id);
        unit = this.unitById.get(unit)?.parentId ?? null;
      }
    }
  }

  /** Grid ids inside a unit (all grids for the root unit). */
  gridIdsUnder(unitId: number): readonly number[] {
    return this.gridsUnder.get(unitId) ?? [];
  }

  /** True when the unit is the root of the hierarchy (the city): no filter needed. */
  isRoot(unitId: number): boolean {
    return this.unitById.get(unitId)?.parentId === null;
  }

  /** True when `gridId` lies inside `unitId`'s jurisdiction. */
  gridInUnit(gridId: number, unitId: number): boolean {
    let unit: number | null = this.gridById.get(gridId)?.communityId ?? null;
    while (unit !== null) {
      if (unit === unitId) return true;
      unit = this.unitById.get(unit)?.parentId ?? null;
    }
    return false;
  }

  /** True when unit `unitId` is `ancestorId` or lies inside it. */
  unitWithin(unitId: number, ancestorId: number): boolean {
    let unit: number | null = unitId;
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
    const version = latest?.version ?? 1;
    const rows = await db
      .select({
        id: grids.id,
        code: grids.code,
        name: grids.name,
        communityId: grids.communityId,
        households: grids.households,
        population: grids.population,
        polygon: grids.polygon,
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

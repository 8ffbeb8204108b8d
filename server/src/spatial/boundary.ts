import { and, asc, desc, gt, lte, or, type SQL } from 'drizzle-orm';
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
// The database is the record; this is the fast path, rebuilt when a version is published
// (boundaries/boundary-keeper.ts builds the next one whole, then swaps one reference).

/** A grid of the version in force, as the index and the desks need it. */
export type GridInfo = Pick<Grid, 'id' | 'code' | 'name' | 'communityId' | 'households' | 'population'> & {
  polygon: number[][][][];
  /** Urban grids and rural ones are held to different household bands. */
  urban: boolean;
};

/** A grid row as the record holds it: the shape and the versions it belongs to. */
export type GridRecord = GridInfo & {
  /** The first version of this shape. */
  version: BoundaryVersion;
  /** The first version without it; null while the newest version holds it. */
  retiredIn: BoundaryVersion | null;
};

/** Whether a grid row belongs to `version` (a row holds from its version until it is retired). */
export function gridInVersion(
  g: Pick<GridRecord, 'version' | 'retiredIn'>,
  version: BoundaryVersion,
): boolean {
  return g.version <= version && (g.retiredIn === null || g.retiredIn > version);
}

/** An administrative unit (city → community) of the hierarchy. */
export type UnitInfo = AdminUnit;

export class Boundary {
  /**
   * Every grid row of the record by id, those of other versions too: a closed case keeps the grid
   * it was handled under, and its jurisdiction, calendar and indicator groups are read here.
   * `grids` and `index` hold only the version in force.
   */
  readonly gridById: ReadonlyMap<GridId, GridInfo>;
  readonly unitById: ReadonlyMap<UnitId, UnitInfo>;
  private readonly gridsUnder = new Map<UnitId, GridId[]>();
  private readonly current: ReadonlySet<GridId>;
  private readonly currentByCode: ReadonlyMap<string, GridId>;
  private readonly newestOfCode: ReadonlyMap<string, GridId>;

  constructor(
    readonly version: BoundaryVersion,
    readonly grids: readonly GridInfo[],
    readonly units: readonly UnitInfo[],
    readonly index: GridIndex,
    /** Grid rows of other versions (reshaped or retired, or of a scheduled version). */
    otherGrids: readonly GridInfo[] = [],
    /** The version's name as screens show it. */
    readonly name: string = '',
  ) {
    this.gridById = new Map([...otherGrids, ...grids].map((g) => [g.id, g]));
    this.current = new Set(grids.map((g) => g.id));
    this.currentByCode = new Map(grids.map((g) => [g.code, g.id]));
    // Rows of a code no longer in force stand for the newest row of that code (ids grow with versions).
    const newest = new Map(this.currentByCode);
    for (const g of otherGrids)
      if (!newest.has(g.code) || newest.get(g.code)! < g.id) newest.set(g.code, g.id);
    this.newestOfCode = newest;
    this.unitById = new Map(units.map((u) => [u.id, u]));
    // Every unit's grids, for jurisdiction filters (属地): a grid counts for each ancestor; grids of
    // other versions too, so a desk keeps seeing the closed cases of its area after a publish.
    for (const g of [...grids, ...otherGrids]) {
      let unit: UnitId | null = g.communityId;
      while (unit !== null) {
        let list = this.gridsUnder.get(unit);
        if (!list) this.gridsUnder.set(unit, (list = []));
        list.push(g.id);
        unit = this.unitById.get(unit)?.parentId ?? null;
      }
    }
  }

  /** The grid of the version in force with this code (address points are keyed by code). */
  gridOfCode(code: string): GridId | undefined {
    return this.currentByCode.get(code);
  }

  /**
   * The grid row that stands for every row of `grid`'s code: the one in force, else the newest. A
   * reshape gives a grid a new row under the same code; a grid's figures over a period that spans
   * the publish are one grid's, not two.
   */
  gridLine(grid: GridId): GridId {
    const code = this.gridById.get(grid)?.code;
    return (code !== undefined ? this.newestOfCode.get(code) : undefined) ?? grid;
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

  /**
   * The units inside `unitId`'s jurisdiction, itself included, for a query's filter (属地 in SQL,
   * before any limit); null for the root, whose jurisdiction is everything.
   */
  unitsWithin(unitId: UnitId): UnitId[] | null {
    if (this.isRoot(unitId)) return null;
    return this.units.filter((u) => this.unitWithin(u.id, unitId)).map((u) => u.id);
  }

  /** True when the grid belongs to the version in force (not a row of another version). */
  isCurrent(gridId: GridId): boolean {
    return this.current.has(gridId);
  }

  /** Loads the boundary version in force at `at` (the newest whose effective time has come). */
  static async load(db: Db, at = Date.now()): Promise<Boundary> {
    const [inForce] = await db
      .select({ version: boundaryVersions.version, note: boundaryVersions.note })
      .from(boundaryVersions)
      .where(lte(boundaryVersions.effectiveAt, at))
      .orderBy(desc(boundaryVersions.version))
      .limit(1);
    return Boundary.loadVersion(db, inForce?.version ?? FIRST_BOUNDARY_VERSION, inForce?.note ?? '');
  }

  /** Loads one version (built whole before anything uses it). */
  static async loadVersion(db: Db, version: BoundaryVersion, name: string): Promise<Boundary> {
    const rows = await gridRecords(db);
    const current = rows.filter((g) => gridInVersion(g, version));
    const others = rows.filter((g) => !gridInVersion(g, version));
    const unitRows = await db
      .select({
        id: units.id,
        level: units.level,
        code: units.code,
        name: units.name,
        parentId: units.parentId,
      })
      .from(units);
    return new Boundary(version, current, unitRows, new GridIndex(current), others, name);
  }

  /**
   * A later version built from this one and the rows that changed in between (a publish writes a
   * few dozen rows; reading all 5,000 polygons again is what it saves): the index is built whole.
   */
  async next(db: Db, version: BoundaryVersion, name: string): Promise<Boundary> {
    const changed = await gridRecords(
      db,
      or(
        and(gt(grids.version, this.version), lte(grids.version, version)),
        and(gt(grids.retiredIn, this.version), lte(grids.retiredIn, version)),
      ),
    );
    const byId = new Map<GridId, GridInfo>(this.gridById);
    for (const g of changed) byId.set(g.id, g);
    const gone = new Set(changed.filter((g) => !gridInVersion(g, version)).map((g) => g.id));
    const current = [
      ...this.grids.filter((g) => !gone.has(g.id)),
      ...changed.filter((g) => gridInVersion(g, version) && !this.current.has(g.id)),
    ].sort((a, b) => a.id - b.id);
    const inForce = new Set(current.map((g) => g.id));
    const others = [...byId.values()].filter((g) => !inForce.has(g.id));
    return new Boundary(version, current, this.units, new GridIndex(current), others, name);
  }
}

/** Grid rows of the record (all, or those `where` picks), in id order (the baseline topology numbers its nodes in this order). */
export function gridRecords(db: Pick<Db, 'select'>, where?: SQL): Promise<GridRecord[]> {
  return db
    .select({
      id: grids.id,
      code: grids.code,
      name: grids.name,
      communityId: grids.communityId,
      households: grids.households,
      population: grids.population,
      polygon: grids.polygon,
      urban: grids.urban,
      version: grids.version,
      retiredIn: grids.retiredIn,
    })
    .from(grids)
    .where(where)
    .orderBy(asc(grids.id));
}

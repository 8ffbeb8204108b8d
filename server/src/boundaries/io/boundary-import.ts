import { and, eq, inArray } from 'drizzle-orm';
import type { GridId, UnitId } from '@gcc/shared';
import {
  assignParents,
  checkBoundaryFile,
  listGaps,
  ProblemList,
  type CheckedFeature,
  type ImportOptions,
  type ImportProblemReason,
  type ImportProgressListener,
  type ImportReport,
} from '@gcc/shared/boundary-io';
import {
  encodeImportedRing,
  facePolygon,
  PROVISIONAL_GRID_ID_MIN,
  type ImportLayerEdit,
  type ImportedGrid,
} from '@gcc/shared/topology';
import { grids as gridRows, units } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { planBaseline } from '../../plans/baseline.ts';
import { PlanError } from '../../plans/plan-errors.ts';
import { PlanReplay } from '../../plans/plan-replay.ts';
import type { Planner, PlanStore } from '../../plans/plan-store.ts';

// Importing a boundary layer (GeoJSON) into a plan: the file is checked (shared/boundary-io), its
// grids are matched to the version by code (a known code keeps its grid, and so its code; the
// others are new grids, coded on publish), put under their communities (by parent code, else by
// where they lie) and become one `importLayer` edit replacing the grids of the importer's unit
// (or of `within`, a unit inside it). That edit is replayed as every plan save is; the plan is
// written in one insert, only when nothing is wrong. A parent level is checked against the
// version's grids (each must lie in one of its units) and reported; it is not stored (the record
// keeps one set of units; a versioned unit layer is for a later migration).

export interface ImportRequest extends ImportOptions {
  /** The plan's name. */
  name: string;
  /** The unit whose grids the import replaces: the importer's own unit when not given. */
  within?: UnitId | undefined;
  /** Check and report only; store nothing. */
  dryRun?: boolean | undefined;
}

export type BoundaryImportDeps = Pick<Services, 'database' | 'boundary'> & { plans: PlanStore };

const err = (
  problems: ProblemList,
  reason: ImportProblemReason,
  at: [number, number] | null,
  feature: number | null = null,
  code: string | null = null,
) => problems.add({ reason, severity: 'error', feature, code, at });

/** Whether a grid's polygon (degrees) is the imported rings, point for point. */
function sameRings(
  polygon: readonly (readonly (readonly number[])[])[][],
  rings: readonly (readonly number[][])[],
): boolean {
  if (polygon.length !== rings.length) return false;
  return polygon.every((poly, i) => {
    const enc = rings[i]!;
    if (poly.length !== enc.length) return false;
    return poly.every((ring, r) => {
      const e = encodeImportedRing(ring);
      const f = enc[r]!;
      return e.length === f.length && e.every((v, k) => v === f[k]);
    });
  });
}

export class BoundaryImporter {
  constructor(private readonly deps: BoundaryImportDeps) {}

  private get db() {
    return this.deps.database.db;
  }

  /** Imports a boundary file as `by`: the report, with the plan made (planId) when accepted and not a dry run. */
  async importFile(
    by: Planner,
    file: unknown,
    request: ImportRequest,
    progress: ImportProgressListener = () => undefined,
  ): Promise<ImportReport> {
    const t0 = performance.now();
    // Grids: the layer's topology is built once, by the plan edit below (gaps are listed from it).
    const checked = await checkBoundaryFile(file, request, progress, request.level === 'parents');
    const { problems, layer, counts } = checked;
    const boundary = this.deps.boundary();
    const within = request.within ?? by.unitId;
    const report = (extra: Partial<ImportReport> = {}): ImportReport => ({
      ok: problems.errors === 0,
      level: request.level,
      crs: request.crs,
      toleranceM: request.toleranceM,
      counts,
      byReason: problems.byReason,
      errors: problems.errors,
      fixed: problems.fixed,
      warnings: problems.warnings,
      problems: problems.sorted(),
      planId: null,
      ms: Math.round(performance.now() - t0),
      ...extra,
    });
    if (!boundary.unitById.has(within) || !boundary.unitWithin(within, by.unitId)) {
      err(problems, 'outside-jurisdiction', null);
      return report();
    }
    if (problems.errors > 0) return report();
    progress({ phase: 'parents', fraction: 0.8 });
    if (request.level === 'parents') {
      await this.checkGridsUnder(layer.features, within, request.toleranceM, problems);
      return report();
    }

    // Communities of the unit: the parents the imported grids go under.
    const communities = await this.db
      .select({ id: units.id, code: units.code, polygon: units.polygon, level: units.level })
      .from(units)
      .where(eq(units.level, 'community'));
    const candidates = communities.filter((u) => boundary.unitWithin(u.id, within));
    const parents = assignParents(layer.features, candidates, request.toleranceM, problems);

    // Codes: a grid of the unit keeps its id; a code held elsewhere in the city is not the importer's to take.
    const current = boundary.gridIdsUnder(within).filter((g) => boundary.isCurrent(g));
    const inUnit = new Map(current.map((g) => [boundary.gridById.get(g)!.code, g]));
    const everywhere = new Map(boundary.grids.map((g) => [g.code, g.id]));
    let next = PROVISIONAL_GRID_ID_MIN;
    const importedGrids: ImportedGrid[] = [];
    layer.features.forEach((f, i) => {
      const at = f.polygon[0]![0]![0]!;
      let grid: GridId | undefined = f.code === null ? undefined : inUnit.get(f.code);
      if (grid === undefined && f.code !== null && everywhere.has(f.code)) {
        err(problems, 'outside-jurisdiction', at, f.index, f.code);
        return;
      }
      if (grid === undefined) {
        if (f.code !== null)
          problems.add({ reason: 'new-code', severity: 'warning', feature: f.index, code: f.code, at });
        grid = next++ as GridId;
      }
      const parentId = parents[i];
      if (parentId === null || parentId === undefined) return;
      importedGrids.push({ grid, parentId, rings: f.polygon.map((poly) => poly.map(encodeImportedRing)) });
    });
    if (problems.errors > 0) return report();

    progress({ phase: 'plan', fraction: 0.85 });
    const edit: ImportLayerEdit = { type: 'importLayer', replaces: current, grids: importedGrids };
    const baseline = (await planBaseline(boundary)).topology;
    const replay = new PlanReplay(baseline, boundary, by.unitId);
    const refusal = replay.append([edit]);
    if (refusal) {
      const reason: ImportProblemReason =
        refusal.reason === 'import-outline'
          ? 'outline-changed'
          : refusal.reason === 'outside-jurisdiction'
            ? 'outside-jurisdiction'
            : 'overlap';
      err(problems, reason, refusal.at);
      return report();
    }
    listGaps(replay.topology, problems);
    counts.nodes = replay.topology.nodes.size;
    counts.edges = replay.topology.edges.size;
    if (problems.errors > 0) return report();
    const replayed = replay.result(1);
    const reused = new Set(importedGrids.map((g) => g.grid));
    let reshaped = 0;
    let unchanged = 0;
    for (const g of importedGrids) {
      if (g.grid >= PROVISIONAL_GRID_ID_MIN) continue;
      if (sameRings(facePolygon(baseline, g.grid), g.rings)) unchanged++;
      else reshaped++;
    }
    const gridsCount = {
      reshaped,
      unchanged,
      added: importedGrids.filter((g) => g.grid >= PROVISIONAL_GRID_ID_MIN).length,
      retired: current.filter((g) => !reused.has(g)).length,
    };
    if (request.dryRun) return report({ grids: gridsCount, planProblems: replayed.problems });
    try {
      const plan = await this.deps.plans.createReplayed(by, {
        name: request.name,
        version: boundary.version,
        edits: [edit],
        touched: replayed.touched,
        problems: replayed.problems,
      });
      progress({ phase: 'plan', fraction: 1 });
      return report({ grids: gridsCount, planProblems: replayed.problems, planId: plan.id });
    } catch (e) {
      // A publish changed the version while the file was checked: nothing was written.
      if (!(e instanceof PlanError)) throw e;
      err(problems, 'version-changed', null);
      return report();
    }
  }

  /**
   * A parent level against the version: every grid of the unit must lie in one imported unit
   * (within the tolerance); a grid in none or across two is listed where it leaves.
   */
  private async checkGridsUnder(
    parentsFile: readonly CheckedFeature[],
    within: UnitId,
    toleranceM: number,
    problems: ProblemList,
  ): Promise<void> {
    const boundary = this.deps.boundary();
    const ids = boundary.gridIdsUnder(within).filter((g) => boundary.isCurrent(g));
    const rows = ids.length
      ? await this.db
          .select({ id: gridRows.id, code: gridRows.code, polygon: gridRows.polygon })
          .from(gridRows)
          .where(and(inArray(gridRows.id, ids)))
      : [];
    const asFeatures: CheckedFeature[] = rows.map((g) => ({
      index: -1,
      code: g.code,
      name: null,
      parentCode: null,
      households: null,
      polygon: g.polygon as [number, number][][][],
    }));
    const candidates = parentsFile.map((f, i) => ({ id: i, code: f.code ?? '', polygon: f.polygon }));
    const local = new ProblemList();
    assignParents(asFeatures, candidates, toleranceM, local);
    // The grid is the one at fault here, named by its code (it has no place in the file).
    for (const p of local.listed) problems.add({ ...p, feature: null });
  }
}

import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  PROVISIONAL_GRID_ID_MIN,
  facePolygon,
  mayMoveParents,
  type LayerProblem,
  type TopologyEdit,
} from '@gcc/shared/topology';
import type { BoundaryVersion, GridId, PlanId, UnitId } from '@gcc/shared';
import type { BoundaryChangeReport, PlanPublish, PublishRefusalReason } from '@gcc/shared/planning';
import { boundaryVersions, grids, plans, units } from '../db/schema.ts';
import type { Database } from '../db/connect.ts';
import type { EventLog } from '../live/event-log.ts';
import type { Logger } from '../log.ts';
import { planBaseline } from '../plans/baseline.ts';
import { PlanError } from '../plans/plan-errors.ts';
import { PlanReplay } from '../plans/plan-replay.ts';
import type { Planner, PlanStore } from '../plans/plan-store.ts';
import { Boundary } from '../spatial/boundary.ts';
import { activateVersion } from './activate.ts';
import type { BoundaryKeeper } from './boundary-keeper.ts';
import { assignGridCodes, gridAreaM2, highestSerials } from './grid-codes.ts';
import { rebaseEdits } from './rebase.ts';
import { movedUnitShapes, storeUnitShapes } from './unit-shapes.ts';

// Publishing a plan (网格调整方案) as boundary version N+1. Everything is decided before the
// transaction (replay, rebase, problems, which grids change); the transaction re-checks that
// nothing moved underneath (publishes are serialised by an advisory lock, the plan by its
// revision, the version number by its primary key) and writes the version, the grid rows, and —
// when it takes effect now — the re-keyed rows, the report and the event. A refusal writes nothing.

/** Publishes take this lock in their transaction, on every process (the version number is the second guard). */
const PUBLISH_LOCK = 0x6763_6303;
/** A publish "for now" sent a moment ago is not in the past. */
const CLOCK_SLACK_MS = 60_000;

/** Why a publish was refused (message key `boundary.refusal.<reason>`); edit refusals are PlanErrors with their step. */
export class PublishError extends Error {
  constructor(
    readonly reason: PublishRefusalReason,
    readonly planId: PlanId,
    /** What it is about, for the message: grid codes, problems. */
    readonly detail: string = '',
    readonly problems: readonly LayerProblem[] = [],
  ) {
    super(`publish of plan ${planId} refused: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

export interface PublishResult {
  version: BoundaryVersion;
  name: string;
  effectiveAt: number;
  /** In force at once, or waiting for its time. */
  state: 'in-force' | 'scheduled';
  /** The plan's edits were re-applied on a newer version than the one they were made on. */
  rebased: boolean;
  report: BoundaryChangeReport;
}

export interface PublisherDeps {
  log: Logger;
  database: Database;
  plans: PlanStore;
  eventLog: EventLog;
  keeper: BoundaryKeeper;
}

/** A grid the plan changes, as the new version will hold it. */
interface ChangedShape {
  /** The grid's id in the base version, or the plan's provisional id for a new grid. */
  id: GridId;
  communityId: UnitId;
  polygon: number[][][][];
}

const is23505 = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  ((e as { code?: string }).code === '23505' || is23505((e as { cause?: unknown }).cause));

export class BoundaryPublisher {
  constructor(private readonly deps: PublisherDeps) {}

  private get db() {
    return this.deps.database.db;
  }

  /** The newest version published (in force or scheduled). */
  private async head(): Promise<{ version: BoundaryVersion; note: string; effectiveAt: number }> {
    const [row] = await this.db
      .select({
        version: boundaryVersions.version,
        note: boundaryVersions.note,
        effectiveAt: boundaryVersions.effectiveAt,
      })
      .from(boundaryVersions)
      .orderBy(sql`${boundaryVersions.version} desc`)
      .limit(1);
    if (!row) throw new Error('no boundary version in the record');
    return row;
  }

  /** The boundary of `version`: the one in memory when it is that one. */
  private async boundaryOf(version: BoundaryVersion, name: string): Promise<Boundary> {
    const current = this.deps.keeper.get();
    return current.version === version ? current : Boundary.loadVersion(this.db, version, name);
  }

  async publish(by: Planner, input: PlanPublish, now = this.deps.keeper.clock()): Promise<PublishResult> {
    const id = input.planId;
    const t0 = performance.now();
    const plan = await this.deps.plans.get(by, id);
    if (plan.status === 'published') throw new PublishError('already-published', id);
    if (plan.status !== 'draft') throw new PlanError('discarded', id);
    if (plan.revision !== input.revision) throw new PlanError('stale-revision', id);
    if (plan.cursor === 0) throw new PublishError('empty-plan', id);
    const effectiveAt = input.effectiveAt ?? now;
    if (effectiveAt < now - CLOCK_SLACK_MS) throw new PublishError('effective-in-past', id);
    const head = await this.head();
    if (effectiveAt < head.effectiveAt) throw new PublishError('effective-before-previous', id);
    const base = await this.boundaryOf(head.version, head.note);
    const baseline = (await planBaseline(base)).topology;

    // A plan of an older version: refused when it touches a grid changed since, else rebased.
    let edits: TopologyEdit[] = plan.edits.slice(0, plan.cursor);
    const rebased = plan.version !== head.version;
    if (rebased) {
      const changed = plan.touched.filter((g) => !base.isCurrent(g));
      if (changed.length)
        throw new PublishError(
          'stale-version',
          id,
          changed.map((g) => base.gridById.get(g)?.code ?? String(g)).join(', '),
        );
      const old = await Boundary.loadVersion(this.db, plan.version, '');
      const moved = rebaseEdits((await planBaseline(old)).topology, baseline, plan.edits, plan.cursor);
      if (!moved.ok) throw new PlanError(moved.reason, id, moved.step, moved.at);
      edits = moved.edits;
    }

    // The plans API's replay: every edit decided again, held to the publisher's jurisdiction (属地).
    const replay = new PlanReplay(baseline, base, by.unitId);
    const refused = replay.append(edits);
    if (refused) throw new PlanError(refused.reason, id, refused.step, refused.at);
    const session = replay.edited;
    const after = session.topology;
    const touched = session.touchedGrids();
    const problems = session.problems(touched.filter((g) => after.faces.has(g)));
    if (problems.length)
      throw new PublishError(
        'open-problems',
        id,
        problems.map((p) => `${p.reason} @ ${p.at.map((c) => c.toFixed(6)).join(',')}`).join('; '),
        problems,
      );

    // What the version changes: grids reshaped (same code), retired (merged away) and added.
    const reshaped: ChangedShape[] = [];
    const retired: GridId[] = [];
    const added: ChangedShape[] = [];
    for (const g of touched) {
      const face = after.faces.get(g);
      if (g < PROVISIONAL_GRID_ID_MIN) {
        if (!face) {
          retired.push(g);
          continue;
        }
        const polygon = facePolygon(after, g);
        const same =
          face.parentId === base.gridById.get(g)?.communityId &&
          JSON.stringify(polygon) === JSON.stringify(facePolygon(baseline, g));
        if (!same) reshaped.push({ id: g, communityId: face.parentId, polygon });
      } else if (face) added.push({ id: g, communityId: face.parentId, polygon: facePolygon(after, g) });
    }
    if (!reshaped.length && !retired.length && !added.length) throw new PublishError('empty-plan', id);
    // Parent borders the plan unlocked and moved: the units' new outlines go with the version.
    const unitShapes = mayMoveParents(edits) ? movedUnitShapes(baseline, after, touched, base) : [];

    const version = (head.version + 1) as BoundaryVersion;
    const takesEffectNow = effectiveAt <= now;
    const t1 = performance.now();
    const took: Record<string, number> = {};
    let report: BoundaryChangeReport;
    try {
      report = await this.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${PUBLISH_LOCK})`);
        // Another publish committed since the head was read: this one was decided on an old layer.
        const [latest] = await tx
          .select({ version: boundaryVersions.version })
          .from(boundaryVersions)
          .orderBy(sql`${boundaryVersions.version} desc`)
          .limit(1);
        if (latest?.version !== head.version) throw new PublishError('publish-conflict', id);
        const marked = await tx
          .update(plans)
          .set({ status: 'published', revision: plan.revision + 1, updatedAt: now })
          .where(and(eq(plans.id, id), eq(plans.revision, plan.revision), eq(plans.status, 'draft')))
          .returning({ id: plans.id });
        if (!marked.length) throw new PublishError('publish-conflict', id);
        await tx.insert(boundaryVersions).values({
          version,
          publishedAt: now,
          note: plan.name,
          effectiveAt,
          activatedAt: null,
          planId: id,
          publishedBy: by.id,
        });
        const old = [...reshaped.map((g) => g.id), ...retired];
        const gone = await tx
          .update(grids)
          .set({ retiredIn: version })
          .where(and(inArray(grids.id, old), isNull(grids.retiredIn)))
          .returning({ id: grids.id });
        if (gone.length !== old.length) throw new PublishError('publish-conflict', id);

        const communities = await tx
          .select({ id: units.id, code: units.code, name: units.name, urban: units.urban })
          .from(units)
          .where(inArray(units.id, [...new Set(added.map((g) => g.communityId))].concat([-1 as UnitId])));
        const community = new Map(communities.map((u) => [u.id, u]));
        const codes = assignGridCodes(added, (u) => community.get(u)!.code, await highestSerials(tx));
        const row = (g: ChangedShape) => ({
          version,
          communityId: g.communityId,
          polygon: g.polygon,
          // Counted from the address points when the version takes effect (forecast until then).
          households: 0,
          population: 0,
          areaKm2: Math.round(gridAreaM2(g.polygon) / 100) / 1e4,
        });
        const rows = [
          ...reshaped.map((g) => {
            const was = base.gridById.get(g.id)!;
            return { ...row(g), code: was.code, name: was.name, urban: was.urban };
          }),
          ...added.map((g) => {
            const c = community.get(g.communityId)!;
            const coded = codes.get(g.id)!;
            return { ...row(g), code: coded.code, name: `${c.name}第${coded.serial}网格`, urban: c.urban };
          }),
        ];
        if (rows.length) await tx.insert(grids).values(rows);
        await storeUnitShapes(tx, version, unitShapes);
        took.rowsMs = Math.round(performance.now() - t1);
        return activateVersion(
          tx,
          {
            version,
            previousVersion: head.version,
            planId: id,
            name: plan.name,
            publishedAt: now,
            effectiveAt,
          },
          now,
          takesEffectNow,
          this.deps.eventLog,
          took,
        );
      });
    } catch (e) {
      // Two processes past the lock's check at once cannot happen; the primary key says so if it did.
      if (is23505(e)) throw new PublishError('publish-conflict', id);
      throw e;
    }
    if (takesEffectNow) this.deps.eventLog.committed();
    const t2 = performance.now();
    await this.deps.keeper.published();
    this.deps.log.info(
      {
        version,
        plan: id,
        decideMs: Math.round(t1 - t0),
        writeMs: Math.round(t2 - t1),
        ...took,
        swapMs: Math.round(performance.now() - t2),
        ...report.rekeyed,
      },
      'boundary version published',
    );
    return {
      version,
      name: plan.name,
      effectiveAt,
      state: takesEffectNow ? 'in-force' : 'scheduled',
      rebased,
      report,
    };
  }
}

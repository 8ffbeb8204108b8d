import { and, desc, eq, or } from 'drizzle-orm';
import type { BoundaryVersion, GridId, PlanId, Role, UnitId, UserId } from '@gcc/shared';
import {
  HOUSEHOLD_BANDS,
  MAX_PLAN_EDITS,
  type HouseholdBands,
  type PlanSave,
  type PlanStatus,
} from '@gcc/shared/planning';
import type { TopologyEdit } from '@gcc/shared/topology';
import { plans, users } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { householdContext } from '../planning/planning-context.ts';
import { planBaseline, warmPlanBaseline } from './baseline.ts';
import { PlanError } from './plan-errors.ts';
import { PlanReplay } from './plan-replay.ts';
import { PlanSessions } from './plan-sessions.ts';

// Boundary plans (网格调整方案) in the record. Every planner reads every plan (several planners
// work in parallel and see what the others touch); only its author, or an administrator, writes
// one, and only while it is a draft on the boundary version in force. A save replays the edit
// list from that version's topology (only the edits it adds, when the plan's session from its
// last save is kept) and writes nothing unless every edit passes; the open
// problems it stores count the household band breaches too, as the planner's page does.

/** What this part uses of the services (not the whole composition root). */
export type PlanStoreDeps = Pick<Services, 'database' | 'boundary'>;

/** Who reads or writes a plan: the signed-in user. */
export interface Planner {
  id: UserId;
  role: Role;
  /** Jurisdiction (属地): every grid a saved edit touches lies inside it. */
  unitId: UnitId;
}

/** A plan as the list shows it. */
export interface PlanSummary {
  id: PlanId;
  name: string;
  authorId: UserId;
  authorName: string;
  version: BoundaryVersion;
  status: PlanStatus;
  revision: number;
  updatedAt: number;
  touched: GridId[];
  touchedCount: number;
  problems: number;
  mine: boolean;
  /** Whether the reader may write it now (author or admin, a draft, on the version in force). */
  editable: boolean;
}

/** A plan opened: its edits and where its cursor stands (the rest is the redo stack). */
export interface PlanDetail extends PlanSummary {
  edits: TopologyEdit[];
  cursor: number;
  /** The plan's own household bands; null keeps HOUSEHOLD_BANDS. */
  bands: HouseholdBands | null;
  createdAt: number;
}

/** Bound of one list: plans are made by hand, a few per planner. */
const LIST_LIMIT = 500;

type PlanRow = typeof plans.$inferSelect;

/** What a new draft is written with besides its author and times. */
interface DraftRow {
  name: string;
  version: BoundaryVersion;
  edits: TopologyEdit[];
  touched: GridId[];
  problems: number;
}

export class PlanStore {
  /** Replayed sessions of the plans being edited, so a save replays only what it adds. */
  private readonly sessions = new PlanSessions();

  constructor(private readonly deps: PlanStoreDeps) {
    // The store is made once the boundary is loaded: its topology is built now, not on the first save.
    warmPlanBaseline(deps.boundary());
  }

  private get db() {
    return this.deps.database.db;
  }

  private selectWithAuthor() {
    return this.db
      .select({ plan: plans, authorName: users.displayName })
      .from(plans)
      .innerJoin(users, eq(users.id, plans.authorId));
  }

  private summary(row: PlanRow, authorName: string, reader: Planner): PlanSummary {
    const mine = row.authorId === reader.id;
    return {
      id: row.id,
      name: row.name,
      authorId: row.authorId,
      authorName,
      version: row.version,
      status: row.status,
      revision: row.revision,
      updatedAt: row.updatedAt,
      touched: row.touched,
      touchedCount: row.touched.length,
      problems: row.problems,
      mine,
      editable: this.writeRefusal(row, reader) === null,
    };
  }

  private detail(row: PlanRow, authorName: string, reader: Planner): PlanDetail {
    return {
      ...this.summary(row, authorName, reader),
      edits: row.edits,
      cursor: row.cursor,
      bands: row.bands,
      createdAt: row.createdAt,
    };
  }

  /** Why `writer` may not write the plan now, or null. */
  private writeRefusal(
    row: PlanRow,
    writer: Planner,
  ): 'not-author' | 'discarded' | 'published' | 'outdated' | null {
    if (row.authorId !== writer.id && writer.role !== 'admin') return 'not-author';
    // A published plan is the record of a boundary version: read-only for good.
    if (row.status === 'published') return 'published';
    if (row.status !== 'draft') return 'discarded';
    // Rebasing a plan onto a newer version is the publish issue's; until then it is read-only.
    if (row.version !== this.deps.boundary().version) return 'outdated';
    return null;
  }

  private async row(id: PlanId): Promise<{ plan: PlanRow; authorName: string }> {
    const [found] = await this.selectWithAuthor().where(eq(plans.id, id));
    if (!found) throw new PlanError('not-found', id);
    return found;
  }

  /** The row, if `writer` may write it at `revision`. */
  private async writable(writer: Planner, id: PlanId, revision: number): Promise<PlanRow> {
    const { plan } = await this.row(id);
    const refusal = this.writeRefusal(plan, writer);
    if (refusal) throw new PlanError(refusal, id);
    if (plan.revision !== revision) throw new PlanError('stale-revision', id);
    return plan;
  }

  /** Writes `values` if the plan is still at `revision`; a write in between is a stale revision. */
  private async update(
    writer: Planner,
    id: PlanId,
    revision: number,
    values: Partial<typeof plans.$inferInsert>,
    now: number,
  ): Promise<PlanDetail> {
    const [written] = await this.db
      .update(plans)
      .set({ ...values, revision: revision + 1, updatedAt: now })
      .where(and(eq(plans.id, id), eq(plans.revision, revision)))
      .returning({ id: plans.id });
    if (!written) throw new PlanError('stale-revision', id);
    return this.get(writer, id);
  }

  /** A new, empty draft on the boundary version in force. */
  async create(
    author: Planner,
    input: { name: string; bands?: HouseholdBands | null | undefined },
    now = Date.now(),
  ): Promise<PlanDetail> {
    const version = this.deps.boundary().version;
    return this.insertDraft(author, { ...input, version, edits: [], touched: [], problems: 0 }, now);
  }

  /**
   * A new draft holding `edits`, all applied, already replayed by the caller on `version` (the
   * importer's way in, boundaries/io: an import is a plan like any other), in one insert. A
   * version that changed since the replay is refused (`outdated`) and writes nothing.
   */
  async createReplayed(author: Planner, input: DraftRow, now = Date.now()): Promise<PlanDetail> {
    if (input.version !== this.deps.boundary().version) throw new PlanError('outdated', null);
    return this.insertDraft(author, input, now);
  }

  private async insertDraft(
    author: Planner,
    input: DraftRow & { bands?: HouseholdBands | null | undefined },
    now: number,
  ): Promise<PlanDetail> {
    const [created] = await this.db
      .insert(plans)
      .values({
        name: input.name,
        authorId: author.id,
        version: input.version,
        edits: input.edits,
        cursor: input.edits.length,
        bands: input.bands ?? null,
        touched: input.touched,
        problems: input.problems,
        status: 'draft',
        revision: 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: plans.id });
    return this.get(author, created!.id);
  }

  /** Plans of the version in force (drafts and discarded ones) and drafts left on older versions, newest first. */
  async list(reader: Planner): Promise<PlanSummary[]> {
    const version = this.deps.boundary().version;
    const rows = await this.selectWithAuthor()
      .where(or(eq(plans.version, version), eq(plans.status, 'draft')))
      .orderBy(desc(plans.updatedAt), desc(plans.id))
      .limit(LIST_LIMIT);
    return rows.map((r) => this.summary(r.plan, r.authorName, reader));
  }

  /** One plan with its edits; every planner reads every plan. */
  async get(reader: Planner, id: PlanId): Promise<PlanDetail> {
    const { plan, authorName } = await this.row(id);
    return this.detail(plan, authorName, reader);
  }

  /**
   * Saves the plan's edits: all of them are replayed from the topology of the plan's version and
   * held to the writer's jurisdiction; the first refusal (PlanError with step and at) writes
   * nothing.
   */
  async save(writer: Planner, input: PlanSave, now = Date.now()): Promise<PlanDetail> {
    try {
      const row = await this.writable(writer, input.id, input.revision);
      // A delta save keeps the first `keep` stored edits (at the revision it was read at) and adds the rest.
      const keep = input.keep ?? 0;
      if (keep > row.edits.length) throw new PlanError('keep-beyond-stored', input.id);
      const edits = keep ? [...row.edits.slice(0, keep), ...input.edits] : input.edits;
      if (edits.length > MAX_PLAN_EDITS) throw new PlanError('too-many-edits', input.id);
      const boundary = this.deps.boundary();
      const [baseline, context] = await Promise.all([
        planBaseline(boundary),
        householdContext(this.db, boundary),
      ]);
      // The bands the plan is held to after this save: those sent, else those it has.
      const bands = (input.bands !== undefined ? input.bands : row.bands) ?? HOUSEHOLD_BANDS;
      // The session kept from the plan's last save replays only what this one changes after the
      // edits both share (the rest undone); with nothing shared or nothing kept, all is replayed.
      let replay = this.sessions.take(input.id, input.revision, baseline.topology, writer.unitId);
      const shared = replay?.commonPrefix(edits) ?? 0;
      if (replay && shared > 0) replay.rewind(shared);
      else replay = new PlanReplay(baseline.topology, boundary, writer.unitId);
      const refusal = replay.append(edits);
      if (refusal) throw new PlanError(refusal.reason, input.id, refusal.step, refusal.at);
      const { touched, problems } = replay.result(input.cursor, { context, bands });
      const saved = await this.update(
        writer,
        input.id,
        input.revision,
        {
          edits,
          cursor: input.cursor,
          touched,
          problems,
          ...(input.bands !== undefined ? { bands: input.bands } : {}),
        },
        now,
      );
      this.sessions.keep(input.id, saved.revision, replay);
      return saved;
    } catch (e) {
      // Refused, stale or failed: whatever was kept no longer stands for the stored plan.
      this.sessions.drop(input.id);
      throw e;
    }
  }

  async rename(
    writer: Planner,
    input: { id: PlanId; revision: number; name: string },
    now = Date.now(),
  ): Promise<PlanDetail> {
    await this.writable(writer, input.id, input.revision);
    const renamed = await this.update(writer, input.id, input.revision, { name: input.name }, now);
    this.sessions.move(input.id, input.revision, renamed.revision);
    return renamed;
  }

  /** Discards a draft: it stays readable and in the list of its version. Drafts left on an older version can be discarded too. */
  async discard(
    writer: Planner,
    input: { id: PlanId; revision: number },
    now = Date.now(),
  ): Promise<PlanDetail> {
    const { plan } = await this.row(input.id);
    const refusal = this.writeRefusal(plan, writer);
    if (refusal === 'not-author' || refusal === 'discarded' || refusal === 'published')
      throw new PlanError(refusal, input.id);
    this.sessions.drop(input.id);
    if (plan.revision !== input.revision) throw new PlanError('stale-revision', input.id);
    return this.update(writer, input.id, input.revision, { status: 'discarded' }, now);
  }
}

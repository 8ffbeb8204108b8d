import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import {
  applyCategoryOverrides,
  calendarForCategory,
  changedWorkingTime,
  CATEGORIES,
  CategoryOverrideSchema,
  CONTINUOUS_CALENDAR,
  DEFAULT_CALENDAR,
  findCategory,
  overriddenFields,
  recordedTerms,
  validateWorkCalendar,
  WorkCalendarSchema,
  type CalendarRefusal,
  type CaseEvent,
  type CaseTerms,
  type Category,
  type CategoryOverride,
  type StepLimits,
  type WorkCalendar,
  type GridId,
  type UnitId,
  type UserId,
} from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { categoryOverrides, settingsVersions, unitCalendars, workCalendars } from '../db/schema.ts';
import type { Tx } from '../live/event-log.ts';
import type { Logger } from '../log.ts';
import type { Boundary } from '../spatial/boundary.ts';

// The deadline terms of the city, held in memory: the category table with the administrators'
// overrides applied (categories.ts is the default), the work calendars and which unit uses which.
// A unit without a calendar inherits its parent's; with none up to the city, DEFAULT_CALENDAR.
// The tables are the truth: every write bumps the `deadline-terms` row of settings_versions in
// its transaction, and every process re-reads the tables when its poll (every few seconds) sees a
// new version — the same kind of sync as the device registry's, so several processes on one
// PostgreSQL agree within SYNC_MS. A case records its terms when reported (CaseTermsSchema), so
// nothing here moves an existing case's deadlines.

const VERSION_ROW = 'deadline-terms';
const SYNC_MS = 5000;

/** Step limits of a category missing from the table. */
export const FALLBACK_LIMITS: StepLimits = { register: 4, dispatch: 2, handle: 24, verify: 8, close: 8 };

/** Calendars that exist without a row: the default and the around-the-clock one of red urgency. */
const BUILT_IN: ReadonlyMap<string, WorkCalendar> = new Map([
  [DEFAULT_CALENDAR.id, DEFAULT_CALENDAR],
  [CONTINUOUS_CALENDAR.id, CONTINUOUS_CALENDAR],
]);

/** Why an administrator's edit was refused (message key `refusal.<reason>`). */
export type DeadlineRefusal =
  | 'handle-over-urgency'
  | 'unknown-category'
  | 'unknown-unit'
  | 'unknown-calendar'
  | 'calendar-in-use'
  | 'city-admin-only'
  | 'calendar-outside-jurisdiction'
  | CalendarRefusal;

export class DeadlineTermsError extends Error {
  constructor(
    readonly reason: DeadlineRefusal,
    readonly at: string | null = null,
  ) {
    super(`refused: ${reason}${at ? ` (${at})` : ''}`);
  }
}

/** What the case engine's server side reads: effective categories, calendars by id and by grid, the terms of a new case. */
export interface CaseTermsSource {
  categoryOf(code: string): Category | undefined;
  calendarById(id: string): WorkCalendar | undefined;
  /** The calendar of a grid's jurisdiction; null (no grid known) gives the city's. */
  calendarForGrid(gridId: GridId | null): WorkCalendar;
}

/** Who edits: the signed-in administrator (属地: its unit). */
export interface TermsEditor {
  userId: UserId;
  unitId: UnitId;
}

export interface StoredOverride {
  override: CategoryOverride;
  updatedBy: UserId | null;
  updatedAt: number;
}

export interface StoredCalendar {
  id: string;
  nameZh: string;
  nameEn: string;
  calendar: WorkCalendar;
  updatedBy: UserId | null;
  updatedAt: number;
  /** Deleted calendars stay readable by id for the cases that recorded them. */
  deletedAt: number | null;
}

/** A calendar as an administrator writes it (the id is the server's). */
export const CalendarBodySchema = WorkCalendarSchema.omit({ id: true });
export interface CalendarInput {
  nameZh: string;
  nameEn: string;
  calendar: Omit<WorkCalendar, 'id'>;
}

/** The terms a new case of `category` in `gridId` runs on: its step limits and calendar (red urgency: around the clock). */
export function termsFor(source: CaseTermsSource, category: string, gridId: GridId): CaseTerms {
  const cat = source.categoryOf(category);
  const jurisdiction = source.calendarForGrid(gridId);
  return {
    limits: { ...(cat?.limits ?? FALLBACK_LIMITS) },
    calendarId: (cat ? calendarForCategory(cat, jurisdiction) : jurisdiction).id,
  };
}

/** The calendar a case's clock runs on: the one recorded at its report, else (older timelines) its grid's now. */
export function calendarOfCase(
  source: CaseTermsSource,
  category: string,
  gridId: GridId | null,
  timeline: readonly CaseEvent[],
): WorkCalendar {
  const recorded = recordedTerms(timeline);
  const byId = recorded ? source.calendarById(recorded.calendarId) : undefined;
  if (byId) return byId;
  const cat = source.categoryOf(category);
  const jurisdiction = source.calendarForGrid(gridId);
  return cat ? calendarForCategory(cat, jurisdiction) : jurisdiction;
}

/** The default table and calendar, before anything is loaded (a seed into an empty database). */
export const TABLE_TERMS: CaseTermsSource = {
  categoryOf: findCategory,
  calendarById: (id) => BUILT_IN.get(id),
  calendarForGrid: () => DEFAULT_CALENDAR,
};

/** An edit that changed where a calendar counts working time (`changedWorkingTime`). */
export interface WorkingTimeChange {
  calendarId: string;
  window: { from: number; to: number };
  /** The terms with the calendar's new body (the directory still holds the old one in the transaction). */
  terms: CaseTermsSource;
}

export class DeadlineDirectory implements CaseTermsSource {
  /**
   * Called in the transaction of a calendar edit that moved working time (the indicators' facts
   * judge 按期 on it); what it returns runs once the new terms are loaded here.
   */
  onWorkingTimeChange: ((tx: Tx, change: WorkingTimeChange) => Promise<() => Promise<unknown>>) | null = null;
  private version: number | null = null;
  private effective = new Map<string, Category>(CATEGORIES.map((c) => [c.code, c]));
  private list: readonly Category[] = CATEGORIES;
  private overrides = new Map<string, StoredOverride>();
  private stored = new Map<string, StoredCalendar>();
  private unitCalendar = new Map<UnitId, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    /** The boundary, once loaded (absent while the city is being seeded: everything is the default then). */
    private readonly boundary: () => Boundary | undefined,
    private readonly log?: Logger,
  ) {}

  /** Reads the tables; then, with `start`, keeps in step with other processes until `stop()`. */
  async load(): Promise<this> {
    const [v] = await this.db
      .select({ version: settingsVersions.version })
      .from(settingsVersions)
      .where(eq(settingsVersions.name, VERSION_ROW));
    // Version first: a write landing between the two reads shows up as a new version next poll.
    const version = v?.version ?? 0;
    const [overrideRows, calendarRows, unitRows] = await Promise.all([
      this.db.select().from(categoryOverrides).orderBy(asc(categoryOverrides.code)),
      this.db.select().from(workCalendars).orderBy(asc(workCalendars.id)),
      this.db.select().from(unitCalendars),
    ]);
    const overrides = new Map<string, StoredOverride>();
    for (const r of overrideRows) {
      const parsed = CategoryOverrideSchema.safeParse({ ...r.override, code: r.code });
      if (parsed.success)
        overrides.set(r.code, { override: parsed.data, updatedBy: r.updatedBy, updatedAt: r.updatedAt });
      else this.log?.warn({ code: r.code }, 'category override does not parse: ignored');
    }
    // Checked on every write; a row edited by hand may still break its urgency's ceiling: that
    // subclass keeps the default, the others their overrides (each is checked on its own).
    for (const [code, o] of overrides) {
      const alone = applyCategoryOverrides(CATEGORIES, [o.override]);
      if (alone.ok) continue;
      this.log?.warn({ code, reason: alone.reason }, 'category override refused: default in use');
      overrides.delete(code);
    }
    const applied = applyCategoryOverrides(
      CATEGORIES,
      [...overrides.values()].map((o) => o.override),
    );
    const stored = new Map<string, StoredCalendar>();
    for (const r of calendarRows) {
      const parsed = WorkCalendarSchema.safeParse({ ...r.calendar, id: r.id });
      if (parsed.success)
        stored.set(r.id, {
          id: r.id,
          nameZh: r.nameZh,
          nameEn: r.nameEn,
          calendar: parsed.data,
          updatedBy: r.updatedBy,
          updatedAt: r.updatedAt,
          deletedAt: r.deletedAt,
        });
      else this.log?.warn({ id: r.id }, 'work calendar does not parse: ignored');
    }
    this.overrides = overrides;
    this.list = applied.ok ? applied.categories : CATEGORIES;
    this.effective = new Map(this.list.map((c) => [c.code, c]));
    this.stored = stored;
    this.unitCalendar = new Map(unitRows.map((r) => [r.unitId, r.calendarId]));
    this.version = version;
    return this;
  }

  /** Re-reads the tables when another process changed them (one small query when nothing did). */
  async sync(): Promise<boolean> {
    const [v] = await this.db
      .select({ version: settingsVersions.version })
      .from(settingsVersions)
      .where(eq(settingsVersions.name, VERSION_ROW));
    if ((v?.version ?? 0) === this.version) return false;
    await this.load();
    return true;
  }

  start(periodMs = SYNC_MS): void {
    this.timer = setInterval(() => {
      this.sync().catch((err: unknown) => this.log?.error({ err }, 'deadline terms sync failed'));
    }, periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  // ---- reads ----

  /** The effective category table (defaults with overrides applied), in table order. */
  categories(): readonly Category[] {
    return this.list;
  }

  categoryOf(code: string): Category | undefined {
    return this.effective.get(code);
  }

  overrideOf(code: string): StoredOverride | undefined {
    return this.overrides.get(code);
  }

  /** The fields of a subclass that differ from the default table. */
  overriddenFields(code: string): string[] {
    const base = findCategory(code);
    return base ? overriddenFields(base, this.overrides.get(code)?.override) : [];
  }

  /** The calendars an administrator works with (not deleted). */
  calendars(): readonly StoredCalendar[] {
    return [...this.stored.values()].filter((c) => c.deletedAt === null);
  }

  /** Any calendar a case may have recorded: stored (deleted ones too) or built in. */
  calendarById(id: string): WorkCalendar | undefined {
    return this.stored.get(id)?.calendar ?? BUILT_IN.get(id);
  }

  /** Unit id → calendar id of the units with a calendar of their own. */
  assignments(): ReadonlyMap<number, string> {
    return this.unitCalendar;
  }

  /** The calendar of a unit: its own, else the nearest ancestor's, else the default. */
  calendarForUnit(unitId: UnitId | null): WorkCalendar {
    const units = this.boundary()?.unitById;
    let unit = unitId;
    for (let hops = 0; unit !== null && unit !== undefined && hops < 16; hops++) {
      const id = this.unitCalendar.get(unit);
      const cal = id === undefined ? undefined : this.stored.get(id)?.calendar;
      if (cal) return cal;
      unit = units?.get(unit)?.parentId ?? null;
    }
    return DEFAULT_CALENDAR;
  }

  /** The jurisdiction calendar of a grid: its community's, street's, district's or city's (属地). */
  calendarForGrid(gridId: GridId | null): WorkCalendar {
    if (this.unitCalendar.size === 0) return DEFAULT_CALENDAR;
    if (gridId === null) return this.calendarForUnit(null);
    return this.calendarForUnit(this.boundary()?.gridById.get(gridId)?.communityId ?? null);
  }

  // ---- writes (each in one transaction with the version bump, then re-read here) ----

  /** Sets the override of one subclass (replacing the previous one); an override equal to the defaults clears it. */
  async setOverride(input: CategoryOverride, editor: TermsEditor, at = Date.now()): Promise<Category> {
    this.cityAdminOnly(editor);
    const base = findCategory(input.code);
    if (!base) throw new DeadlineTermsError('unknown-category', input.code);
    const others = [...this.overrides.values()].map((o) => o.override).filter((o) => o.code !== input.code);
    const applied = applyCategoryOverrides(CATEGORIES, [...others, input]);
    if (!applied.ok) throw new DeadlineTermsError(applied.reason, applied.code);
    const { code, ...override } = input;
    await this.write(async (tx) => {
      if (overriddenFields(base, input).length === 0)
        await tx.delete(categoryOverrides).where(eq(categoryOverrides.code, code));
      else
        await tx
          .insert(categoryOverrides)
          .values({ code, override, updatedBy: editor.userId, updatedAt: at })
          .onConflictDoUpdate({
            target: categoryOverrides.code,
            set: { override, updatedBy: editor.userId, updatedAt: at },
          });
    });
    return this.categoryOf(code)!;
  }

  /** Back to the default table for one subclass. */
  async clearOverride(code: string, editor: TermsEditor): Promise<Category> {
    this.cityAdminOnly(editor);
    if (!findCategory(code)) throw new DeadlineTermsError('unknown-category', code);
    await this.write((tx) => tx.delete(categoryOverrides).where(eq(categoryOverrides.code, code)));
    return this.categoryOf(code)!;
  }

  async createCalendar(input: CalendarInput, editor: TermsEditor, at = Date.now()): Promise<StoredCalendar> {
    const id = `cal-${randomUUID().slice(0, 8)}`;
    const calendar = checkedCalendar(id, input.calendar);
    await this.write((tx) =>
      tx.insert(workCalendars).values({
        id,
        nameZh: input.nameZh,
        nameEn: input.nameEn,
        calendar,
        updatedBy: editor.userId,
        updatedAt: at,
      }),
    );
    return this.stored.get(id)!;
  }

  async updateCalendar(
    id: string,
    input: CalendarInput,
    editor: TermsEditor,
    at = Date.now(),
  ): Promise<StoredCalendar> {
    this.editableCalendar(id, editor);
    const calendar = checkedCalendar(id, input.calendar);
    const afterLoad: (() => Promise<unknown>)[] = [];
    await this.write(async (tx) => {
      // The body being replaced, as stored (another process may have edited it since our last read).
      const [old] = await tx
        .select({ calendar: workCalendars.calendar })
        .from(workCalendars)
        .where(and(eq(workCalendars.id, id), isNull(workCalendars.deletedAt)))
        .for('update');
      if (!old) throw new DeadlineTermsError('unknown-calendar', id);
      await tx
        .update(workCalendars)
        .set({
          nameZh: input.nameZh,
          nameEn: input.nameEn,
          calendar,
          updatedBy: editor.userId,
          updatedAt: at,
        })
        .where(eq(workCalendars.id, id));
      const before = WorkCalendarSchema.safeParse({ ...old.calendar, id });
      // A stored body that does not parse was read as no calendar: everything judged on it moves.
      const window = before.success
        ? changedWorkingTime(before.data, calendar)
        : { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
      if (window && this.onWorkingTimeChange)
        afterLoad.push(
          await this.onWorkingTimeChange(tx, { calendarId: id, window, terms: this.withCalendar(calendar) }),
        );
    });
    for (const settle of afterLoad) await settle();
    return this.stored.get(id)!;
  }

  /** These terms with one calendar's body replaced (an edit not yet loaded). */
  private withCalendar(calendar: WorkCalendar): CaseTermsSource {
    return {
      categoryOf: (code) => this.categoryOf(code),
      calendarById: (id) => (id === calendar.id ? calendar : this.calendarById(id)),
      calendarForGrid: (gridId) => {
        const c = this.calendarForGrid(gridId);
        return c.id === calendar.id ? calendar : c;
      },
    };
  }

  /**
   * Deletes a calendar no unit uses (checked in the transaction). The row stays, marked deleted:
   * the cases that recorded it keep counting on it, so deleting moves no deadline.
   */
  async deleteCalendar(id: string, editor: TermsEditor, at = Date.now()): Promise<void> {
    this.editableCalendar(id, editor);
    await this.write(async (tx) => {
      const [used] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(unitCalendars)
        .where(eq(unitCalendars.calendarId, id));
      if ((used?.n ?? 0) > 0) throw new DeadlineTermsError('calendar-in-use', id);
      const rows = await tx
        .update(workCalendars)
        .set({ deletedAt: at, updatedBy: editor.userId, updatedAt: at })
        .where(and(eq(workCalendars.id, id), isNull(workCalendars.deletedAt)))
        .returning({ id: workCalendars.id });
      if (rows.length === 0) throw new DeadlineTermsError('unknown-calendar', id);
    });
  }

  /** Gives a unit inside the editor's jurisdiction its own calendar, or (null) lets it inherit its parent's again. */
  async assign(
    unitId: UnitId,
    calendarId: string | null,
    editor: TermsEditor,
    at = Date.now(),
  ): Promise<void> {
    const boundary = this.boundary();
    if (!boundary?.unitById.has(unitId) || !boundary.unitWithin(unitId, editor.unitId))
      throw new DeadlineTermsError('unknown-unit', String(unitId));
    if (calendarId !== null && !this.live(calendarId))
      throw new DeadlineTermsError('unknown-calendar', calendarId);
    await this.write(async (tx) => {
      if (calendarId === null) {
        await tx.delete(unitCalendars).where(eq(unitCalendars.unitId, unitId));
        return;
      }
      await tx
        .insert(unitCalendars)
        .values({ unitId, calendarId, updatedBy: editor.userId, updatedAt: at })
        .onConflictDoUpdate({
          target: unitCalendars.unitId,
          set: { calendarId, updatedBy: editor.userId, updatedAt: at },
        });
    });
  }

  /** The category table is the city's: only an administrator of the root unit edits it. */
  private cityAdminOnly(editor: TermsEditor): void {
    if (!this.boundary()?.isRoot(editor.unitId)) throw new DeadlineTermsError('city-admin-only');
  }

  /** A calendar an editor may change: it exists, and every unit using it lies in the editor's jurisdiction. */
  private editableCalendar(id: string, editor: TermsEditor): void {
    if (!this.live(id)) throw new DeadlineTermsError('unknown-calendar', id);
    const boundary = this.boundary();
    for (const [unitId, calendarId] of this.unitCalendar) {
      if (calendarId === id && !boundary?.unitWithin(unitId, editor.unitId))
        throw new DeadlineTermsError('calendar-outside-jurisdiction', id);
    }
  }

  private live(id: string): boolean {
    const c = this.stored.get(id);
    return c !== undefined && c.deletedAt === null;
  }

  private async write(change: (tx: Tx) => Promise<unknown>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await change(tx);
      await tx
        .insert(settingsVersions)
        .values({ name: VERSION_ROW, version: 1 })
        .onConflictDoUpdate({
          target: settingsVersions.name,
          set: { version: sql`${settingsVersions.version} + 1` },
        });
    });
    await this.load();
  }
}

/** A calendar body checked by the schema and by `validateWorkCalendar`, with its id. */
function checkedCalendar(id: string, body: Omit<WorkCalendar, 'id'>): WorkCalendar {
  const calendar: WorkCalendar = {
    ...body,
    id,
    workWeekdays: [...new Set(body.workWeekdays)].sort((a, b) => a - b),
  };
  const v = validateWorkCalendar(calendar);
  if (!v.valid) throw new DeadlineTermsError(v.reason, v.at || null);
  return calendar;
}

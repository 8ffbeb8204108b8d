import { and, asc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import {
  cohortFacts,
  emptyCounts,
  INDICATOR_COUNT_KEYS,
  IndicatorAccumulator,
  TIMED_STEPS,
  type IndicatorCounts,
  localDay,
  localMidnight,
  sortIndicatorRows,
  type CaseFacts,
  type IndicatorGroupBy,
  type IndicatorSortKey,
  type Indicators,
  type Ratio,
  type BoundaryVersion,
  type CaseId,
  type GridId,
  type UnitId,
  type WorkerId,
} from '@gcc/shared';
import { GridIndex } from '@gcc/shared/geo';
import { readRows } from '../db/bulk-read.ts';
import type { Db } from '../db/connect.ts';
import { caseFacts, cases, events } from '../db/schema.ts';
import type { Boundary, GridRecord } from '../spatial/boundary.ts';
import { type CaseTermsSource } from '../deadlines/deadline-directory.ts';
import { factTerms, readTimelines, type FactTerms } from './case-facts.ts';

// Assessment indicators (考核指标) over a time range. The cohort is the cases registered in the
// range (case-indicators.ts decides the formulas). Each case's facts are kept in case_facts, in
// the transaction of every case write (case-facts.ts), so a range is summed in SQL, one row per
// group (grid, worker, department or day), with no timeline read: a facts row equals a replay of
// the timeline up to the range's end whenever the case's last event came before that end. The
// few cases of the cohort that moved on after the end are replayed from their timelines, exactly
// as before. Until the facts of every case are written (first
// start after the upgrade: `backfillCaseFacts`) the whole cohort is replayed ('replay' source),
// shared for a minute between the summary (any grouping) and the trend. Grouping follows the
// case's grid as recorded now (a published boundary re-keys open cases; closed ones keep theirs).

export type TrendBucket = 'day' | 'week';

/** Grouping by a boundary version that does not exist. */
export class UnknownVersionError extends Error {
  constructor(readonly version: BoundaryVersion) {
    super(`boundary version ${version} not found`);
  }
}

export interface IndicatorScope {
  from: number;
  to: number;
  /** Only cases in these grids (jurisdiction ∩ chosen area); undefined = the whole city. */
  gridIds: readonly GridId[] | undefined;
}

export interface IndicatorGroupRow {
  /** Grid or unit id, department code or worker id, as a string. */
  key: string;
  /** Display name: grid, unit or worker name; a department's Chinese name. */
  name: string;
  /** The unit above (a grid's community, a community's street …; a worker's home grid). */
  parent: string | null;
  indicators: Indicators;
}

export interface TrendPoint {
  start: number;
  end: number;
  /** 立案: cases registered in the bucket (the bucket's cohort). */
  registered: number;
  /** 结案: closures that happened in the bucket (any case of the scope; merged duplicates left out). */
  closed: number;
  /** Rates of the bucket's cohort, at the end of the range. */
  closureRate: Ratio;
  onTimeClosureRate: Ratio;
  reworkRate: Ratio;
}

const DAY = 86_400_000;
const BATCH = 1_000;
const COHORT_TTL_MS = 60_000;
const COHORT_CACHE_SIZE = 4;
/** A bigger cohort (a large city's year) is folded per request instead of held in memory. */
const COHORT_CACHE_MAX_CASES = 50_000;
const REGISTRATION_TYPES = ['case.registered', 'case.selfHandled'];
const UNIT_LEVELS = { community: 'community', street: 'street', district: 'district' } as const;

/** Start of the bucket holding `t`: local midnight, or local Monday midnight for weeks. */
export function bucketStart(t: number, bucket: TrendBucket): number {
  const day = localDay(t);
  if (bucket === 'day') return localMidnight(day);
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return localMidnight(day - ((weekday + 6) % 7));
}

/** What a case is grouped by. */
interface GroupedCase {
  id: CaseId;
  gridId: GridId;
  worker: string | null;
  department: string | null;
}

/** A case of a range's cohort: its facts and what it is grouped by. */
interface CohortCase extends GroupedCase {
  registeredAt: number;
  facts: CaseFacts;
}

/** Where the indicators come from: the facts table (summed in SQL), or every timeline replayed. */
export type IndicatorSource = 'facts' | 'replay';

type UnitLevel = (typeof UNIT_LEVELS)[keyof typeof UNIT_LEVELS];

/** A base group of the facts query: a case's grid or the unit above it, its last feedback's worker or department, or its registration's local day. */
type BaseKey =
  | { kind: 'grid' }
  | { kind: 'unit'; level: UnitLevel }
  | { kind: 'worker' }
  | { kind: 'department' }
  | { kind: 'day' }
  /** A key per case id (grids of another boundary version, located by the case's place). */
  | { kind: 'case'; ids: string; keys: string };

export class IndicatorService {
  private readonly cache = new Map<string, { at: number; cohort: Promise<CohortCase[]> }>();
  private readonly groupMaps = new WeakMap<
    Boundary,
    Map<UnitLevel | 'grid', { grids: string; units: string }>
  >();
  private readonly factTerms: FactTerms;
  /** The spatial index of another version's grids, per layer read (the layer cache keeps the last few). */
  private readonly versionIndexes = new WeakMap<object, GridIndex>();
  /** 'replay' until every case's facts are written (`factsReady`); a benchmark may set it to compare. */
  source: IndicatorSource = 'replay';
  /** The present (tests hold it still): open cases of a range that runs on are judged late at now. */
  now: () => number = Date.now;
  /** Settles when the facts of every case are written (or the attempt ended): tests and benchmarks wait on it. */
  factsWritten: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly boundary: () => Boundary,
    private readonly workerOf: (id: WorkerId) => { name: string; gridId: GridId } | undefined,
    /** The category table and calendars (a case's clock runs on the terms recorded at its report, else on these). */
    private readonly terms: CaseTermsSource,
    /** A handling department's name (the departments table). */
    private readonly departmentName: (code: string) => string | undefined,
    /** The grid rows of a boundary version (null: no such version), for grouping by another version's grids. */
    private readonly versionLayer: (
      version: BoundaryVersion,
    ) => Promise<{ name: string; grids: readonly GridRecord[] } | null> = async () => null,
  ) {
    this.factTerms = factTerms(terms);
  }

  /** Every case's facts are written: indicators are summed from case_facts from now on. */
  factsReady(): void {
    this.source = 'facts';
    this.cache.clear();
  }

  /** Older history was written (a first start's load behind the server): cohorts read before are short of it. */
  historyMoved(): void {
    this.cache.clear();
  }

  private gridFilter(gridIds: readonly GridId[] | undefined): SQL | undefined {
    if (!gridIds) return undefined;
    return gridIds.length ? inArray(cases.gridId, [...gridIds]) : sql`false`;
  }

  private factsGridFilter(gridIds: readonly GridId[] | undefined): SQL | undefined {
    if (!gridIds) return undefined;
    return gridIds.length ? inArray(caseFacts.gridId, [...gridIds]) : sql`false`;
  }

  /**
   * The cohort of a scope: every case registered in the range with the facts the indicators
   * need and its group keys, read once and shared for COHORT_TTL_MS by the summary (any grouping)
   * and the trend — a page asks for both at once, and a desk flips between groupings.
   */
  private cohort(scope: IndicatorScope, now = Date.now()): Promise<CohortCase[]> {
    // A publish re-keys open cases to new grids: a cohort read before it groups them wrongly.
    const key = `${this.boundary().version}:${scope.from}:${scope.to}:${scope.gridIds ? scope.gridIds.join(',') : '*'}`;
    for (const [k, v] of this.cache) if (now - v.at > COHORT_TTL_MS) this.cache.delete(k);
    const hit = this.cache.get(key);
    if (hit) return hit.cohort;
    const cohort = this.readCohort(scope);
    this.cache.set(key, { at: now, cohort });
    while (this.cache.size > COHORT_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    cohort.then(
      (c) => {
        if (c.length > COHORT_CACHE_MAX_CASES) this.cache.delete(key);
      },
      () => this.cache.delete(key),
    );
    return cohort;
  }

  /** Cases (joined to their events) registered in the range and the scope's grids: the cohort's candidates. */
  private registeredIn(scope: IndicatorScope): SQL | undefined {
    return and(
      inArray(events.type, REGISTRATION_TYPES),
      gte(events.at, scope.from),
      lt(events.at, scope.to),
      eq(events.kind, 'case'),
      this.gridFilter(scope.gridIds),
    );
  }

  /** Reads the cohort from the record: candidates by their registration events, timelines in batches. */
  private async readCohort(scope: IndicatorScope): Promise<CohortCase[]> {
    const candidates = await this.db
      .selectDistinct({ id: cases.id, gridId: cases.gridId })
      .from(events)
      .innerJoin(cases, eq(cases.id, events.caseId))
      .where(this.registeredIn(scope))
      .orderBy(asc(cases.id));
    return this.replay(scope, candidates);
  }

  /** Replays the timelines of `candidates` up to the range's end: those of the cohort, with their facts. */
  private async replay(
    scope: IndicatorScope,
    candidates: readonly { id: CaseId; gridId: GridId }[],
  ): Promise<CohortCase[]> {
    const opts = this.options(scope);
    const out: CohortCase[] = [];
    for (let k = 0; k < candidates.length; k += BATCH) {
      const batch = candidates.slice(k, k + BATCH);
      // A timeline that does not parse (hand-imported history) cannot be assessed: left out.
      const timelines = await readTimelines(
        this.db,
        batch.map((c) => c.id),
        scope.to,
      );
      for (const c of batch) {
        const timeline = timelines.get(c.id);
        if (!timeline) continue;
        const facts = cohortFacts(timeline, opts);
        if (!facts) continue;
        out.push({
          id: c.id,
          gridId: c.gridId,
          registeredAt: facts.registeredAt!,
          worker: facts.worker,
          department: facts.department,
          facts,
        });
      }
    }
    return out;
  }

  private options(scope: IndicatorScope) {
    return { from: scope.from, to: scope.to, now: this.now(), ...this.factTerms };
  }

  /**
   * The range's cohort from case_facts: counts summed in SQL per base group for the cases whose
   * facts hold at the range's end (last event before it), and the rest, moved on after the end,
   * replayed. Judged at `asOf` (the range's end, or now). `lean` sums only what a trend shows
   * (registrations, closures, 按期, rework), the other counts left at 0.
   */
  private async fromFacts(
    scope: IndicatorScope,
    base: BaseKey,
    asOf: number,
    lean = false,
  ): Promise<{ counts: { key: string | null; counts: IndicatorCounts }[]; replayed: CohortCase[] }> {
    const f = caseFacts;
    const inRange = and(
      gte(f.registeredAt, scope.from),
      lt(f.registeredAt, scope.to),
      this.factsGridFilter(scope.gridIds),
    );
    const holds = sql`${f.lastEventAt} < ${scope.to}`;
    // Units above the grid are rolled up in SQL through the boundary's grid → unit map: a street
    // is some hundred rows to send, the grids of a city thousands (what a page waited for).
    // Grids likewise through the map of grid rows to the row that stands for their code (a
    // reshaped grid is one grid across the publish).
    const unitMap =
      base.kind === 'unit'
        ? this.unitMap(base.level)
        : base.kind === 'grid'
          ? this.gridLineMap()
          : base.kind === 'case'
            ? { grids: base.ids, units: base.keys }
            : null;
    const key =
      base.kind === 'grid'
        ? sql`coalesce(m.k, ${f.gridId})::text`
        : base.kind === 'unit' || base.kind === 'case'
          ? sql`m.k::text`
          : base.kind === 'worker'
            ? sql`${f.worker}`
            : base.kind === 'department'
              ? sql`${f.department}`
              : sql`${f.registeredDay}::text`;
    const live = sql`not ${f.voided}`;
    const n = (cond: SQL) => sql<number>`(count(*) filter (where ${cond}))::int`;
    const zero = sql<number>`0`;
    const stepCols = TIMED_STEPS.flatMap((_, k) => [
      sql<number>`coalesce(sum(${f.stepMs}[${sql.raw(String(k + 1))}]) filter (where ${live}), 0)::float8`,
      sql<number>`coalesce(sum(${f.stepCount}[${sql.raw(String(k + 1))}]) filter (where ${live}), 0)::int`,
    ]);
    const query = this.db
      .select({
        key: sql<string | null>`${key}`,
        holds: sql<boolean>`${holds}`,
        // Cases that moved on after the end, [id, grid] each: replayed below (one scan serves both).
        moved: sql<
          string | null
        >`(json_agg(json_build_array(${f.caseId}, ${f.gridId})) filter (where not (${holds})))::text`,
        registered: sql<number>`count(*)::int`,
        voided: n(sql`${f.voided}`),
        deferred: n(sql`${live} and ${f.parkedAtEnd} and not ${f.closed}`),
        closed: n(sql`${live} and ${f.closed}`),
        closedOnTime: n(sql`${live} and ${f.closed} and ${f.closedOnTime}`),
        overdueOpen: n(
          sql`${live} and not ${f.closed} and not ${f.parkedAtEnd} and (${f.handledLate} or ${f.handleDeadlineAt} < ${asOf})`,
        ),
        handled: lean ? zero : n(sql`${live} and ${f.handled}`),
        onSite: lean ? zero : n(sql`${live} and ${f.handled} and ${f.onSite}`),
        inGrid: lean ? zero : n(sql`${live} and ${f.closed} and ${f.inGrid}`),
        verified: n(sql`${live} and ${f.verifiedOnce}`),
        reworked: n(sql`${live} and ${f.reworked}`),
        steps: lean
          ? sql<string | null>`null`
          : sql<string | null>`json_build_array(${sql.join(stepCols, sql`, `)})::text`,
      })
      .from(f)
      .$dynamic();
    if (unitMap)
      query.leftJoin(
        sql`unnest(${unitMap.grids}::int[], ${unitMap.units}::int[]) as m(g, k)`,
        base.kind === 'case' ? sql`m.g = ${f.caseId}` : sql`m.g = ${f.gridId}`,
      );
    const rows = await query
      .where(and(inRange, sql`(not ${f.merged} or not (${holds}))`))
      .groupBy(sql`1`, sql`2`);
    const moved: { id: CaseId; gridId: GridId }[] = [];
    for (const r of rows)
      if (r.moved)
        for (const [id, gridId] of JSON.parse(r.moved) as [CaseId, GridId][]) moved.push({ id, gridId });
    moved.sort((a, b) => a.id - b.id);
    const counts = rows
      .filter((r) => r.holds)
      .map((r) => {
        const c = emptyCounts();
        for (const k of INDICATOR_COUNT_KEYS) c[k] = Number(r[k]);
        if (r.steps !== null) {
          const steps = JSON.parse(r.steps) as number[];
          TIMED_STEPS.forEach((s, k) => {
            c.steps[s] = { sum: Number(steps[2 * k]), count: Number(steps[2 * k + 1]) };
          });
        }
        return { key: r.key, counts: c };
      });
    // Moved on after the end: the facts at the end come from the timeline.
    return { counts, replayed: await this.replay(scope, moved) };
  }

  /**
   * The grid → unit map of a level as two PostgreSQL array literals (grids without a unit of the
   * level left out: they count in the total only, as keyOf has it), made once per boundary.
   */
  private unitMap(level: UnitLevel): { grids: string; units: string } {
    const b = this.boundary();
    let maps = this.groupMaps.get(b);
    if (!maps) this.groupMaps.set(b, (maps = new Map()));
    let m = maps.get(level);
    if (!m) {
      const grids: number[] = [];
      const units: number[] = [];
      for (const gridId of b.gridById.keys()) {
        const unit = this.unitAbove(gridId, level);
        if (unit === null) continue;
        grids.push(gridId);
        units.push(unit);
      }
      maps.set(level, (m = { grids: `{${grids.join(',')}}`, units: `{${units.join(',')}}` }));
    }
    return m;
  }

  /**
   * Grouping by the grids of another boundary version (a past one, to read a period as it was
   * cut then; a scheduled one, to see the cases on the grids to come): each case of the range goes
   * to the grid of that version holding its place, or to no group when it lies outside them.
   */
  private async versionGrouping(scope: IndicatorScope, version: BoundaryVersion) {
    const layer = await this.versionLayer(version);
    if (!layer) throw new UnknownVersionError(version);
    let index = this.versionIndexes.get(layer);
    if (!index) this.versionIndexes.set(layer, (index = new GridIndex(layer.grids)));
    const rows = await readRows(
      this.db,
      sql`select distinct ${cases.id}, ${cases.lng}, ${cases.lat}
          from ${events} join ${cases} on ${cases.id} = ${events.caseId}
          where ${this.registeredIn(scope)}`,
      ['number', 'number', 'number'] as const,
    );
    const keys = new Map<number, string>();
    for (const [id, lng, lat] of rows) {
      const g = index.locate(lng, lat);
      if (g !== null) keys.set(id, String(g));
    }
    const byId = new Map(layer.grids.map((g) => [g.id, g]));
    const units = this.boundary().unitById;
    const base: BaseKey = {
      kind: 'case',
      ids: `{${[...keys.keys()].join(',')}}`,
      keys: `{${[...keys.values()].join(',')}}`,
    };
    return {
      base,
      keyOf: (id: CaseId) => keys.get(id) ?? null,
      label: (key: string) => {
        const g = byId.get(Number(key) as GridId);
        return { name: g?.name ?? `#${key}`, parent: g ? (units.get(g.communityId)?.name ?? null) : null };
      },
    };
  }

  /** Every grid row that is not the row standing for its code → that row (empty before any reshape). */
  private gridLineMap(): { grids: string; units: string } {
    const b = this.boundary();
    let maps = this.groupMaps.get(b);
    if (!maps) this.groupMaps.set(b, (maps = new Map()));
    let m = maps.get('grid');
    if (!m) {
      const from: number[] = [];
      const to: number[] = [];
      for (const gridId of b.gridById.keys()) {
        const line = b.gridLine(gridId);
        if (line === gridId) continue;
        from.push(gridId);
        to.push(line);
      }
      maps.set('grid', (m = { grids: `{${from.join(',')}}`, units: `{${to.join(',')}}` }));
    }
    return m;
  }

  /** Closures (结案) per bucket in the range, from the facts: each case closes once (no reopening after 结案). */
  private closuresFromFacts(scope: IndicatorScope, origin: number, size: number) {
    const f = caseFacts;
    return this.db
      .select({
        bucket: sql<number>`((${f.closedAt} - ${origin}::bigint) / ${size}::bigint)::int`,
        n: sql<number>`count(*)::int`,
      })
      .from(f)
      .where(
        and(
          gte(f.closedAt, scope.from),
          lt(f.closedAt, scope.to),
          sql`not ${f.closedWithPrimary}`,
          this.factsGridFilter(scope.gridIds),
        ),
      )
      .groupBy(sql`1`);
  }

  /** Closures per bucket in the range, from the close events (while the facts are not all written). */
  private closuresFromEvents(scope: IndicatorScope, origin: number, size: number) {
    const closures = and(
      eq(events.type, 'case.closed'),
      gte(events.at, scope.from),
      lt(events.at, scope.to),
      eq(events.kind, 'case'),
      isNull(sql`${events.payload}->>'withPrimary'`),
    );
    const perBucket = {
      bucket: sql<number>`((${events.at} - ${origin}::bigint) / ${size}::bigint)::int`,
      n: sql<number>`count(*)::int`,
    };
    // The case's grid (re-keyed by a publish) decides the area, not the grid stamped on the event.
    return scope.gridIds
      ? this.db
          .select(perBucket)
          .from(events)
          .innerJoin(cases, eq(cases.id, events.caseId))
          .where(and(closures, this.gridFilter(scope.gridIds)))
          .groupBy(sql`1`)
      : this.db
          .select(perBucket)
          .from(events)
          .where(closures)
          .groupBy(sql`1`);
  }

  /** The unit of `level` above a grid, or null. */
  private unitAbove(gridId: GridId, level: string): UnitId | null {
    const b = this.boundary();
    let unit: UnitId | null = b.gridById.get(gridId)?.communityId ?? null;
    while (unit !== null) {
      const u = b.unitById.get(unit);
      if (!u) return null;
      if (u.level === level) return u.id;
      unit = u.parentId;
    }
    return null;
  }

  private label(groupBy: IndicatorGroupBy, key: string): { name: string; parent: string | null } {
    const b = this.boundary();
    // Group keys are the ids the cohort was grouped by, as strings; the brand is restored here.
    const id = Number(key);
    switch (groupBy) {
      case 'grid': {
        const g = b.gridById.get(id as GridId);
        return {
          name: g?.name ?? `#${key}`,
          parent: g ? (b.unitById.get(g.communityId)?.name ?? null) : null,
        };
      }
      case 'community':
      case 'street':
      case 'district': {
        const u = b.unitById.get(id as UnitId);
        const parent = u?.parentId != null ? b.unitById.get(u.parentId) : undefined;
        return { name: u?.name ?? `#${key}`, parent: parent && parent.level !== 'city' ? parent.name : null };
      }
      case 'worker': {
        const w = this.workerOf(id as WorkerId);
        return { name: w?.name ?? `#${key}`, parent: w ? (b.gridById.get(w.gridId)?.name ?? null) : null };
      }
      case 'department': {
        return { name: this.departmentName(key) ?? key, parent: null };
      }
      default: {
        const never: never = groupBy;
        return never;
      }
    }
  }

  /** The group key of a cohort case. */
  private keyOf(groupBy: IndicatorGroupBy): (c: GroupedCase) => string | null {
    switch (groupBy) {
      case 'grid': {
        const b = this.boundary();
        return (c) => String(b.gridLine(c.gridId));
      }
      case 'community':
      case 'street':
      case 'district': {
        const level = UNIT_LEVELS[groupBy];
        const memo = new Map<number, string | null>();
        return (c) => {
          let u = memo.get(c.gridId);
          if (u === undefined) {
            const id = this.unitAbove(c.gridId, level);
            memo.set(c.gridId, (u = id === null ? null : String(id)));
          }
          return u;
        };
      }
      case 'department':
        return (c) => c.department;
      case 'worker':
        return (c) => c.worker;
    }
  }

  /** The indicators of the range's cohort in total and per group, ordered, at most `limit` groups. */
  async summary(
    scope: IndicatorScope,
    groupBy: IndicatorGroupBy,
    opts: {
      sort: IndicatorSortKey;
      order: 'asc' | 'desc';
      limit: number;
      /** Grouped by grid: the grids of this boundary version, each case where its place lies in it. */
      version?: BoundaryVersion | undefined;
    },
  ) {
    const acc = new IndicatorAccumulator(this.options(scope));
    const other =
      groupBy === 'grid' && opts.version !== undefined && opts.version !== this.boundary().version
        ? await this.versionGrouping(scope, opts.version)
        : null;
    const keyOf = other ? (c: GroupedCase) => other.keyOf(c.id) : this.keyOf(groupBy);
    const label = other ? other.label : (key: string) => this.label(groupBy, key);
    if (this.source === 'facts') {
      const base: BaseKey = other
        ? other.base
        : groupBy === 'worker' || groupBy === 'department' || groupBy === 'grid'
          ? { kind: groupBy }
          : { kind: 'unit', level: UNIT_LEVELS[groupBy] };
      const { counts, replayed } = await this.fromFacts(scope, base, acc.asOf);
      for (const r of counts) acc.addCounts(r.counts, r.key);
      for (const c of replayed) acc.addFacts(c.facts, keyOf(c));
    } else {
      for (const c of await this.cohort(scope)) acc.addFacts(c.facts, keyOf(c));
    }
    const { total, groups } = acc.result();
    const rows = sortIndicatorRows(
      [...groups].map(([key, indicators]) => ({ key, ...label(key), indicators })),
      opts.sort,
      opts.order,
    );
    return {
      from: scope.from,
      to: scope.to,
      groupBy,
      /** By grid: the boundary version whose grids group the cases (the one in force unless another was asked for). */
      ...(groupBy === 'grid' ? { version: other ? opts.version! : this.boundary().version } : {}),
      total,
      groupCount: rows.length,
      groups: rows.slice(0, opts.limit),
    };
  }

  /** Per-day or per-week points over the range: registrations and closures, and the cohort's rates. */
  async trend(
    scope: IndicatorScope,
    bucket: TrendBucket,
  ): Promise<{ from: number; to: number; bucket: TrendBucket; points: TrendPoint[] }> {
    const origin = bucketStart(scope.from, bucket);
    const size = bucket === 'day' ? DAY : 7 * DAY;
    const count = Math.ceil((scope.to - origin) / size);
    const index = (t: number) => Math.floor((t - origin) / size);
    const acc = new IndicatorAccumulator(this.options(scope));
    // Closures in each bucket; a merged duplicate closes with its primary and is not counted twice.
    // Read beside the cohort (PostgreSQL runs both at once).
    const [closedRows] = await Promise.all([
      this.source === 'facts'
        ? this.closuresFromFacts(scope, origin, size)
        : this.closuresFromEvents(scope, origin, size),
      (async () => {
        if (this.source === 'facts') {
          // Rows per local day of registration; the bucket holding a day holds all of it (buckets
          // start at local midnight), so days fold into buckets here.
          const { counts, replayed } = await this.fromFacts(scope, { kind: 'day' }, acc.asOf, true);
          for (const r of counts)
            acc.addCounts(r.counts, r.key === null ? null : String(index(localMidnight(Number(r.key)))));
          for (const c of replayed) acc.addFacts(c.facts, String(index(c.registeredAt)));
        } else {
          for (const c of await this.cohort(scope)) acc.addFacts(c.facts, String(index(c.registeredAt)));
        }
      })(),
    ]);
    const { groups } = acc.result();
    const closed = new Map(closedRows.map((r) => [Number(r.bucket), Number(r.n)]));
    const points: TrendPoint[] = [];
    for (let k = 0; k < count; k++) {
      const i = groups.get(String(k));
      points.push({
        start: Math.max(scope.from, origin + k * size),
        end: Math.min(scope.to, origin + (k + 1) * size),
        registered: i?.registered ?? 0,
        closed: closed.get(k) ?? 0,
        closureRate: i?.closureRate ?? { numerator: 0, denominator: 0, rate: null },
        onTimeClosureRate: i?.onTimeClosureRate ?? { numerator: 0, denominator: 0, rate: null },
        reworkRate: i?.reworkRate ?? { numerator: 0, denominator: 0, rate: null },
      });
    }
    return { from: scope.from, to: scope.to, bucket, points };
  }
}

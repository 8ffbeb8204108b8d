import { and, asc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import {
  cohortFacts,
  GROUP_BY,
  IndicatorAccumulator,
  localDay,
  localMidnight,
  parseStoredCaseEvent,
  sortIndicatorRows,
  type CaseEvent,
  type CaseFacts,
  type IndicatorGroupBy,
  type IndicatorSortKey,
  type Indicators,
  type Ratio,
  type GridId,
  type UnitId,
  type WorkerId,
} from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { cases, events } from '../db/schema.ts';
import type { Boundary } from '../spatial/boundary.ts';
import { calendarOfCase, FALLBACK_LIMITS, type CaseTermsSource } from '../deadlines/deadline-directory.ts';
import { STORED_EVENT_COLUMNS } from '../cases/case-row.ts';

// Assessment indicators (考核指标) over a time range, read from the case timelines. The cohort is
// the cases registered in the range (case-indicators.ts decides the formulas); the record finds
// them through the registration events in the range (index events(type, at)), never by scanning
// every case; their timelines are read in batches and reduced to per-case facts at once. The
// cohort is shared for a minute between the summary (any grouping) and the trend. Grouping
// follows the case's grid as recorded now (a published boundary re-assigns it).

export type TrendBucket = 'day' | 'week';

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

/** A case of a range's cohort: its facts and what it is grouped by. */
interface CohortCase {
  gridId: GridId;
  registeredAt: number;
  worker: string | null;
  department: string | null;
  facts: CaseFacts;
}

export class IndicatorService {
  private readonly cache = new Map<string, { at: number; cohort: Promise<CohortCase[]> }>();

  constructor(
    private readonly db: Db,
    private readonly boundary: () => Boundary,
    private readonly workerOf: (id: WorkerId) => { name: string; gridId: GridId } | undefined,
    /** The category table and calendars (a case's clock runs on the terms recorded at its report, else on these). */
    private readonly terms: CaseTermsSource,
    /** A handling department's name (the departments table). */
    private readonly departmentName: (code: string) => string | undefined,
  ) {}

  private gridFilter(gridIds: readonly GridId[] | undefined): SQL | undefined {
    if (!gridIds) return undefined;
    return gridIds.length ? inArray(cases.gridId, [...gridIds]) : sql`false`;
  }

  /**
   * The cohort of a scope: every case registered in the range with the facts the indicators
   * need and its group keys, read once and shared for COHORT_TTL_MS by the summary (any grouping)
   * and the trend — a page asks for both at once, and a desk flips between groupings.
   */
  private cohort(scope: IndicatorScope, now = Date.now()): Promise<CohortCase[]> {
    const key = `${scope.from}:${scope.to}:${scope.gridIds ? scope.gridIds.join(',') : '*'}`;
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

  /** Reads the cohort from the record: candidates by their registration events, timelines in batches. */
  private async readCohort(scope: IndicatorScope): Promise<CohortCase[]> {
    const candidates = await this.db
      .selectDistinct({ id: cases.id, gridId: cases.gridId })
      .from(events)
      .innerJoin(cases, eq(cases.id, events.caseId))
      .where(
        and(
          inArray(events.type, REGISTRATION_TYPES),
          gte(events.at, scope.from),
          lt(events.at, scope.to),
          eq(events.kind, 'case'),
          this.gridFilter(scope.gridIds),
        ),
      )
      .orderBy(asc(cases.id));
    const gridOfCase = new Map(candidates.map((c) => [c.id, c.gridId]));
    const opts = this.options(scope);
    const out: CohortCase[] = [];
    const take = (timeline: CaseEvent[]) => {
      const facts = cohortFacts(timeline, opts);
      if (!facts) return;
      out.push({
        gridId: gridOfCase.get(timeline[0]!.caseId)!,
        registeredAt: facts.registeredAt!,
        worker: GROUP_BY.worker(timeline),
        department: GROUP_BY.department(timeline),
        facts,
      });
    };
    for (let k = 0; k < candidates.length; k += BATCH) {
      const ids = candidates.slice(k, k + BATCH).map((c) => c.id);
      const rows = await this.db
        .select({ caseId: events.caseId, ...STORED_EVENT_COLUMNS })
        .from(events)
        .where(and(inArray(events.caseId, ids), eq(events.kind, 'case'), lt(events.at, scope.to)))
        .orderBy(asc(events.caseId), asc(events.seq));
      let current: number | null = null;
      let timeline: CaseEvent[] = [];
      let valid = true;
      for (const r of rows) {
        if (r.caseId !== current) {
          if (valid && timeline.length) take(timeline);
          current = r.caseId;
          timeline = [];
          valid = true;
        }
        if (!valid) continue;
        // A timeline that does not parse (hand-imported history) cannot be assessed: left out.
        const p = parseStoredCaseEvent(r.caseId!, r);
        if (p.success) timeline.push(p.data);
        else valid = false;
      }
      if (valid && timeline.length) take(timeline);
    }
    return out;
  }

  private options(scope: IndicatorScope) {
    return {
      from: scope.from,
      to: scope.to,
      limitsOf: (category: string) => this.terms.categoryOf(category)?.limits ?? FALLBACK_LIMITS,
      calendarOf: (t: readonly CaseEvent[]) => {
        const first = t[0];
        return first && 'category' in first
          ? calendarOfCase(this.terms, first.category, first.gridId, t)
          : calendarOfCase(this.terms, '', null, t);
      },
    };
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
  private keyOf(groupBy: IndicatorGroupBy): (c: CohortCase) => string | null {
    switch (groupBy) {
      case 'grid':
        return (c) => String(c.gridId);
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
    opts: { sort: IndicatorSortKey; order: 'asc' | 'desc'; limit: number },
  ) {
    const cohort = await this.cohort(scope);
    const acc = new IndicatorAccumulator(this.options(scope));
    const keyOf = this.keyOf(groupBy);
    for (const c of cohort) acc.addFacts(c.facts, keyOf(c));
    const { total, groups } = acc.result();
    const rows = sortIndicatorRows(
      [...groups].map(([key, indicators]) => ({ key, ...this.label(groupBy, key), indicators })),
      opts.sort,
      opts.order,
    );
    return {
      from: scope.from,
      to: scope.to,
      groupBy,
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
    for (const c of await this.cohort(scope)) acc.addFacts(c.facts, String(index(c.registeredAt)));
    const { groups } = acc.result();
    // Closures in each bucket; a merged duplicate closes with its primary and is not counted twice.
    const closedRows = await this.db
      .select({
        bucket: sql<number>`((${events.at} - ${origin}::bigint) / ${size}::bigint)::int`,
        n: sql<number>`count(*)::int`,
      })
      .from(events)
      .innerJoin(cases, eq(cases.id, events.caseId))
      .where(
        and(
          eq(events.type, 'case.closed'),
          gte(events.at, scope.from),
          lt(events.at, scope.to),
          eq(events.kind, 'case'),
          isNull(sql`${events.payload}->>'withPrimary'`),
          this.gridFilter(scope.gridIds),
        ),
      )
      .groupBy(sql`1`);
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

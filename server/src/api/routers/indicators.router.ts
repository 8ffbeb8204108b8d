import { TRPCError } from '@trpc/server';
import {
  BoundaryVersionSchema,
  INDICATOR_GROUPS,
  INDICATOR_SORT_KEYS,
  UnitIdSchema,
  type UnitId,
} from '@gcc/shared';
import { z } from 'zod';
import { UnknownVersionError, type IndicatorScope } from '../../indicators/indicator-service.ts';
import { CASE_READERS, jurisdictionGrids, procedureFor, router, userOf, type Context } from '../trpc.ts';

// Assessment indicators (考核指标) for /analytics and the wall. Who reads them: the supervising
// desks (监督员, 受理员, 值班长) and the commanding desk (调度员) whose work they assess, the
// administrator, the planner (case load per grid is what a boundary change is weighed by) and the
// wall (DESIGN: indicators are shown on the wall). Handlers — grid-worker devices and departments
// (专业部门) — are the assessed, not the assessors: refused. Every answer is cut to the caller's
// jurisdiction (属地) in the query.

/** Who reads indicators: the case readers (supervising, commanding, admin, planner, wall). */
export const INDICATOR_READERS = CASE_READERS;

const DAY = 86_400_000;
export const MAX_RANGE_DAYS = 366;
/** 2100-01-01: no range reaches past it (keeps arithmetic on instants exact). */
const MAX_INSTANT = 4_102_444_800_000;

const RangeFields = {
  /** Start of the range, ms since epoch (inclusive). */
  from: z.number().int().min(0).max(MAX_INSTANT),
  /** End of the range, ms since epoch (exclusive). */
  to: z.number().int().min(1).max(MAX_INSTANT),
  /** An administrative unit (district, street, community) inside the caller's jurisdiction: only its grids. */
  unitId: UnitIdSchema.optional(),
};

function checkRange<T extends { from: number; to: number }>(schema: z.ZodType<T>) {
  return schema
    .refine((r) => r.to > r.from, { message: 'to must be after from (结束时间须晚于开始时间)', path: ['to'] })
    .refine((r) => r.to - r.from <= MAX_RANGE_DAYS * DAY, {
      message: `the range may span at most ${MAX_RANGE_DAYS} days (时间范围不超过${MAX_RANGE_DAYS}天)`,
      path: ['to'],
    });
}

const SummaryInput = checkRange(
  z.object({
    ...RangeFields,
    groupBy: z.enum(INDICATOR_GROUPS),
    sort: z.enum(INDICATOR_SORT_KEYS).default('registered'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.number().int().min(1).max(5000).default(1000),
    /** With groupBy grid: the boundary version whose grids group the cases (default: the one in force). */
    version: BoundaryVersionSchema.optional(),
  }),
).refine((r) => r.version === undefined || r.groupBy === 'grid', {
  message: 'version groups by grid only (边界版本仅用于按网格统计)',
  path: ['version'],
});

const TrendInput = checkRange(
  z.object({
    ...RangeFields,
    /** Day buckets by default up to 62 days, week buckets beyond. */
    bucket: z.enum(['day', 'week']).optional(),
  }),
);

/** The grids the answer covers: the caller's jurisdiction, narrowed to `unitId` when given (a unit outside it is refused). */
function scopeOf(
  ctx: Context,
  input: { from: number; to: number; unitId?: UnitId | undefined },
): IndicatorScope {
  const { from, to, unitId } = input;
  if (unitId === undefined) return { from, to, gridIds: jurisdictionGrids(ctx) };
  const b = ctx.services.boundary();
  const unit = b.unitById.get(unitId);
  if (!unit) throw new TRPCError({ code: 'NOT_FOUND', message: `区域不存在 / unit ${unitId} not found` });
  if (!b.unitWithin(unitId, userOf(ctx).unitId)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `该区域不在您的辖区内 / unit ${unitId} is outside your jurisdiction (outside-jurisdiction)`,
    });
  }
  return { from, to, gridIds: b.isRoot(unitId) ? undefined : b.gridIdsUnder(unitId) };
}

export const indicatorsRouter = router({
  /** The cohort registered in [from, to): totals and one row per group (grid, unit, department, worker). */
  summary: procedureFor(...INDICATOR_READERS)
    .input(SummaryInput)
    .query(async ({ ctx, input }) => {
      try {
        return await ctx.services.indicators.summary(scopeOf(ctx, input), input.groupBy, {
          sort: input.sort,
          order: input.order,
          limit: input.limit,
          version: input.version,
        });
      } catch (e) {
        if (e instanceof UnknownVersionError)
          throw new TRPCError({
            code: 'NOT_FOUND',
            message: `边界版本不存在 / boundary version ${e.version} not found`,
          });
        throw e;
      }
    }),

  /** Per-day (or per-week) registrations, closures and the cohort's rates over [from, to), for charts. */
  trend: procedureFor(...INDICATOR_READERS)
    .input(TrendInput)
    .query(({ ctx, input }) =>
      ctx.services.indicators.trend(
        scopeOf(ctx, input),
        input.bucket ?? (input.to - input.from <= 62 * DAY ? 'day' : 'week'),
      ),
    ),
});

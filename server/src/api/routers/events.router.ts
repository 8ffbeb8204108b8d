import { tracked, TRPCError } from '@trpc/server';
import {
  AlertEventPayloadSchema,
  AlertStreamEventSchema,
  BoundaryVersionSchema,
  CaseEventTypeSchema,
  type Case,
  type CaseId,
  type StreamEvent,
} from '@gcc/shared';
import { z } from 'zod';
import type { EventRow } from '../../live/event-log.ts';
import { ALL_READERS, jurisdictionGrids, procedureFor, router, userOf } from '../trpc.ts';

const PAGE = 500;
/** Wake at least this often (the session recheck below runs on wake-ups). */
const WAKE_MS = 5000;
/** An open stream re-checks its session this often: logout, revoke and expiry end it. */
const SESSION_RECHECK_MS = 30_000;

export const eventsRouter = router({
  /** The newest sequence number: a client takes its snapshot, then subscribes from here. */
  head: procedureFor(...ALL_READERS).query(async ({ ctx }) => ({
    seq: await ctx.services.eventLog.latestSeq(),
  })),

  /**
   * Every case, alert and boundary event the user may see, in order, each exactly once: yields
   * `tracked(seq, event)`, so a reconnecting client resumes from `lastEventId`.
   */
  stream: procedureFor(...ALL_READERS)
    .input(z.object({ lastEventId: z.string().regex(/^\d+$/).nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const { events, caseReads } = ctx.services;
      const release = ctx.services.streamQuota.acquire(userOf(ctx).id);
      if (!release) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'too-many-streams' });
      const gridIds = jurisdictionGrids(ctx);
      let checkedAt = Date.now();
      try {
        let last = input?.lastEventId ? Number(input.lastEventId) : await ctx.services.eventLog.latestSeq();
        while (!signal?.aborted) {
          if (Date.now() - checkedAt > SESSION_RECHECK_MS) {
            checkedAt = Date.now();
            if (!(await ctx.services.auth.userForSession(ctx.sessionToken))) return;
          }
          const page = await events.read(last, PAGE, gridIds);
          if (page === 'resync') {
            // Too far behind to replay: the client reloads its snapshots and continues from here.
            last = events.latest;
            yield tracked(String(last), {
              seq: last,
              at: Date.now(),
              kind: 'resync',
              type: 'resync',
              reason: 'behind-retention',
            } satisfies StreamEvent);
            continue;
          }
          last = page.cursor;
          if (page.rows.length === 0) {
            await events.waitBeyond(last, WAKE_MS, signal);
            continue;
          }
          const caseIds = [
            ...new Set(page.rows.map((r) => r.caseId).filter((id): id is CaseId => id !== null)),
          ];
          const current = await caseReads.byIds(caseIds);
          for (const r of page.rows) {
            const event = toStreamEvent(r, current);
            if (event) yield tracked(String(r.seq), event);
            else ctx.services.log.warn({ seq: r.seq, kind: r.kind, type: r.type }, 'event row skipped');
          }
        }
      } catch (err) {
        // A stream cut by shutdown may be mid-query when the database closes: not an error.
        if (signal?.aborted) return;
        throw err;
      } finally {
        release();
      }
    }),
});

/**
 * A stored row as the stream's typed event, or null for a row the schema does not describe (it is
 * logged, and the client's next snapshot covers it).
 */
export function toStreamEvent(r: EventRow, current: ReadonlyMap<CaseId, Case>): StreamEvent | null {
  const base = { seq: r.seq, at: r.at };
  switch (r.kind) {
    case 'case': {
      const type = CaseEventTypeSchema.safeParse(r.type);
      if (!type.success || r.caseId === null) return null;
      return {
        ...base,
        kind: 'case',
        type: type.data,
        caseId: r.caseId,
        case: current.get(r.caseId) ?? null,
        detail: r.payload,
      };
    }
    case 'alert': {
      const type = AlertStreamEventSchema.shape.type.safeParse(r.type);
      const payload = AlertEventPayloadSchema.safeParse(r.payload);
      if (!type.success || !payload.success) return null;
      return {
        ...base,
        kind: 'alert',
        type: type.data,
        alertId: payload.data.alertId,
        alertKind: payload.data.alertKind,
        caseId: r.caseId,
        workerId: r.workerId,
        gridId: r.gridId,
        since: payload.data.since ?? null,
      };
    }
    case 'boundary': {
      const version = BoundaryVersionSchema.safeParse(r.payload.version);
      if (r.type !== 'boundary.published' || !version.success) return null;
      const { name, effectiveAt } = r.payload;
      return {
        ...base,
        kind: 'boundary',
        type: 'boundary.published',
        version: version.data,
        name: typeof name === 'string' ? name : '',
        effectiveAt: typeof effectiveAt === 'number' ? effectiveAt : r.at,
      };
    }
  }
}

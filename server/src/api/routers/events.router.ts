import { tracked, TRPCError } from '@trpc/server';
import type { Case, StreamEvent } from '@gcc/shared';
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
      const { events, cases } = ctx.services;
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
            ...new Set(page.rows.map((r) => r.caseId).filter((id): id is number => id !== null)),
          ];
          const current = await cases.byIds(caseIds);
          for (const r of page.rows) yield tracked(String(r.seq), toStreamEvent(r, current));
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

function toStreamEvent(r: EventRow, current: Map<number, Case>): StreamEvent {
  switch (r.kind) {
    case 'case':
      return {
        seq: r.seq,
        at: r.at,
        kind: 'case',
        type: r.type,
        caseId: r.caseId!,
        case: current.get(r.caseId!) ?? null,
        detail: r.payload,
      };
    case 'alert':
      return {
        seq: r.seq,
        at: r.at,
        kind: 'alert',
        type: r.type,
        alertId: Number(r.payload.alertId ?? 0),
        detail: r.payload,
      };
    default:
      return {
        seq: r.seq,
        at: r.at,
        kind: 'boundary',
        type: r.type,
        version: Number(r.payload.version ?? 0),
        detail: r.payload,
      };
  }
}

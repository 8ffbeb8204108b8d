import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import { checkOverdue, OPEN_STATUSES, type CaseId } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { alerts, cases } from '../db/schema.ts';
import type { EventLog, NewEvent } from '../live/event-log.ts';
import type { Services } from '../services.ts';
import { CaseCommandError } from './case-errors.ts';
import type { CaseCommands } from './case-commands.ts';
import type { CaseQueries } from './case-queries.ts';
import { SYSTEM_ACTOR } from './case-access.ts';
import { runEvery } from '../live/periodic.ts';

/** What this part uses of the services (not the whole composition root). */
type OverdueMonitorDeps = Pick<Services, 'caseReads' | 'cases' | 'config' | 'database' | 'eventLog' | 'log'>;

// 超期督办: an open case whose step deadline passed gets one 'case-overdue' alert, raised with
// its 'alert.raised' event in one transaction. Several server processes may tick at once: the
// partial unique index alerts_open_case_idx (one open alert per kind and case) makes the raise
// happen once. After the grace (working time past the deadline, OVERDUE_ESCALATE_MINUTES) the
// engine's escalate command runs as the system; a process that loses the race gets a stale
// version and lets it be. The alert is resolved by CaseCommands when the case moves on.

/** Bounds per tick, so a backlog (e.g. a restart after a long outage) cannot stall a tick. */
const MAX_RAISES_PER_TICK = 2000;
const MAX_ESCALATIONS_PER_TICK = 200;

export class OverdueMonitor {
  constructor(
    private readonly db: Db,
    private readonly eventLog: EventLog,
    private readonly reads: Pick<CaseQueries, 'state'>,
    private readonly commands: Pick<CaseCommands, 'command'>,
    /** Working time past the deadline before automatic escalation; null = never. */
    private readonly escalateAfterMs: number | null,
  ) {}

  async tick(now = Date.now()): Promise<{ raised: number; escalated: number }> {
    const overdue = await this.db
      .select({ id: cases.id, gridId: cases.gridId, deadlineAt: cases.deadlineAt, level: cases.level })
      .from(cases)
      .where(
        and(inArray(cases.status, [...OPEN_STATUSES]), lt(cases.deadlineAt, now), isNull(cases.parkedAt)),
      )
      .orderBy(asc(cases.deadlineAt))
      .limit(MAX_RAISES_PER_TICK);
    if (overdue.length === 0) return { raised: 0, escalated: 0 };
    const open = await this.db
      .select({ caseId: alerts.caseId })
      .from(alerts)
      .where(
        and(
          eq(alerts.kind, 'case-overdue'),
          isNull(alerts.resolvedAt),
          inArray(
            alerts.caseId,
            overdue.map((c) => c.id),
          ),
        ),
      );
    const alerted = new Set(open.map((a) => a.caseId));
    const toRaise = overdue.filter((c) => !alerted.has(c.id));
    let raised = 0;
    if (toRaise.length) {
      await this.db.transaction(async (tx) => {
        const rows = await tx
          .insert(alerts)
          .values(
            toRaise.map((c) => ({
              kind: 'case-overdue' as const,
              caseId: c.id,
              gridId: c.gridId,
              raisedAt: now,
              message: 'case-overdue',
            })),
          )
          .onConflictDoNothing()
          .returning({ id: alerts.id, caseId: alerts.caseId });
        const byId = new Map(toRaise.map((c) => [c.id, c]));
        const events: NewEvent[] = rows.map((r) => {
          const c = byId.get(r.caseId!)!;
          return {
            at: now,
            kind: 'alert',
            type: 'alert.raised',
            caseId: c.id,
            gridId: c.gridId,
            payload: { alertId: r.id, alertKind: 'case-overdue', caseId: c.id, since: c.deadlineAt },
          };
        });
        await this.eventLog.append(tx, events);
        raised = rows.length;
      });
      this.eventLog.committed();
    }
    let escalated = 0;
    if (this.escalateAfterMs !== null) {
      for (const c of overdue.filter((o) => o.level !== 'city').slice(0, MAX_ESCALATIONS_PER_TICK)) {
        const found = await this.reads.state(c.id);
        if (!found) continue;
        const check = checkOverdue(found.state, found.clock, now, found.calendar, {
          escalateAfterMs: this.escalateAfterMs,
        });
        if (!check.escalate) continue;
        try {
          await this.commands.command(c.id, check.escalate, SYSTEM_ACTOR, { at: now });
          escalated++;
        } catch (e) {
          // Another process or a desk moved the case first.
          if (!(e instanceof CaseCommandError)) throw e;
        }
      }
    }
    return { raised, escalated };
  }
}

/** Runs the overdue monitor every `periodMs` until stopped. */
export function startOverdueMonitor(services: OverdueMonitorDeps, periodMs = 30_000) {
  const minutes = services.config.OVERDUE_ESCALATE_MINUTES;
  const monitor = new OverdueMonitor(
    services.database.db,
    services.eventLog,
    services.caseReads,
    services.cases,
    minutes > 0 ? minutes * 60_000 : null,
  );
  const job = runEvery(
    periodMs,
    () => monitor.tick(),
    (err) => services.log.error({ err: String(err).slice(0, 300) }, 'overdue monitor failed'),
  );
  return { monitor, stop: () => job.stop() };
}

/** The overdue alerts of a case, open and resolved, oldest first (the case detail, tests). */
export async function overdueAlertsOf(db: Db, caseId: CaseId) {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.kind, 'case-overdue'), eq(alerts.caseId, caseId)))
    .orderBy(asc(alerts.id));
}

import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { AlertKind, GridId, WorkerId } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { alerts } from '../db/schema.ts';
import type { Services } from '../services.ts';
import type { EventLog, NewEvent } from './event-log.ts';
import { runEvery } from './periodic.ts';
import type { PositionStore } from './position-store.ts';
import { loadAssignments, type CaseTrips } from './case-trips.ts';

/** What this part uses of the services (not the whole composition root). */
type AlertMonitorDeps = Pick<
  Services,
  'caseTrips' | 'config' | 'database' | 'eventLog' | 'log' | 'positions' | 'roster'
>;

// Worker alerts from the live positions: a worker on duty outside its own grid for longer than a
// threshold (离岗/越界) with nothing to explain it (case-trips.ts: on the way to or at a case), or silent for longer than a threshold (失联). Raised and resolved in one
// transaction with their events, so walls and desks see them on the reliable stream. Several
// server processes may run this at once: a partial unique index (one open alert per kind and
// worker) makes a raise happen once, and `update … where resolved_at is null returning` makes a
// resolve happen once; each tick starts from what the table says is open.

export const WORKER_ALERT_KINDS = [
  'worker-left-grid',
  'worker-silent',
] as const satisfies readonly AlertKind[];
type WorkerAlertKind = (typeof WORKER_ALERT_KINDS)[number];

export interface AlertThresholds {
  leftGridMs: number;
  silentMs: number;
}

/** At most this many alerts raised or resolved per tick (a mass outage must not stall a tick). */
const MAX_CHANGES_PER_TICK = 2000;

const OFF_DUTY = 0; // dutyIndex('off')

export class AlertMonitor {
  /** When each slot was first seen outside its home grid in the current stretch (0 = inside). */
  private readonly outsideSince: Float64Array;

  constructor(
    private readonly db: Db,
    private readonly eventLog: EventLog,
    private readonly positions: PositionStore,
    private readonly homeGridOf: (workerId: WorkerId) => GridId | undefined,
    private readonly thresholds: AlertThresholds,
    /** What explains a worker outside its grid; without it every stretch outside counts. */
    private readonly trips: CaseTrips | null = null,
  ) {
    this.outsideSince = new Float64Array(positions.capacity);
  }

  /** The alerts that should be open now, by `kind:workerId`. */
  private candidates(
    now: number,
  ): Map<string, { kind: WorkerAlertKind; workerId: WorkerId; since: number; gridId: GridId | null }> {
    const out = new Map<
      string,
      { kind: WorkerAlertKind; workerId: WorkerId; since: number; gridId: GridId | null }
    >();
    const { cols } = this.positions;
    for (let s = 0; s < this.positions.capacity; s++) {
      if (!this.positions.hasPosition(s) || cols.duty[s] === OFF_DUTY) {
        this.outsideSince[s] = 0;
        continue;
      }
      const workerId = this.positions.workerAt(s);
      const at = cols.at[s]!;
      if (now - at > this.thresholds.silentMs)
        out.set(`worker-silent:${workerId}`, {
          kind: 'worker-silent',
          workerId,
          since: at,
          gridId: this.positions.gridAt(s),
        });
      const explained =
        cols.outsideGrid[s] === 1 &&
        this.trips?.reasonFor(workerId, cols.lng[s]!, cols.lat[s]!, this.positions.gridAt(s), now) != null;
      // The threshold counts from the moment the absence stops being explained.
      if (cols.outsideGrid[s] && !explained) {
        if (this.outsideSince[s] === 0) this.outsideSince[s] = at;
        if (now - this.outsideSince[s]! > this.thresholds.leftGridMs)
          out.set(`worker-left-grid:${workerId}`, {
            kind: 'worker-left-grid',
            workerId,
            since: this.outsideSince[s]!,
            gridId: this.positions.gridAt(s),
          });
      } else {
        this.outsideSince[s] = 0;
      }
    }
    return out;
  }

  /** One pass: raise what should be open and is not, resolve what is open and should not be. */
  async tick(now = Date.now()): Promise<{ raised: number; resolved: number }> {
    if (this.trips) this.trips.update(await loadAssignments(this.db), now);
    const open = await this.db
      .select({ id: alerts.id, kind: alerts.kind, workerId: alerts.workerId })
      .from(alerts)
      .where(and(isNull(alerts.resolvedAt), inArray(alerts.kind, [...WORKER_ALERT_KINDS])));
    const openByKey = new Map(open.map((a) => [`${a.kind}:${a.workerId}`, a]));
    const want = this.candidates(now);
    const toRaise = [...want]
      .filter(([k]) => !openByKey.has(k))
      .slice(0, MAX_CHANGES_PER_TICK)
      .map(([, v]) => v);
    const toResolve = [...openByKey]
      .filter(([k]) => !want.has(k))
      .slice(0, MAX_CHANGES_PER_TICK)
      .map(([, v]) => v);
    if (toRaise.length === 0 && toResolve.length === 0) return { raised: 0, resolved: 0 };
    let raised = 0;
    let resolved = 0;
    await this.db.transaction(async (tx) => {
      const events: NewEvent[] = [];
      if (toRaise.length) {
        const rows = await tx
          .insert(alerts)
          .values(
            toRaise.map((c) => ({
              // Filed under the worker's home grid: the desk responsible for the worker sees it (属地).
              kind: c.kind,
              workerId: c.workerId,
              gridId: this.homeGridOf(c.workerId) ?? null,
              raisedAt: now,
              message: c.kind,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: alerts.id, kind: alerts.kind, workerId: alerts.workerId });
        const byKey = new Map(toRaise.map((c) => [`${c.kind}:${c.workerId}`, c]));
        for (const r of rows) {
          const c = byKey.get(`${r.kind}:${r.workerId}`)!;
          events.push({
            at: now,
            kind: 'alert',
            type: 'alert.raised',
            gridId: this.homeGridOf(c.workerId) ?? null,
            workerId: c.workerId,
            payload: {
              alertId: r.id,
              alertKind: c.kind,
              since: c.since,
              currentGridId: c.gridId,
            },
          });
        }
        raised = rows.length;
      }
      if (toResolve.length) {
        const rows = await tx
          .update(alerts)
          .set({ resolvedAt: now })
          .where(
            and(
              inArray(
                alerts.id,
                toResolve.map((a) => a.id),
              ),
              isNull(alerts.resolvedAt),
            ),
          )
          .returning({ id: alerts.id, kind: alerts.kind, workerId: alerts.workerId });
        for (const r of rows) {
          events.push({
            at: now,
            kind: 'alert',
            type: 'alert.resolved',
            gridId: r.workerId !== null ? (this.homeGridOf(r.workerId) ?? null) : null,
            workerId: r.workerId,
            payload: { alertId: r.id, alertKind: r.kind },
          });
        }
        resolved = rows.length;
      }
      await this.eventLog.append(tx, events);
    });
    this.eventLog.committed();
    return { raised, resolved };
  }
}

/** Runs the monitor every `periodMs` until stopped. */
export function startAlertMonitor(services: AlertMonitorDeps, periodMs = 10_000) {
  // Roster entries themselves (not a copy of their grids): a published boundary re-keys them in place.
  const homeGrid = new Map(services.roster.map((w) => [w.id, w]));
  const monitor = new AlertMonitor(
    services.database.db,
    services.eventLog,
    services.positions,
    (id) => homeGrid.get(id)?.gridId,
    {
      leftGridMs: services.config.ALERT_LEFT_GRID_MINUTES * 60_000,
      silentMs: services.config.ALERT_SILENT_MINUTES * 60_000,
    },
    services.caseTrips,
  );
  const job = runEvery(
    periodMs,
    () => monitor.tick(),
    (err) => services.log.error({ err }, 'alert monitor failed'),
  );
  return { monitor, stop: () => job.stop() };
}

/** Open alerts the user may see (jurisdiction by grid), newest first. */
export async function openAlerts(db: Db, gridIds: readonly GridId[] | null, limit = 500) {
  const where = gridIds
    ? and(
        isNull(alerts.resolvedAt),
        sql`(${alerts.gridId} is null or ${inArray(alerts.gridId, [...gridIds])})`,
      )
    : isNull(alerts.resolvedAt);
  return db
    .select()
    .from(alerts)
    .where(where)
    .orderBy(sql`${alerts.raisedAt} desc`)
    .limit(limit);
}

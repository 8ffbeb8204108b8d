import { inCorridor, pathLengthM } from '@gcc/shared/geo';
import type { CaseId, CaseStatus, GridId, WorkerId } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { onWorkersHands } from '../cases/case-row.ts';
import { cases } from '../db/schema.ts';

// Why a worker on duty may be outside its own grid without that being 离岗: it is working a case.
// A worker who has accepted a case (签收) or is handling it (处置) is expected in the case's grid
// and along the route there from where it took the case; after the case leaves the worker's
// hands (反馈, reassigned, parked…) the same corridor stays explained for the walk back, for as
// long as walking it takes. Anything else outside the grid is counted against the 离岗 threshold.
//
// Surge (战时为拳) dispatches are ordinary case assignments to workers of neighbouring grids, so
// they are covered here; a whistle (吹哨) calls departments, whose work is not done by grid
// workers, so it moves no worker.

/** Why a worker outside its own grid is not 离岗. */
export interface AwayReason {
  /** `case`: on the way to or at the case; `returning`: walking back after it. */
  kind: 'case' | 'returning';
  caseId: CaseId;
  /** The case's number as desks and the wall show it. */
  caseCode: string;
}

/** A case assigned to a worker, as the table holds it. */
export interface Assignment {
  workerId: WorkerId;
  caseId: CaseId;
  caseCode: string;
  status: CaseStatus;
  lng: number;
  lat: number;
  gridId: GridId;
}

/** Where a worker is now (its newest fix), or null before its first fix. */
export type WhereIs = (workerId: WorkerId) => { lng: number; lat: number } | null;
/** A route between two points as [lng, lat] vertices from `from` to `to`. */
export type RouteFn = (from: [number, number], to: [number, number]) => [number, number][];

/** Walking pace for the way back (the road router's `walk` speed: 4.5 km/h). */
const RETURN_MPS = 1.25;
/** The way back may take this much longer than walking the route at that pace (stops, crossings). */
const RETURN_SLACK = 1.5;
/** Shortest allowance for the way back, whatever the route's length. */
const MIN_RETURN_MS = 5 * 60_000;
/** Cases whose worker is expected on the way or on site. */
const WORKING: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['accepted', 'handling']);

interface Trip {
  caseCode: string;
  gridId: GridId;
  /** Routes to the site: from where the worker was when it took the case, and from where it was last seen before. */
  paths: [number, number][][];
  /** When the case left the worker's hands (null while it works it). */
  endedAt: number | null;
  returnMs: number;
}

export class CaseTrips {
  private readonly trips = new Map<WorkerId, Map<CaseId, Trip>>();
  /** Where each worker was last seen while a case waited for its 签收 (`worker:case`). */
  private readonly waitingAt = new Map<string, [number, number]>();

  constructor(
    private readonly where: WhereIs,
    private route: RouteFn = (from, to) => [from, to],
  ) {}

  /** Routes along the roads once they are known (before: straight lines). */
  useRoutes(route: RouteFn): void {
    this.route = route;
  }

  /** Brings the trips up to date with the cases assigned now (dispatched, accepted, handling). */
  update(assignments: readonly Assignment[], now: number): void {
    const working = new Set<string>();
    const waiting = new Set<string>();
    for (const a of assignments) {
      const key = `${a.workerId}:${a.caseId}`;
      const here = this.where(a.workerId);
      if (a.status === 'dispatched') {
        waiting.add(key);
        if (here) this.waitingAt.set(key, [here.lng, here.lat]);
        continue;
      }
      if (!WORKING.has(a.status)) continue;
      working.add(key);
      let mine = this.trips.get(a.workerId);
      const known = mine?.get(a.caseId);
      if (known) {
        known.endedAt = null;
        continue;
      }
      const site: [number, number] = [a.lng, a.lat];
      const origins: [number, number][] = [];
      const before = this.waitingAt.get(key);
      if (before) origins.push(before);
      if (here) origins.push([here.lng, here.lat]);
      if (!mine) this.trips.set(a.workerId, (mine = new Map()));
      mine.set(a.caseId, {
        caseCode: a.caseCode,
        gridId: a.gridId,
        paths: origins.map((o) => this.route(o, site)),
        endedAt: null,
        returnMs: 0,
      });
    }
    for (const key of this.waitingAt.keys()) if (!waiting.has(key)) this.waitingAt.delete(key);
    for (const [workerId, mine] of this.trips) {
      for (const [caseId, trip] of mine) {
        if (working.has(`${workerId}:${caseId}`)) continue;
        if (trip.endedAt === null) {
          trip.endedAt = now;
          const longest = Math.max(0, ...trip.paths.map(pathLengthM));
          trip.returnMs = Math.max(MIN_RETURN_MS, (longest / RETURN_MPS) * 1000 * RETURN_SLACK);
        }
        if (now - trip.endedAt > trip.returnMs) mine.delete(caseId);
      }
      if (mine.size === 0) this.trips.delete(workerId);
    }
  }

  /** Why the worker at this place (in `gridId`, null outside every grid) is away from its grid, or null when nothing explains it. */
  reasonFor(
    workerId: WorkerId,
    lng: number,
    lat: number,
    gridId: GridId | null,
    now: number,
  ): AwayReason | null {
    const mine = this.trips.get(workerId);
    if (!mine) return null;
    let returning: AwayReason | null = null;
    for (const [caseId, trip] of mine) {
      if (trip.endedAt !== null && now - trip.endedAt > trip.returnMs) continue;
      if (gridId !== trip.gridId && !inCorridor(lng, lat, trip.paths)) continue;
      if (trip.endedAt === null) return { kind: 'case', caseId, caseCode: trip.caseCode };
      returning ??= { kind: 'returning', caseId, caseCode: trip.caseCode };
    }
    return returning;
  }

  /** Number of workers with a trip (working or on the way back). */
  get size(): number {
    return this.trips.size;
  }
}

/** The cases assigned to workers now, in the steps that put a worker on the road (parked cases wait). */
export async function loadAssignments(db: Db): Promise<Assignment[]> {
  const rows = await db
    .select({
      caseId: cases.id,
      caseCode: cases.code,
      workerId: cases.assigneeId,
      status: cases.status,
      lng: cases.lng,
      lat: cases.lat,
      gridId: cases.gridId,
    })
    .from(cases)
    .where(onWorkersHands());
  const out: Assignment[] = [];
  for (const r of rows) if (r.workerId !== null) out.push({ ...r, workerId: r.workerId });
  return out;
}

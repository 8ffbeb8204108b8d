import { eq, sql } from 'drizzle-orm';
import {
  dutyFromIndex,
  inShift,
  validateRoster,
  type DutyState,
  type GridId,
  type Position,
  type RosterRefusal,
  type RosterShift,
  type UserId,
  type WorkerId,
} from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { dutyRosters, settingsVersions } from '../db/schema.ts';
import type { PositionStore } from '../live/position-store.ts';
import type { Logger } from '../log.ts';

// Duty from the field (real phones). A worker comes on duty (available) by saying so from the
// device (上岗, the device API or an OsmAnd `event`), or by reporting a fresh position inside a
// shift of its home grid's weekly roster (排班; a grid without a roster has no hours, so any fresh
// report counts); 下岗 takes it off, and so does the end of the shift for a worker the roster put
// on. A worker on duty who stops reporting raises 失联 (alert-monitor.ts). What was said holds for
// SAID_HOLDS_MS, then the roster decides again. Also the simulator's guard: a worker with a
// device credential, or one a device reported for lately, is never moved by the simulator.

/** A device's 上岗 / 下岗 holds this long (a long shift), unless the other is said. */
export const SAID_HOLDS_MS = 12 * 3600_000;
/** A worker a device reported for within this window is the device's, not the simulator's. */
export const DEVICE_OWNS_MS = 3600_000;
/** How often other server processes' roster edits are picked up. */
const SYNC_MS = 5000;
const SETTINGS_NAME = 'duty-rosters';

export class RosterError extends Error {
  constructor(
    readonly reason: RosterRefusal,
    readonly at: number,
  ) {
    super(reason);
  }
}

export interface FieldDutyDeps {
  db: Db;
  positions: PositionStore;
  homeGridOf: (id: WorkerId) => GridId | undefined;
  /** True when a live `device` credential reports for the worker. */
  hasDevice: (id: WorkerId) => boolean;
  /** A fix older than this does not bring a worker on duty (an offline buffer flushed later). */
  freshMs: number;
  log: Logger;
}

export class FieldDuty {
  private readonly lastDeviceAt: Float64Array;
  /** +1 上岗, −1 下岗, 0 nothing said (or it lapsed at `saidUntil`). */
  private readonly said: Int8Array;
  private readonly saidUntil: Float64Array;
  /** On duty because the roster's hours (or no roster) let a report bring it on: the shift's end ends it. */
  private readonly byRoster: Uint8Array;
  private shifts = new Map<GridId, RosterShift[]>();
  private version = -1;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: FieldDutyDeps) {
    const n = deps.positions.capacity;
    this.lastDeviceAt = new Float64Array(n);
    this.said = new Int8Array(n);
    this.saidUntil = new Float64Array(n);
    this.byRoster = new Uint8Array(n);
  }

  /** Reads the rosters; then keeps in step with other processes and ends shifts until `stop()`. */
  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => {
      this.sync()
        .then(() => this.tick())
        .catch((err: unknown) => this.deps.log.error({ err }, 'duty roster sync failed'));
    }, SYNC_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Re-reads the rosters when another process (or this one) changed them. */
  async sync(): Promise<void> {
    const [v] = await this.deps.db
      .select({ version: settingsVersions.version })
      .from(settingsVersions)
      .where(eq(settingsVersions.name, SETTINGS_NAME));
    const version = v?.version ?? 0;
    if (version === this.version) return;
    const rows = await this.deps.db.select().from(dutyRosters);
    this.shifts = new Map(rows.filter((r) => r.shifts.length > 0).map((r) => [r.gridId, r.shifts]));
    this.version = version;
  }

  /** The week of a grid (empty: no roster). */
  rosterOf(gridId: GridId): RosterShift[] {
    return this.shifts.get(gridId) ?? [];
  }

  /** Replaces a grid's week (an empty list removes the roster); refused with a reason and the shift's index. */
  async setRoster(gridId: GridId, shifts: RosterShift[], by: UserId, now = Date.now()): Promise<void> {
    const check = validateRoster(shifts);
    if (!check.valid) throw new RosterError(check.reason, check.at);
    await this.deps.db.transaction(async (tx) => {
      if (shifts.length === 0) await tx.delete(dutyRosters).where(eq(dutyRosters.gridId, gridId));
      else
        await tx
          .insert(dutyRosters)
          .values({ gridId, shifts, updatedBy: by, updatedAt: now })
          .onConflictDoUpdate({
            target: dutyRosters.gridId,
            set: { shifts, updatedBy: by, updatedAt: now },
          });
      await tx
        .insert(settingsVersions)
        .values({ name: SETTINGS_NAME, version: 1 })
        .onConflictDoUpdate({
          target: settingsVersions.name,
          set: { version: sql`${settingsVersions.version} + 1` },
        });
    });
    await this.sync();
    this.tick(now);
  }

  /** Fixes a device (phone, terminal, gateway) delivered and the store accepted. */
  reported(fixes: readonly Position[], now = Date.now()): void {
    const { positions } = this.deps;
    for (const p of fixes) {
      const slot = positions.slotOf(p.workerId);
      if (slot === undefined) continue;
      this.lastDeviceAt[slot] = now;
      if (now - p.at > this.deps.freshMs) continue;
      if (positions.cols.duty[slot] !== 0 /* off */) continue;
      if (this.saidAt(slot, now) === -1) continue;
      if (!this.inHours(p.workerId, p.at)) continue;
      this.byRoster[slot] = 1;
      positions.setDuty(p.workerId, 'available');
    }
  }

  /** 上岗 ('on') or 下岗 ('off') said by the worker's device; returns the duty state now. */
  say(workerId: WorkerId, word: 'on' | 'off', now = Date.now()): DutyState {
    const { positions } = this.deps;
    const slot = positions.slotOf(workerId);
    if (slot === undefined) return 'off';
    this.lastDeviceAt[slot] = now;
    this.said[slot] = word === 'on' ? 1 : -1;
    this.saidUntil[slot] = now + SAID_HOLDS_MS;
    this.byRoster[slot] = 0;
    const current = this.dutyOf(slot);
    if (word === 'on' && current === 'off') positions.setDuty(workerId, 'available');
    if (word === 'off') positions.setDuty(workerId, 'off');
    return this.dutyOf(slot);
  }

  /** Ends the duty of workers the roster put on once their shift is over (a worker on a case keeps it). */
  tick(now = Date.now()): void {
    const { positions } = this.deps;
    for (let slot = 0; slot < positions.capacity; slot++) {
      // A 上岗 that lapsed leaves the worker to the roster's hours.
      if (this.said[slot] === 1 && now >= this.saidUntil[slot]!) {
        this.said[slot] = 0;
        this.byRoster[slot] = 1;
      }
      if (!this.byRoster[slot]) continue;
      const id = positions.workerAt(slot);
      if (positions.cols.duty[slot] === 0) this.byRoster[slot] = 0;
      else if (this.dutyOf(slot) === 'available' && !this.inHours(id, now)) {
        this.byRoster[slot] = 0;
        positions.setDuty(id, 'off');
      }
    }
  }

  /** The simulator lets a worker go to its phone: the duty the simulation set is cleared, unless the field set it since. */
  release(workerId: WorkerId, now = Date.now()): void {
    const slot = this.deps.positions.slotOf(workerId);
    if (slot === undefined || this.byRoster[slot] || this.saidAt(slot, now) === 1) return;
    this.deps.positions.setDuty(workerId, 'off');
  }

  /** The simulator may move this worker: no device credential, and no device reported for it lately. */
  simulated(workerId: WorkerId, now = Date.now()): boolean {
    if (this.deps.hasDevice(workerId)) return false;
    const slot = this.deps.positions.slotOf(workerId);
    return slot === undefined || !(now - this.lastDeviceAt[slot]! < DEVICE_OWNS_MS);
  }

  private dutyOf(slot: number): DutyState {
    return dutyFromIndex(this.deps.positions.cols.duty[slot]!);
  }

  private saidAt(slot: number, now: number): -1 | 0 | 1 {
    return now < this.saidUntil[slot]! ? (this.said[slot] as -1 | 0 | 1) : 0;
  }

  /** Inside a shift of the worker's home grid at `t`, or its grid keeps no roster. */
  private inHours(workerId: WorkerId, t: number): boolean {
    const grid = this.deps.homeGridOf(workerId);
    const week = grid === undefined ? undefined : this.shifts.get(grid);
    return !week || inShift(week, t);
  }
}

import {
  createPositionColumns,
  dutyIndex,
  dutyFromIndex,
  encodePositionFrame,
  type DutyState,
  type Position,
  type PositionColumns,
  type GridId,
  type WorkerId,
} from '@gcc/shared';
import type { GridIndex } from '@gcc/shared/geo';

// The newest position of every worker, in struct-of-arrays columns (one slot per worker), so a
// delta frame is encoded straight from typed arrays. Newest wins: a fix older than the one held
// is dropped. Devices, the simulator and the load generator all come in through `ingest`.

export interface WorkerMeta {
  id: WorkerId;
  homeGridId: GridId;
  duty: DutyState;
}

export interface IngestResult {
  accepted: number;
  /** Older than (or as old as) the fix held: out of order or a duplicate; newest wins. */
  stale: number;
  /** Not a worker of this city. */
  unknown: number;
  /** A worker outside the sender's jurisdiction (a gateway scoped to a unit). */
  outOfScope: number;
}

/** Called for every accepted fix received by this process (not relayed from another), in order per worker. */
export type FixListener = (slot: number, p: Position) => void;

export interface IngestOptions {
  /** A mask by slot of the workers the sender may report (a gateway's jurisdiction). */
  scope?: Uint8Array | null;
  /** Fixes another server process accepted and relayed: shown, but recorded and persisted there. */
  relayed?: boolean;
  /** Receives the accepted fixes (for the relay to other processes). */
  accepted?: Position[];
}

export class PositionStore {
  readonly cols: PositionColumns;
  /** Grid each worker is in now (−1 when outside every grid or never seen). */
  readonly gridOf: Int32Array;
  private readonly slotById = new Map<number, number>();
  private readonly homeGrid: Int32Array;
  private readonly seen: Uint8Array;
  private readonly accuracy: Float32Array;
  // Changed slots as flag arrays + lists (not Sets): ingest marks hundreds of thousands a second.
  private readonly dirty: SlotSet;
  private readonly unpersisted: SlotSet;
  private readonly listeners: FixListener[] = [];
  private readonly dutyListeners: ((workerId: WorkerId, duty: DutyState) => void)[] = [];

  constructor(
    workers: readonly WorkerMeta[],
    private index: GridIndex,
  ) {
    this.cols = createPositionColumns(workers.length);
    this.gridOf = new Int32Array(workers.length).fill(-1);
    this.homeGrid = new Int32Array(workers.length);
    this.seen = new Uint8Array(workers.length);
    this.accuracy = new Float32Array(workers.length);
    this.dirty = new SlotSet(workers.length);
    this.unpersisted = new SlotSet(workers.length);
    workers.forEach((w, slot) => {
      this.slotById.set(w.id, slot);
      this.cols.ids[slot] = w.id;
      this.cols.duty[slot] = dutyIndex(w.duty);
      this.homeGrid[slot] = w.homeGridId;
    });
    this.cols.count = 0;
  }

  /** Number of workers the store knows. */
  get capacity(): number {
    return this.cols.ids.length;
  }

  /** Subscribes to accepted fixes. */
  onFix(listener: FixListener): void {
    this.listeners.push(listener);
  }

  /** Applies position fixes; stale, unknown and out-of-scope ones are counted and dropped. */
  ingest(fixes: readonly Position[], opts: IngestOptions = {}): IngestResult {
    const res: IngestResult = { accepted: 0, stale: 0, unknown: 0, outOfScope: 0 };
    const c = this.cols;
    const { scope, relayed = false, accepted } = opts;
    const listeners = relayed ? [] : this.listeners;
    for (const p of fixes) {
      const slot = this.slotById.get(p.workerId);
      if (slot === undefined) {
        res.unknown++;
        continue;
      }
      if (scope && scope[slot] !== 1) {
        res.outOfScope++;
        continue;
      }
      if (this.seen[slot] && p.at <= c.at[slot]!) {
        res.stale++;
        continue;
      }
      this.seen[slot] = 1;
      c.lng[slot] = p.lng;
      c.lat[slot] = p.lat;
      c.at[slot] = p.at;
      c.speed[slot] = p.speed;
      c.heading[slot] = p.heading;
      this.accuracy[slot] = p.accuracy;
      const grid = this.index.locate(p.lng, p.lat) ?? -1;
      this.gridOf[slot] = grid;
      c.outsideGrid[slot] = grid !== this.homeGrid[slot] ? 1 : 0;
      this.dirty.add(slot);
      if (!relayed) this.unpersisted.add(slot);
      for (let i = 0; i < listeners.length; i++) listeners[i]!(slot, p);
      accepted?.push(p);
      res.accepted++;
    }
    return res;
  }

  /**
   * Swaps in a new boundary version's index and home grids (boundaries/boundary-keeper.ts calls it
   * in the swap's tick, with both built whole): every worker seen is located again at once, so
   * "outside its grid" is never judged across two versions.
   */
  useGrids(index: GridIndex, homeGridOf: (id: WorkerId) => GridId | undefined): void {
    this.index = index;
    const c = this.cols;
    for (let slot = 0; slot < this.homeGrid.length; slot++) {
      this.homeGrid[slot] = homeGridOf(c.ids[slot]! as WorkerId) ?? this.homeGrid[slot]!;
      if (!this.seen[slot]) continue;
      const grid = index.locate(c.lng[slot]!, c.lat[slot]!) ?? -1;
      this.gridOf[slot] = grid;
      c.outsideGrid[slot] = grid !== this.homeGrid[slot] ? 1 : 0;
      this.dirty.add(slot);
    }
  }

  /** Sets a worker's duty state (shown on the wall, used by dispatch); `relayed`: another node set it. */
  setDuty(workerId: WorkerId, duty: DutyState, relayed = false): void {
    const slot = this.slotById.get(workerId);
    if (slot === undefined) return;
    const index = dutyIndex(duty);
    if (this.cols.duty[slot] === index) return;
    this.cols.duty[slot] = index;
    if (this.seen[slot]) this.dirty.add(slot);
    if (!relayed) for (const l of this.dutyListeners) l(workerId, duty);
  }

  /** Subscribes to duty states set on this node (not those relayed from another). */
  onDuty(listener: (workerId: WorkerId, duty: DutyState) => void): void {
    this.dutyListeners.push(listener);
  }

  /** A worker's duty state as the store holds it (the field's word), or undefined for an unknown id. */
  dutyOf(workerId: WorkerId): DutyState | undefined {
    const slot = this.slotById.get(workerId);
    return slot === undefined ? undefined : dutyFromIndex(this.cols.duty[slot]!);
  }

  /** The worker in a slot (ids live in a typed column; the brand is restored here, once). */
  workerAt(slot: number): WorkerId {
    return this.cols.ids[slot]! as WorkerId;
  }

  /** The grid a slot's last fix fell in, or null (same: restored from the typed column). */
  gridAt(slot: number): GridId | null {
    const g = this.gridOf[slot]!;
    return g >= 0 ? (g as GridId) : null;
  }

  slotOf(workerId: WorkerId): number | undefined {
    return this.slotById.get(workerId);
  }

  /** True when the worker has reported at least one position. */
  hasPosition(slot: number): boolean {
    return this.seen[slot] === 1;
  }

  /** Workers heard from within `windowMs` (online). */
  onlineCount(now: number, windowMs: number): number {
    let n = 0;
    for (let s = 0; s < this.capacity; s++) if (this.seen[s] && now - this.cols.at[s]! <= windowMs) n++;
    return n;
  }

  /** Slots changed since the last call (for the live stream), or null when nothing changed. */
  takeDirtyRows(): Uint32Array | null {
    return this.dirty.size === 0 ? null : this.dirty.take();
  }

  /** Slots changed since the last call (for write-behind persistence). */
  takeUnpersistedRows(): Uint32Array {
    return this.unpersisted.take();
  }

  /** Every slot with a known position, optionally only those `mask` selects. */
  knownRows(mask?: Uint8Array | null): number[] {
    const rows: number[] = [];
    for (let s = 0; s < this.capacity; s++) if (this.seen[s] && (!mask || mask[s])) rows.push(s);
    return rows;
  }

  /** Encodes `rows` as one frame (encode once, send the same bytes to every subscriber). */
  encode(kind: 'snapshot' | 'delta', seq: number, now: number, rows: ArrayLike<number>): Uint8Array {
    return encodePositionFrame({ kind, seq, baseTime: now }, this.cols, rows);
  }

  /** The stored row of a slot (write-behind persistence). */
  row(s: number): {
    workerId: WorkerId;
    lng: number;
    lat: number;
    at: number;
    speed: number;
    heading: number;
    accuracy: number;
    gridId: GridId | null;
  } {
    const c = this.cols;
    return {
      workerId: this.workerAt(s),
      lng: c.lng[s]!,
      lat: c.lat[s]!,
      at: c.at[s]!,
      speed: c.speed[s]!,
      heading: c.heading[s]!,
      accuracy: this.accuracy[s]!,
      gridId: this.gridAt(s),
    };
  }
}

/** A set of slots with O(1) add and a take-all that returns them in insertion order. */
class SlotSet {
  private readonly member: Uint8Array;
  private list: Uint32Array;
  size = 0;

  constructor(capacity: number) {
    this.member = new Uint8Array(capacity);
    this.list = new Uint32Array(capacity);
  }

  add(slot: number): void {
    if (this.member[slot]) return;
    this.member[slot] = 1;
    this.list[this.size++] = slot;
  }

  take(): Uint32Array {
    const rows = this.list.slice(0, this.size);
    for (let i = 0; i < this.size; i++) this.member[this.list[i]!] = 0;
    this.size = 0;
    return rows;
  }
}

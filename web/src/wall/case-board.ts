import { OPEN_STATUSES, startOfLocalDay, type Case, type CaseStatus, type StreamEvent } from '@gcc/shared';

export { OPEN_STATUSES };
const OPEN = new Set<CaseStatus>(OPEN_STATUSES);
const RECENT_MAX = 40;
/** Caps of what the wall holds (a quzhou-sized city stays well inside them): a wall runs for weeks. */
export const MAX_OPEN = 50_000;
export const MAX_HEAT = 80_000;
const DAY_MS = 24 * 3600_000;
export const HEAT_DAYS = 7;

export interface BoardSnapshot {
  open: Case[];
  recent: Case[];
  /** Cases of the last HEAT_DAYS days (position and report time only are kept). */
  heat: { lng: number; lat: number; reportedAt: number; id: number }[];
}

/**
 * The wall's live view of cases: open cases (incident layer), the newest reports (ticker) and
 * the last week's reports (heat, trend). Loaded from a snapshot, then kept current by stream
 * events, which carry each case's current state (upsert, so a replayed event is harmless).
 */
export class CaseBoard {
  readonly open = new Map<number, Case>();
  recent: Case[] = [];
  heat: [number, number][] = [];
  /** Ids of the heat points (a replayed report is not counted twice), parallel to `heat`. */
  private heatIds = new Set<number>();
  private heatIdList: number[] = [];
  private heatTimes: number[] = [];
  /** Bumps on any change of open cases. */
  openVersion = 0;
  /** Bumps on any change of the heat points. */
  heatVersion = 0;
  recentVersion = 0;
  loaded = false;
  private listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit() {
    for (const l of this.listeners) l();
  }

  load(s: BoardSnapshot): void {
    this.open.clear();
    for (const c of s.open) if (OPEN.has(c.status)) this.open.set(c.id, c);
    this.recent = s.recent.slice(0, RECENT_MAX);
    this.heat = [];
    this.heatTimes = [];
    this.heatIds = new Set();
    this.heatIdList = [];
    // Oldest first (the snapshot pages come newest first): the stream appends the newest, so a cap drops the oldest.
    const heat = [...s.heat].sort((a, b) => a.reportedAt - b.reportedAt);
    for (const h of heat) this.addHeat(h.id, h.lng, h.lat, h.reportedAt);
    this.loaded = true;
    this.openVersion++;
    this.heatVersion++;
    this.recentVersion++;
    this.emit();
  }

  private addHeat(id: number, lng: number, lat: number, at: number): boolean {
    if (this.heatIds.has(id)) return false;
    this.heatIds.add(id);
    this.heatIdList.push(id);
    this.heat.push([lng, lat]);
    this.heatTimes.push(at);
    return true;
  }

  /** Applies a batch of stream events; returns true when a case changed. */
  apply(events: readonly StreamEvent[]): boolean {
    let openChanged = false;
    let heatChanged = false;
    let recentChanged = false;
    for (const e of events) {
      if (e.kind !== 'case' || !e.case) continue;
      const c = e.case;
      if (OPEN.has(c.status)) {
        if (this.open.size >= MAX_OPEN && !this.open.has(c.id)) continue;
        this.open.set(c.id, c);
        openChanged = true;
      } else if (this.open.delete(c.id)) {
        openChanged = true;
      }
      const i = this.recent.findIndex((r) => r.id === c.id);
      if (i >= 0) {
        this.recent[i] = c;
        recentChanged = true;
      } else if (e.type === 'case.reported') {
        this.recent.unshift(c);
        recentChanged = true;
      }
      if (e.type === 'case.reported' && this.addHeat(c.id, c.lng, c.lat, c.reportedAt)) heatChanged = true;
    }
    if (recentChanged) {
      this.recent.sort((a, b) => b.reportedAt - a.reportedAt || b.id - a.id);
      if (this.recent.length > RECENT_MAX) this.recent.length = RECENT_MAX;
      this.recent = [...this.recent];
      this.recentVersion++;
    }
    if (openChanged) this.openVersion++;
    if (heatChanged) {
      if (this.heat.length > MAX_HEAT) this.keepHeat(this.heat.length - MAX_HEAT);
      this.heat = [...this.heat];
      this.heatVersion++;
    }
    if (openChanged || heatChanged || recentChanged) this.emit();
    return openChanged || recentChanged;
  }

  /** Drops heat points older than the heat window (a wall runs for weeks). */
  prune(now = Date.now()): void {
    const first = startOfLocalDay(now) - (HEAT_DAYS - 1) * DAY_MS;
    if (!this.heatTimes.some((t) => t < first)) return;
    this.keepHeat(0, first);
    this.heatVersion++;
    this.emit();
  }

  /** Keeps the heat points from index `from` on (they are held oldest first) that are not older than `minTime`. */
  private keepHeat(from: number, minTime = -Infinity): void {
    const heat: [number, number][] = [];
    const times: number[] = [];
    const ids: number[] = [];
    for (let i = from; i < this.heatTimes.length; i++) {
      if (this.heatTimes[i]! < minTime) continue;
      heat.push(this.heat[i]!);
      times.push(this.heatTimes[i]!);
      ids.push(this.heatIdList[i]!);
    }
    this.heat = heat;
    this.heatTimes = times;
    this.heatIdList = ids;
    // The id set shrinks with the points: it was the one part that grew with every report.
    this.heatIds = new Set(ids);
  }

  /** Cases reported in the last `ms` (pulse highlight), newest first. */
  reportedWithin(ms: number, now = Date.now()): Case[] {
    const out: Case[] = [];
    for (const c of this.recent) if (now - c.reportedAt <= ms) out.push(c);
    for (const c of this.open.values())
      if (now - c.reportedAt <= ms && !out.some((o) => o.id === c.id)) out.push(c);
    return out;
  }

  /** Reports per local day for the last HEAT_DAYS days, oldest first: [dayStart, count][]. */
  daily(now = Date.now()): [number, number][] {
    const today = startOfLocalDay(now);
    const days: [number, number][] = [];
    for (let d = HEAT_DAYS - 1; d >= 0; d--) days.push([today - d * DAY_MS, 0]);
    const first = days[0]![0];
    for (const t of this.heatTimes) {
      if (t < first) continue;
      const k = Math.min(HEAT_DAYS - 1, Math.floor((t - first) / DAY_MS));
      days[k]![1]++;
    }
    return days;
  }

  /** Reports per local hour of today: 24 counts. */
  hourlyToday(now = Date.now()): number[] {
    const start = startOfLocalDay(now);
    const hours = new Array<number>(24).fill(0);
    for (const t of this.heatTimes) {
      if (t < start) continue;
      const h = Math.floor((t - start) / 3600_000);
      if (h >= 0 && h < 24) hours[h]!++;
    }
    return hours;
  }
}

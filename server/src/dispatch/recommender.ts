import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { DUTY_STATES, STAFF_ROLES, type StaffRole, type GridId, type WorkerId } from '@gcc/shared';
import type { PositionStore } from '../live/position-store.ts';
import { EARTH_RADIUS_M, greatCircleM } from '@gcc/shared/geo';
import type { GridAdjacency } from './grid-adjacency.ts';

// Worker recommendations for a case (issue 8, Dispatch): the five best available workers,
// ranked by — in the responsible grid first, then distance, open cases, role fit.
//
// Ranking key, lexicographic: (tier, score, workerId), lower is better.
//   tier 0: the case grid's own staff (home grid = case grid);
//   tier 1: surge only (平时为掌、战时为拳) — staff of the neighbouring grids, of the case's
//           community and of the neighbouring communities, marked cross-grid;
//   tier 2: any other available worker, nearest first, marked cross-grid.
//   score = distanceM + LOAD_PENALTY_M · openCases + ROLE_PENALTY_M · (1 − roleFit), in metres.
//
// Why the search is exact: tiers 0 and 1 are enumerated in full from per-grid lists. Tier 2 is
// only needed for the k = limit − |tiers 0–1| last places. Both penalties are ≥ 0 (openCases ≥ 0,
// roleFit clamped to [0, 1]), so score ≥ distance for every worker. Take any k eligible workers
// (we use the k best of the 32 nearest) and let U be the largest score among them: the k-th best
// tier-2 score is ≤ U, because those k workers already reach it. Any worker farther than U has
// score ≥ distance > U, so it loses to k workers strictly (tie-breaks never apply); every worker
// that can place lies within U, and all of them are scored (when the 32 nearest already reach
// beyond U, they are all there is to score). Distances come from one formula (great-circle, as
// turf) applied to one position snapshot, so the result equals a full scan of that snapshot
// (`scan`). Positions are snapshotted at `rebuild` (~1/s); duty is read live at every query.

/**
 * A worker whose role does not fit the case at all (岗位不匹配) never comes first when a worker
 * whose role fits is available within this distance of the case: it is ranked after every such
 * worker, whatever its tier.
 */
export const NEAR_MATCH_M = 2000;
/** Metres a worker may be farther away per open case it carries and still rank equal. */
export const LOAD_PENALTY_M = 500;
/** Metres added for a worker whose role does not fit the case at all (scaled by 1 − fit). */
export const ROLE_PENALTY_M = 800;
export const DEFAULT_LIMIT = 5;
/** Nearest eligible workers fetched first to bound the search radius (tuned on the `recommend` benchmark). */
const PROBE = 32;

/** How well each 一长三员 role fits a case, 0..1. */
export type RoleFit = Readonly<Record<StaffRole, number>>;

/** Field work (rubbish, facilities, street order): full- and part-time workers patrol and handle. */
export const FIELD_ROLE_FIT: RoleFit = { fulltime: 1, parttime: 1, leader: 0.5, instructor: 0 };
/** Disputes and emergencies want the grid leader or a full-time worker first. */
export const LEAD_ROLE_FIT: RoleFit = { leader: 1, fulltime: 1, parttime: 0.5, instructor: 0.5 };

/** Default role fit of a subcategory code (B0101, S0601, …), by its major class. */
export function roleFitForCategory(category: string): RoleFit {
  const major = category.slice(0, 3);
  // S04 突发事件, S06 矛盾纠纷, S07 安全隐患: a leader's authority matters more than patrol coverage.
  return major === 'S04' || major === 'S06' || major === 'S07' ? LEAD_ROLE_FIT : FIELD_ROLE_FIT;
}

export type Scope = 'grid' | 'neighbourGrid' | 'community' | 'neighbourCommunity' | 'nearby';
/** Reason codes; each has a message `dispatch.reason.<code>` in shared/src/i18n. */
export const REASON_CODES = [
  'inGrid',
  'neighbourGrid',
  'sameCommunity',
  'neighbourCommunity',
  'nearby',
  'crossGrid',
  'surge',
  'noOpenCases',
  'roleMatch',
  'rolePartial',
  'roleMismatch',
  'mismatchAfterMatch',
  'reporter',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
const SCOPE_CODE: Record<Scope, ReasonCode> = {
  grid: 'inGrid',
  neighbourGrid: 'neighbourGrid',
  community: 'sameCommunity',
  neighbourCommunity: 'neighbourCommunity',
  nearby: 'nearby',
};

/**
 * Why a worker stands where it does in the list, against the one above it (message
 * `dispatch.rank.<code>`): first of all; after a worker of a nearer scope (tier); after every
 * worker whose role fits, being a mismatch; after everyone, being the case's reporter; farther
 * by `m` metres; with `n` more open cases; a poorer role fit; or level with it.
 */
export type Standing =
  | { code: 'best' }
  | { code: 'tier' | 'mismatch' | 'reporter' | 'roleFit' | 'level'; above: WorkerId }
  | { code: 'farther'; above: WorkerId; m: number }
  | { code: 'busier'; above: WorkerId; n: number };

/** Why a worker is recommended: codes for the message tables (dispatch.reason.*) plus the numbers. */
export interface RecommendReason {
  /** Why it is ranked where it is (set on the final list). */
  standing: Standing;
  codes: ReasonCode[];
  scope: Scope;
  inGrid: boolean;
  crossGrid: boolean;
  surge: boolean;
  distanceM: number;
  openCases: number;
  roleFit: number;
}

export interface Recommendation {
  workerId: WorkerId;
  slot: number;
  role: StaffRole;
  homeGridId: GridId;
  lng: number;
  lat: number;
  tier: 0 | 1 | 2;
  /** Metres-equivalent; lower is better (within a tier). */
  score: number;
  reason: RecommendReason;
}

export interface RecommendRequest {
  lng: number;
  lat: number;
  /** Responsible grid (point-in-polygon of the case), null when outside every grid. */
  gridId: GridId | null;
  /** Default: FIELD_ROLE_FIT (see roleFitForCategory). */
  roleFit?: RoleFit;
  /** 战时为拳: widen the first choice to neighbouring grids and communities. */
  surge?: boolean;
  limit?: number;
  /** Leave out workers whose last fix is older than this (ms since epoch): silent devices (失联). */
  heardSince?: number;
  /** Workers not to propose (e.g. the handler whose verification failed, the current assignee). */
  excludeWorkerIds?: readonly number[];
  /** The worker who reported the case: not favoured for being on the spot, proposed last if at all. */
  reporterWorkerId?: number | null;
}

/** A request of the inner search: only workers whose role fits (> 0) when `fitOnly`. */
type SearchRequest = RecommendRequest & { fitOnly?: boolean };

/** Open cases per worker: a Map by worker id, or an array indexed by slot. */
export type Workload = ReadonlyMap<number, number> | ArrayLike<number>;

/** One worker of the roster, in PositionStore slot order (the server's `Services.roster` fits). */
export interface RosterWorker {
  id: WorkerId;
  gridId: GridId;
  role: StaffRole;
}

/** Positions to index: PositionStore columns fit (`Recommender.syncFrom`). */
export interface PositionSource {
  lng: ArrayLike<number>;
  lat: ArrayLike<number>;
  /** Duty index per slot (DUTY_STATES); read live at every query, not snapshotted. */
  duty: ArrayLike<number>;
  /** Time of each slot's last fix, ms since epoch (for `heardSince`). */
  at?: ArrayLike<number>;
  present(slot: number): boolean;
}

const AVAILABLE = DUTY_STATES.indexOf('available');
/** Metres per degree of latitude on the great-circle sphere, shaved so it stays a lower bound under rounding. */
const M_PER_DEG_LAT_LB = ((EARTH_RADIUS_M * Math.PI) / 180) * (1 - 1e-9);
const NO_DUTY: ArrayLike<number> = new Uint8Array(0);

interface Candidate {
  slot: number;
  tier: 0 | 1 | 2;
  scope: Scope;
  score: number;
  distanceM: number;
  openCases: number;
  roleFit: number;
}

export class Recommender {
  readonly size: number;
  private readonly workerIds: Uint32Array;
  private readonly gridIds: Int32Array;
  private readonly homeGridIx: Int32Array;
  private readonly roles: Uint8Array;
  private readonly gridIxById = new Map<number, number>();
  private readonly gridSlotStart: Uint32Array;
  private readonly gridSlots: Uint32Array;
  private readonly surgeCache = new Map<number, { gridIx: Int32Array; scope: Scope[] }>();
  private readonly slotById = new Map<number, number>();
  // Position snapshot taken at the last rebuild, and the k-d index over it.
  private readonly lng: Float64Array;
  private readonly lat: Float64Array;
  private readonly present: Uint8Array;
  private readonly at: Float64Array;
  private itemSlot = new Uint32Array(0);
  private index: KDBush | null = null;
  private duty: ArrayLike<number> = NO_DUTY;
  // Per-query scratch marks (cleared after each query).
  private readonly gridMark: Uint8Array;
  private readonly excluded: Uint8Array;

  constructor(
    roster: readonly RosterWorker[],
    private readonly adjacency: GridAdjacency,
  ) {
    const n = (this.size = roster.length);
    this.workerIds = new Uint32Array(n);
    this.gridIds = new Int32Array(n);
    this.homeGridIx = new Int32Array(n);
    this.roles = new Uint8Array(n);
    this.lng = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.present = new Uint8Array(n);
    this.at = new Float64Array(n);
    this.excluded = new Uint8Array(n);
    const counts: number[] = [];
    roster.forEach((w, s) => {
      this.workerIds[s] = w.id;
      this.slotById.set(w.id, s);
      this.gridIds[s] = w.gridId;
      this.roles[s] = STAFF_ROLES.indexOf(w.role);
      let gi = this.gridIxById.get(w.gridId);
      if (gi === undefined) {
        gi = counts.length;
        this.gridIxById.set(w.gridId, gi);
        counts.push(0);
      }
      this.homeGridIx[s] = gi;
      counts[gi]!++;
    });
    this.gridMark = new Uint8Array(counts.length);
    this.gridSlotStart = new Uint32Array(counts.length + 1);
    for (let g = 0; g < counts.length; g++) this.gridSlotStart[g + 1] = this.gridSlotStart[g]! + counts[g]!;
    const fill = this.gridSlotStart.slice(0, counts.length);
    this.gridSlots = new Uint32Array(n);
    for (let s = 0; s < n; s++) this.gridSlots[fill[this.homeGridIx[s]!]!++] = s;
  }

  /** Snapshots positions and rebuilds the k-d index (~1/s; see the `recommend` benchmark for its cost). */
  rebuild(src: PositionSource): void {
    let count = 0;
    for (let s = 0; s < this.size; s++) {
      const ok = src.present(s) && Number.isFinite(src.lng[s]) && Number.isFinite(src.lat[s]);
      this.present[s] = ok ? 1 : 0;
      if (ok) {
        this.lng[s] = src.lng[s]!;
        this.lat[s] = src.lat[s]!;
        this.at[s] = src.at?.[s] ?? 0;
        count++;
      }
    }
    if (this.itemSlot.length !== count) this.itemSlot = new Uint32Array(count);
    const index = count ? new KDBush(count) : null;
    let i = 0;
    for (let s = 0; s < this.size; s++) {
      if (!this.present[s]) continue;
      this.itemSlot[i++] = s;
      index!.add(this.lng[s]!, this.lat[s]!);
    }
    index?.finish();
    this.index = index;
    this.duty = src.duty;
  }

  /** Slot of a worker id (roster order), or undefined. */
  slotOf(workerId: WorkerId): number | undefined {
    return this.slotById.get(workerId);
  }

  /** Rebuilds from the live PositionStore (same roster order as its slots); duty is read live. */
  syncFrom(store: PositionStore): void {
    this.rebuild({
      lng: store.cols.lng,
      lat: store.cols.lat,
      duty: store.cols.duty,
      at: store.cols.at,
      present: (s) => store.hasPosition(s),
    });
  }

  /** The top `limit` available workers for a case, exact (equal to `scan`). */
  recommend(req: RecommendRequest, load?: Workload): Recommendation[] {
    return this.ranked(req, load, false);
  }

  /** The same ranking by a full linear scan: the reference the exactness test compares with. */
  scan(req: RecommendRequest, load?: Workload): Recommendation[] {
    return this.ranked(req, load, true);
  }

  /**
   * The ranking as the desk sees it: (tier, score) as `run` orders, except that a role mismatch
   * goes after every fitting worker when one is within NEAR_MATCH_M, and the case's reporter goes
   * last (only when the list has room); then each says why it stands where it does.
   */
  private ranked(req: RecommendRequest, load: Workload | undefined, full: boolean): Recommendation[] {
    const limit = Math.max(0, Math.floor(req.limit ?? DEFAULT_LIMIT));
    const reporter = req.reporterWorkerId ?? null;
    const exclude = [...(req.excludeWorkerIds ?? []), ...(reporter !== null ? [reporter] : [])];
    const others = { ...req, excludeWorkerIds: exclude };
    let list = this.run(others, load, full);
    if (list.some((r) => r.reason.roleFit === 0) && this.fitWithin(others, NEAR_MATCH_M, full)) {
      // Every fitting worker first (the best `limit` of them), then the best mismatches.
      const fitting = this.run({ ...others, fitOnly: true }, load, full);
      const mismatches = list.filter((r) => r.reason.roleFit === 0);
      for (const r of mismatches) r.reason.codes.push('mismatchAfterMatch');
      list = [...fitting, ...mismatches].slice(0, limit);
    }
    if (reporter !== null && list.length < limit) {
      const own = this.run({ ...req, excludeWorkerIds: req.excludeWorkerIds ?? [] }, load, full).find(
        (r) => r.workerId === reporter,
      );
      if (own) {
        own.reason.codes.push('reporter');
        list.push(own);
      }
    }
    return explainStandings(list);
  }

  /** Whether an eligible worker whose role fits the case stands within `radiusM` of it. */
  private fitWithin(req: SearchRequest, radiusM: number, full: boolean): boolean {
    const fit = req.roleFit ?? FIELD_ROLE_FIT;
    const fits = (s: number) => (fit[STAFF_ROLES[this.roles[s]!]!] ?? 0) > 0;
    const skip = new Set(req.excludeWorkerIds ?? []);
    const since = req.heardSince ?? -Infinity;
    const ok = (s: number) =>
      this.duty[s] === AVAILABLE &&
      this.present[s] === 1 &&
      this.at[s]! >= since &&
      !skip.has(this.workerIds[s]!) &&
      fits(s);
    if (full) {
      for (let s = 0; s < this.size; s++)
        if (ok(s) && greatCircleM(req.lng, req.lat, this.lng[s]!, this.lat[s]!) <= radiusM) return true;
      return false;
    }
    if (!this.index) return false;
    const items = this.itemSlot;
    const [hit] = around(this.index, req.lng, req.lat, 1, (radiusM / 1000) * (1 + 1e-9), (it: number) =>
      ok(items[it]!),
    );
    // geokdbush measures on its own sphere: confirm on ours.
    if (hit === undefined) return false;
    const s = items[hit]!;
    return greatCircleM(req.lng, req.lat, this.lng[s]!, this.lat[s]!) <= radiusM * (1 + 1e-6);
  }

  private run(req: SearchRequest, load: Workload | undefined, fullScan: boolean): Recommendation[] {
    const limit = Math.max(0, Math.floor(req.limit ?? DEFAULT_LIMIT));
    const fit = req.roleFit ?? FIELD_ROLE_FIT;
    const fitOf = STAFF_ROLES.map((r) => Math.min(1, Math.max(0, fit[r] ?? 0)));
    const loadOf = loadReader(load, this.workerIds);
    const top: Candidate[] = [];
    if (limit === 0) return [];

    const exclude = req.excludeWorkerIds ?? [];
    for (const id of exclude) {
      const s = this.slotById.get(id);
      if (s !== undefined) this.excluded[s] = 1;
    }
    const ownIx = req.gridId === null ? undefined : this.gridIxById.get(req.gridId);
    const surge = req.surge ? this.surgeGrids(req.gridId) : null;
    if (ownIx !== undefined) this.gridMark[ownIx] = 1;
    if (surge) for (const g of surge.gridIx) this.gridMark[g] = 2;

    const since = req.heardSince ?? -Infinity;
    const fitOnly = req.fitOnly === true;
    const eligible = (s: number) =>
      this.duty[s] === AVAILABLE &&
      this.present[s] === 1 &&
      this.excluded[s] === 0 &&
      this.at[s]! >= since &&
      (!fitOnly || fitOf[this.roles[s]!]! > 0);
    const scoreOf = (s: number, distanceM: number) =>
      distanceM + LOAD_PENALTY_M * Math.max(0, loadOf(s)) + ROLE_PENALTY_M * (1 - fitOf[this.roles[s]!]!);
    const consider = (s: number, tier: 0 | 1 | 2, scope: Scope) => {
      // Skip the trigonometry when the latitude difference alone (a lower bound of the
      // great-circle distance, hence of the score) already loses to the last of a full list.
      if (top.length === limit) {
        const last = top[limit - 1]!;
        if (
          last.tier < tier ||
          (last.tier === tier && Math.abs(this.lat[s]! - req.lat) * M_PER_DEG_LAT_LB - 1e-6 > last.score)
        )
          return;
      }
      const distanceM = greatCircleM(req.lng, req.lat, this.lng[s]!, this.lat[s]!);
      const c: Candidate = {
        slot: s,
        tier,
        scope,
        score: scoreOf(s, distanceM),
        distanceM,
        openCases: Math.max(0, loadOf(s)),
        roleFit: fitOf[this.roles[s]!]!,
      };
      insertTop(top, limit, c, this.workerIds);
    };

    try {
      if (fullScan) {
        for (let s = 0; s < this.size; s++) {
          if (!eligible(s)) continue;
          const gi = this.homeGridIx[s]!;
          if (gi === ownIx) consider(s, 0, 'grid');
          else if (this.gridMark[gi] === 2) consider(s, 1, surge!.scope[surge!.gridIx.indexOf(gi)]!);
          else consider(s, 2, 'nearby');
        }
      } else {
        let found = 0;
        const takeGrid = (gi: number, tier: 0 | 1, scope: Scope) => {
          for (let i = this.gridSlotStart[gi]!; i < this.gridSlotStart[gi + 1]!; i++) {
            const s = this.gridSlots[i]!;
            if (eligible(s)) {
              consider(s, tier, scope);
              found++;
            }
          }
        };
        if (ownIx !== undefined) takeGrid(ownIx, 0, 'grid');
        // A lower tier that already fills the list leaves nothing for the next one to place.
        if (surge && found < limit) surge.gridIx.forEach((gi, k) => takeGrid(gi, 1, surge.scope[k]!));
        const need = limit - found;
        if (need > 0 && this.index)
          this.searchNearby(req, need, since, fitOnly ? fitOf : null, scoreOf, (s) =>
            consider(s, 2, 'nearby'),
          );
      }
    } finally {
      if (ownIx !== undefined) this.gridMark[ownIx] = 0;
      if (surge) for (const g of surge.gridIx) this.gridMark[g] = 0;
      for (const id of exclude) {
        const s = this.slotById.get(id);
        if (s !== undefined) this.excluded[s] = 0;
      }
    }
    return top.map((c) => this.toRecommendation(c));
  }

  // Tier 2: the nearest eligible workers bound the radius (see the comment at the top), then
  // every eligible worker inside it is scored.
  private searchNearby(
    req: RecommendRequest,
    need: number,
    since: number,
    /** With role fits: only workers whose role fits (> 0). */
    fitOnlyOf: readonly number[] | null,
    scoreOf: (s: number, distanceM: number) => number,
    consider: (s: number) => void,
  ): void {
    const index = this.index!;
    const items = this.itemSlot;
    // Eligible tier-2 workers: available, present (indexed), not excluded, not of a tier-0/1 grid.
    const pred = (item: number) => {
      const s = items[item]!;
      return (
        this.duty[s] === AVAILABLE &&
        this.excluded[s] === 0 &&
        this.gridMark[this.homeGridIx[s]!] === 0 &&
        this.at[s]! >= since &&
        (fitOnlyOf === null || fitOnlyOf[this.roles[s]!]! > 0)
      );
    };
    // The PROBE nearest usually hold `need` workers with small penalties, so their need-th best
    // score is a far tighter radius than the need nearest alone would give.
    const probe = Math.max(PROBE, need);
    const nearest = around(index, req.lng, req.lat, probe, Infinity, pred);
    for (const it of nearest) consider(items[it]!);
    if (nearest.length < probe) return; // every eligible worker has been scored
    const scores: number[] = [];
    let farthest = 0;
    for (const it of nearest) {
      const s = items[it]!;
      const d = greatCircleM(req.lng, req.lat, this.lng[s]!, this.lat[s]!);
      farthest = Math.max(farthest, d);
      scores.push(scoreOf(s, d));
    }
    const bound = scores.sort((a, b) => a - b)[need - 1]!;
    // geokdbush orders by its own haversine on a 6,371 km sphere, we measure on 6,371.0088 km:
    // the margins absorb the difference in rounding. When the probe already reaches beyond the
    // bound, nobody left out can place.
    if (farthest * (1 - 1e-9) - 1e-6 > bound) return;
    const probed = new Set(nearest);
    const within = around(index, req.lng, req.lat, Infinity, (bound / 1000) * (1 + 1e-9) + 1e-9, pred);
    for (const it of within) if (!probed.has(it)) consider(items[it]!);
  }

  private surgeGrids(gridId: GridId | null): { gridIx: Int32Array; scope: Scope[] } | null {
    if (gridId === null) return null;
    const cached = this.surgeCache.get(gridId);
    if (cached) return cached;
    const adj = this.adjacency;
    const scopeOf = new Map<number, Scope>();
    const add = (g: number, scope: Scope) => {
      if (g !== gridId && !scopeOf.has(g)) scopeOf.set(g, scope);
    };
    for (const g of adj.neighbours.get(gridId) ?? []) add(g, 'neighbourGrid');
    const community = adj.communityOf.get(gridId);
    if (community !== undefined) {
      for (const g of adj.gridsOfCommunity.get(community) ?? []) add(g, 'community');
      for (const c of adj.communityNeighbours.get(community) ?? [])
        for (const g of adj.gridsOfCommunity.get(c) ?? []) add(g, 'neighbourCommunity');
    }
    const gridIx: number[] = [];
    const scope: Scope[] = [];
    for (const [g, sc] of scopeOf) {
      const gi = this.gridIxById.get(g);
      if (gi !== undefined) {
        gridIx.push(gi);
        scope.push(sc);
      }
    }
    const out = { gridIx: Int32Array.from(gridIx), scope };
    this.surgeCache.set(gridId, out);
    return out;
  }

  private toRecommendation(c: Candidate): Recommendation {
    const s = c.slot;
    const crossGrid = c.scope !== 'grid';
    const codes: ReasonCode[] = [SCOPE_CODE[c.scope]];
    if (crossGrid) codes.push('crossGrid');
    if (c.tier === 1) codes.push('surge');
    if (c.openCases === 0) codes.push('noOpenCases');
    codes.push(c.roleFit >= 1 ? 'roleMatch' : c.roleFit > 0 ? 'rolePartial' : 'roleMismatch');
    return {
      // Restored from the typed columns the ranking runs on.
      workerId: this.workerIds[s]! as WorkerId,
      slot: s,
      role: STAFF_ROLES[this.roles[s]!]!,
      homeGridId: this.gridIds[s]! as GridId,
      lng: this.lng[s]!,
      lat: this.lat[s]!,
      tier: c.tier,
      score: c.score,
      reason: {
        standing: { code: 'best' },
        codes,
        scope: c.scope,
        inGrid: !crossGrid,
        crossGrid,
        surge: c.tier === 1,
        distanceM: c.distanceM,
        openCases: c.openCases,
        roleFit: c.roleFit,
      },
    };
  }
}

/** Sets on each worker of a final list why it stands below the one above it (see `Standing`). */
export function explainStandings(list: Recommendation[]): Recommendation[] {
  list.forEach((r, i) => {
    const prev = list[i - 1];
    if (!prev) {
      r.reason.standing = { code: 'best' };
      return;
    }
    const above = prev.workerId;
    const a = prev.reason;
    const b = r.reason;
    if (b.codes.includes('reporter') && !a.codes.includes('reporter'))
      r.reason.standing = { code: 'reporter', above };
    else if (b.codes.includes('mismatchAfterMatch') && !a.codes.includes('mismatchAfterMatch'))
      r.reason.standing = { code: 'mismatch', above };
    else if (r.tier !== prev.tier) r.reason.standing = { code: 'tier', above };
    else {
      // Within a tier the score decides: name the part of it that differs most.
      const farther = b.distanceM - a.distanceM;
      const busier = LOAD_PENALTY_M * (b.openCases - a.openCases);
      const role = ROLE_PENALTY_M * (a.roleFit - b.roleFit);
      const most = Math.max(farther, busier, role);
      r.reason.standing =
        most <= 0.5
          ? { code: 'level', above }
          : most === farther
            ? { code: 'farther', above, m: Math.round(farther) }
            : most === busier
              ? { code: 'busier', above, n: b.openCases - a.openCases }
              : { code: 'roleFit', above };
    }
  });
  return list;
}

function loadReader(load: Workload | undefined, ids: Uint32Array): (slot: number) => number {
  if (!load) return () => 0;
  if (load instanceof Map) return (s) => load.get(ids[s]!) ?? 0;
  const arr = load as ArrayLike<number>;
  return (s) => arr[s] ?? 0;
}

// Keeps `top` sorted by (tier, score, workerId) with at most `limit` entries (limit is small).
function insertTop(top: Candidate[], limit: number, c: Candidate, ids: Uint32Array): void {
  const before = (a: Candidate, b: Candidate) =>
    a.tier !== b.tier
      ? a.tier < b.tier
      : a.score !== b.score
        ? a.score < b.score
        : ids[a.slot]! < ids[b.slot]!;
  if (top.length === limit && !before(c, top[limit - 1]!)) return;
  let i = top.length < limit ? top.length : limit - 1;
  if (top.length < limit) top.push(c);
  while (i > 0 && before(c, top[i - 1]!)) {
    top[i] = top[i - 1]!;
    i--;
  }
  top[i] = c;
}

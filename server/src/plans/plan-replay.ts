import {
  EditSession,
  PROVISIONAL_GRID_ID_MIN,
  dequantise,
  parentsJoined,
  parentsMoved,
  type EditRefusalReason,
  type NodeId,
  type Topology,
  type TopologyEdit,
} from '@gcc/shared/topology';
import type { GridId, UnitId } from '@gcc/shared';
import {
  bandProblems,
  gridStats,
  type HouseholdBands,
  type PlanEditRefusalReason,
  type PlanningContext,
} from '@gcc/shared/planning';
import type { Boundary } from '../spatial/boundary.ts';

// A plan's edits replayed from the topology of its boundary version, as the server checks every
// save: each edit is decided again in an EditSession (the client's diff is never trusted), then
// held to the planner's jurisdiction (属地). The first refusal stops the replay and says which
// step, why and where.

export type ReplayRefusal = {
  ok: false;
  /** Index of the refused edit in the plan's list (0-based). */
  step: number;
  reason: EditRefusalReason | PlanEditRefusalReason;
  at: [number, number];
};

export type ReplayResult =
  | {
      ok: true;
      /** Grids of the boundary version the applied edits change (grids the plan made come with those they were cut from). */
      touched: GridId[];
      /** Open problems of the grids the applied edits touched: crossings, parts, slivers… and household band breaches when counted. */
      problems: number;
    }
  | ReplayRefusal;

/** Where an edit happens, in degrees (read before it is applied), to show a refusal at its place. */
function editPoint(t: Topology, edit: TopologyEdit): [number, number] {
  const nodeAt = (id: NodeId | undefined): [number, number] => {
    const node = id === undefined ? undefined : t.nodes.get(id);
    return node ? dequantise(node.at) : [0, 0];
  };
  switch (edit.type) {
    case 'moveNode':
    case 'moveVertex':
      return edit.to;
    case 'addVertex':
      return edit.at;
    case 'deleteVertex': {
      const v = t.edges.get(edit.edge)?.vertices[edit.index];
      return v ? dequantise(v) : nodeAt(t.edges.get(edit.edge)?.start);
    }
    case 'reshapeEdge':
      return edit.vertices[0] ?? nodeAt(t.edges.get(edit.edge)?.start);
    case 'splitGrid':
      return edit.line[0] ?? [0, 0];
    case 'cutOut':
      return edit.ring[0] ?? [0, 0];
    case 'importLayer': {
      const ring = edit.grids[0]?.rings[0]?.[0];
      return ring && ring.length >= 2 ? dequantise([ring[0]!, ring[1]!]) : [0, 0];
    }
    case 'mergeGrids': {
      const first = t.faces.get(edit.from)?.rings[0]?.[0];
      return nodeAt(first ? t.edges.get(first.edge)?.start : undefined);
    }
  }
}

/** What a plan's grids are held to their household band with: the address points, and the plan's bands. */
export interface BandCount {
  context: PlanningContext;
  bands: HouseholdBands;
}

/**
 * The household band breaches of `grids` in `t`, as the planner's page lists them: households
 * counted from the address points; the area type a grid of the version has, and a grid the plan
 * made that of the version's first grid in its community (a community is urban or rural).
 */
function bandBreaches(t: Topology, boundary: Boundary, grids: readonly GridId[], count: BandCount): number {
  const urbanOf = (g: GridId): boolean => {
    const own = boundary.gridById.get(g)?.urban;
    if (own !== undefined) return own;
    const parent = t.faces.get(g)?.parentId;
    const first = parent === undefined ? undefined : boundary.gridIdsUnder(parent)[0];
    return (first === undefined ? undefined : boundary.gridById.get(first)?.urban) ?? true;
  };
  const rows = grids.map((id) => ({
    id,
    urban: urbanOf(id),
    households: gridStats(t, id, count.context).households,
  }));
  return bandProblems(rows, count.bands).length;
}

/** Whether two JSON values (edits as parsed from the wire) are the same, member by member. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && sameValue(ra[k], rb[k]));
}

/**
 * A plan's edits replayed from `baseline` (the topology of `boundary`'s version) for a planner
 * whose jurisdiction is `unitId`, in one EditSession that outlives a save: it holds every edit
 * replayed so far applied (the redo part too), so the next save of the same plan replays only the
 * edits it adds (PlanSessions keeps it). A refusal leaves it half-way: drop it then.
 */
export class PlanReplay {
  private readonly session: EditSession;
  private readonly edits: TopologyEdit[] = [];
  /** The parent a provisional grid had when last seen (a later merge may retire it). */
  private readonly provisionalParent = new Map<GridId, UnitId>();
  /** Per replayed edit, the provisional parents it set and what they were before, to take it back. */
  private readonly parentLog: [GridId, UnitId | undefined][][] = [];

  constructor(
    readonly baseline: Topology,
    private readonly boundary: Boundary,
    readonly unitId: UnitId,
  ) {
    this.session = new EditSession(baseline);
  }

  /** The layer with every replayed edit applied (edited in place: read it, do not keep it). */
  get topology(): Topology {
    return this.session.topology;
  }

  /** The edit session the edits were replayed in (what a publish reads its changes from). */
  get edited(): EditSession {
    return this.session;
  }

  /** How many edits are replayed (all of them applied). */
  get length(): number {
    return this.edits.length;
  }

  /** How many of `edits`, from the first, are the edits replayed here. */
  commonPrefix(edits: readonly TopologyEdit[]): number {
    let n = 0;
    while (n < this.edits.length && n < edits.length && sameValue(this.edits[n], edits[n])) n++;
    return n;
  }

  /** Takes back every replayed edit after the first `n` (an undo each: no edit is decided again). */
  rewind(n: number): void {
    while (this.edits.length > n) {
      this.session.undo();
      this.edits.pop();
      for (const [g, was] of this.parentLog.pop()!.reverse())
        if (was === undefined) this.provisionalParent.delete(g);
        else this.provisionalParent.set(g, was);
    }
  }

  /**
   * Replays `edits` after the first `length` (those must be the ones replayed here): each is
   * decided again and held to the planner's jurisdiction; the first refusal stops and says which
   * step (index in `edits`), why and where.
   */
  append(edits: readonly TopologyEdit[]): ReplayRefusal | null {
    const { session, boundary, unitId, provisionalParent } = this;
    const everywhere = boundary.isRoot(unitId);
    const parentOf = (g: GridId): UnitId | null =>
      session.topology.faces.get(g)?.parentId ??
      provisionalParent.get(g) ??
      boundary.gridById.get(g)?.communityId ??
      null;
    // 属地: a grid of the version lies in the planner's unit; a grid the plan made, by its parent.
    const inJurisdiction = (g: GridId): boolean => {
      if (everywhere) return true;
      if (g < PROVISIONAL_GRID_ID_MIN) return boundary.gridInUnit(g, unitId);
      const parent = parentOf(g);
      return parent !== null && boundary.unitWithin(parent, unitId);
    };
    // 属地 for parent borders: a planner moves a unit's border only from strictly above it (a street
    // planner between two of its communities, not its street's own border; nobody the city outline).
    const mayUnlock = (parent: UnitId | null): boolean =>
      parent !== null && parent !== unitId && boundary.unitWithin(parent, unitId);

    for (let step = this.edits.length; step < edits.length; step++) {
      const edit = edits[step]!;
      // Read before the edit changes the layer (the session edits in place).
      const before = parentsMoved(session.topology, session, edit);
      const at = editPoint(session.topology, edit);
      const decision = session.edit(edit);
      if (!decision.ok) return { ok: false, step, reason: decision.reason, at: decision.at };
      // An unlocked cut-out across parents joins pieces of each of them into the new grid.
      const cutAcross =
        edit.type === 'cutOut' && edit.unlockParents ? parentsJoined(parentOf, decision.touched) : [];
      const parents = cutAcross.length ? cutAcross : before;
      if (!parents.every(mayUnlock)) return { ok: false, step, reason: 'unlock-forbidden', at };
      if (!decision.touched.every(inJurisdiction))
        return { ok: false, step, reason: 'outside-jurisdiction', at };
      const log: [GridId, UnitId | undefined][] = [];
      for (const g of decision.touched) {
        const parent = session.topology.faces.get(g)?.parentId;
        if (g < PROVISIONAL_GRID_ID_MIN || parent === undefined) continue;
        log.push([g, provisionalParent.get(g)]);
        provisionalParent.set(g, parent);
      }
      this.edits.push(edit);
      this.parentLog.push(log);
    }
    return null;
  }

  /**
   * What the plan changes with its first `cursor` edits applied: touched grids and open problems
   * (band breaches too, given `count`). The redo part is undone for the count and redone after.
   */
  result(cursor: number, count?: BandCount): Extract<ReplayResult, { ok: true }> {
    const { session } = this;
    const undone = Math.max(0, this.edits.length - cursor);
    for (let i = 0; i < undone; i++) session.undo();
    const touched = session.touchedGrids();
    const present = touched.filter((g) => session.topology.faces.has(g));
    const problems =
      session.problems(present).length +
      (count ? bandBreaches(session.topology, this.boundary, present, count) : 0);
    for (let i = 0; i < undone; i++) session.redo();
    return {
      ok: true,
      // What the plan changes of the version: a grid it made always comes with those it was cut from.
      touched: touched.filter((g) => g < PROVISIONAL_GRID_ID_MIN),
      problems,
    };
  }
}

/**
 * Replays `edits` from `baseline` (the topology of `boundary`'s version) for a planner whose
 * jurisdiction is `unitId`. Every edit is replayed, the redo part after `cursor` too, so a saved
 * plan can always be redone; touched grids and problems count only the `cursor` edits applied
 * (band breaches too, given `count`).
 */
export function replayPlan(
  baseline: Topology,
  boundary: Boundary,
  unitId: UnitId,
  edits: readonly TopologyEdit[],
  cursor: number,
  count?: BandCount,
): ReplayResult {
  const replay = new PlanReplay(baseline, boundary, unitId);
  return replay.append(edits) ?? replay.result(cursor, count);
}

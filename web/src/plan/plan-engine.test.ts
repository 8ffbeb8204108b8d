import type { GridId } from '@gcc/shared';
import { gridId, unitId } from '@gcc/shared/testing';
import { buildTopology, encodeTopology, type EdgeId, type NodeId } from '@gcc/shared/topology';
import { CASE_OPEN, HOUSEHOLD_BANDS, PlanningPoints } from '@gcc/shared/planning';
import { describe, expect, it } from 'vitest';
import { essentialRing, PlanEngine } from './plan-engine.ts';
import type { Baseline, EditOutcome, PlanGesture } from './plan.protocol.ts';

// A 3 × 2 block of square grids, 0.01° a side: grids 1, 2 (community 10) and 3 (community 11)
// on the bottom row, 4, 5, 6 above (same communities by column).
function fixture(): Baseline {
  const sq = (x: number, y: number) => [
    [
      [x, y],
      [x + 0.01, y],
      [x + 0.01, y + 0.01],
      [x, y + 0.01],
      [x, y],
    ],
  ];
  const grids = [
    { id: gridId(1), parentId: unitId(10), polygon: [sq(120, 30)] },
    { id: gridId(2), parentId: unitId(10), polygon: [sq(120.01, 30)] },
    { id: gridId(3), parentId: unitId(11), polygon: [sq(120.02, 30)] },
    { id: gridId(4), parentId: unitId(10), polygon: [sq(120, 30.01)] },
    { id: gridId(5), parentId: unitId(10), polygon: [sq(120.01, 30.01)] },
    { id: gridId(6), parentId: unitId(11), polygon: [sq(120.02, 30.01)] },
  ];
  const { topology } = buildTopology(grids);
  return {
    version: 1,
    topology: encodeTopology(topology),
    grids: {
      ids: grids.map((g) => g.id),
      codes: grids.map((g) => `C${g.id}`),
      names: grids.map((g) => `网格${g.id}`),
      parentIds: grids.map((g) => g.parentId),
      urban: grids.map(() => true),
      households: [620, 400, 350, 380, 200, 450],
      population: [1800, 1100, 1000, 1000, 600, 1300],
    },
  };
}

/** A line across grid 1 at mid-height. */
const SPLIT_1: PlanGesture = {
  type: 'split',
  line: [
    [119.999, 30.005],
    [120.011, 30.005],
  ],
  prefer: gridId(1),
};

const ok = (o: EditOutcome) => {
  if (!o.ok) throw new Error(`refused: ${o.reason}`);
  return o;
};

/** The node at a point of the fixture. */
function nodeAt(e: PlanEngine, lng: number, lat: number): NodeId {
  for (const n of e.topology.nodes.values())
    if (Math.abs(n.at[0] - lng * 1e7) < 2 && Math.abs(n.at[1] - lat * 1e7) < 2) return n.id;
  throw new Error('no node there');
}

describe('PlanEngine', () => {
  it('draws the whole baseline once, and nothing over it before an edit', () => {
    const e = new PlanEngine(fixture());
    const g = e.baseGeometry();
    expect(g.faces.grids).toHaveLength(6);
    expect(g.edges.ids.length).toBeGreaterThan(0);
    // The border between the communities (x = 120.02) and the outline are locked.
    expect([...g.edges.locked].filter(Boolean).length).toBeGreaterThan(0);
    expect(g.bbox[0]).toBeCloseTo(120);
    expect(e.delta().faces.grids).toHaveLength(0);
  });

  it('splits a grid with a line: two grids over the baseline, the old one hidden; undo and redo', () => {
    const e = new PlanEngine(fixture());
    const o = ok(e.apply(SPLIT_1));
    expect(o.touched.slice(0, 2)).toHaveLength(2);
    expect([...o.delta.hiddenGrids]).toContain(1);
    expect(new Set(o.delta.faces.grids)).toEqual(new Set([1, o.touched[1]]));
    // The neighbour whose border got the new node keeps its shape: not redrawn.
    expect([...o.delta.hiddenGrids]).not.toContain(2);
    const [kept, made] = e.grids(o.touched.slice(0, 2));
    expect(kept!.code).toBe('C1');
    expect(made!.code).toBeNull();
    expect(made!.before).toBeNull();
    // Counts of an edited grid wait for the address points; its area is known.
    expect(kept!.after!.households).toBeNull();
    expect(kept!.after!.areaM2! + made!.after!.areaM2!).toBeCloseTo(kept!.before!.areaM2!, -2);
    expect(o.history).toMatchObject({ canUndo: true, canRedo: false, cursor: 1 });

    const u = ok(e.undo());
    expect(u.delta.faces.grids).toHaveLength(0);
    expect(u.delta.hiddenGrids).toHaveLength(0);
    expect(u.history).toMatchObject({ canUndo: false, canRedo: true });
    const r = ok(e.redo());
    expect(r.delta.faces.grids).toHaveLength(2);
    expect(e.history().edits).toHaveLength(1);
  });

  it("counts a split's halves from the address points once the context is in", () => {
    const e = new PlanEngine(fixture());
    // Grid 1: 300 households below y = 30.005, 320 above; one open case above.
    const points = new PlanningPoints(
      {
        lng: Float64Array.from([120.002, 120.008, 120.004]),
        lat: Float64Array.from([30.002, 30.003, 30.008]),
        households: Uint16Array.from([100, 200, 320]),
        residents: Uint16Array.from([300, 600, 900]),
      },
      {
        lng: Float64Array.from([120.005]),
        lat: Float64Array.from([30.009]),
        flags: Uint8Array.from([CASE_OPEN]),
      },
    );
    e.setContext({ points, staff: new Map([[gridId(1), 4]]) }, HOUSEHOLD_BANDS);
    expect(e.problems([gridId(1)]).map((p) => p.reason)).toEqual(['households-over']);
    const o = ok(e.apply(SPLIT_1));
    const [kept, made] = e.grids(o.touched.slice(0, 2));
    expect(kept!.before).toMatchObject({ households: 620, buildings: 3, openCases: 1, staff: 4 });
    expect([kept!.after!.households, made!.after!.households].sort()).toEqual([300, 320]);
    expect(made!.after!.staff).toBe(0);
    // Both halves are inside the urban band now.
    expect(e.problems(o.touched.slice(0, 2))).toEqual([]);
  });

  it('refuses a line that crosses no grid twice, with a reason', () => {
    const e = new PlanEngine(fixture());
    const o = e.apply({
      type: 'split',
      line: [
        [119.9, 29.9],
        [119.91, 29.9],
      ],
      prefer: null,
    });
    expect(o).toMatchObject({ ok: false, reason: 'no-grid-under-line' });
  });

  it('moves a shared node: every grid around it follows; a node on a community border is locked', () => {
    const e = new PlanEngine(fixture());
    const shared = nodeAt(e, 120.01, 30.01);
    const o = ok(e.apply({ type: 'moveNode', node: shared, to: [120.012, 30.011] }));
    expect(new Set(o.touched)).toEqual(new Set([1, 2, 4, 5]));
    expect(new Set(o.delta.hiddenGrids)).toEqual(new Set([1, 2, 4, 5]));
    expect(e.check({ type: 'moveNode', node: nodeAt(e, 120.02, 30.01), to: [120.021, 30.01] })).toEqual({
      ok: false,
      reason: 'parent-border-locked',
    });
  });

  it("moves a community border only once unlocked, and only one inside the planner's jurisdiction", () => {
    const node = (e: PlanEngine) => nodeAt(e, 120.02, 30.01);
    const move = (e: PlanEngine): PlanGesture => ({ type: 'moveNode', node: node(e), to: [120.021, 30.01] });
    // A street planner over communities 10 and 11 (the baseline lists them as unlockable).
    const street = new PlanEngine({ ...fixture(), unlockable: [unitId(10), unitId(11)] });
    expect(street.check(move(street))).toMatchObject({ ok: false, reason: 'parent-border-locked' });
    street.setUnlock(true);
    expect(street.check(move(street))).toEqual({ ok: true });
    const o = ok(street.apply(move(street)));
    expect(new Set(o.touched)).toEqual(new Set([2, 3, 5, 6]));
    // Only community 10 is theirs: the border with 11 stays refused, and nothing enters the history.
    const one = new PlanEngine({ ...fixture(), unlockable: [unitId(10)] });
    one.setUnlock(true);
    expect(one.apply(move(one))).toMatchObject({ ok: false, reason: 'unlock-forbidden' });
    expect(one.historyState().length).toBe(0);
    // A community planner has nothing to unlock: the switch stays off.
    const none = new PlanEngine(fixture());
    none.setUnlock(true);
    expect(none.check(move(none))).toMatchObject({ ok: false, reason: 'parent-border-locked' });
  });

  it('redraws a border from node to node; both grids follow and one undo takes it back', () => {
    const e = new PlanEngine(fixture());
    const line: [number, number][] = [
      [120.01, 30],
      [120.013, 30.005],
      [120.01, 30.01],
    ];
    const o = ok(e.apply({ type: 'redraw', line, toleranceDeg: 1e-5 }));
    expect(new Set(o.touched)).toEqual(new Set([1, 2]));
    expect(e.history().edits[0]).toMatchObject({ type: 'reshapeEdge' });
    ok(e.undo());
    expect(e.delta().faces.grids).toHaveLength(0);
    // Ends that are not on one border are refused with the redraw's own reason.
    expect(
      e.apply({
        type: 'redraw',
        line: [
          [120.005, 30.005],
          [120.01, 30.01],
        ],
        toleranceDeg: 1e-5,
      }),
    ).toMatchObject({
      ok: false,
      reason: 'redraw-ends-off-edge',
    });
  });

  it('merges two adjacent grids into the first, which keeps its code', () => {
    const e = new PlanEngine(fixture());
    const o = ok(e.apply({ type: 'merge', into: gridId(1), from: gridId(2) }));
    expect([...o.delta.faces.grids]).toEqual([1]);
    const [g1, g2] = e.grids([gridId(1), gridId(2)]);
    expect(g1!.code).toBe('C1');
    expect(g2!.after).toBeNull();
    expect(e.apply({ type: 'merge', into: gridId(2), from: gridId(3) })).toMatchObject({ ok: false });
  });

  it('adds a vertex by dragging a midpoint and deletes it again; both neighbours follow', () => {
    const e = new PlanEngine(fixture());
    const h = e.handles([gridId(1)]);
    // The midpoint of the shared edge between grids 1 and 2 (x = 120.01, y from 30 to 30.01).
    const i = [...h.midEdges.keys()].find(
      (k) =>
        Math.abs(h.midpoints[2 * k]! - 120.01) < 1e-9 && Math.abs(h.midpoints[2 * k + 1]! - 30.005) < 1e-9,
    )!;
    const edge = h.midEdges[i]! as EdgeId;
    const o = ok(e.apply({ type: 'addVertex', edge, segment: h.midIndex[i]!, at: [120.012, 30.005] }));
    expect(new Set(o.delta.hiddenGrids)).toEqual(new Set([1, 2]));
    const v = e.handles([gridId(1)]);
    const k = [...v.vertexEdges].indexOf(edge);
    expect(k).toBeGreaterThanOrEqual(0);
    const d = ok(e.apply({ type: 'deleteVertex', edge, index: v.vertexIndex[k]! }));
    expect(d.delta.hiddenGrids).toHaveLength(0);
    expect(d.history.cursor).toBe(2);
  });

  it('cuts a new grid out of the grids a drawn ring covers; one undo takes it back', () => {
    const e = new PlanEngine(fixture());
    const ring: [number, number][] = [
      [120.005, 30.005],
      [120.015, 30.005],
      [120.015, 30.015],
      [120.005, 30.015],
      [120.005, 30.005],
    ];
    const o = ok(e.apply({ type: 'cutOut', ring }));
    const made = [...o.delta.faces.grids].filter((g) => g >= 2_000_000_000);
    expect(made).toHaveLength(1);
    expect(new Set(o.delta.hiddenGrids)).toEqual(new Set([1, 2, 4, 5]));
    expect(e.grids([made[0]! as GridId])[0]!.code).toBeNull();
    const u = ok(e.undo());
    expect(u.delta.faces.grids).toHaveLength(0);
  });

  it('replays saved edits up to their cursor', () => {
    const a = new PlanEngine(fixture());
    ok(a.apply(SPLIT_1));
    ok(a.apply({ type: 'merge', into: gridId(5), from: gridId(4) }));
    a.undo();
    const saved = a.history();
    expect(saved.cursor).toBe(1);
    const b = new PlanEngine(fixture());
    const o = ok(b.load(saved.edits, saved.cursor));
    expect(o.history).toMatchObject({ cursor: 1, length: 2, canRedo: true });
    expect(b.topology.faces.size).toBe(7);
  });

  it('snaps to a node first, then to an edge, within the tolerance', () => {
    const e = new PlanEngine(fixture());
    expect(e.snap([120.0101, 30.0099], 0.001, null)).toEqual({ at: [120.01, 30.01], kind: 'node' });
    const onEdge = e.snap([120.005, 30.0003], 0.001, null);
    expect(onEdge.kind).toBe('edge');
    expect(onEdge.at[1]).toBeCloseTo(30, 6);
    expect(e.snap([120.005, 30.005], 0.001, null).kind).toBeNull();
    // A dragged node does not snap to itself nor to the edges that move with it.
    const shared = nodeAt(e, 120.01, 30.01);
    expect(e.snap([120.0101, 30.0099], 0.001, shared).kind).toBeNull();
    // Road centre lines come after the grid layer's own points.
    e.setRoads([
      [
        [120.003, 30.0],
        [120.003, 30.02],
      ],
    ]);
    expect(e.snap([120.0035, 30.005], 0.001, null)).toEqual({ at: [120.003, 30.005], kind: 'road' });
  });

  it('lists household band breaches where the counts are known', () => {
    const e = new PlanEngine(fixture());
    const problems = e.problems([gridId(1), gridId(2), gridId(5)]);
    expect(problems.map((p) => [p.reason, p.grids[0]])).toEqual([
      ['households-over', 1],
      ['households-under', 5],
    ]);
    expect(problems[0]!.at[0]).toBeCloseTo(120.005);
  });

  it('finds the grid under a click in the current layer, also one a split made', () => {
    const e = new PlanEngine(fixture());
    expect(e.gridAt([120.015, 30.015])).toBe(5);
    expect(e.gridAt([119.99, 30.005])).toBeNull();
    const o = ok(e.apply(SPLIT_1));
    const made = o.touched[1]!;
    // The split runs at 30.005: the upper half is the new grid, the lower keeps grid 1.
    expect(new Set([e.gridAt([120.005, 30.002]), e.gridAt([120.005, 30.008])])).toEqual(new Set([1, made]));
  });

  it('gives the handles of the selected grids, locked ones marked', () => {
    const e = new PlanEngine(fixture());
    const h = e.handles([gridId(2)]);
    expect(h.nodeIds.length).toBeGreaterThanOrEqual(4);
    expect([...h.nodeLocked].some(Boolean)).toBe(true);
    expect(h.midpoints.length / 2).toBe(h.midEdges.length);
  });
});

describe('essentialRing', () => {
  it('ignores a vertex on the line of its neighbours and where the ring starts', () => {
    const square: [number, number][] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    const withMid: [number, number][] = [
      [1, 1],
      [0, 1],
      [0, 0],
      [0.5, 0.00000001],
      [1, 0],
      [1, 1],
    ];
    expect(essentialRing(withMid)).toEqual(essentialRing(square));
    expect(
      essentialRing([
        [0, 0],
        [1, 0],
        [1, 1],
        [0.5, 1.2],
        [0, 1],
        [0, 0],
      ]),
    ).not.toEqual(essentialRing(square));
  });
});

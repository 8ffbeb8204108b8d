import { describe, expect, it } from 'vitest';
import { gridId, unitId } from '@gcc/shared/testing';
import {
  EditSession,
  buildTopology,
  dequantise,
  facePolygon,
  PROVISIONAL_GRID_ID_MIN,
  type NodeId,
  type Topology,
  type TopologyEdit,
} from '@gcc/shared/topology';
import { rebaseEdits } from './rebase.ts';

// Rebase: a plan made on version A re-applied on version B, whose topology numbers nodes and edges
// afresh. Here B is A with its first grid split (as a publish makes it): an edit far from the split
// lands on the same place in B; one on the split grid's corner that B moved is refused with its step.

const S = 0.001;
const square = (x: number, y: number) => [
  [
    [
      [120 + x * S, 30 + y * S],
      [120 + (x + 1) * S, 30 + y * S],
      [120 + (x + 1) * S, 30 + (y + 1) * S],
      [120 + x * S, 30 + (y + 1) * S],
      [120 + x * S, 30 + y * S],
    ],
  ],
];
const at = (x: number, y: number): [number, number] => [120 + x * S, 30 + y * S];
const nodeAt = (t: Topology, x: number, y: number): NodeId =>
  [...t.nodes.values()].find((n) => {
    const [lng, lat] = dequantise(n.at);
    return Math.abs(lng - 120 - x * S) < 1e-9 && Math.abs(lat - 30 - y * S) < 1e-9;
  })!.id;

/** 4 × 2 squares (grids 1–8) of one community. */
const versionA = () =>
  buildTopology(
    [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({
      id: gridId(i + 1),
      parentId: unitId(10),
      polygon: square(i % 4, Math.floor(i / 4)),
    })),
  ).topology;

/** A with grid 1 split down the middle and the layer stored and rebuilt, new grid 9 last (as a publish stores it). */
function versionB(a: Topology): Topology {
  const session = new EditSession(a);
  const split = session.edit({
    type: 'splitGrid',
    grid: gridId(1),
    line: [at(0.5, -0.1), at(0.5, 1.1)],
    newGrid: gridId(PROVISIONAL_GRID_ID_MIN + 1),
  });
  expect(split.ok).toBe(true);
  const ids = [...session.topology.faces.keys()].sort((x, y) => x - y);
  return buildTopology(
    ids.map((g, i) => ({
      id: g >= PROVISIONAL_GRID_ID_MIN ? gridId(9) : ids[i]!,
      parentId: unitId(10),
      polygon: facePolygon(session.topology, g),
    })),
  ).topology;
}

describe('rebasing a plan onto a newer version', () => {
  it('finds the nodes and edges again by place and applies the edits there', () => {
    const a = versionA();
    const b = versionB(a);
    const plan: TopologyEdit[] = [
      { type: 'moveNode', node: nodeAt(a, 2, 1), to: at(2.1, 1.05) },
      {
        type: 'splitGrid',
        grid: gridId(8),
        line: [at(3.5, 0.9), at(3.5, 2.1)],
        newGrid: gridId(PROVISIONAL_GRID_ID_MIN + 1),
      },
    ];
    // Then a node the split made, named by its id in A's session (B's session numbers it otherwise).
    const onA = new EditSession(a);
    for (const e of plan) expect(onA.edit(e).ok).toBe(true);
    plan.push({ type: 'moveNode', node: nodeAt(onA.topology, 3.5, 1), to: at(3.6, 1) });
    const replayedA = EditSession.replay(a, { edits: plan, cursor: plan.length });
    expect(replayedA.ok).toBe(true);
    const rebased = rebaseEdits(a, b, plan, plan.length);
    if (!rebased.ok) throw new Error(`refused at ${rebased.step}: ${rebased.reason}`);
    expect(nodeAt(b, 2, 1)).not.toBe(nodeAt(a, 2, 1));
    expect(rebased.edits[0]).toEqual({ ...plan[0], node: nodeAt(b, 2, 1) });
    const onB = EditSession.replay(b, { edits: rebased.edits, cursor: rebased.edits.length });
    if (!onB.ok || !replayedA.ok) throw new Error('replay refused');
    // The grids the plan changed have the same shapes on both layers.
    for (const g of [
      gridId(2),
      gridId(3),
      gridId(6),
      gridId(7),
      gridId(8),
      gridId(PROVISIONAL_GRID_ID_MIN + 1),
    ])
      expect(facePolygon(onB.session.topology, g)).toEqual(facePolygon(replayedA.session.topology, g));
  });

  it('refuses, with the step, an edit of a node the newer version no longer has', () => {
    const a = versionA();
    const b = versionB(a);
    // (0, 1)–(1, 1) is grid 1's top edge: B split it at (0.5, 1), so the edge A named is gone.
    const edge = [...a.edges.values()].find(
      (e) =>
        e.vertices.length === 0 &&
        [e.start, e.end].includes(nodeAt(a, 0, 1)) &&
        [e.start, e.end].includes(nodeAt(a, 1, 1)),
    )!;
    const plan: TopologyEdit[] = [
      { type: 'moveNode', node: nodeAt(a, 2, 1), to: at(2.1, 1.05) },
      { type: 'addVertex', edge: edge.id, index: 0, at: at(0.7, 1.02) },
    ];
    expect(rebaseEdits(a, b, plan, plan.length)).toMatchObject({
      ok: false,
      step: 1,
      reason: 'unknown-edge',
    });
  });
});

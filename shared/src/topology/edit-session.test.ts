import { describe, expect, it } from 'vitest';
import { gridId, unitId } from '../testing/ids.ts';
import { EditSession } from './edit-session.ts';
import { checkGrids, checkLayer } from './topology-check.ts';
import {
  nextProvisionalGridId,
  PROVISIONAL_GRID_ID_MIN,
  type EditDecision,
  type TopologyEdit,
} from './topology-edit.ts';
import { buildTopology, dequantise, facePolygon, type NodeId, type Topology } from './topology.ts';
import { decodeTopology, encodeTopology } from './topology-codec.ts';
import { decideEdit } from './decide-edit.ts';

const S = 0.001;
const square = (x: number, y: number, w = 1, h = 1) => [
  [
    [
      [120 + x * S, 30 + y * S],
      [120 + (x + w) * S, 30 + y * S],
      [120 + (x + w) * S, 30 + (y + h) * S],
      [120 + x * S, 30 + (y + h) * S],
      [120 + x * S, 30 + y * S],
    ],
  ],
];
/** 3 × 2 squares of one community. */
const block = () =>
  buildTopology(
    [0, 1, 2, 3, 4, 5].map((i) => ({
      id: gridId(i + 1),
      parentId: unitId(10),
      polygon: square(i % 3, Math.floor(i / 3)),
    })),
  ).topology;
const nodeAt = (t: Topology, x: number, y: number): NodeId =>
  [...t.nodes.values()].find((n) => {
    const [lng, lat] = dequantise(n.at);
    return Math.abs(lng - 120 - x * S) < 1e-9 && Math.abs(lat - 30 - y * S) < 1e-9;
  })!.id;
const at = (x: number, y: number): [number, number] => [120 + x * S, 30 + y * S];

describe('an editing session', () => {
  it('answers the edges at a node from its index, as a scan of the layer does, through edits and undo', () => {
    const s = new EditSession(block());
    const scan = (n: NodeId) =>
      [...s.topology.edges.values()]
        .filter((e) => e.start === n || e.end === n)
        .map((e) => e.id)
        .sort((a, b) => a - b);
    const agree = () => {
      for (const n of s.topology.nodes.keys())
        expect([...s.edgesAt(n)].sort((a, b) => a - b)).toEqual(scan(n));
    };
    agree();
    expect(
      s.edit({
        type: 'splitGrid',
        grid: gridId(2),
        newGrid: nextProvisionalGridId(s.topology),
        line: [at(1.5, -0.2), at(1.5, 1.2)],
      }).ok,
    ).toBe(true);
    agree();
    expect(s.edgesAt(nodeAt(s.topology, 1.5, 1))).toHaveLength(3);
    s.undo();
    agree();
  });

  it('edits in place, undoes and redoes exactly, and keeps the whole history', () => {
    const base = block();
    const before = encodeTopology(base);
    const s = new EditSession(base);
    const move: TopologyEdit = { type: 'moveNode', node: nodeAt(base, 1, 1), to: at(1.2, 1.1) };
    const split: TopologyEdit = {
      type: 'splitGrid',
      grid: gridId(3),
      newGrid: nextProvisionalGridId(s.topology),
      line: [at(2.5, -0.2), at(2.5, 1.2)],
    };
    expect(s.edit(move).ok).toBe(true);
    expect(s.edit(split).ok).toBe(true);
    expect(s.topology.faces.has(gridId(PROVISIONAL_GRID_ID_MIN))).toBe(true);
    expect(encodeTopology(base)).toEqual(before); // the base is left as it was
    const edited = encodeTopology(s.topology);

    expect(s.undo()?.touched).toContain(gridId(PROVISIONAL_GRID_ID_MIN));
    expect(s.undo()?.touched.sort((a, b) => a - b)).toEqual([1, 2, 4, 5]);
    expect(s.undo()).toBeNull();
    expect(encodeTopology(s.topology)).toEqual(before);
    expect(s.history).toEqual({ edits: [move, split], cursor: 0 });
    s.redo();
    s.redo();
    expect(encodeTopology(s.topology)).toEqual(edited);
    expect(s.touchedGrids()).toEqual([1, 2, 3, 4, 5, 6, PROVISIONAL_GRID_ID_MIN]);

    // A new edit after an undo drops the redo part.
    s.undo();
    expect(s.edit({ type: 'mergeGrids', into: gridId(1), from: gridId(2) }).ok).toBe(true);
    expect(s.canRedo).toBe(false);
    expect(s.history.edits).toHaveLength(2);
  });

  it('decides every edit as a scan of the layer does, new ids included, through undos and redos', () => {
    const s = new EditSession(block());
    const split = (grid: number, x: number): TopologyEdit => ({
      type: 'splitGrid',
      grid: gridId(grid),
      newGrid: nextProvisionalGridId(s.topology),
      line: [at(x, -0.2), at(x, 2.2)],
    });
    const same = (edit: TopologyEdit) => {
      // The layer as a plain copy, decided with the scanning index: what a fresh replay would make.
      const copy = decodeTopology(encodeTopology(s.topology));
      // The touched grids in any order: the index lists a node's edges in the order they were linked.
      const sorted = (d: EditDecision) =>
        d.ok ? { ...d, touched: [...d.touched].sort((a, b) => a - b) } : d;
      const expected = sorted(decideEdit(copy, edit));
      expect(expected.ok).toBe(true);
      expect(sorted(s.edit(edit))).toEqual(expected);
      // The session's live index finds the problems a scan of the edited layer finds.
      const now = decodeTopology(encodeTopology(s.topology));
      expect(s.problems()).toEqual(checkGrids(now, now.faces.keys()));
    };
    same(split(2, 1.5));
    s.undo(); // drops the newest node and edge ids
    same(split(2, 1.25));
    same(split(3, 2.5));
    s.undo();
    s.redo();
    same({ type: 'mergeGrids', into: gridId(5), from: gridId(6) });
    s.undo();
    s.undo();
    same(split(5, 1.75));
    same({ type: 'moveNode', node: nodeAt(s.topology, 1, 1), to: at(1.1, 1.05) });
  });

  it('replays a saved history to the same layer, redo part included, and names the step it refuses', () => {
    const base = block();
    const s = new EditSession(base);
    s.edit({ type: 'moveNode', node: nodeAt(base, 2, 1), to: at(2.1, 0.8) });
    s.edit({ type: 'mergeGrids', into: gridId(5), from: gridId(6) });
    s.undo();
    const replayed = EditSession.replay(base, s.history);
    if (!replayed.ok) throw new Error(replayed.reason);
    expect(encodeTopology(replayed.session.topology)).toEqual(encodeTopology(s.topology));
    expect(replayed.session.redo()).not.toBeNull();

    const bad = EditSession.replay(base, {
      edits: [...s.history.edits, { type: 'moveNode', node: 9999 as NodeId, to: at(0, 0) }],
      cursor: 3,
    });
    expect(bad).toMatchObject({ ok: false, step: 2, reason: 'unknown-node' });
  });

  it('snaps to a node before an inner point before an edge', () => {
    const base = block();
    const s = new EditSession(base);
    expect(s.snap(...at(1.02, 1.01), 0.05 * S)).toMatchObject({ kind: 'node', node: nodeAt(base, 1, 1) });
    expect(s.snap(...at(1.5, 1.02), 0.05 * S)).toMatchObject({ kind: 'edge', at: at(1.5, 1) });
    const onEdge = s.snap(...at(1.5, 1), 0.01 * S);
    if (onEdge?.kind !== 'edge') throw new Error('no edge');
    s.edit({ type: 'addVertex', edge: onEdge.edge, index: 0, at: at(1.5, 1.01) });
    expect(s.snap(...at(1.51, 1.02), 0.05 * S)).toMatchObject({ kind: 'vertex', index: 0 });
    expect(s.snap(...at(1.5, 1.5), 0.05 * S)).toBeNull();
  });

  it('leaves the dragged node and the edges that move with it out of the snap', () => {
    const base = block();
    const s = new EditSession(base);
    const dragged = nodeAt(base, 1, 1);
    // Near the dragged node: without it and its edges there is nothing within reach.
    expect(s.snap(...at(1.02, 1.01), 0.05 * S, dragged)).toBeNull();
    // Near another node, that node still wins.
    expect(s.snap(...at(2.01, 1.01), 0.05 * S, dragged)).toMatchObject({
      kind: 'node',
      node: nodeAt(base, 2, 1),
    });
  });
});

describe('points inside edges', () => {
  it('adds, moves and deletes a shared point: both neighbours follow', () => {
    const s = new EditSession(block());
    const target = s.snap(...at(1.5, 1), 0.01 * S);
    if (target?.kind !== 'edge') throw new Error('no edge');
    expect(s.edit({ type: 'addVertex', edge: target.edge, index: 0, at: at(1.5, 1.2) }).ok).toBe(true);
    const inFive = facePolygon(s.topology, gridId(5))[0]![0]!;
    const inTwo = facePolygon(s.topology, gridId(2))[0]![0]!;
    expect(inFive).toContainEqual(at(1.5, 1.2));
    expect(inTwo).toContainEqual(at(1.5, 1.2));
    expect(s.edit({ type: 'moveVertex', edge: target.edge, index: 0, to: at(1.5, 0.9) }).ok).toBe(true);
    expect(facePolygon(s.topology, gridId(5))[0]![0]).toContainEqual(at(1.5, 0.9));
    expect(s.edit({ type: 'deleteVertex', edge: target.edge, index: 0 }).ok).toBe(true);
    expect(s.topology.edges.get(target.edge)!.vertices).toEqual([]);
  });

  it('refuses a point that crosses another boundary, lands on another point, or does not exist', () => {
    const s = new EditSession(block());
    const target = s.snap(...at(1.5, 1), 0.01 * S);
    if (target?.kind !== 'edge') throw new Error('no edge');
    expect(s.edit({ type: 'addVertex', edge: target.edge, index: 0, at: at(1.5, 2.4) })).toMatchObject({
      ok: false,
      reason: 'crossing',
    });
    expect(s.edit({ type: 'addVertex', edge: target.edge, index: 0, at: at(1, 1) })).toMatchObject({
      ok: false,
    });
    expect(s.edit({ type: 'moveVertex', edge: target.edge, index: 3, to: at(1.5, 1) })).toMatchObject({
      ok: false,
      reason: 'unknown-vertex',
    });
    expect(s.history.edits).toEqual([]);
  });

  it('redraws an edge between its nodes; a redrawn line that loops over itself is refused', () => {
    const s = new EditSession(block());
    const target = s.snap(...at(1.5, 1), 0.01 * S)!;
    if (target.kind !== 'edge') throw new Error('no edge');
    expect(
      s.edit({ type: 'reshapeEdge', edge: target.edge, vertices: [at(1.3, 1.2), at(1.7, 0.8)] }).ok,
    ).toBe(true);
    expect(
      s.edit({
        type: 'reshapeEdge',
        edge: target.edge,
        vertices: [at(1.6, 1.2), at(1.4, 0.9), at(1.4, 1.2), at(1.6, 0.9)],
      }),
    ).toMatchObject({ ok: false, reason: 'crossing' });
  });
});

describe('splitting where the line crosses one edge twice', () => {
  it('splits a grid bordered by a single edge (an island) into two', () => {
    const { topology } = buildTopology([
      {
        id: gridId(1),
        parentId: unitId(1),
        polygon: [[square(0, 0, 4, 4)[0]![0]!, square(1, 1, 2, 2)[0]![0]!.slice().reverse()]],
      },
      { id: gridId(2), parentId: unitId(1), polygon: square(1, 1, 2, 2) },
    ]);
    const s = new EditSession(topology);
    const d = s.edit({
      type: 'splitGrid',
      grid: gridId(2),
      newGrid: nextProvisionalGridId(topology),
      line: [at(1.5, 0.5), at(1.5, 3.5)],
    });
    // The line leaves grid 2 twice through the one edge around it, and crosses grid 1 too: it is grid 2's crossings that count.
    expect(d).toMatchObject({ ok: true });
    expect(checkLayer(s.topology).filter((p) => p.reason !== 'sliver-area')).toEqual([]);
  });
});

describe('checks', () => {
  it('finds slivers by area and by width', () => {
    const { topology } = buildTopology([
      { id: gridId(1), parentId: unitId(1), polygon: square(0, 0, 1, 1) },
      { id: gridId(2), parentId: unitId(1), polygon: square(2, 0, 0.15, 5) },
      { id: gridId(3), parentId: unitId(1), polygon: square(3, 0, 0.01, 0.01) },
    ]);
    const reasons = checkGrids(topology, [gridId(1), gridId(2), gridId(3)]).map((p) => [p.grids, p.reason]);
    expect(reasons).toEqual([
      [[2], 'sliver-width'],
      [[3], 'sliver-area'],
    ]);
  });

  it('finds crossings and gaps an import brought', () => {
    const { topology } = buildTopology([
      { id: gridId(1), parentId: unitId(1), polygon: square(0, 0, 1, 1) },
      { id: gridId(2), parentId: unitId(1), polygon: square(0.5, 0.5, 1, 1) },
      { id: gridId(3), parentId: unitId(1), polygon: square(3, 0, 3, 3) },
      {
        id: gridId(4),
        parentId: unitId(1),
        polygon: [
          [
            square(2, -1, 5, 5)[0]![0]!,
            square(3, 0, 3, 3)[0]![0]!.slice().reverse(),
            square(6.5, 0, 0.3, 0.3)[0]![0]!.slice().reverse(),
          ],
        ],
      },
    ]);
    const problems = checkLayer(topology);
    expect(problems).toContainEqual(expect.objectContaining({ reason: 'crossing', grids: [1, 2] }));
    expect(problems).toContainEqual(expect.objectContaining({ reason: 'gap', grids: [4] }));
  });
});

import { describe, expect, it } from 'vitest';
import { gridId, unitId } from '../testing/ids.ts';
import { SQUARE_DEG, square } from '../testing/squares.ts';
import {
  buildTopology,
  dequantise,
  facePolygon,
  quantise,
  type NodeId,
  type TopologyInputGrid,
} from './topology.ts';
import { decideEdit } from './decide-edit.ts';
import { applyDiff, invertDiff, PROVISIONAL_GRID_ID_MIN } from './topology-edit.ts';

const NEW = gridId(PROVISIONAL_GRID_ID_MIN + 7);

const S = SQUARE_DEG;
/** 3 × 2 unit squares; `split` puts the top row in another community. */
const block = (split: boolean): TopologyInputGrid[] =>
  [0, 1, 2, 3, 4, 5].map((i) => ({
    id: gridId(i + 1),
    parentId: unitId(split && i >= 3 ? 20 : 10),
    polygon: square(i % 3, Math.floor(i / 3)),
  }));

const area = (mp: [number, number][][][]) =>
  mp.reduce(
    (s, poly) =>
      s +
      poly.reduce(
        (t, ring) =>
          t +
          ring.reduce(
            (u, p, i) =>
              u + (p[0] * ring[(i + 1) % ring.length]![1] - ring[(i + 1) % ring.length]![0] * p[1]),
            0,
          ) /
            2,
        0,
      ),
    0,
  );
const nodeAt = (t: ReturnType<typeof buildTopology>['topology'], lng: number, lat: number): NodeId =>
  [...t.nodes.values()].find((n) => {
    const [x, y] = dequantise(n.at);
    return Math.abs(x - lng) < 1e-9 && Math.abs(y - lat) < 1e-9;
  })!.id;

describe('moving a shared node', () => {
  it('moves it for every grid that uses it, and the layer keeps its area', () => {
    const { topology: t } = buildTopology(block(false));
    const n = nodeAt(t, S, S);
    const d = decideEdit(t, { type: 'moveNode', node: n, to: [1.3 * S, 1.2 * S] });
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.touched.sort()).toEqual([1, 2, 4, 5]);
    const after = applyDiff(t, d.diff);
    const areas = [1, 2, 3, 4, 5, 6].map((g) => area(facePolygon(after, gridId(g))));
    expect(areas.reduce((s, a) => s + a, 0)).toBeCloseTo(6 * S * S, 12);
    expect(areas[0]).toBeGreaterThan(S * S); // grid 1 grew towards the moved corner
    expect(areas[4]).toBeLessThan(S * S); // grid 5 gave it up
    expect(facePolygon(after, gridId(1))[0]![0]).toContainEqual(dequantise(quantise(1.3 * S, 1.2 * S)));
    expect(facePolygon(after, gridId(5))[0]![0]).toContainEqual(dequantise(quantise(1.3 * S, 1.2 * S)));
  });

  it('undoes exactly: applying the inverse gives the layer back', () => {
    const { topology: t } = buildTopology(block(false));
    const d = decideEdit(t, { type: 'moveNode', node: nodeAt(t, 2 * S, S), to: [2.1 * S, 0.9 * S] });
    if (!d.ok) throw new Error(d.reason);
    const back = applyDiff(applyDiff(t, d.diff), invertDiff(d.diff));
    expect(back.nodes).toEqual(t.nodes);
    for (const g of [1, 2, 3, 4, 5, 6])
      expect(facePolygon(back, gridId(g))).toEqual(facePolygon(t, gridId(g)));
  });

  it('refuses a move that would cross another boundary, and says where', () => {
    const { topology: t } = buildTopology(block(false));
    const to: [number, number] = [2.5 * S, 1.5 * S]; // past the border of grids 5 and 6
    expect(decideEdit(t, { type: 'moveNode', node: nodeAt(t, S, S), to })).toEqual({
      ok: false,
      reason: 'crossing',
      at: to,
    });
  });

  it('keeps a community border locked until it is unlocked explicitly', () => {
    const { topology: t } = buildTopology(block(true));
    const edit = {
      type: 'moveNode' as const,
      node: nodeAt(t, S, S),
      to: [1.2 * S, 1.1 * S] as [number, number],
    };
    expect(decideEdit(t, edit)).toMatchObject({ ok: false, reason: 'parent-border-locked' });
    expect(decideEdit(t, { ...edit, unlockParents: true })).toMatchObject({ ok: true });
  });

  it('refuses a node that does not exist', () => {
    const { topology: t } = buildTopology(block(false));
    expect(decideEdit(t, { type: 'moveNode', node: 999 as NodeId, to: [0, 0] })).toMatchObject({
      ok: false,
      reason: 'unknown-node',
    });
  });
});

describe('merging two grids', () => {
  it('removes the boundary between them; the merged grid covers both and undo brings both back', () => {
    const { topology: t } = buildTopology(block(false));
    const d = decideEdit(t, { type: 'mergeGrids', into: gridId(1), from: gridId(2) });
    if (!d.ok) throw new Error(d.reason);
    const after = applyDiff(t, d.diff);
    expect(after.faces.has(gridId(2))).toBe(false);
    expect(after.edges.size).toBe(t.edges.size - 1);
    expect(area(facePolygon(after, gridId(1)))).toBeCloseTo(2 * S * S, 12);
    // Grid 5 now borders the merged grid 1 where it bordered grid 2.
    expect(
      [...after.edges.values()].some(
        (e) => (e.left === 1 && e.right === 5) || (e.left === 5 && e.right === 1),
      ),
    ).toBe(true);
    const back = applyDiff(after, invertDiff(d.diff));
    expect(back.faces).toEqual(t.faces);
    expect(back.edges).toEqual(t.edges);
  });

  it('refuses grids that do not touch, and grids of two communities unless unlocked', () => {
    const { topology: t } = buildTopology(block(true));
    expect(decideEdit(t, { type: 'mergeGrids', into: gridId(1), from: gridId(3) })).toMatchObject({
      ok: false,
      reason: 'not-adjacent',
    });
    expect(decideEdit(t, { type: 'mergeGrids', into: gridId(1), from: gridId(4) })).toMatchObject({
      ok: false,
      reason: 'parent-border-locked',
    });
    expect(
      decideEdit(t, { type: 'mergeGrids', into: gridId(1), from: gridId(4), unlockParents: true }),
    ).toMatchObject({
      ok: true,
    });
    expect(decideEdit(t, { type: 'mergeGrids', into: gridId(1), from: gridId(99) })).toMatchObject({
      ok: false,
      reason: 'unknown-grid',
    });
  });
});

describe('splitting a grid with a line', () => {
  const cut: [number, number][] = [
    [1.4 * S, -0.5 * S],
    [1.4 * S, 0.5 * S],
    [1.4 * S, 1.5 * S],
  ];

  it('makes two grids that tile the old one exactly; the neighbour gets the new point too', () => {
    const { topology: t } = buildTopology(block(false));
    const d = decideEdit(t, { type: 'splitGrid', grid: gridId(2), line: cut, newGrid: NEW });
    if (!d.ok) throw new Error(d.reason);
    const after = applyDiff(t, d.diff);
    const kept = area(facePolygon(after, gridId(2)));
    const made = area(facePolygon(after, NEW));
    expect(kept).toBeCloseTo(0.6 * S * S, 12); // the larger part keeps the grid's id
    expect(made).toBeCloseTo(0.4 * S * S, 12);
    expect(area(facePolygon(after, gridId(5)))).toBeCloseTo(S * S, 12);
    expect(facePolygon(after, gridId(5))[0]![0]).toContainEqual(dequantise(quantise(1.4 * S, S)));
    // The cut is one edge between the two parts, with the line's inner point on it.
    const between = [...after.edges.values()].filter(
      (e) => (e.left === 2 && e.right === NEW) || (e.left === NEW && e.right === 2),
    );
    expect(between).toHaveLength(1);
    expect(between[0]!.vertices).toEqual([quantise(1.4 * S, 0.5 * S)]);
    expect(d.touched.sort((a, b) => a - b)).toEqual([2, 5, NEW]);
  });

  it('undoes exactly', () => {
    const { topology: t } = buildTopology(block(false));
    const d = decideEdit(t, { type: 'splitGrid', grid: gridId(2), line: cut, newGrid: NEW });
    if (!d.ok) throw new Error(d.reason);
    const back = applyDiff(applyDiff(t, d.diff), invertDiff(d.diff));
    expect(back.faces).toEqual(t.faces);
    expect(back.edges).toEqual(t.edges);
    expect(back.nodes).toEqual(t.nodes);
  });

  it('refuses a line that does not cross the grid from side to side', () => {
    const { topology: t } = buildTopology(block(false));
    const half: [number, number][] = [
      [1.4 * S, -0.5 * S],
      [1.4 * S, 0.5 * S],
    ];
    expect(decideEdit(t, { type: 'splitGrid', grid: gridId(2), line: half, newGrid: NEW })).toMatchObject({
      ok: false,
      reason: 'split-needs-two-crossings',
    });
    expect(
      decideEdit(t, { type: 'splitGrid', grid: gridId(2), line: cut, newGrid: gridId(5) }),
    ).toMatchObject({
      ok: false,
      reason: 'not-provisional',
    });
    const made = decideEdit(t, { type: 'splitGrid', grid: gridId(2), line: cut, newGrid: NEW });
    if (!made.ok) throw new Error(made.reason);
    expect(
      decideEdit(applyDiff(t, made.diff), { type: 'splitGrid', grid: gridId(5), line: cut, newGrid: NEW }),
    ).toMatchObject({ ok: false, reason: 'grid-exists' });
  });
});

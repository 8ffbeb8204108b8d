import { describe, expect, it } from 'vitest';
import { gridId, unitId } from '../testing/ids.ts';
import { decideEdit } from './decide-edit.ts';
import { redrawEdge } from './redraw-edge.ts';
import { applyDiff } from './topology-edit.ts';
import { scanIndex } from './topology-index.ts';
import { buildTopology, facePolygon, type Topology } from './topology.ts';

const S = 0.001;
const pt = (x: number, y: number): [number, number] => [x * S, y * S];
/** Points as quantised units, to compare without float noise. */
const units = (ps: readonly (readonly [number, number])[]) =>
  ps.map(([x, y]) => [Math.round(x * 1e7), Math.round(y * 1e7)]);
const ring = (...p: [number, number][]) => [[[...p.map(([x, y]) => pt(x, y)), pt(p[0]![0], p[0]![1])]]];

/** Two grids side by side; their shared border runs (1,0) → (1,0.5) → (1,1). */
function pair(): Topology {
  return buildTopology([
    { id: gridId(1), parentId: unitId(10), polygon: ring([0, 0], [1, 0], [1, 0.5], [1, 1], [0, 1]) },
    { id: gridId(2), parentId: unitId(10), polygon: ring([1, 0], [2, 0], [2, 1], [1, 1], [1, 0.5]) },
  ]).topology;
}

const shoelace = (mp: [number, number][][][]) =>
  mp.reduce(
    (s, poly) =>
      s +
      poly.reduce(
        (t, r) =>
          t +
          r.reduce(
            (u, p, i) => u + (p[0] * r[(i + 1) % r.length]![1] - r[(i + 1) % r.length]![0] * p[1]),
            0,
          ) /
            2,
        0,
      ),
    0,
  );
const areaOf = (t: Topology, g: number) => Math.abs(shoelace(facePolygon(t, gridId(g))));

function redrawn(t: Topology, line: [number, number][]) {
  const r = redrawEdge(t, scanIndex(t), line, 1e-6);
  if (!('edit' in r)) throw new Error(`refused: ${r.refused}`);
  return r.edit;
}

describe('redrawing a border', () => {
  it('replaces the whole edge when drawn from node to node, and both grids follow', () => {
    const t = pair();
    const edit = redrawn(t, [pt(1, 0), pt(1.3, 0.5), pt(1, 1)]);
    expect(units(edit.vertices)).toEqual(units([pt(1.3, 0.5)]));
    const d = decideEdit(t, edit);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const after = applyDiff(t, d.diff);
    // The border bulges into grid 2 by a triangle of 0.15 S²; the two grids still tile 2 S².
    expect(areaOf(after, 1)).toBeCloseTo(1.15 * S * S, 12);
    expect(areaOf(after, 1) + areaOf(after, 2)).toBeCloseTo(2 * S * S, 12);
  });

  it('reads a line drawn against the edge the same way', () => {
    const t = pair();
    const one = redrawn(t, [pt(1, 0), pt(1.3, 0.4), pt(1.3, 0.6), pt(1, 1)]);
    const other = redrawn(t, [pt(1, 1), pt(1.3, 0.6), pt(1.3, 0.4), pt(1, 0)]);
    expect(other).toEqual(one);
  });

  it('replaces only the stretch between two places on the edge, dropping the points inside it', () => {
    const t = pair();
    const edit = redrawn(t, [pt(1, 0.25), pt(0.8, 0.5), pt(1, 0.75)]);
    const e = t.edges.get(edit.edge)!;
    const forward = t.nodes.get(e.start)!.at[1] < t.nodes.get(e.end)!.at[1];
    const expected = [pt(1, 0.25), pt(0.8, 0.5), pt(1, 0.75)];
    expect(units(edit.vertices)).toEqual(units(forward ? expected : expected.reverse()));
    const d = decideEdit(t, edit);
    expect(d.ok).toBe(true);
    if (d.ok) expect(areaOf(applyDiff(t, d.diff), 1)).toBeCloseTo((1 - 0.05) * S * S, 12);
  });

  it('puts an end that is a little off the edge onto it', () => {
    const t = pair();
    const edit = redrawn(t, [[1 * S + 2e-7, 0.25 * S], pt(1.2, 0.5), pt(1, 0.75)]);
    expect(units(edit.vertices)).toContainEqual(units([pt(1, 0.25)])[0]);
  });

  it('refuses a line whose ends are not on one edge, or that has no length along it', () => {
    const t = pair();
    const ix = scanIndex(t);
    expect(redrawEdge(t, ix, [pt(0.5, 0.5), pt(1, 1)], 1e-6)).toMatchObject({
      refused: 'redraw-ends-off-edge',
    });
    expect(redrawEdge(t, ix, [pt(1, 0.2), pt(1.4, 0.3), pt(1, 0.2)], 1e-6)).toMatchObject({
      refused: 'redraw-ends-off-edge',
    });
    expect(redrawEdge(t, ix, [pt(1, 0.2)], 1e-6)).toMatchObject({ refused: 'redraw-too-short' });
  });

  it('leaves a crossing redraw for the engine to refuse', () => {
    const t = pair();
    // Out past grid 2's far side: the new border would cross the outline.
    const edit = redrawn(t, [pt(1, 0), pt(2.5, 0.5), pt(1, 1)]);
    expect(decideEdit(t, edit)).toMatchObject({ ok: false });
  });
});

import { describe, expect, it } from 'vitest';
import { gridId, unitId } from '../testing/ids.ts';
import { decideEdit } from './decide-edit.ts';
import { EditSession } from './edit-session.ts';
import { checkLayer, faceMeasure } from './topology-check.ts';
import { applyDiff, invertDiff, PROVISIONAL_GRID_ID_MIN } from './topology-edit.ts';
import { buildTopology, type Topology } from './topology.ts';
import { encodeTopology } from './topology-codec.ts';

const S = 0.001;
const at = (x: number, y: number): [number, number] => [120 + x * S, 30 + y * S];
const square = (x: number, y: number) => [
  [[at(x, y), at(x + 1, y), at(x + 1, y + 1), at(x, y + 1), at(x, y)]],
];
/** 3 × 3 squares; `split` puts the right column in another community. */
const block = (split = false) =>
  buildTopology(
    [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({
      id: gridId(i + 1),
      parentId: unitId(split && i % 3 === 2 ? 20 : 10),
      polygon: square(i % 3, Math.floor(i / 3)),
    })),
  ).topology;
const rect = (x0: number, y0: number, x1: number, y1: number) => [
  at(x0, y0),
  at(x1, y0),
  at(x1, y1),
  at(x0, y1),
];
const NEW = gridId(PROVISIONAL_GRID_ID_MIN);
const areaOf = (t: Topology) => [...t.faces.keys()].reduce((s, g) => s + faceMeasure(t, g).areaM2, 0);

describe('cutting a new grid out of the grids it covers', () => {
  it('takes a piece of each grid under the ring; they keep the rest under their ids', () => {
    const t = block();
    const d = decideEdit(t, { type: 'cutOut', ring: rect(0.6, 0.6, 1.4, 1.4), newGrid: NEW });
    if (!d.ok) throw new Error(d.reason);
    const after = applyDiff(t, d.diff);
    expect([...after.faces.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, NEW]);
    expect(d.touched.sort((a, b) => a - b)).toEqual([1, 2, 4, 5, NEW]);
    expect(faceMeasure(after, NEW).areaM2 / (0.64 * faceMeasure(t, gridId(1)).areaM2)).toBeCloseTo(1, 3);
    expect(faceMeasure(after, gridId(1)).areaM2 / (0.84 * faceMeasure(t, gridId(1)).areaM2)).toBeCloseTo(
      1,
      3,
    );
    expect(areaOf(after) / areaOf(t)).toBeCloseTo(1, 5);
    expect(checkLayer(after)).toEqual([]);
    const back = applyDiff(after, invertDiff(d.diff));
    expect(encodeTopology(back)).toEqual(encodeTopology(t));
  });

  it('takes in a grid the ring encloses whole, and draws the same whichever way the ring runs', () => {
    const t = block();
    const ring = rect(0.5, 0.5, 2.5, 2.5);
    const ccw = decideEdit(t, { type: 'cutOut', ring, newGrid: NEW });
    const cw = decideEdit(t, { type: 'cutOut', ring: [...ring].reverse(), newGrid: NEW });
    if (!ccw.ok || !cw.ok) throw new Error('refused');
    const after = applyDiff(t, ccw.diff);
    expect(after.faces.has(gridId(5))).toBe(false); // the middle grid is inside the new one
    expect(faceMeasure(after, NEW).areaM2 / (4 * faceMeasure(t, gridId(1)).areaM2)).toBeCloseTo(1, 3);
    expect(encodeTopology(applyDiff(t, cw.diff))).toEqual(encodeTopology(after));
    expect(checkLayer(after)).toEqual([]);
  });

  it('makes an island when the ring lies inside one grid', () => {
    const s = new EditSession(block());
    const before = areaOf(s.topology);
    expect(s.edit({ type: 'cutOut', ring: rect(1.2, 1.2, 1.8, 1.8), newGrid: NEW })).toMatchObject({
      ok: true,
      touched: [5, NEW],
    });
    expect(s.topology.faces.get(gridId(5))!.rings).toHaveLength(2); // the grid now has a hole
    expect(areaOf(s.topology) / before).toBeCloseTo(1, 5);
    // 60 m across in a 100 m grid: small, and flagged as such — but no crossing, gap or part.
    expect(checkLayer(s.topology).map((p) => p.reason)).toEqual(['sliver-width', 'sliver-area']);
    // The island can be merged back, and the layer is whole again.
    expect(s.edit({ type: 'mergeGrids', into: gridId(5), from: NEW }).ok).toBe(true);
    expect(s.topology.faces.get(gridId(5))!.rings).toHaveLength(1);
    expect(checkLayer(s.topology)).toEqual([]);
  });

  it('keeps a community border locked, and refuses a ring that crosses itself or has no area', () => {
    const t = block(true);
    expect(decideEdit(t, { type: 'cutOut', ring: rect(1.6, 0.6, 2.4, 1.4), newGrid: NEW })).toMatchObject({
      ok: false,
      reason: 'parent-border-locked',
    });
    expect(
      decideEdit(t, { type: 'cutOut', ring: rect(1.6, 0.6, 2.4, 1.4), newGrid: NEW, unlockParents: true }),
    ).toMatchObject({ ok: true });
    expect(
      decideEdit(t, {
        type: 'cutOut',
        ring: [at(0.2, 0.2), at(0.8, 0.8), at(0.8, 0.2), at(0.2, 0.95)],
        newGrid: NEW,
      }),
    ).toMatchObject({ ok: false, reason: 'crossing' });
    expect(
      decideEdit(t, { type: 'cutOut', ring: [at(0.2, 0.2), at(0.5, 0.5), at(0.8, 0.8)], newGrid: NEW }),
    ).toMatchObject({ ok: false, reason: 'cut-needs-area' });
    expect(
      decideEdit(t, { type: 'cutOut', ring: rect(0.2, 0.2, 0.5, 0.5), newGrid: gridId(12) }),
    ).toMatchObject({
      ok: false,
      reason: 'not-provisional',
    });
  });
});

describe('a ring drawn around a node shared by four grids, on irregular grids', () => {
  it('cuts one new grid out of all four, whatever the angles (crossings become shared nodes)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      let x = seed;
      const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.5;
      const corner = new Map<string, [number, number]>();
      const pt = (i: number, j: number): [number, number] => {
        const k = `${i},${j}`;
        if (!corner.has(k))
          corner.set(
            k,
            at(i + (i % 3 ? rnd() * 0.6 : 0) + 0.0001234, j + (j % 3 ? rnd() * 0.6 : 0) + 0.0004321),
          );
        return corner.get(k)!;
      };
      const grids = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => {
        const [cx, cy] = [i % 3, Math.floor(i / 3)];
        return {
          id: gridId(i + 1),
          parentId: unitId(10),
          polygon: [[[pt(cx, cy), pt(cx + 1, cy), pt(cx + 1, cy + 1), pt(cx, cy + 1), pt(cx, cy)]]],
        };
      });
      const t = buildTopology(grids).topology;
      const [nx, ny] = pt(1, 1);
      const r = 0.00025 + Math.abs(rnd()) * 0.0002;
      const ring: [number, number][] = [
        [nx - r, ny - r * 0.8 + rnd() * 1e-5],
        [nx + r * 1.1, ny - r],
        [nx + r, ny + r * 0.9],
        [nx - r * 0.9 + rnd() * 1e-5, ny + r],
      ];
      const d = decideEdit(t, { type: 'cutOut', ring, newGrid: NEW });
      expect(d, `seed ${seed}`).toMatchObject({ ok: true });
      if (!d.ok) continue;
      const after = applyDiff(t, d.diff);
      expect(d.touched.sort((a, b) => a - b)).toEqual([1, 2, 4, 5, NEW]);
      expect(areaOf(after) / areaOf(t)).toBeCloseTo(1, 5);
      expect(checkLayer(after).filter((p) => !p.reason.startsWith('sliver'))).toEqual([]);
      expect(encodeTopology(applyDiff(after, invertDiff(d.diff)))).toEqual(encodeTopology(t));
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GridId } from '../ids.ts';
import { gridId, unitId } from '../testing/ids.ts';
import { checkLayer } from './topology-check.ts';
import { decideEdit } from './decide-edit.ts';
import {
  buildTopology,
  dequantise,
  edgePoints,
  facePolygon,
  type Topology,
  type TopologyInputGrid,
} from './topology.ts';
import { applyDiff, invertDiff, nextProvisionalGridId, type TopologyEdit } from './topology-edit.ts';

// Random edits (node moves, splits, merges), each followed by checks that the layer still tiles:
// the total area is what it was, every ring closes, every boundary between two grids is walked
// once by each of them; and undo gives the layer back exactly.

const N = 5;
const S = 0.001;
// A 5 × 5 block of jittered squares in two communities (left 2 columns | right 3).
function layer(seed: number): TopologyInputGrid[] {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.3;
  const pt = (i: number, j: number): [number, number] => [
    (i + (i > 0 && i < N ? rnd() : 0)) * S,
    (j + (j > 0 && j < N ? rnd() : 0)) * S,
  ];
  const corner = new Map<string, [number, number]>();
  const at = (i: number, j: number) => {
    const k = `${i},${j}`;
    if (!corner.has(k)) corner.set(k, pt(i, j));
    return corner.get(k)!;
  };
  const grids: TopologyInputGrid[] = [];
  for (let j = 0; j < N; j++)
    for (let i = 0; i < N; i++)
      grids.push({
        id: gridId(j * N + i + 1),
        parentId: unitId(i < 2 ? 1 : 2),
        polygon: [[[at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1), at(i, j)]]],
      });
  return grids;
}

const ringArea = (ring: [number, number][]) =>
  ring.reduce(
    (s, p, i) => s + p[0] * ring[(i + 1) % ring.length]![1] - ring[(i + 1) % ring.length]![0] * p[1],
    0,
  ) / 2;
const totalArea = (t: Topology) =>
  [...t.faces.keys()].reduce(
    (s, g) => s + facePolygon(t, g).reduce((u, poly) => u + poly.reduce((v, r) => v + ringArea(r), 0), 0),
    0,
  );

function checkTiling(t: Topology, area: number): void {
  expect(totalArea(t) / area).toBeCloseTo(1, 9);
  const uses = new Map<string, number>();
  for (const f of t.faces.values())
    for (const ring of f.rings) {
      ring.forEach((se, k) => {
        const next = ring[(k + 1) % ring.length]!;
        const end = edgePoints(t, se).at(-1)!;
        const start = edgePoints(t, next)[0]!;
        expect(end).toEqual(start); // the ring closes
        const e = t.edges.get(se.edge)!;
        expect(se.forward ? e.left : e.right).toBe(f.id); // the grid is on the side it walks
        const key = `${se.edge}:${se.forward}`;
        uses.set(key, (uses.get(key) ?? 0) + 1);
      });
    }
  for (const e of t.edges.values()) {
    if (e.left !== null) expect(uses.get(`${e.id}:true`)).toBe(1);
    if (e.right !== null) expect(uses.get(`${e.id}:false`)).toBe(1);
    if (e.left !== null && e.right !== null) expect(e.left).not.toBe(e.right);
  }
}

const editArb = (t: Topology, fresh: () => GridId) =>
  fc.oneof(
    // A new grid drawn as a box somewhere over the layer.
    fc
      .record({
        x: fc.double({ min: 0.2, max: N - 0.2, noNaN: true }),
        y: fc.double({ min: 0.2, max: N - 0.2, noNaN: true }),
        w: fc.double({ min: 0.2, max: 1.6, noNaN: true }),
        h: fc.double({ min: 0.2, max: 1.6, noNaN: true }),
      })
      .map(({ x, y, w, h }): TopologyEdit => ({
        type: 'cutOut',
        newGrid: fresh(),
        ring: [
          [x * S, y * S],
          [(x + w) * S, y * S],
          [(x + w) * S, (y + h) * S],
          [x * S, (y + h) * S],
        ],
      })),
    // A point inside an edge: moved, added at a segment's middle, deleted; or the edge redrawn.
    fc
      .record({
        k: fc.nat(),
        i: fc.nat(),
        kind: fc.constantFrom('moveVertex', 'addVertex', 'deleteVertex', 'reshapeEdge'),
        dx: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        dy: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
      })
      .map(({ k, i, kind, dx, dy }): TopologyEdit => {
        const edges = [...t.edges.values()];
        // Moving or deleting needs an inner point: pick among the edges that have one.
        const inner = edges.filter((x) => x.vertices.length > 0);
        const pool = (kind === 'moveVertex' || kind === 'deleteVertex') && inner.length > 0 ? inner : edges;
        const e = pool[k % pool.length]!;
        const pts = edgePoints(t, { edge: e.id, forward: true }).map(dequantise);
        const index = i % Math.max(1, kind === 'addVertex' ? pts.length - 1 : e.vertices.length);
        const mid = (a: [number, number], b: [number, number]): [number, number] => [
          (a[0] + b[0]) / 2 + dx * S,
          (a[1] + b[1]) / 2 + dy * S,
        ];
        const [x, y] = pts[index + 1]!;
        if (kind === 'moveVertex') return { type: kind, edge: e.id, index, to: [x + dx * S, y + dy * S] };
        if (kind === 'addVertex')
          return { type: kind, edge: e.id, index, at: mid(pts[index]!, pts[index + 1]!) };
        if (kind === 'deleteVertex') return { type: kind, edge: e.id, index };
        return { type: kind, edge: e.id, vertices: [mid(pts[0]!, pts[pts.length - 1]!)] };
      }),
    fc
      .record({
        k: fc.nat(),
        dx: fc.double({ min: -0.4, max: 0.4, noNaN: true }),
        dy: fc.double({ min: -0.4, max: 0.4, noNaN: true }),
      })
      .map(({ k, dx, dy }): TopologyEdit => {
        const nodes = [...t.nodes.keys()];
        const node = nodes[k % nodes.length]!;
        const [x, y] = dequantise(t.nodes.get(node)!.at);
        return { type: 'moveNode', node, to: [x + dx * S, y + dy * S] };
      }),
    // Half the time neighbours (across a random interior edge), else any two grids.
    fc.record({ k: fc.nat(), any: fc.boolean() }).map(({ k, any }): TopologyEdit => {
      const faces = [...t.faces.keys()];
      const inner = [...t.edges.values()].filter((e) => e.left !== null && e.right !== null);
      const e = inner[k % Math.max(1, inner.length)];
      if (any || !e)
        return { type: 'mergeGrids', into: faces[k % faces.length]!, from: faces[(k >> 3) % faces.length]! };
      return { type: 'mergeGrids', into: e.left!, from: e.right! };
    }),
    fc
      .record({ g: fc.nat(), y: fc.double({ min: 0.2, max: 0.8, noNaN: true }) })
      .map(({ g, y }): TopologyEdit => {
        const faces = [...t.faces.keys()];
        const grid = faces[g % faces.length]!;
        const xs = facePolygon(t, grid)[0]![0]!.map((p) => p[0]);
        const ys = facePolygon(t, grid)[0]![0]!.map((p) => p[1]);
        const yy = Math.min(...ys) + y * (Math.max(...ys) - Math.min(...ys));
        return {
          type: 'splitGrid',
          grid,
          newGrid: fresh(),
          line: [
            [Math.min(...xs) - S, yy],
            [Math.max(...xs) + S, yy + 0.1 * S],
          ],
        };
      }),
  );

describe('edits keep the layer a tiling, and undo is exact', () => {
  it('holds over random sequences of moves, splits and merges', () => {
    const appliedKinds = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.nat(), { minLength: 5, maxLength: 25 }),
        (seed, picks) => {
          let t = buildTopology(layer(seed)).topology;
          const area = totalArea(t);
          for (const pick of picks) {
            const edit = fc.sample(
              editArb(t, () => nextProvisionalGridId(t)),
              { numRuns: 1, seed: pick },
            )[0]!;
            const d = decideEdit(t, edit);
            if (!d.ok) continue;
            const after = applyDiff(t, d.diff);
            checkTiling(after, area);
            // No edit lets a boundary cross another or opens a hole in the layer.
            expect(
              checkLayer(after).filter((p) => ['crossing', 'self-intersection', 'gap'].includes(p.reason)),
            ).toEqual([]);
            const back = applyDiff(after, invertDiff(d.diff));
            expect(back.nodes).toEqual(t.nodes);
            expect(back.edges).toEqual(t.edges);
            expect(back.faces).toEqual(t.faces);
            t = after;
            appliedKinds.set(edit.type, (appliedKinds.get(edit.type) ?? 0) + 1);
          }
        },
      ),
      { numRuns: 80 },
    );
    // Every kind of edit was really applied (not only refused), many times.
    for (const kind of ['moveNode', 'splitGrid', 'mergeGrids', 'addVertex', 'reshapeEdge', 'cutOut'])
      expect(appliedKinds.get(kind) ?? 0, kind).toBeGreaterThan(10);
    // Inner points exist only after an edit added them: fewer, but there.
    for (const kind of ['moveVertex', 'deleteVertex'])
      expect(appliedKinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
  });
});

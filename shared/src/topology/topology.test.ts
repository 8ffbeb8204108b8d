import { describe, expect, it } from 'vitest';
import { gridId, unitId } from '../testing/ids.ts';
import { ringArea } from './planar.ts';
import {
  buildTopology,
  edgePoints,
  facePolygon,
  isParentBorder,
  signedEdgesArea,
  type TopologyInputGrid,
} from './topology.ts';

// A 3 × 2 block of unit squares at 0.001° spacing: grids 1–3 in community 10 (bottom row),
// 4–6 in community 20 (top row). Rings are written clockwise on purpose (the build turns them).
const S = 0.001;
const square = (x: number, y: number) => [
  [
    [
      [x * S, y * S],
      [x * S, (y + 1) * S],
      [(x + 1) * S, (y + 1) * S],
      [(x + 1) * S, y * S],
      [x * S, y * S],
    ],
  ],
];
const block: TopologyInputGrid[] = [0, 1, 2, 3, 4, 5].map((i) => ({
  id: gridId(i + 1),
  parentId: unitId(i < 3 ? 10 : 20),
  polygon: square(i % 3, Math.floor(i / 3)),
}));

const shoelace = (ring: readonly (readonly number[])[]) =>
  ring.reduce((s, p, i) => {
    const q = ring[(i + 1) % ring.length]!;
    return s + p[0]! * q[1]! - q[0]! * p[1]!;
  }, 0) / 2;

describe('buildTopology', () => {
  it('stores every shared boundary once, with the grid on each side', () => {
    const { topology: t, problems } = buildTopology(block);
    expect(problems).toEqual([]);
    // 12 corner points: the 2 inside and the 6 where a border meets the outline are nodes; the
    // block's 4 corners lie inside outline edges.
    expect(t.nodes.size).toBe(8);
    // 7 borders between grids, 6 outline pieces between nodes.
    expect(t.edges.size).toBe(13);
    const interior = [...t.edges.values()].filter((e) => e.left !== null && e.right !== null);
    expect(interior).toHaveLength(7);
    // A corner grid's two outline sides are one edge.
    expect([...t.faces.values()].map((f) => f.rings.flat().length)).toEqual([3, 4, 3, 3, 4, 3]);
  });

  it('derives each grid back as a counter-clockwise polygon of the same area', () => {
    const { topology: t } = buildTopology(block);
    for (const g of block) {
      const poly = facePolygon(t, g.id);
      expect(poly).toHaveLength(1);
      expect(shoelace(poly[0]![0]!)).toBeCloseTo(S * S, 12);
      const xs = poly[0]![0]!.map((p) => p[0]);
      expect(Math.min(...xs)).toBeCloseTo(g.polygon[0]![0]![0]![0]!, 9);
    }
  });

  it('measures a ring from its edges as from its points, to the last bit', () => {
    // A grid of uneven shape among the squares: its borders carry inner points, walked both ways.
    const grids: TopologyInputGrid[] = [
      ...block,
      {
        id: gridId(7),
        parentId: unitId(10),
        polygon: [
          [
            [
              [3 * S, 0],
              [4.3 * S, 0.2 * S],
              [4.1 * S, 1.7 * S],
              [3 * S, 2 * S],
              [3 * S, 1 * S],
              [3 * S, 0],
            ],
          ],
        ],
      },
    ];
    const { topology: t } = buildTopology(grids);
    let rings = 0;
    for (const face of t.faces.values())
      for (const ring of face.rings) {
        const points = ring.flatMap((se) => edgePoints(t, se).slice(0, -1));
        expect(signedEdgesArea(t, ring)).toBe(ringArea(points));
        rings++;
      }
    expect(rings).toBe(7);
  });

  it('locks the edges that are parent borders or the outline, not the ones inside a community', () => {
    const { topology: t } = buildTopology(block);
    const between = (a: number, b: number) =>
      [...t.edges.values()].find((e) => (e.left === a && e.right === b) || (e.left === b && e.right === a))!;
    expect(isParentBorder(t, between(1, 2).id)).toBe(false); // same community
    expect(isParentBorder(t, between(1, 4).id)).toBe(true); // community 10 | 20
    const outline = [...t.edges.values()].find((e) => e.left === null || e.right === null)!;
    expect(isParentBorder(t, outline.id)).toBe(true);
  });

  it('keeps a grid inside another as a hole of the outer one, sharing its ring', () => {
    const outer: TopologyInputGrid = {
      id: gridId(1),
      parentId: unitId(1),
      polygon: [
        [
          [
            [0, 0],
            [0.004, 0],
            [0.004, 0.004],
            [0, 0.004],
            [0, 0],
          ],
          [
            [0.001, 0.001],
            [0.003, 0.001],
            [0.003, 0.003],
            [0.001, 0.003],
            [0.001, 0.001],
          ],
        ],
      ],
    };
    const inner: TopologyInputGrid = {
      id: gridId(2),
      parentId: unitId(1),
      polygon: [
        [
          [
            [0.001, 0.001],
            [0.003, 0.001],
            [0.003, 0.003],
            [0.001, 0.003],
            [0.001, 0.001],
          ],
        ],
      ],
    };
    const { topology: t, problems } = buildTopology([outer, inner]);
    expect(problems).toEqual([]);
    const shared = [...t.edges.values()].filter((e) => e.left !== null && e.right !== null);
    expect(shared).toHaveLength(1); // the hole's ring, stored once
    const [outerPoly] = facePolygon(t, gridId(1));
    expect(outerPoly).toHaveLength(2);
    expect(shoelace(outerPoly![0]!) + shoelace(outerPoly![1]!)).toBeCloseTo(0.004 ** 2 - 0.002 ** 2, 12);
  });

  it('reports two grids claiming the same side of a boundary as an overlap', () => {
    const twice = [block[0]!, { ...block[0]!, id: gridId(9) }];
    const { problems } = buildTopology(twice);
    expect(problems.some((p) => p.reason === 'overlap' && p.grid === 9)).toBe(true);
  });
});

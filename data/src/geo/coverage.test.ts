import { describe, expect, it } from 'vitest';
import type { CellRings, LatticeXY } from './coverage.ts';
import { buildCoverage } from './coverage.ts';

const box = (x0: number, y0: number, x1: number, y1: number): LatticeXY[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const vertices = (rings: LatticeXY[][][]): string[] =>
  rings.flatMap((poly) => poly.flatMap((ring) => ring.slice(0, -1).map((p) => p.join(',')))).sort();

describe('buildCoverage', () => {
  it('gives both sides of a shared edge the same vertices (no T-junction)', () => {
    const a: CellRings = [[box(0, 0, 100, 100)]];
    // B's left edge has a vertex A's right edge lacks.
    const b: CellRings = [
      [
        [
          [100, 0],
          [200, 0],
          [200, 100],
          [100, 100],
          [100, 50.3],
        ],
      ],
    ];
    const cov = buildCoverage([a, b]);
    const [pa, pb] = cov.regions(2, (c) => c);
    expect(vertices(pa!)).toContain('100,50');
    expect(vertices(pb!)).toContain('100,50');
    expect(cov.neighbours()).toEqual([[1], [0]]);
    // The union keeps the vertices where the inner edge met the outline.
    expect(vertices(cov.regions(1, () => 0)[0]!)).toEqual(
      ['0,0', '100,0', '200,0', '200,100', '100,100', '0,100'].sort(),
    );
  });

  it('drops a notch thinner than the lattice instead of leaving a zero-width spike', () => {
    const notched: LatticeXY[] = [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
      [0, 50.4],
      [60, 50.2],
      [0, 50],
    ];
    const cov = buildCoverage([[[notched]]]);
    const [p] = cov.regions(1, (c) => c);
    expect(p).toHaveLength(1);
    expect(p![0]).toHaveLength(1);
    expect(vertices(p!)).not.toContain('60,50');
    expect(cov.cellAreas()[0]).toBe(10_000);
  });

  it('joins the parts of a cell split by a zero-width slit into one polygon', () => {
    const cov = buildCoverage([
      [
        [
          [
            [0, 0],
            [100, 0],
            [100, 50.2],
            [0, 50.2],
          ],
        ],
        [
          [
            [0, 50.1],
            [100, 50.1],
            [100, 100],
            [0, 100],
          ],
        ],
      ],
    ]);
    const [p] = cov.regions(1, (c) => c);
    expect(p).toHaveLength(1);
    expect(cov.cellAreas()[0]).toBe(10_000);
  });

  it('resolves an overlap thinner than the lattice into one shared edge', () => {
    const cov = buildCoverage([[[box(0, 0, 100.3, 100)]], [[box(99.8, 0, 200, 100)]]]);
    const areas = cov.cellAreas();
    expect([areas[0], areas[1]]).toEqual([10_000, 10_000]);
    expect(cov.neighbours()).toEqual([[1], [0]]);
  });

  it('gives a stray piece of a cell to the neighbour it shares most boundary with', () => {
    // Cell 0 is a square plus a far corner piece that lies against cell 1 only.
    const cov = buildCoverage([
      [[box(0, 0, 100, 100)], [box(300, 0, 310, 10)]],
      [[box(100, 0, 300, 100)]],
      [[box(310, 0, 400, 100)]],
    ]);
    const [p0, p1] = cov.regions(3, (c) => c);
    expect(p0).toHaveLength(1);
    expect(p1).toHaveLength(1);
    const areas = cov.cellAreas();
    expect(areas[0]).toBe(10_000);
    // The piece touches cell 1 along 10 and cell 2 along 10 too; cell 1 (lower) wins the tie.
    expect(areas[1]).toBe(20_000 + 100);
  });

  it('keeps a hole that touches the outer ring at one point as a hole, not a pinched ring', () => {
    const outer: CellRings = [
      [
        box(0, 0, 100, 100),
        // A hole from (0,50) on the outer ring into the middle.
        [
          [0, 50],
          [50, 40],
          [50, 60],
          [0, 50],
        ],
      ],
    ];
    const inner: CellRings = [
      [
        [
          [0, 50],
          [50, 40],
          [50, 60],
        ],
      ],
    ];
    const cov = buildCoverage([outer, inner]);
    const [p] = cov.regions(2, (c) => c);
    expect(p).toHaveLength(1);
    expect(p![0]).toHaveLength(2);
  });
});

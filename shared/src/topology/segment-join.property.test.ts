import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinSegments, type SegmentSet } from './internal/segment-join.ts';
import { orient, segmentsMeet } from './planar.ts';
import type { QPoint } from './topology.ts';

// The full check's crossing search (a bucket grid of segments, a predicate on plain numbers)
// against the plainest answers: every pair of boxes compared, and the predicate written on point
// pairs as the planner's edits used it before. Small integer coordinates make shared end points,
// collinear runs and touching boxes common, which is where such code goes wrong.

const point = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }));
const segment = fc.tuple(point, point);

function toSet(segs: readonly [QPoint, QPoint][]): SegmentSet {
  const n = segs.length;
  const s: SegmentSet = {
    count: n,
    x0: new Float64Array(n),
    y0: new Float64Array(n),
    x1: new Float64Array(n),
    y1: new Float64Array(n),
  };
  segs.forEach(([a, b], k) => {
    s.x0[k] = a[0];
    s.y0[k] = a[1];
    s.x1[k] = b[0];
    s.y1[k] = b[1];
  });
  return s;
}

const boxesMeet = ([a, b]: [QPoint, QPoint], [c, d]: [QPoint, QPoint]) =>
  Math.max(a[0], b[0]) >= Math.min(c[0], d[0]) &&
  Math.max(c[0], d[0]) >= Math.min(a[0], b[0]) &&
  Math.max(a[1], b[1]) >= Math.min(c[1], d[1]) &&
  Math.max(c[1], d[1]) >= Math.min(a[1], b[1]);

/** The predicate as first written: four orientations, then the shared-end and collinear cases. */
function meetReference(a: QPoint, b: QPoint, c: QPoint, d: QPoint): boolean {
  const same = (p: QPoint, q: QPoint) => p[0] === q[0] && p[1] === q[1];
  const within = (p: QPoint, q: QPoint, r: QPoint) =>
    Math.min(p[0], q[0]) <= r[0] &&
    r[0] <= Math.max(p[0], q[0]) &&
    Math.min(p[1], q[1]) <= r[1] &&
    r[1] <= Math.max(p[1], q[1]);
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) {
    if (d1 !== 0 || d2 !== 0) return false;
    const [p, q] = same(a, c) ? [b, d] : same(a, d) ? [b, c] : same(b, c) ? [a, d] : [a, c];
    const o = same(a, c) || same(a, d) ? a : b;
    return (p[0] - o[0]) * (q[0] - o[0]) + (p[1] - o[1]) * (q[1] - o[1]) > 0;
  }
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && within(c, d, a)) ||
    (d2 === 0 && within(c, d, b)) ||
    (d3 === 0 && within(a, b, c)) ||
    (d4 === 0 && within(a, b, d))
  );
}

describe('the full check’s crossing search', () => {
  it('visits every pair of segments whose boxes meet, each once, and no other', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 60 }), (segs) => {
        const seen: string[] = [];
        joinSegments(toSet(segs), (i, j) => {
          expect(i).toBeLessThan(j);
          seen.push(`${i}:${j}`);
        });
        const expected: string[] = [];
        for (let i = 0; i < segs.length; i++)
          for (let j = i + 1; j < segs.length; j++)
            if (boxesMeet(segs[i]!, segs[j]!)) expected.push(`${i}:${j}`);
        expect(seen.sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });

  it('finds the pairs of a few long segments among many short ones (cells larger than the typical segment)', () => {
    const segs: [QPoint, QPoint][] = [];
    for (let k = 0; k < 400; k++)
      segs.push([
        [k * 10, 0],
        [k * 10 + 3, 3],
      ]);
    segs.push([
      [0, 1],
      [4_000, 1],
    ]);
    let long = 0;
    joinSegments(toSet(segs), (i, j) => {
      if (j === 400) long++;
      else throw new Error(`short segments ${i} and ${j} do not meet`);
    });
    expect(long).toBe(400);
  });

  it('says whether two segments meet exactly as the point-pair predicate does', () => {
    fc.assert(
      fc.property(segment, segment, ([a, b], [c, d]) => {
        expect(segmentsMeet(a, b, c, d)).toBe(meetReference(a, b, c, d));
      }),
      { numRuns: 5_000 },
    );
  });

  it('counts a segment laid back over its neighbour as meeting it, and a corner as not', () => {
    // The same segment reversed: the shared ends are both ends.
    expect(segmentsMeet([0, 0], [4, 0], [4, 0], [0, 0])).toBe(true);
    // Collinear, sharing one end, going on the other way: a straight edge's two segments.
    expect(segmentsMeet([0, 0], [4, 0], [4, 0], [8, 0])).toBe(false);
    // Collinear, sharing one end, doubling back over the first.
    expect(segmentsMeet([0, 0], [4, 0], [4, 0], [2, 0])).toBe(true);
    // A corner at a node.
    expect(segmentsMeet([0, 0], [4, 0], [4, 0], [4, 4])).toBe(false);
  });
});

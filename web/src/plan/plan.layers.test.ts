import { describe, expect, it } from 'vitest';
import { draggedPaths, edgePathData, faceParts } from './plan.layers.ts';

describe('planner layer data', () => {
  it('face buffers become one part per polygon, views not copies, holes in flat indices', () => {
    const positions = Float64Array.from([
      // grid 7: an outer ring of 4 points (closed: 5) and a hole of 4 (closed)
      0, 0, 4, 0, 4, 4, 0, 4, 0, 0, 1, 1, 1, 2, 2, 2, 1, 1,
      // grid 8: one ring
      4, 0, 8, 0, 8, 4, 4, 0,
    ]);
    const parts = faceParts({
      grids: Int32Array.from([7, 8]),
      partRings: Uint32Array.from([0, 2, 3]),
      ringStarts: Uint32Array.from([0, 5, 9, 13]),
      positions,
    });
    expect(parts.map((p) => p.grid)).toEqual([7, 8]);
    expect(parts[0]!.polygon.holeIndices).toEqual([10]);
    expect(parts[0]!.polygon.positions.buffer).toBe(positions.buffer);
    expect(parts[0]!.rings.map((r) => r.length)).toEqual([10, 8]);
    expect([...parts[1]!.polygon.positions]).toEqual([4, 0, 8, 0, 8, 4, 4, 0]);
  });

  it('edge buffers are deck.gl binary path data as they are', () => {
    const e = {
      ids: Int32Array.from([1, 2]),
      starts: Uint32Array.from([0, 2, 5]),
      positions: new Float64Array(10),
      locked: Uint8Array.from([0, 1]),
    };
    const d = edgePathData(e);
    expect(d.length).toBe(2);
    expect(d.startIndices).toBe(e.starts);
    expect(d.attributes.getPath.value).toBe(e.positions);
    // The same buffers give the same data object (deck.gl keeps the layer's attributes).
    expect(edgePathData(e)).toBe(d);
  });

  it('a dragged point moves in every incident path, the originals stay as they were', () => {
    const a = Float64Array.from([0, 0, 1, 1]);
    const b = Float64Array.from([1, 1, 2, 0, 3, 3]);
    const out = draggedPaths(
      [
        { positions: a, moving: [1] },
        { positions: b, moving: [0] },
      ],
      [5, 6],
    );
    expect([...out[0]!]).toEqual([0, 0, 5, 6]);
    expect([...out[1]!]).toEqual([5, 6, 2, 0, 3, 3]);
    expect([...a]).toEqual([0, 0, 1, 1]);
  });
});

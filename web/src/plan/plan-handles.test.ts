import { describe, expect, it } from 'vitest';
import { handleAt, type Project } from './plan-handles.ts';
import type { Handles } from './plan.protocol.ts';

// Degrees as pixels, 1:1, so distances read plainly.
const project: Project = (lng, lat) => ({ x: lng, y: lat });

function handles(): Handles {
  return {
    nodes: Float64Array.from([0, 0, 100, 0]),
    nodeIds: Int32Array.from([7, 8]),
    nodeLocked: Uint8Array.from([0, 1]),
    vertices: Float64Array.from([50, 0]),
    vertexEdges: Int32Array.from([3]),
    vertexIndex: Int32Array.from([1]),
    midpoints: Float64Array.from([25, 0, 75, 0]),
    midEdges: Int32Array.from([3, 3]),
    midIndex: Int32Array.from([1, 2]),
    midLocked: Uint8Array.from([0, 0]),
  };
}

describe('the handle under the pointer', () => {
  it('finds the nearest node within the radius, and nothing beyond it', () => {
    expect(handleAt(handles(), 'move', project, 3, 4, 6)).toEqual({ kind: 'nodes', index: 0 });
    expect(handleAt(handles(), 'move', project, 98, 1, 6)).toEqual({ kind: 'nodes', index: 1 });
    expect(handleAt(handles(), 'move', project, 5, 5, 6)).toBeNull();
  });

  it('offers only nodes in move mode, also where a vertex is nearer', () => {
    expect(handleAt(handles(), 'move', project, 50, 1, 6)).toBeNull();
    expect(handleAt(handles(), 'vertex', project, 50, 1, 6)).toEqual({ kind: 'vertices', index: 0 });
    expect(handleAt(handles(), 'vertex', project, 74, 0, 6)).toEqual({ kind: 'mids', index: 1 });
  });

  it('takes the nearest of two kinds, and the one drawn on top when equally near', () => {
    const h = handles();
    h.midpoints = Float64Array.from([4, 0]);
    expect(handleAt(h, 'vertex', project, 3, 0, 6)).toEqual({ kind: 'mids', index: 0 });
    expect(handleAt(h, 'vertex', project, 2, 0, 6)).toEqual({ kind: 'nodes', index: 0 });
  });
});

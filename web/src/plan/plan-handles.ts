import type { Handles } from './plan.protocol.ts';

// Which handle is under the pointer, found on the CPU: a grid's handles are a few hundred points
// at most, while a GPU pick reads pixels back and waits for the GPU to finish the frames queued
// before it — on a 5,000-grid city under software GL that made grabbing a node take seconds.

export type HandleKind = 'nodes' | 'mids' | 'vertices';

export interface HandleHit {
  kind: HandleKind;
  index: number;
}

/** Screen pixels of a [lng, lat]. */
export type Project = (lng: number, lat: number) => { x: number; y: number };

/** The kinds a mode offers, topmost first (nodes are drawn over vertices and midpoints). */
const KINDS: Record<'move' | 'vertex', readonly HandleKind[]> = {
  move: ['nodes'],
  vertex: ['nodes', 'vertices', 'mids'],
};

function positionsOf(h: Handles, kind: HandleKind): Float64Array {
  return kind === 'nodes' ? h.nodes : kind === 'mids' ? h.midpoints : h.vertices;
}

/**
 * The handle nearest to (x, y) within `radius` pixels, or null. A handle of a kind drawn on top
 * wins a tie with one beneath it.
 */
export function handleAt(
  h: Handles,
  mode: 'move' | 'vertex',
  project: Project,
  x: number,
  y: number,
  radius: number,
): HandleHit | null {
  let best: HandleHit | null = null;
  let bestD2 = radius * radius;
  for (const kind of KINDS[mode]) {
    const pos = positionsOf(h, kind);
    for (let i = 0; i < pos.length / 2; i++) {
      const p = project(pos[2 * i]!, pos[2 * i + 1]!);
      const d2 = (p.x - x) ** 2 + (p.y - y) ** 2;
      // Strictly nearer: an equally near handle of a lower kind does not take it from one above.
      if (d2 < bestD2 || (d2 === bestD2 && !best)) {
        best = { kind, index: i };
        bestD2 = d2;
      }
    }
  }
  return best;
}

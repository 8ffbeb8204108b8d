import type { GridId } from '../ids.ts';
import { OverlayTopology, squashDiffs } from './overlay.ts';
import { crossingOn, orient, pointInRing, ringArea } from './planar.ts';
import { decideMergeGrids, decideSplitGrid } from './internal/decide-steps.ts';
import { cutEdgeAt } from './internal/edge-cut.ts';
import { emptyRecords, refuse, samePoint } from './internal/edit-primitives.ts';
import {
  PROVISIONAL_GRID_ID_MIN,
  type CutOutEdit,
  type EditDecision,
  type TopologyDiff,
} from './topology-edit.ts';
import { scanIndex, type TopologyIndex } from './topology-index.ts';
import {
  dequantise,
  edgePoints,
  quantise,
  COORD_SCALE,
  type EdgeId,
  type NodeId,
  type QPoint,
  type TopoEdge,
  type TopoFace,
  type Topology,
} from './topology.ts';

// Drawing a new grid over the layer. The drawn ring (turned counter-clockwise) crosses grid
// boundaries; each stretch of it inside one grid is a split of that grid that keeps the outside
// under the grid's id. What lies left of the stretches — the inside, with any grid the ring
// encloses whole — is then merged into the new grid. One squashed diff, so undo is one step.

/** How far a stretch is drawn past its crossings (quantised units, ≈ 30 cm): a split line must start and end outside the grid. */
const OVERSHOOT = 30;

interface Crossing {
  /** Position along the ring: segment index + fraction. */
  along: number;
  point: [number, number];
  /** Direction of the ring there (unit vector, quantised space). */
  dir: [number, number];
  /** The grid the ring enters. */
  enters: GridId | null;
  /** The crossed edge, and where along it (segment index + fraction, in the edge's direction). */
  edge: EdgeId;
  pos: number;
}

const degrees = (p: readonly [number, number]): [number, number] => [p[0] / COORD_SCALE, p[1] / COORD_SCALE];

function crossingsOf(t: Topology, ix: TopologyIndex, ring: readonly QPoint[]): Crossing[] | 'degenerate' {
  const out: Crossing[] = [];
  for (let j = 0; j < ring.length; j++) {
    const a = ring[j]!;
    const b = ring[(j + 1) % ring.length]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const box = [
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[0], b[0]),
      Math.max(a[1], b[1]),
    ] as const;
    for (const id of ix.edgesIn(box)) {
      const e = t.edges.get(id)!;
      const pts = edgePoints(t, { edge: id, forward: true });
      for (let k = 0; k + 1 < pts.length; k++) {
        const x = crossingOn(a, b, pts[k]!, pts[k + 1]!);
        if (!x) continue;
        const before = orient(pts[k]!, pts[k + 1]!, a);
        const after = orient(pts[k]!, pts[k + 1]!, b);
        // Touching a boundary, running along it or passing through a vertex: too ambiguous to cut by.
        if (before === 0 || after === 0 || x.u === 0 || x.u === 1) return 'degenerate';
        out.push({
          along: j + x.s,
          point: [a[0] + x.s * (b[0] - a[0]), a[1] + x.s * (b[1] - a[1])],
          dir: [(b[0] - a[0]) / len, (b[1] - a[1]) / len],
          // Moving from the right of the edge to its left enters the grid on its left.
          enters: after > 0 ? e.left : e.right,
          edge: id,
          pos: k + x.u,
        });
      }
    }
  }
  return out.sort((p, q) => p.along - q.along);
}

/** The face whose area holds a point (a small layer scan: only when the ring crosses nothing). */
function faceAt(t: Topology, ix: TopologyIndex, p: QPoint): TopoFace | null {
  const near = new Set<GridId>();
  // Widen the search until some edge turns up; the face holding p is bounded by one of them.
  for (let r = 1_000; near.size === 0 && r < 1e8; r *= 4)
    for (const id of ix.edgesIn([p[0] - r, p[1] - r, p[0] + r, p[1] + r])) {
      const e = t.edges.get(id)!;
      if (e.left !== null) near.add(e.left);
      if (e.right !== null) near.add(e.right);
    }
  for (const g of near) {
    const f = t.faces.get(g)!;
    let inside = false;
    for (const ring of f.rings)
      if (
        pointInRing(
          p,
          ring.flatMap((se) => edgePoints(t, se).slice(0, -1)),
        )
      )
        inside = !inside;
    if (inside) return f;
  }
  return null;
}

export function decideCutOut(t: Topology, ix: TopologyIndex, edit: CutOutEdit): EditDecision {
  const at0 = edit.ring[0] ?? [0, 0];
  if (edit.newGrid < PROVISIONAL_GRID_ID_MIN) return refuse('not-provisional', at0);
  if (t.faces.has(edit.newGrid)) return refuse('grid-exists', at0);
  const ring: QPoint[] = [];
  for (const [x, y] of edit.ring) {
    const p = quantise(x, y);
    if (ring.length === 0 || !samePoint(p, ring[ring.length - 1]!)) ring.push(p);
  }
  if (ring.length > 1 && samePoint(ring[0]!, ring[ring.length - 1]!)) ring.pop();
  const area = ringArea(ring);
  if (ring.length < 3 || area === 0) return refuse('cut-needs-area', at0);
  if (area < 0) ring.reverse();
  for (let i = 0; i < ring.length; i++)
    for (let j = i + 2; j < ring.length; j++) {
      if (i === 0 && j === ring.length - 1) continue;
      const c = crossingOn(ring[i]!, ring[i + 1]!, ring[j]!, ring[(j + 1) % ring.length]!);
      if (c) return refuse('crossing', dequantise(ring[i]!));
    }

  const crossings = crossingsOf(t, ix, ring);
  if (crossings === 'degenerate') return refuse('crossing', at0);
  if (crossings.length === 0) return islandIn(t, ix, edit, ring);
  if (crossings.length % 2 !== 0) return refuse('crossing', at0);

  // Every crossing becomes a node on the crossed edge first, placed once: the two stretches that
  // meet there then cut through the very same node, and the cut edges close around the inside.
  const layer = new OverlayTopology(t);
  const lix = scanIndex(layer);
  const diffs: TopologyDiff[] = [];
  const crossingNode = new Map<Crossing, QPoint>();
  for (const edgeId of new Set(crossings.map((c) => c.edge))) {
    const here = crossings.filter((c) => c.edge === edgeId);
    const next = { node: lix.maxNodeId() + 1, edge: lix.maxEdgeId() + 1 };
    const cut = cutEdgeAt(
      layer,
      next,
      edgeId,
      here.map((c) => ({ pos: c.pos, at: quantise(...degrees(c.point)) })),
    );
    if (!cut) return refuse('crossing', degrees(here[0]!.point));
    layer.apply(cut.diff);
    diffs.push(cut.diff);
    here.forEach((c, i) => crossingNode.set(c, cut.nodes[i]!.at));
  }

  // Start at a crossing, so every stretch runs from one crossing node to the next.
  const touched = new Set<GridId>();
  const cuts: EdgeId[] = [];
  let nextId = edit.newGrid + 1;
  const freshId = (): GridId => {
    while (layer.faces.has(nextId as GridId)) nextId++;
    return nextId++ as GridId;
  };
  for (let i = 0; i < crossings.length; i++) {
    const from = crossings[i]!;
    const to = crossings[(i + 1) % crossings.length]!;
    const grid = from.enters;
    if (grid === null) continue; // a stretch outside the layer
    const inner: [number, number][] = [];
    const first = Math.floor(from.along) + 1;
    const last = to.along > from.along ? Math.floor(to.along) : Math.floor(to.along) + ring.length;
    for (let k = first; k <= last; k++) inner.push(dequantise(ring[k % ring.length]!));
    const a = crossingNode.get(from)!;
    const b = crossingNode.get(to)!;
    const line: [number, number][] = [
      degrees([a[0] - OVERSHOOT * from.dir[0], a[1] - OVERSHOOT * from.dir[1]]),
      dequantise(a),
      ...inner,
      dequantise(b),
      degrees([b[0] + OVERSHOOT * to.dir[0], b[1] + OVERSHOOT * to.dir[1]]),
    ];
    // The stretch lies in the grid or, when an earlier stretch split it, in one of its pieces.
    const candidates = [grid, ...[...touched].filter((g) => g !== grid)];
    let done = false;
    for (const g of candidates) {
      if (!layer.faces.has(g)) continue;
      const d = decideSplitGrid(
        layer,
        lix,
        { type: 'splitGrid', grid: g, line, newGrid: freshId() },
        'right',
      );
      if (!d.ok) continue;
      layer.apply(d.diff);
      diffs.push(d.diff);
      for (const x of d.touched) touched.add(x);
      cuts.push(d.diff.edges.added[d.diff.edges.added.length - 1]!.id);
      done = true;
      break;
    }
    if (!done) return refuse('crossing', dequantise(quantise(...line[0]!)));
  }

  // Inside: left of every cut, and everything reached from there without crossing a cut.
  const cutSet = new Set(cuts);
  const inside = new Set<GridId>();
  const queue: GridId[] = [];
  for (const id of cuts) {
    const left = layer.edges.get(id)!.left;
    if (left === null || inside.has(left)) continue;
    inside.add(left);
    queue.push(left);
  }
  while (queue.length > 0) {
    const g = queue.pop()!;
    for (const r of layer.faces.get(g)!.rings)
      for (const se of r) {
        if (cutSet.has(se.edge)) continue;
        const e = layer.edges.get(se.edge)!;
        const other = e.left === g ? e.right : e.left;
        if (other === null) continue;
        if (!inside.has(other)) {
          inside.add(other);
          queue.push(other);
        }
      }
  }

  // Merge the inside into one grid, neighbour by neighbour, then give it the new grid's id.
  const [into, ...rest] = [...inside].sort((a, b) => a - b);
  if (into === undefined) return refuse('crossing', at0);
  const pending = new Set(rest);
  while (pending.size > 0) {
    const next = [...pending].find((g) =>
      layer.faces
        .get(g)!
        .rings.flat()
        .some((se) => {
          const e = layer.edges.get(se.edge)!;
          return e.left === into || e.right === into;
        }),
    );
    if (next === undefined) return refuse('crossing', at0);
    const d = decideMergeGrids(layer, lix, {
      type: 'mergeGrids',
      into,
      from: next,
      ...(edit.unlockParents === undefined ? {} : { unlockParents: edit.unlockParents }),
    });
    if (!d.ok) return d;
    layer.apply(d.diff);
    diffs.push(d.diff);
    pending.delete(next);
  }
  if (into !== edit.newGrid) {
    const d = renameGrid(layer, into, edit.newGrid);
    layer.apply(d);
    diffs.push(d);
  }
  touched.add(edit.newGrid);
  return {
    ok: true,
    diff: squashDiffs(diffs),
    // Pieces made and merged on the way are no grid anyone sees.
    touched: [...touched].filter((g) => t.faces.has(g) || layer.faces.has(g)),
  };
}

/** The same grid under another id: its face, and the sides of its edges. */
function renameGrid(t: Topology, from: GridId, to: GridId): TopologyDiff {
  const face = t.faces.get(from)!;
  const updated: [TopoEdge, TopoEdge][] = [];
  for (const id of new Set(face.rings.flat().map((se) => se.edge))) {
    const e = t.edges.get(id)!;
    updated.push([e, { ...e, left: e.left === from ? to : e.left, right: e.right === from ? to : e.right }]);
  }
  return {
    nodes: emptyRecords(),
    edges: { added: [], updated, removed: [] },
    faces: { added: [{ ...face, id: to }], updated: [], removed: [face] },
  };
}

/** A ring inside one grid and crossing nothing: a new grid as an island in it (a loop edge, a hole in the grid). */
function islandIn(t: Topology, ix: TopologyIndex, edit: CutOutEdit, ring: QPoint[]): EditDecision {
  const host = faceAt(t, ix, ring[0]!);
  if (!host) return refuse('unknown-grid', dequantise(ring[0]!));
  // The loop edge starts at the ring's lowest point, as buildTopology would place it.
  let low = 0;
  for (let i = 1; i < ring.length; i++)
    if (ring[i]![1] < ring[low]![1] || (ring[i]![1] === ring[low]![1] && ring[i]![0] < ring[low]![0]))
      low = i;
  const start = [...ring.slice(low), ...ring.slice(0, low)];
  const node = { id: (ix.maxNodeId() + 1) as NodeId, at: start[0]! };
  const loop: TopoEdge = {
    id: (ix.maxEdgeId() + 1) as EdgeId,
    start: node.id,
    end: node.id,
    vertices: start.slice(1),
    left: edit.newGrid,
    right: host.id,
  };
  return {
    ok: true,
    diff: {
      nodes: { added: [node], updated: [], removed: [] },
      edges: { added: [loop], updated: [], removed: [] },
      faces: {
        added: [{ id: edit.newGrid, parentId: host.parentId, rings: [[{ edge: loop.id, forward: true }]] }],
        updated: [[host, { ...host, rings: [...host.rings, [{ edge: loop.id, forward: false }]] }]],
        removed: [],
      },
    },
    touched: [host.id, edit.newGrid],
  };
}

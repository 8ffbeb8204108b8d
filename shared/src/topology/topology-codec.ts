import type { GridId, UnitId } from '../ids.ts';
import type {
  EdgeId,
  NodeId,
  QPoint,
  SignedEdge,
  TopoEdge,
  TopoFace,
  TopoNode,
  Topology,
} from './topology.ts';

// The topology on the wire: columns of integers, coordinates delta-encoded, so the client works
// on the very node and edge ids the server replays plans against (5,000 grids ≈ 1 MB of JSON).

export interface EncodedTopology {
  /** Node ids, delta-encoded. */
  nodeIds: number[];
  /** Node positions [x0, y0, dx1, dy1, …] in quantised units, each relative to the previous node. */
  nodeXY: number[];
  edgeIds: number[];
  edgeStart: number[];
  edgeEnd: number[];
  /** 0 for "outside the layer". */
  edgeLeft: number[];
  edgeRight: number[];
  /** How many inner vertices each edge has. */
  edgeVertexCounts: number[];
  /** Inner vertices of all edges, each relative to the point before it on its edge (the start node first). */
  edgeVertexXY: number[];
  faceIds: number[];
  faceParents: number[];
  /** Rings per face. */
  faceRingCounts: number[];
  /** Signed edges per ring. */
  ringLengths: number[];
  /** Edge id, negative when walked backwards. */
  ringEdges: number[];
}

function deltas(values: Iterable<number>): number[] {
  const out: number[] = [];
  let last = 0;
  for (const v of values) {
    out.push(v - last);
    last = v;
  }
  return out;
}

function undeltas(values: readonly number[]): number[] {
  const out: number[] = [];
  let last = 0;
  for (const d of values) out.push((last += d));
  return out;
}

/** Encodes a topology; records are written in id order so equal topologies encode equally. */
export function encodeTopology(t: Topology): EncodedTopology {
  const nodes = [...t.nodes.values()].sort((a, b) => a.id - b.id);
  const edges = [...t.edges.values()].sort((a, b) => a.id - b.id);
  const faces = [...t.faces.values()].sort((a, b) => a.id - b.id);
  const nodeXY: number[] = [];
  let px = 0;
  let py = 0;
  for (const n of nodes) {
    nodeXY.push(n.at[0] - px, n.at[1] - py);
    [px, py] = n.at;
  }
  const edgeVertexXY: number[] = [];
  for (const e of edges) {
    let [x, y] = t.nodes.get(e.start)!.at;
    for (const v of e.vertices) {
      edgeVertexXY.push(v[0] - x, v[1] - y);
      [x, y] = v;
    }
  }
  const faceRingCounts: number[] = [];
  const ringLengths: number[] = [];
  const ringEdges: number[] = [];
  for (const f of faces) {
    faceRingCounts.push(f.rings.length);
    for (const ring of f.rings) {
      ringLengths.push(ring.length);
      for (const se of ring) ringEdges.push(se.forward ? se.edge : -se.edge);
    }
  }
  return {
    nodeIds: deltas(nodes.map((n) => n.id)),
    nodeXY,
    edgeIds: deltas(edges.map((e) => e.id)),
    edgeStart: edges.map((e) => e.start),
    edgeEnd: edges.map((e) => e.end),
    edgeLeft: edges.map((e) => e.left ?? 0),
    edgeRight: edges.map((e) => e.right ?? 0),
    edgeVertexCounts: edges.map((e) => e.vertices.length),
    edgeVertexXY,
    faceIds: deltas(faces.map((f) => f.id)),
    faceParents: faces.map((f) => f.parentId),
    faceRingCounts,
    ringLengths,
    ringEdges,
  };
}

/** Decodes `encodeTopology` output (from our own server: shapes are trusted, sizes are checked). */
export function decodeTopology(e: EncodedTopology): Topology {
  const nodes = new Map<NodeId, TopoNode>();
  const nodeIds = undeltas(e.nodeIds);
  if (e.nodeXY.length !== nodeIds.length * 2) throw new Error('topology: node columns differ in length');
  let x = 0;
  let y = 0;
  nodeIds.forEach((id, i) => {
    x += e.nodeXY[2 * i]!;
    y += e.nodeXY[2 * i + 1]!;
    nodes.set(id as NodeId, { id: id as NodeId, at: [x, y] });
  });

  const edges = new Map<EdgeId, TopoEdge>();
  let v = 0;
  undeltas(e.edgeIds).forEach((id, i) => {
    const start = e.edgeStart[i]! as NodeId;
    const startNode = nodes.get(start);
    if (!startNode) throw new Error(`topology: edge ${id} starts at a missing node`);
    let [vx, vy] = startNode.at;
    const vertices: QPoint[] = [];
    for (let k = 0; k < e.edgeVertexCounts[i]!; k++, v++) {
      vx += e.edgeVertexXY[2 * v]!;
      vy += e.edgeVertexXY[2 * v + 1]!;
      vertices.push([vx, vy]);
    }
    const left = e.edgeLeft[i]!;
    const right = e.edgeRight[i]!;
    edges.set(id as EdgeId, {
      id: id as EdgeId,
      start,
      end: e.edgeEnd[i]! as NodeId,
      vertices,
      left: left === 0 ? null : (left as GridId),
      right: right === 0 ? null : (right as GridId),
    });
  });

  const faces = new Map<GridId, TopoFace>();
  let r = 0;
  let s = 0;
  undeltas(e.faceIds).forEach((id, i) => {
    const rings: SignedEdge[][] = [];
    for (let k = 0; k < e.faceRingCounts[i]!; k++, r++) {
      const ring: SignedEdge[] = [];
      for (let j = 0; j < e.ringLengths[r]!; j++, s++) {
        const signed = e.ringEdges[s]!;
        ring.push({ edge: Math.abs(signed) as EdgeId, forward: signed > 0 });
      }
      rings.push(ring);
    }
    faces.set(id as GridId, { id: id as GridId, parentId: e.faceParents[i]! as UnitId, rings });
  });
  return { nodes, edges, faces };
}

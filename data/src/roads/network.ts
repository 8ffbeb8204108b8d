// The road network the base map draws and the simulated workers walk. Roads meet only at
// shared nodes, so after rounding the polylines share exact coordinates wherever they join and
// a consumer can rebuild the graph by keying vertices on "lng,lat".
//
// - Street lattices (jittered, slightly rotated grids, ~250 m apart) fill every urban core;
//   every fourth line is a secondary road, the core's middle lines of a district seat primary.
// - Trunk roads link the cores and town centres along a minimum spanning tree (seat to seat:
//   primary 公路; to a township: secondary 线), and a few national roads leave the city.
// - Rural roads join every village centre to its neighbours (a spanning tree plus some loops)
//   and to the nearest lattice edge or trunk-road node.

import Flatbush from 'flatbush';
import type { GeneratedRoad, LngLat, RoadClass } from '../city.ts';
import type { Rng } from '../random.ts';
import type { Plane, XY } from '../geo/plane.ts';
import { bboxOfMulti, insideTest } from '../geo/plane.ts';
import type { Layout } from '../city/layout.ts';
import { createRoadNamer } from '../names/road-names.ts';

interface Edge {
  a: number;
  b: number;
  cls: RoadClass;
  name: string;
  /** Shape points between a and b (not shared with other roads). */
  shape: XY[];
}

class UnionFind {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n).map((_, i) => i);
  }
  grow(n: number): void {
    if (n <= this.parent.length) return;
    const p = new Int32Array(n).map((_, i) => i);
    p.set(this.parent);
    this.parent = p;
  }
  find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[x] !== r) {
      const n = this.parent[x]!;
      this.parent[x] = r;
      x = n;
    }
    return r;
  }
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    return true;
  }
}

export interface RoadInput {
  layout: Layout;
  plane: Plane;
  rng: Rng;
  /** True where no node may go (lakes, the river). */
  isWater: (p: XY) => boolean;
  /** The city's name, for roads from its seat ("衢" of 衢州市). */
  cityName: string;
}

export function buildRoads(input: RoadInput): GeneratedRoad[] {
  const { layout, plane, rng, isWater, cityName } = input;
  const namer = createRoadNamer(rng.fork('names'));
  const nodes: XY[] = [];
  const label: string[] = [];
  /** Component a node was built in (a lattice or a trunk road); -1 for village nodes. */
  const group: number[] = [];
  const latticeDegree: number[] = [];
  const edges: Edge[] = [];
  let groups = 0;
  const addNode = (p: XY, lab: string, g: number): number => {
    nodes.push(p);
    label.push(lab);
    group.push(g);
    latticeDegree.push(0);
    return nodes.length - 1;
  };
  const addEdge = (a: number, b: number, cls: RoadClass, name: string, shape: XY[] = []): void => {
    if (a !== b) edges.push({ a, b, cls, name, shape });
  };

  const zoneBoxes = layout.zones.map((z) => bboxOfMulti(z.poly));
  const zoneInside = layout.zones.map((z) => insideTest(z.poly));
  const inLand = (p: XY): boolean =>
    layout.zones.some((z, i) => {
      const b = zoneBoxes[i]!;
      return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3] && zoneInside[i]!(p[0], p[1]);
    });
  const seeds = new Flatbush(Math.max(1, layout.cells.length));
  for (const c of layout.cells) seeds.add(c.seed[0], c.seed[1], c.seed[0], c.seed[1]);
  if (layout.cells.length === 0) seeds.add(0, 0, 0, 0);
  seeds.finish();

  const coreLabel = (ci: number): string => {
    const core = layout.cores[ci]!;
    const zone = layout.zones[core.district]!;
    if (core.main) return ci === 0 ? cityName : zone.district.name;
    const street = layout.streets.find((s) => s.centre === core.centre);
    return street?.div.name ?? zone.district.name;
  };

  // 1. Street lattices over the urban cores.
  const latticeNodes: number[][] = layout.cores.map(() => []);
  // About one street between neighbouring urban grids (blocks of ~250 m).
  const spacing = 0.78 * layout.urbanSpacing;
  layout.cores.forEach((core, ci) => {
    if (core.cells.length < 4) return;
    const g = groups++;
    const theta = rng.range(-0.35, 0.35);
    const e1: XY = [Math.cos(theta), Math.sin(theta)];
    const e2: XY = [-Math.sin(theta), Math.cos(theta)];
    const c = core.centre;
    let u0 = Infinity;
    let u1 = -Infinity;
    let v0 = Infinity;
    let v1 = -Infinity;
    for (const cell of core.cells) {
      const s = layout.cells[cell]!.seed;
      const u = ((s[0] - c[0]) * e1[0] + (s[1] - c[1]) * e1[1]) / spacing;
      const v = ((s[0] - c[0]) * e2[0] + (s[1] - c[1]) * e2[1]) / spacing;
      u0 = Math.min(u0, u);
      u1 = Math.max(u1, u);
      v0 = Math.min(v0, v);
      v1 = Math.max(v1, v);
    }
    const lab = coreLabel(ci);
    const inZone = zoneInside[core.district]!;
    const at = new Map<string, number>();
    for (let i = Math.floor(u0) - 1; i <= Math.ceil(u1) + 1; i++)
      for (let j = Math.floor(v0) - 1; j <= Math.ceil(v1) + 1; j++) {
        const ju = rng.range(-0.12, 0.12);
        const jv = rng.range(-0.12, 0.12);
        const p: XY = [
          c[0] + (i + ju) * spacing * e1[0] + (j + jv) * spacing * e2[0],
          c[1] + (i + ju) * spacing * e1[1] + (j + jv) * spacing * e2[1],
        ];
        // Main roads bridge the river; minor streets stop at the water.
        const major = i % 4 === 0 || j % 4 === 0;
        // Only in the core's own district: across a border the nearest seed says nothing.
        if (!inZone(p[0], p[1]) || (!major && isWater(p))) continue;
        const near = seeds.neighbors(p[0], p[1], 1)[0];
        if (near === undefined || layout.cells[near]!.core !== ci) continue;
        at.set(`${i},${j}`, addNode(p, lab, g));
      }
    const lineClass = (k: number): RoadClass =>
      k === 0 && core.main ? 'primary' : k % 4 === 0 ? 'secondary' : 'street';
    const rowNames = new Map<number, string>();
    const colNames = new Map<number, string>();
    const nameOf = (map: Map<number, string>, k: number): string => {
      let n = map.get(k);
      if (!n) {
        const cls = lineClass(k);
        n = namer.urban(cls === 'rural' ? 'street' : cls);
        map.set(k, n);
      }
      return n;
    };
    for (const [key, a] of [...at.entries()]) {
      const [i, j] = key.split(',').map(Number) as [number, number];
      const right = at.get(`${i + 1},${j}`);
      const up = at.get(`${i},${j + 1}`);
      // A mid-block vertex on every street gives homes and reports a spot in each grid.
      const mid = (b: number): XY[] => [
        [(nodes[a]![0] + nodes[b]![0]) / 2, (nodes[a]![1] + nodes[b]![1]) / 2],
      ];
      if (right !== undefined) {
        addEdge(a, right, lineClass(j), nameOf(rowNames, j), mid(right));
        latticeDegree[a]!++;
        latticeDegree[right]!++;
      }
      if (up !== undefined) {
        addEdge(a, up, lineClass(i), nameOf(colNames, i), mid(up));
        latticeDegree[a]!++;
        latticeDegree[up]!++;
      }
    }
    latticeNodes[ci] = [...at.values()];
  });

  // 2. Trunk roads between cores and town centres.
  const hubNode = new Map<number, number>();
  const endpointToward = (ci: number, target: XY): number => {
    const lat = latticeNodes[ci]!;
    if (lat.length > 0) {
      let best = lat[0]!;
      let bd = Infinity;
      for (const n of lat) {
        const d = (nodes[n]![0] - target[0]) ** 2 + (nodes[n]![1] - target[1]) ** 2;
        if (d < bd) {
          bd = d;
          best = n;
        }
      }
      return best;
    }
    let n = hubNode.get(ci);
    if (n === undefined) {
      n = addNode(layout.cores[ci]!.centre, coreLabel(ci), groups++);
      hubNode.set(ci, n);
    }
    return n;
  };
  const addPath = (from: number, to: number, cls: RoadClass, name: string): void => {
    const a = nodes[from]!;
    const b = nodes[to]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const steps = Math.max(1, Math.round(len / 1.2));
    const g = groups++;
    const n: XY = [-(b[1] - a[1]) / (len || 1), (b[0] - a[0]) / (len || 1)];
    const a1 = rng.range(-0.06, 0.06) * len;
    const a2 = rng.range(-0.025, 0.025) * len;
    const phase = rng.range(0, Math.PI);
    let prev = from;
    for (let k = 1; k < steps; k++) {
      const t = k / steps;
      const off = a1 * Math.sin(Math.PI * t) + a2 * Math.sin(3 * Math.PI * t + phase) * Math.sin(Math.PI * t);
      let p: XY = [a[0] + (b[0] - a[0]) * t + n[0] * off, a[1] + (b[1] - a[1]) * t + n[1] * off];
      if (!inLand(p)) p = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
      const node = addNode(p, label[from]!, g);
      addEdge(prev, node, cls, name);
      prev = node;
    }
    addEdge(prev, to, cls, name);
  };
  const hubs = layout.cores.map((c, i) => ({ i, p: c.centre, main: c.main }));
  if (hubs.length > 1) {
    // Prim's minimum spanning tree over the hubs (a hundred at most).
    const inTree = new Uint8Array(hubs.length);
    const best = new Float64Array(hubs.length).fill(Infinity);
    const from = new Int32Array(hubs.length).fill(-1);
    best[0] = 0;
    for (let it = 0; it < hubs.length; it++) {
      let u = -1;
      for (let i = 0; i < hubs.length; i++) if (!inTree[i] && (u < 0 || best[i]! < best[u]!)) u = i;
      inTree[u] = 1;
      const f = from[u]!;
      if (f >= 0) {
        const A = hubs[f]!;
        const B = hubs[u]!;
        const major = A.main && B.main;
        const s = endpointToward(A.i, B.p);
        const t = endpointToward(B.i, A.p);
        addPath(
          s,
          t,
          major ? 'primary' : 'secondary',
          namer.between(coreLabel(A.i), coreLabel(B.i), major ? '公路' : '线'),
        );
      }
      for (let v = 0; v < hubs.length; v++) {
        if (inTree[v]) continue;
        const d = Math.hypot(hubs[v]!.p[0] - hubs[u]!.p[0], hubs[v]!.p[1] - hubs[u]!.p[1]);
        if (d < best[v]!) {
          best[v] = d;
          from[v] = u;
        }
      }
    }
  }
  // National roads leaving the city from the main seat, in spread-out directions.
  const seatCore = layout.cores.findIndex((c) => c.main);
  if (seatCore >= 0) {
    const centre = layout.cores[seatCore]!.centre;
    const trunks = layout.zones.length > 2 ? 3 : 2;
    const start = rng.range(0, 2 * Math.PI);
    for (let k = 0; k < trunks; k++) {
      const ang = start + (2 * Math.PI * k) / trunks + rng.range(-0.3, 0.3);
      let last: XY | null = null;
      for (let r = 0.5; r < 400; r += 0.5) {
        const p: XY = [centre[0] + Math.cos(ang) * r, centre[1] + Math.sin(ang) * r];
        if (!inLand(p)) {
          if (r > 3) break;
          continue;
        }
        last = p;
      }
      if (!last) continue;
      const s = endpointToward(seatCore, last);
      if (Math.hypot(last[0] - nodes[s]![0], last[1] - nodes[s]![1]) < 1.5) continue;
      const end = addNode(last, label[s]!, groups++);
      addPath(s, end, 'primary', namer.trunk());
    }
  }

  // 3. Rural roads: village centres joined to each other and to the roads above.
  const cellCommunity = (cell: number): string => {
    const c = layout.cells[cell]!.community;
    return c >= 0 ? layout.communities[c]!.div.name : '';
  };
  layout.cells.forEach((cell, i) => {
    if (cell.urbanSeed || cell.poly.length === 0 || isWater(cell.seed)) return;
    addNode(cell.seed, cellCommunity(i), -1);
  });
  const uf = new UnionFind(nodes.length);
  for (const e of edges) uf.union(e.a, e.b);
  const linkable = nodes.map((_, i) => group[i] === -1 || latticeDegree[i]! < 4);
  const pts = new Flatbush(nodes.length);
  for (const p of nodes) pts.add(p[0], p[1], p[0], p[1]);
  pts.finish();
  const candidates: [number, number, number][] = [];
  nodes.forEach((p, i) => {
    if (!linkable[i]) return;
    const near = pts.neighbors(
      p[0],
      p[1],
      6,
      Infinity,
      (j) => j !== i && linkable[j]! && (group[i] === -1 || group[j] !== group[i]),
    );
    for (const j of near) {
      const a = Math.min(i, j);
      const b = Math.max(i, j);
      candidates.push([Math.hypot(nodes[a]![0] - nodes[b]![0], nodes[a]![1] - nodes[b]![1]), a, b]);
    }
  });
  candidates.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const ruralEdge = (a: number, b: number): void => {
    const p = nodes[a]!;
    const q = nodes[b]!;
    const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
    const n: XY = [-(q[1] - p[1]) / (len || 1), (q[0] - p[0]) / (len || 1)];
    const shape: XY[] = [];
    const bends = len > 1.5 ? 2 : 1;
    for (let k = 1; k <= bends; k++) {
      const t = k / (bends + 1);
      const off = rng.range(-0.09, 0.09) * len;
      shape.push([p[0] + (q[0] - p[0]) * t + n[0] * off, p[1] + (q[1] - p[1]) * t + n[1] * off]);
    }
    const la = label[a]!;
    const lb = label[b]!;
    addEdge(a, b, 'rural', namer.between(la || lb, lb || la, '线'), shape);
  };
  const linked = new Set<string>();
  const extra: [number, number][] = [];
  for (const [, a, b] of candidates) {
    const key = `${a},${b}`;
    if (linked.has(key)) continue;
    linked.add(key);
    if (uf.union(a, b)) ruralEdge(a, b);
    else if (group[a] === -1 && group[b] === -1) extra.push([a, b]);
  }
  // Some loops between villages, as real village roads have.
  for (const [a, b] of extra) if (rng.chance(0.12)) ruralEdge(a, b);

  // 4. Anything still apart (an island of lattice) joins the largest piece at its nearest node.
  for (let guard = 0; guard < 1000; guard++) {
    const size = new Map<number, number>();
    for (let i = 0; i < nodes.length; i++) size.set(uf.find(i), (size.get(uf.find(i)) ?? 0) + 1);
    if (size.size <= 1) break;
    const main = [...size.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]![0];
    let best: [number, number, number] | null = null;
    for (let i = 0; i < nodes.length; i++) {
      if (uf.find(i) === main) continue;
      const j = pts.neighbors(nodes[i]![0], nodes[i]![1], 1, Infinity, (k) => uf.find(k) === main)[0];
      if (j === undefined) continue;
      const d = Math.hypot(nodes[i]![0] - nodes[j]![0], nodes[i]![1] - nodes[j]![1]);
      if (!best || d < best[0]) best = [d, i, j];
    }
    if (!best) break;
    uf.union(best[1], best[2]);
    ruralEdge(best[1], best[2]);
  }

  return chains(nodes, edges, plane);
}

/** Joins edges through plain (degree-2, same name and class) nodes into named polylines. */
function chains(nodes: readonly XY[], edges: readonly Edge[], plane: Plane): GeneratedRoad[] {
  const incident: number[][] = nodes.map(() => []);
  edges.forEach((e, i) => {
    incident[e.a]!.push(i);
    incident[e.b]!.push(i);
  });
  const plain = (n: number): boolean => {
    const inc = incident[n]!;
    if (inc.length !== 2) return false;
    const e = edges[inc[0]!]!;
    const f = edges[inc[1]!]!;
    return e.name === f.name && e.cls === f.cls;
  };
  const used = new Uint8Array(edges.length);
  const roads: GeneratedRoad[] = [];
  const walk = (start: number, first: number): void => {
    const e0 = edges[first]!;
    const pts: XY[] = [nodes[start]!];
    let at = start;
    let ei = first;
    for (;;) {
      used[ei] = 1;
      const e = edges[ei]!;
      const forward = e.a === at;
      const next = forward ? e.b : e.a;
      const shape = forward ? e.shape : [...e.shape].reverse();
      pts.push(...shape, nodes[next]!);
      at = next;
      if (!plain(at)) break;
      const nextEdge = incident[at]!.find((k) => !used[k]);
      if (nextEdge === undefined) break;
      ei = nextEdge;
    }
    const coords: LngLat[] = [];
    for (const p of pts) {
      const q = plane.toLngLat(p[0], p[1]);
      const last = coords[coords.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) coords.push(q);
    }
    if (coords.length >= 2) roads.push({ id: roads.length + 1, class: e0.cls, name: e0.name, coords });
  };
  for (let n = 0; n < nodes.length; n++) {
    if (plain(n)) continue;
    for (const ei of incident[n]!) if (!used[ei]) walk(n, ei);
  }
  // Loops made only of plain nodes.
  edges.forEach((e, i) => {
    if (!used[i]) walk(e.a, i);
  });
  return roads;
}

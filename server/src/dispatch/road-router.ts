import KDBush from 'kdbush';
import { around } from 'geokdbush';
import createGraph from 'ngraph.graph';
import { nba } from 'ngraph.path';
import type { StaffRole } from '@gcc/shared';
import type { RoadGraph } from '../sim/road-graph.ts';
import { EARTH_RADIUS_M, greatCircleM } from '@gcc/shared/geo';

// Travel-time estimates for the recommended workers along the city's roads: snap both points to
// the nearest road node, A* with a great-circle (chord) heuristic. Edge weights are
// great-circle lengths too, so the heuristic never overestimates (A* returns shortest paths).
// When a point is far from every road or the two nodes lie in different connected components,
// the estimate falls back to the straight line times a detour factor, flagged as such.

export type TravelMode = 'walk' | 'ebike';
/** m/s: walking 4.5 km/h; e-bike 12.6 km/h in city traffic (GB 17761 caps e-bikes at 25 km/h). The simulator moves full-time workers at 2.5–4.5 m/s and the others at 1.1–1.6 m/s. */
export const SPEED_MPS: Readonly<Record<TravelMode, number>> = { walk: 1.25, ebike: 3.5 };
/** Ratio of network to straight-line distance used when no road route exists (typical for city grids: 1.2–1.4). */
export const DETOUR_FACTOR = 1.4;
/** A point farther than this from every road node is off-road: no snapping, fallback estimate. */
export const MAX_SNAP_M = 600;

export type RouteFallback = 'offRoad' | 'disconnected';

export interface RouteEstimate {
  etaS: number;
  /** Length of the polyline (the estimate's distance when `fallback` is set). */
  distanceM: number;
  straightM: number;
  /** [lng, lat] from the worker to the case: worker point, road nodes…, case point. */
  path: [number, number][];
  /** Set when the straight-line × DETOUR_FACTOR estimate was used instead of a road route. */
  fallback: RouteFallback | null;
  mode: TravelMode;
}

/** Full-time workers patrol on e-bikes, the others on foot (as the simulator moves them). */
export function travelModeFor(role: StaffRole): TravelMode {
  return role === 'fulltime' ? 'ebike' : 'walk';
}

export type PathEngine = 'typed' | 'ngraph';

export class RoadRouter {
  private readonly nodes: KDBush | null;
  /** Connected component of each node: disconnected pairs are answered without a search. */
  private readonly component: Int32Array;
  /** Unit vectors of the nodes, for the chord heuristic. */
  private readonly xyz: Float64Array;
  /** Great-circle length of each CSR edge (parallel to roads.adj). */
  private readonly weight: Float64Array;
  private readonly search: (source: number, target: number) => number[];
  // Typed-array A* state, reused across searches (a generation stamp instead of clearing).
  private readonly g: Float64Array;
  private readonly prev: Int32Array;
  private readonly seen: Uint32Array;
  private readonly closed: Uint32Array;
  private readonly heapNode: Int32Array;
  private readonly heapKey: Float64Array;
  private generation = 0;

  /**
   * `engine`: 'typed' (default) is A* over the CSR arrays; 'ngraph' is ngraph.path's
   * bidirectional A* (NBA*) over the same weights and heuristic — the reference the tests
   * compare with and the baseline of the `recommend` benchmark's ETA figure.
   */
  constructor(
    private readonly roads: RoadGraph,
    engine: PathEngine = 'typed',
  ) {
    const n = roads.lng.length;
    this.nodes = n ? new KDBush(n) : null;
    for (let i = 0; i < n; i++) this.nodes!.add(roads.lng[i]!, roads.lat[i]!);
    this.nodes?.finish();
    this.component = components(roads);
    // Heuristic: the chord through the Earth between two nodes, from unit vectors computed once.
    // A chord is never longer than the arc and is a metric, so it is admissible and consistent
    // for great-circle edge weights (A* stays exact), with no trigonometry per call; at city
    // scale it is within 1e-7 of the arc.
    this.xyz = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const phi = (roads.lat[i]! * Math.PI) / 180,
        lam = (roads.lng[i]! * Math.PI) / 180;
      this.xyz[3 * i] = Math.cos(phi) * Math.cos(lam);
      this.xyz[3 * i + 1] = Math.cos(phi) * Math.sin(lam);
      this.xyz[3 * i + 2] = Math.sin(phi);
    }
    this.weight = new Float64Array(roads.adj.length);
    for (let a = 0; a < n; a++) {
      for (let k = roads.adjStart[a]!; k < roads.adjStart[a + 1]!; k++) {
        const b = roads.adj[k]!;
        this.weight[k] = greatCircleM(roads.lng[a]!, roads.lat[a]!, roads.lng[b]!, roads.lat[b]!);
      }
    }
    this.g = new Float64Array(n);
    this.prev = new Int32Array(n);
    this.seen = new Uint32Array(n);
    this.closed = new Uint32Array(n);
    // Lazy deletion pushes at most once per directed edge relaxation, plus the source.
    this.heapNode = new Int32Array(roads.adj.length + 1);
    this.heapKey = new Float64Array(roads.adj.length + 1);
    this.search = engine === 'typed' ? (s, t) => this.aStar(s, t) : this.ngraphSearch();
  }

  private chord(i: number, j: number): number {
    const x = this.xyz,
      a = 3 * i,
      b = 3 * j;
    const dx = x[a]! - x[b]!,
      dy = x[a + 1]! - x[b + 1]!,
      dz = x[a + 2]! - x[b + 2]!;
    return EARTH_RADIUS_M * Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  // A* over the CSR arrays with a binary heap on typed arrays: no allocation per visited node
  // (ngraph.path allocates a search-state object per node; the `recommend` benchmark prints both).
  private aStar(source: number, target: number): number[] {
    const gen = ++this.generation;
    const { adjStart, adj } = this.roads;
    const { g, prev, seen, closed, heapNode, heapKey, weight } = this;
    let size = 0;
    const push = (node: number, key: number) => {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heapKey[p]! <= key) break;
        heapNode[i] = heapNode[p]!;
        heapKey[i] = heapKey[p]!;
        i = p;
      }
      heapNode[i] = node;
      heapKey[i] = key;
    };
    const pop = () => {
      const top = heapNode[0]!;
      const node = heapNode[--size]!,
        key = heapKey[size]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && heapKey[c + 1]! < heapKey[c]!) c++;
        if (heapKey[c]! >= key) break;
        heapNode[i] = heapNode[c]!;
        heapKey[i] = heapKey[c]!;
        i = c;
      }
      heapNode[i] = node;
      heapKey[i] = key;
      return top;
    };
    g[source] = 0;
    prev[source] = -1;
    seen[source] = gen;
    push(source, this.chord(source, target));
    while (size > 0) {
      const v = pop();
      if (closed[v] === gen) continue;
      closed[v] = gen;
      if (v === target) break;
      const gv = g[v]!;
      for (let k = adjStart[v]!; k < adjStart[v + 1]!; k++) {
        const u = adj[k]!;
        if (closed[u] === gen) continue;
        const ng = gv + weight[k]!;
        if (seen[u] !== gen || ng < g[u]!) {
          seen[u] = gen;
          g[u] = ng;
          prev[u] = v;
          push(u, ng + this.chord(u, target));
        }
      }
    }
    if (closed[target] !== gen) return [];
    const path: number[] = [];
    for (let v = target; v !== -1; v = prev[v]!) path.push(v);
    return path.reverse();
  }

  private ngraphSearch(): (source: number, target: number) => number[] {
    const graph = createGraph<undefined, number>();
    const { adjStart, adj } = this.roads;
    for (let a = 0; a < this.roads.lng.length; a++) {
      graph.addNode(a);
      for (let k = adjStart[a]!; k < adjStart[a + 1]!; k++)
        if (a < adj[k]!) graph.addLink(a, adj[k]!, this.weight[k]!);
    }
    const finder = nba<undefined, number>(graph, {
      oriented: false,
      distance: (_a, _b, link) => link.data,
      heuristic: (a, b) => this.chord(a.id as number, b.id as number),
    });
    // ngraph.path returns the path from `to` back to `from`: search target → source.
    return (s, t) => finder.find(t, s).map((nd) => nd.id as number);
  }

  /** Road nodes in the graph. */
  get nodeCount(): number {
    return this.roads.lng.length;
  }

  /** Nearest road node to a point and its distance, or null when there is none within MAX_SNAP_M. */
  snap(lng: number, lat: number): { node: number; distanceM: number } | null {
    if (!this.nodes) return null;
    const [node] = around(this.nodes, lng, lat, 1, MAX_SNAP_M / 1000);
    if (node === undefined) return null;
    const distanceM = greatCircleM(lng, lat, this.roads.lng[node]!, this.roads.lat[node]!);
    return distanceM <= MAX_SNAP_M ? { node, distanceM } : null;
  }

  /** ETA and route from a worker's position to a case along the roads. */
  route(
    from: readonly [number, number],
    to: readonly [number, number],
    mode: TravelMode = 'walk',
  ): RouteEstimate {
    const straightM = greatCircleM(from[0], from[1], to[0], to[1]);
    const speed = SPEED_MPS[mode];
    const fallback = (why: RouteFallback): RouteEstimate => {
      const distanceM = straightM * DETOUR_FACTOR;
      return {
        etaS: distanceM / speed,
        distanceM,
        straightM,
        path: [
          [from[0], from[1]],
          [to[0], to[1]],
        ],
        fallback: why,
        mode,
      };
    };
    const a = this.snap(from[0], from[1]);
    const b = this.snap(to[0], to[1]);
    if (!a || !b) return fallback('offRoad');
    if (this.component[a.node] !== this.component[b.node]) return fallback('disconnected');
    const path: [number, number][] = [[from[0], from[1]]];
    const { lng, lat } = this.roads;
    if (a.node !== b.node) {
      const nodes = this.search(a.node, b.node);
      if (nodes.length === 0) return fallback('disconnected');
      for (const nd of nodes) path.push([lng[nd]!, lat[nd]!]);
    } else {
      path.push([lng[a.node]!, lat[a.node]!]);
    }
    path.push([to[0], to[1]]);
    let distanceM = 0;
    for (let i = 1; i < path.length; i++)
      distanceM += greatCircleM(path[i - 1]![0], path[i - 1]![1], path[i]![0], path[i]![1]);
    return { etaS: distanceM / speed, distanceM, straightM, path, fallback: null, mode };
  }
}

function components(roads: RoadGraph): Int32Array {
  const n = roads.lng.length;
  const comp = new Int32Array(n).fill(-1);
  const stack = new Uint32Array(n);
  let c = 0;
  for (let s = 0; s < n; s++) {
    if (comp[s] !== -1) continue;
    let top = 0;
    stack[top++] = s;
    comp[s] = c;
    while (top) {
      const v = stack[--top]!;
      for (let k = roads.adjStart[v]!; k < roads.adjStart[v + 1]!; k++) {
        const w = roads.adj[k]!;
        if (comp[w] === -1) {
          comp[w] = c;
          stack[top++] = w;
        }
      }
    }
    c++;
  }
  return comp;
}

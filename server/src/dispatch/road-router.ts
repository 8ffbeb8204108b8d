import KDBush from 'kdbush';
import { around } from 'geokdbush';
import createGraph, { type Graph } from 'ngraph.graph';
import { aStar, type PathFinder } from 'ngraph.path';
import type { StaffRole } from '@gcc/shared';
import type { RoadGraph } from '../sim/road-graph.ts';
import { greatCircleM } from './great-circle.ts';

// Travel-time estimates for the recommended workers along the city's roads: snap both points to
// the nearest road node, A* (ngraph.path) with the great-circle heuristic. Edge weights are
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

export class RoadRouter {
  private readonly nodes: KDBush | null;
  private readonly graph: Graph<undefined, number>;
  private readonly finder: PathFinder<undefined>;
  /** Connected component of each node: disconnected pairs are answered without a search. */
  private readonly component: Int32Array;

  constructor(private readonly roads: RoadGraph) {
    const n = roads.lng.length;
    this.nodes = n ? new KDBush(n) : null;
    for (let i = 0; i < n; i++) this.nodes!.add(roads.lng[i]!, roads.lat[i]!);
    this.nodes?.finish();
    this.graph = createGraph<undefined, number>();
    for (let a = 0; a < n; a++) {
      this.graph.addNode(a);
      for (let k = roads.adjStart[a]!; k < roads.adjStart[a + 1]!; k++) {
        const b = roads.adj[k]!;
        if (a < b) this.graph.addLink(a, b, greatCircleM(roads.lng[a]!, roads.lat[a]!, roads.lng[b]!, roads.lat[b]!));
      }
    }
    const { lng, lat } = roads;
    this.finder = aStar<undefined, number>(this.graph, {
      oriented: false,
      distance: (_a, _b, link) => link.data,
      heuristic: (a, b) => greatCircleM(lng[a.id as number]!, lat[a.id as number]!, lng[b.id as number]!, lat[b.id as number]!),
    });
    this.component = components(roads);
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
  route(from: readonly [number, number], to: readonly [number, number], mode: TravelMode = 'walk'): RouteEstimate {
    const straightM = greatCircleM(from[0], from[1], to[0], to[1]);
    const speed = SPEED_MPS[mode];
    const fallback = (why: RouteFallback): RouteEstimate => {
      const distanceM = straightM * DETOUR_FACTOR;
      return { etaS: distanceM / speed, distanceM, straightM, path: [[from[0], from[1]], [to[0], to[1]]], fallback: why, mode };
    };
    const a = this.snap(from[0], from[1]);
    const b = this.snap(to[0], to[1]);
    if (!a || !b) return fallback('offRoad');
    if (this.component[a.node] !== this.component[b.node]) return fallback('disconnected');
    const path: [number, number][] = [[from[0], from[1]]];
    const { lng, lat } = this.roads;
    if (a.node !== b.node) {
      // ngraph.path returns the path from `to` back to `from`: search b → a to read it forwards.
      const nodes = this.finder.find(b.node, a.node);
      if (nodes.length === 0) return fallback('disconnected');
      for (const nd of nodes) path.push([lng[nd.id as number]!, lat[nd.id as number]!]);
    } else {
      path.push([lng[a.node]!, lat[a.node]!]);
    }
    path.push([to[0], to[1]]);
    let distanceM = 0;
    for (let i = 1; i < path.length; i++) distanceM += greatCircleM(path[i - 1]![0], path[i - 1]![1], path[i]![0], path[i]![1]);
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
        if (comp[w] === -1) { comp[w] = c; stack[top++] = w; }
      }
    }
    c++;
  }
  return comp;
}

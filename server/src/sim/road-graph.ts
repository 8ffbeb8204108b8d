// The road network as a graph for walking: vertices shared by roads (exact coordinates) are
// one node. Edges carry their length in metres.

export interface RoadGraph {
  lng: Float64Array;
  lat: Float64Array;
  /** CSR adjacency: neighbours of node n are adj[adjStart[n] .. adjStart[n+1]). */
  adjStart: Uint32Array;
  adj: Uint32Array;
  /** Name of a road through each node (for case descriptions). */
  roadName: string[];
}

const M_PER_DEG_LAT = 110_574;

/** Distance in metres between two nearby points (equirectangular; exact enough inside a city). */
export function metres(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const kx = 111_320 * Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180));
  return Math.hypot((lng2 - lng1) * kx, (lat2 - lat1) * M_PER_DEG_LAT);
}

/** Builds the graph from road polylines. */
export function buildRoadGraph(
  roads: readonly { name: string; coords: readonly (readonly number[])[] }[],
): RoadGraph {
  const idOf = new Map<string, number>();
  const lng: number[] = [];
  const lat: number[] = [];
  const names: string[] = [];
  const edges: [number, number][] = [];
  const node = (p: readonly number[], name: string) => {
    const key = `${p[0]},${p[1]}`;
    let id = idOf.get(key);
    if (id === undefined) {
      id = lng.length;
      idOf.set(key, id);
      lng.push(p[0]!);
      lat.push(p[1]!);
      names.push(name);
    }
    return id;
  };
  for (const r of roads) {
    let prev = -1;
    for (const p of r.coords) {
      const n = node(p, r.name);
      if (prev >= 0 && prev !== n) edges.push([prev, n]);
      prev = n;
    }
  }
  const degree = new Uint32Array(lng.length + 1);
  for (const [a, b] of edges) {
    degree[a]!++;
    degree[b]!++;
  }
  const adjStart = new Uint32Array(lng.length + 1);
  for (let i = 0; i < lng.length; i++) adjStart[i + 1] = adjStart[i]! + degree[i]!;
  const fill = adjStart.slice(0, lng.length);
  const adj = new Uint32Array(adjStart[lng.length]!);
  for (const [a, b] of edges) {
    adj[fill[a]!++] = b;
    adj[fill[b]!++] = a;
  }
  return { lng: Float64Array.from(lng), lat: Float64Array.from(lat), adjStart, adj, roadName: names };
}

// Exact point-in-polygon over flat typed arrays: the inner loop of grid assignment. Even-odd
// ray casting across every ring of a (multi)polygon, which is right for holes and for the
// parts of a multipolygon as long as they do not overlap (grids never do).

/** Flat storage of many multipolygons: vertex coords interleaved, rings as offsets. */
export interface FlatPolygons {
  /** [x0, y0, x1, y1, …] of every ring, rings closed (first vertex repeated last). */
  coords: Float64Array;
  /** ringStart[r] = index of ring r's first vertex (in vertices, not numbers); length rings + 1. */
  ringStart: Uint32Array;
  /** featureRings[f] = index of feature f's first ring; length features + 1. */
  featureRings: Uint32Array;
}

/** True when (x, y) lies inside feature `f` of `flat` (points exactly on an edge may go either way). */
export function pointInFlatFeature(flat: FlatPolygons, f: number, x: number, y: number): boolean {
  const { coords, ringStart, featureRings } = flat;
  let inside = false;
  const r1 = featureRings[f + 1]!;
  for (let r = featureRings[f]!; r < r1; r++) {
    const start = ringStart[r]!;
    const end = ringStart[r + 1]!;
    let j = end - 1;
    for (let i = start; i < end; j = i++) {
      const xi = coords[2 * i]!;
      const yi = coords[2 * i + 1]!;
      const xj = coords[2 * j]!;
      const yj = coords[2 * j + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Packs GeoJSON multipolygon coordinates into flat typed arrays. */
export function flattenMultiPolygons(
  features: readonly (readonly (readonly (readonly (readonly number[])[])[])[])[],
): FlatPolygons {
  let vertexCount = 0;
  let ringCount = 0;
  for (const mp of features)
    for (const poly of mp)
      for (const ring of poly) {
        ringCount++;
        vertexCount += ring.length;
      }
  const coords = new Float64Array(vertexCount * 2);
  const ringStart = new Uint32Array(ringCount + 1);
  const featureRings = new Uint32Array(features.length + 1);
  let v = 0;
  let r = 0;
  features.forEach((mp, f) => {
    featureRings[f] = r;
    for (const poly of mp) {
      for (const ring of poly) {
        ringStart[r++] = v;
        for (const p of ring) {
          coords[2 * v] = p[0]!;
          coords[2 * v + 1] = p[1]!;
          v++;
        }
      }
    }
  });
  ringStart[r] = v;
  featureRings[features.length] = r;
  return { coords, ringStart, featureRings };
}

/** Bounding box [minX, minY, maxX, maxY] of feature `f`. */
export function flatFeatureBBox(flat: FlatPolygons, f: number): [number, number, number, number] {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  const v0 = flat.ringStart[flat.featureRings[f]!]!;
  const v1 = flat.ringStart[flat.featureRings[f + 1]!]!;
  for (let v = v0; v < v1; v++) {
    const x = flat.coords[2 * v]!;
    const y = flat.coords[2 * v + 1]!;
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

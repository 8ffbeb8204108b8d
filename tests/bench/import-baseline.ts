import { booleanClockwise, booleanOverlap, kinks, multiPolygon } from '@turf/turf';
import { gcj02ToWgs84 } from '@gcc/shared/geo';

// The baseline of `import_ms`: what a turf-based importer does with the same GeoJSON — each
// point converted from GCJ-02, each feature checked for self-intersections (kinks) and winding,
// and each pair of features whose boxes meet checked for overlap (booleanOverlap). No topology,
// no snapping, no gaps: less than ours does, so the ratio is a floor.

export function turfValidation(text: string): {
  features: number;
  pairs: number;
  kinks: number;
  overlaps: number;
} {
  const file = JSON.parse(text) as { features: { geometry: { coordinates: number[][][][] } }[] };
  const features = file.features.map((f) =>
    multiPolygon(
      f.geometry.coordinates.map((poly) => poly.map((ring) => ring.map(([x, y]) => gcj02ToWgs84(x!, y!)))),
    ),
  );
  let kinked = 0;
  for (const f of features) {
    kinked += kinks(f).features.length;
    for (const poly of f.geometry.coordinates) booleanClockwise(poly[0]!);
  }
  const boxes = features.map((f) => {
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of f.geometry.coordinates)
      for (const [x, y] of poly[0]!) {
        b[0] = Math.min(b[0]!, x!);
        b[1] = Math.min(b[1]!, y!);
        b[2] = Math.max(b[2]!, x!);
        b[3] = Math.max(b[3]!, y!);
      }
    return b;
  });
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a]![0]! - boxes[b]![0]!);
  let pairs = 0;
  let overlaps = 0;
  for (let i = 0; i < order.length; i++) {
    const a = boxes[order[i]!]!;
    for (let j = i + 1; j < order.length; j++) {
      const b = boxes[order[j]!]!;
      if (b[0]! > a[2]!) break;
      if (b[1]! > a[3]! || b[3]! < a[1]!) continue;
      pairs++;
      if (booleanOverlap(features[order[i]!]!, features[order[j]!]!)) overlaps++;
    }
  }
  return { features: features.length, pairs, kinks: kinked, overlaps };
}

// The land the city is generated on: either a supplied boundary (GeoJSON, often GCJ-02 as
// Chinese web maps publish it) or a synthesized irregular blob.

import { gcj02ToWgs84 } from '@gcc/shared/geo';
import type { LngLat } from '../city.ts';
import type { Rng } from '../random.ts';
import type { MultiPolygonXY, Plane, Ring, XY } from '../geo/plane.ts';
import { ringSignedArea } from '../geo/plane.ts';

/** The GeoJSON shapes `outline` accepts (a minimal structural type: no GeoJSON typings needed). */
export type OutlineGeometry =
  { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface OutlineFeature {
  type: 'Feature';
  properties?: Record<string, unknown> | null;
  geometry: OutlineGeometry | null;
}

export interface OutlineFeatureCollection {
  type: 'FeatureCollection';
  features: OutlineFeature[];
}

export type OutlineInput = OutlineFeatureCollection | OutlineFeature;
export type OutlineCrs = 'gcj02' | 'wgs84';

/** One supplied feature, converted to WGS-84. */
export interface ImportedFeature {
  adcode: string | null;
  name: string | null;
  /** WGS-84 multipolygon with open rings (closing point removed). */
  polygons: LngLat[][][];
}

/** JSON of a value, cut short for a message (a file may hold anything). */
function shortJson(v: unknown): string {
  const s = JSON.stringify(v) ?? String(typeof v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Reads the features of an outline, converting GCJ-02 to WGS-84 when asked. */
export function importOutline(input: OutlineInput, crs: OutlineCrs): ImportedFeature[] {
  // A file is outside input: every level is checked, and a refusal is a TypeError that names what
  // is wrong ("outline …"), never a crash deeper in.
  // Annotated, so that TypeScript narrows after a call (assertion-style control flow).
  const refuse: (what: string) => never = (what) => {
    throw new TypeError(`outline ${what}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(input)) refuse('is not a GeoJSON object');
  const features: unknown =
    input.type === 'FeatureCollection'
      ? input.features
      : input.type === 'Feature'
        ? [input]
        : refuse('is neither a Feature nor a FeatureCollection');
  if (!Array.isArray(features)) refuse('has no features array');
  const list = <T>(v: unknown, what: string): T[] => (Array.isArray(v) ? (v as T[]) : refuse(`has ${what}`));
  const convert = (p: unknown): LngLat => {
    const pos = list<unknown>(p, `a position that is not an array: ${shortJson(p)}`);
    const lng = pos[0];
    const lat = pos[1];
    if (
      typeof lng !== 'number' ||
      typeof lat !== 'number' ||
      !(lng >= -180 && lng <= 180) ||
      !(lat >= -90 && lat <= 90)
    ) {
      throw new TypeError(`outline has an invalid position: ${shortJson(p)}`);
    }
    return crs === 'gcj02' ? gcj02ToWgs84(lng, lat) : [lng, lat];
  };
  const out: ImportedFeature[] = [];
  for (const f of features as unknown[]) {
    if (!isObject(f)) refuse('has a feature that is not an object');
    const g = (f as unknown as OutlineFeature).geometry as unknown;
    if (g === null || g === undefined) continue;
    if (!isObject(g)) refuse('has a geometry that is not an object');
    const coordinates = g.coordinates;
    const polys =
      g.type === 'Polygon'
        ? [list<unknown>(coordinates, 'Polygon coordinates that are not an array')]
        : g.type === 'MultiPolygon'
          ? list<unknown>(coordinates, 'MultiPolygon coordinates that are not an array')
          : [];
    const polygons: LngLat[][][] = [];
    for (const poly of polys) {
      const rings: LngLat[][] = [];
      for (const ring of list<unknown>(poly, 'a polygon that is not a list of rings')) {
        const r = list<unknown>(ring, 'a ring that is not a list of positions').map(convert);
        const a = r[0];
        const b = r[r.length - 1];
        if (a && b && r.length > 1 && a[0] === b[0] && a[1] === b[1]) r.pop();
        if (r.length >= 3) rings.push(r);
      }
      if (rings.length > 0) polygons.push(rings);
    }
    if (polygons.length === 0) continue;
    const props = isObject(f.properties) ? f.properties : {};
    const adcode = props['adcode'] ?? props['code'] ?? props['ADCODE'];
    const name = props['name'] ?? props['NAME'];
    out.push({
      adcode: adcode === undefined || adcode === null ? null : String(adcode),
      name: typeof name === 'string' ? name : null,
      polygons,
    });
  }
  if (out.length === 0) throw new TypeError('outline has no polygon features');
  return out;
}

/** Projects an imported feature to the plane, with closed rings. */
export function featureToPlane(f: ImportedFeature, plane: Plane): MultiPolygonXY {
  return f.polygons.map((poly) =>
    poly.map((ring) => {
      const r: Ring = ring.map((p) => plane.toXY(p[0], p[1]));
      r.push([r[0]![0], r[0]![1]]);
      return r;
    }),
  );
}

/**
 * An irregular closed blob of the given area centred near `at`: a circle whose radius wobbles
 * with a few low harmonics (the broad shape of a county) and many weak high ones (a ragged
 * boundary following ridges and rivers).
 */
export function synthesizeBlob(rng: Rng, areaKm2: number, at: XY = [0, 0], vertices = 160): Ring {
  const harmonics: { k: number; a: number; phase: number }[] = [];
  for (let k = 2; k <= 24; k++) {
    const amp = k <= 5 ? rng.range(0.04, 0.12) : rng.range(0, 0.05) / Math.sqrt(k - 4);
    harmonics.push({ k, a: amp, phase: rng.range(0, 2 * Math.PI) });
  }
  const ring: Ring = [];
  for (let i = 0; i < vertices; i++) {
    const t = (2 * Math.PI * i) / vertices;
    let r = 1;
    for (const h of harmonics) r += h.a * Math.sin(h.k * t + h.phase);
    ring.push([Math.cos(t) * r, Math.sin(t) * r]);
  }
  const scale = Math.sqrt(areaKm2 / Math.abs(ringSignedArea(ring)));
  const out: Ring = ring.map((p) => [at[0] + p[0] * scale, at[1] + p[1] * scale]);
  out.push([out[0]![0], out[0]![1]]);
  return out;
}

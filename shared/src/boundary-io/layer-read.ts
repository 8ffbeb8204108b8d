import { gcj02ToWgs84 } from '../geo/gcj02.ts';
import { COORD_SCALE } from '../topology/topology.ts';
import { IMPORT_LIMITS, type ImportCrs, type ProblemList } from './import-report.ts';

// Reading a boundary file: a GeoJSON FeatureCollection, or a bare array of features as Chinese
// map data (DataV GeoAtlas and its mirrors) often comes. Each position is converted once to
// WGS-84 and quantised to the topology's integers (1e-7°), through a cache keyed by the position
// as written: a point two features share is the same number on both sides after the conversion.
// Rings keep their points as ids into one point table, so snapping moves a point for every ring
// that uses it.

/** One feature's attributes, read leniently from the property names boundary files use. */
export interface FeatureAttributes {
  code: string | null;
  name: string | null;
  parentCode: string | null;
  households: number | null;
}

/** A polygon as ids into the point table: outer ring first (counter-clockwise), then holes (clockwise); rings open. */
export type IdPolygon = number[][];

export interface ReadFeature extends FeatureAttributes {
  /** Index in the file. */
  index: number;
  polygons: IdPolygon[];
}

/** The point table: quantised WGS-84 (x = lng, y = lat, × COORD_SCALE). */
export interface PointTable {
  xs: number[];
  ys: number[];
}

export interface ReadLayer {
  points: PointTable;
  features: ReadFeature[];
  /** Features in the file (those without a usable polygon too). */
  total: number;
}

const CODE_KEYS = ['code', 'gridCode', 'grid_code', 'adcode', 'CODE', 'ADCODE', 'id'];
const NAME_KEYS = ['name', 'NAME', 'gridName', 'grid_name'];
const PARENT_KEYS = ['parentCode', 'parent_code', 'parent', 'communityCode', 'community_code'];
const HOUSEHOLD_KEYS = ['households', 'HOUSEHOLDS', 'hu'];

function pick(props: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) {
    const v = props[k];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

const asText = (v: unknown): string | null =>
  typeof v === 'string' ? v.trim().slice(0, 64) || null : typeof v === 'number' ? String(v) : null;

/** The attributes of a feature's properties (code, name, parent code, households). */
export function featureAttributes(properties: unknown): FeatureAttributes {
  const props =
    typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {};
  // A DataV feature names its parent as {adcode}.
  const parent = pick(props, PARENT_KEYS);
  const h = pick(props, HOUSEHOLD_KEYS);
  return {
    code: asText(pick(props, CODE_KEYS)),
    name: asText(pick(props, NAME_KEYS)),
    parentCode:
      typeof parent === 'object' && parent !== null
        ? asText((parent as Record<string, unknown>)['adcode'])
        : asText(parent),
    households: typeof h === 'number' && Number.isInteger(h) && h >= 0 ? h : null,
  };
}

function signedArea(points: PointTable, ring: readonly number[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    s += points.xs[a]! * points.ys[b]! - points.xs[b]! * points.ys[a]!;
  }
  return s / 2;
}

export { signedArea as idRingArea };

const isPosition = (p: unknown): p is number[] =>
  Array.isArray(p) &&
  p.length >= 2 &&
  typeof p[0] === 'number' &&
  typeof p[1] === 'number' &&
  Number.isFinite(p[0]) &&
  Number.isFinite(p[1]) &&
  Math.abs(p[0]) <= 180 &&
  Math.abs(p[1]) <= 90;

/** The first position nested in GeoJSON coordinates (of any geometry), to show a feature where it is. */
function firstPosition(coordinates: unknown, depth = 0): [number, number] | null {
  if (isPosition(coordinates)) return [coordinates[0]!, coordinates[1]!];
  if (!Array.isArray(coordinates) || depth > 4) return null;
  for (const c of coordinates) {
    const p = firstPosition(c, depth + 1);
    if (p) return p;
  }
  return null;
}

/** The features of a file: a FeatureCollection, a bare array of features, or one feature. */
function featureList(input: unknown): unknown[] | null {
  if (Array.isArray(input)) return input;
  if (typeof input !== 'object' || input === null) return null;
  const o = input as { type?: unknown; features?: unknown };
  if (o.type === 'FeatureCollection' && Array.isArray(o.features)) return o.features;
  if (o.type === 'Feature') return [input];
  return null;
}

/**
 * Reads a boundary file into features of id rings in WGS-84, reporting what cannot be read:
 * no features, a feature without a polygon, a bad coordinate, an unclosed or degenerate ring
 * (errors), and rings wound the wrong way (turned, with a warning: RFC 7946 wants outer rings
 * counter-clockwise).
 */
export function readLayer(input: unknown, crs: ImportCrs, problems: ProblemList): ReadLayer {
  const points: PointTable = { xs: [], ys: [] };
  const out: ReadLayer = { points, features: [], total: 0 };
  const list = featureList(input);
  if (!list) {
    problems.add({ reason: 'not-geojson', severity: 'error', feature: null, code: null, at: null });
    return out;
  }
  out.total = list.length;
  if (list.length === 0) {
    problems.add({ reason: 'no-features', severity: 'error', feature: null, code: null, at: null });
    return out;
  }
  if (list.length > IMPORT_LIMITS.features) {
    problems.add({ reason: 'too-many-features', severity: 'error', feature: null, code: null, at: null });
    return out;
  }
  const byKey = new Map<string, number>();
  const converted = new Map<string, number>();
  let positions = 0;
  const pointId = (p: number[]): number => {
    const raw = `${p[0]},${p[1]}`;
    let id = converted.get(raw);
    if (id !== undefined) return id;
    const [lng, lat] = crs === 'gcj02' ? gcj02ToWgs84(p[0]!, p[1]!) : [p[0]!, p[1]!];
    const x = Math.round(lng * COORD_SCALE);
    const y = Math.round(lat * COORD_SCALE);
    const key = `${x},${y}`;
    id = byKey.get(key);
    if (id === undefined) {
      id = points.xs.length;
      points.xs.push(x);
      points.ys.push(y);
      byKey.set(key, id);
    }
    converted.set(raw, id);
    return id;
  };

  for (const [index, f] of list.entries()) {
    const feature =
      typeof f === 'object' && f !== null ? (f as { properties?: unknown; geometry?: unknown }) : {};
    const attrs = featureAttributes(feature.properties);
    const geometry = feature.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
    const problem = (
      reason: 'not-polygon' | 'bad-coordinate' | 'unclosed-ring' | 'degenerate-ring',
      at: [number, number] | null = null,
    ) => problems.add({ reason, severity: 'error', feature: index, code: attrs.code, at });
    const ringProblem = problem;
    const polys =
      geometry?.type === 'Polygon' && Array.isArray(geometry.coordinates)
        ? [geometry.coordinates as unknown[]]
        : geometry?.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)
          ? (geometry.coordinates as unknown[])
          : null;
    if (!polys || polys.length === 0) {
      problem('not-polygon', firstPosition(geometry?.coordinates));
      continue;
    }
    const polygons: IdPolygon[] = [];
    let bad = false;
    let turned = false;
    for (const poly of polys) {
      if (!Array.isArray(poly) || poly.length === 0) {
        problem('not-polygon');
        bad = true;
        break;
      }
      const rings: number[][] = [];
      for (const [r, ring] of (poly as unknown[]).entries()) {
        if (!Array.isArray(ring) || !ring.every(isPosition)) {
          // Shown beside the nearest good position of the ring (the bad one has no place on a map).
          const list: unknown[] = Array.isArray(ring) ? ring : [];
          const badAt = list.findIndex((p) => !isPosition(p));
          const near = [...list.slice(0, Math.max(0, badAt)).reverse(), ...list.slice(badAt + 1)].find(
            isPosition,
          );
          problem('bad-coordinate', near ? [near[0]!, near[1]!] : null);
          bad = true;
          break;
        }
        positions += ring.length;
        if (positions > IMPORT_LIMITS.points) {
          problems.add({ reason: 'too-many-points', severity: 'error', feature: null, code: null, at: null });
          out.features = [];
          return out;
        }
        const first = ring[0];
        const last = ring[ring.length - 1];
        const at = (p: number[] | undefined): [number, number] | null => (p ? [p[0]!, p[1]!] : null);
        if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) {
          ringProblem('unclosed-ring', at(last));
          bad = true;
          break;
        }
        const ids: number[] = [];
        for (const p of ring) {
          const id = pointId(p);
          if (ids[ids.length - 1] !== id) ids.push(id);
        }
        if (ids.length > 1 && ids[0] === ids[ids.length - 1]) ids.pop();
        const area = ids.length >= 3 ? signedArea(points, ids) : 0;
        if (area === 0) {
          ringProblem('degenerate-ring', at(first));
          bad = true;
          break;
        }
        // RFC 7946: outer rings counter-clockwise, holes clockwise.
        if ((r === 0 && area < 0) || (r > 0 && area > 0)) {
          ids.reverse();
          turned = true;
        }
        rings.push(ids);
      }
      if (bad) break;
      polygons.push(rings);
    }
    if (bad) continue;
    if (turned) {
      const p = polygons[0]![0]![0]!;
      problems.add({
        reason: 'wrong-winding',
        severity: 'fixed',
        feature: index,
        code: attrs.code,
        at: [points.xs[p]! / COORD_SCALE, points.ys[p]! / COORD_SCALE],
      });
    }
    out.features.push({ index, ...attrs, polygons });
  }
  return out;
}

import type { GridId } from '../ids.ts';
import { wgs84ToGcj02 } from '../geo/gcj02.ts';
import { dequantise, edgePoints, facePolygon, type QPoint, type Topology } from '../topology/topology.ts';
import type { ImportCrs } from './import-report.ts';

// A boundary version out of the system: GeoJSON (what other tools draw) and TopoJSON (each shared
// border once, as the planner keeps it: one arc per edge). Both are derived from the version's
// topology, so a point two grids share is written the same on both; GCJ-02 is computed per point
// from the WGS-84 one, so it stays shared too.

/** What an exported feature carries besides its shape. */
export interface ExportAttributes {
  code: string;
  name: string;
  parentCode: string | null;
  parentName: string | null;
  households: number;
  population: number;
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

function converter(crs: ImportCrs): (p: [number, number]) => [number, number] {
  if (crs === 'wgs84') return (p) => p;
  return ([lng, lat]) => {
    const [x, y] = wgs84ToGcj02(lng, lat);
    return [round7(x), round7(y)];
  };
}

/** The grids of `t` as a GeoJSON FeatureCollection of MultiPolygons with their attributes, in `crs`. */
export function layerGeoJson(
  t: Topology,
  attributes: ReadonlyMap<GridId, ExportAttributes>,
  crs: ImportCrs,
  meta: Record<string, unknown> = {},
): { type: 'FeatureCollection'; crs_name: ImportCrs; features: unknown[] } & Record<string, unknown> {
  const convert = converter(crs);
  const features: unknown[] = [];
  for (const id of [...t.faces.keys()].sort((a, b) => a - b)) {
    const polygon = facePolygon(t, id).map((poly) => poly.map((ring) => ring.map(convert)));
    features.push({
      type: 'Feature',
      properties: attributes.get(id) ?? null,
      geometry: { type: 'MultiPolygon', coordinates: polygon },
    });
  }
  return { type: 'FeatureCollection', crs_name: crs, ...meta, features };
}

/** The grids of `t` as TopoJSON: one arc per edge (absolute coordinates), each grid a MultiPolygon of signed arc indexes. */
export function layerTopoJson(
  t: Topology,
  attributes: ReadonlyMap<GridId, ExportAttributes>,
  crs: ImportCrs,
  meta: Record<string, unknown> = {},
): Record<string, unknown> {
  const convert = converter(crs);
  const arcIndex = new Map<number, number>();
  const arcs: [number, number][][] = [];
  for (const e of t.edges.values()) {
    arcIndex.set(e.id, arcs.length);
    arcs.push(edgePoints(t, { edge: e.id, forward: true }).map((p: QPoint) => convert(dequantise(p))));
  }
  const geometries: unknown[] = [];
  for (const id of [...t.faces.keys()].sort((a, b) => a - b)) {
    const face = t.faces.get(id)!;
    // Outer rings start a polygon; holes (clockwise) join the one before, as facePolygon does.
    const polys: number[][][] = [];
    const shape = facePolygon(t, id);
    let ringNo = 0;
    for (const poly of shape)
      polys.push(
        poly.map(() => {
          const ring = face.rings[ringNo++]!;
          return ring.map((se) => (se.forward ? arcIndex.get(se.edge)! : ~arcIndex.get(se.edge)!));
        }),
      );
    geometries.push({ type: 'MultiPolygon', arcs: polys, properties: attributes.get(id) ?? null });
  }
  return {
    type: 'Topology',
    crs_name: crs,
    ...meta,
    objects: { grids: { type: 'GeometryCollection', geometries } },
    arcs,
  };
}

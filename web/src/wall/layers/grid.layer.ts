import { PolygonLayer } from '@deck.gl/layers';
import { decodeMultiPolygon } from '@gcc/shared/geo';
import { GRID_LOAD_RAMP } from '../palette.ts';

/** What `grids.layer` returns (columns; polygons delta-encoded). */
export interface GridLayerColumns {
  version: number;
  ids: number[];
  names: string[];
  polygons: number[][][][];
}

interface GridPart {
  /** Index into the grid columns. */
  grid: number;
  rings: [number, number][][];
}

export interface GridGeometry {
  version: number;
  ids: number[];
  names: string[];
  indexById: Map<number, number>;
  parts: GridPart[];
}

/** Decodes the grid layer once: one polygon part per entry (a multipolygon grid gives several). */
export function decodeGrids(layer: GridLayerColumns): GridGeometry {
  const parts: GridPart[] = [];
  layer.polygons.forEach((encoded, grid) => {
    for (const rings of decodeMultiPolygon(encoded)) parts.push({ grid, rings });
  });
  return {
    version: layer.version,
    ids: layer.ids,
    names: layer.names,
    indexById: new Map(layer.ids.map((id, i) => [id, i])),
    parts,
  };
}

/**
 * Static grid polygons, filled by load class. The geometry is tessellated once; a new
 * `classes` array only re-runs the colour accessor (`updateTriggers`).
 */
export function gridLayer(geom: GridGeometry, classes: Uint8Array, classesVersion: number) {
  return new PolygonLayer<GridPart>({
    id: `grids-v${geom.version}`,
    data: geom.parts,
    getPolygon: (d) => d.rings,
    filled: true,
    stroked: true,
    getFillColor: (d) => GRID_LOAD_RAMP[classes[d.grid] ?? 0] ?? GRID_LOAD_RAMP[0]!,
    getLineColor: [92, 178, 255, 120],
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
    lineWidthMinPixels: 1,
    pickable: false,
    updateTriggers: { getFillColor: classesVersion },
    transitions: { getFillColor: 600 },
  });
}

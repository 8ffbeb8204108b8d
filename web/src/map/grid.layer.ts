import { PolygonLayer } from '@deck.gl/layers';
import type { GridGeometry, GridPart } from './grid-geometry.ts';
import type { RGBA } from './palette.ts';

/** Grid outlines: light blue, thin, above any fill. */
const GRID_LINE: RGBA = [92, 178, 255, 120];

export interface GridFill {
  /** The fill of grid `grid` (an index into the grid columns). */
  color(grid: number): RGBA;
  /** Changes whenever `color` would answer differently: only the colours are recomputed then. */
  key: unknown;
  lineColor?: RGBA;
  /** Fade between fills, ms. */
  transitionMs?: number;
}

/**
 * The grid polygons of one boundary version. The geometry is tessellated once per version; a new
 * fill `key` only re-runs the colour accessor (`updateTriggers`).
 */
export function gridLayer(geom: GridGeometry, fill: GridFill) {
  return new PolygonLayer<GridPart>({
    id: `grids-v${geom.version}`,
    data: geom.parts,
    getPolygon: (d) => d.rings,
    filled: true,
    stroked: true,
    getFillColor: (d) => fill.color(d.grid),
    getLineColor: fill.lineColor ?? GRID_LINE,
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
    lineWidthMinPixels: 1,
    pickable: false,
    updateTriggers: { getFillColor: fill.key },
    ...(fill.transitionMs ? { transitions: { getFillColor: fill.transitionMs } } : {}),
  });
}

import { decodeMultiPolygon, GridIndex } from '@gcc/shared/geo';
import type { BoundaryVersion, GridId } from '@gcc/shared';
import type { ResultOf, TrpcClient } from '../app/trpc.ts';

/** What `grids.layer` returns (columns; polygons delta-encoded). */
export type GridLayerColumns = ResultOf<TrpcClient['grids']['layer']['query']>;

export interface GridPart {
  /** Index into the grid columns. */
  grid: number;
  rings: [number, number][][];
}

export interface GridGeometry {
  version: BoundaryVersion;
  ids: GridId[];
  names: string[];
  indexById: Map<GridId, number>;
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

/** A grid's name, `#id` for a grid the layer does not hold (outside the user's jurisdiction). */
export function gridNameOf(geom: GridGeometry | null, id: GridId): string {
  const i = geom?.indexById.get(id);
  return i === undefined ? `#${id}` : (geom?.names[i] ?? `#${id}`);
}

/**
 * The point-in-grid index of the decoded layer: a place is found in its grid as the server
 * finds it (same index, same polygons).
 */
export function gridIndexOf(geom: GridGeometry): GridIndex {
  const polygons: [number, number][][][][] = geom.ids.map(() => []);
  for (const part of geom.parts) polygons[part.grid]!.push(part.rings);
  return new GridIndex(geom.ids.map((id, i) => ({ id, polygon: polygons[i]! })));
}

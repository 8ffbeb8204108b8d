import { decodeMultiPolygon } from '@gcc/shared/geo';
import { multiPolygon, pointOnFeature } from '@turf/turf';
import type { createClient } from './client.ts';

/** A point guaranteed inside the first grid of the wall's grid layer (where a test files reports). */
export async function pointInFirstGrid(client: ReturnType<typeof createClient>): Promise<[number, number]> {
  const layer = await client.trpc.grids.layer.query();
  const [lng, lat] = pointOnFeature(multiPolygon(decodeMultiPolygon(layer.polygons[0]!))).geometry
    .coordinates as [number, number];
  return [lng, lat];
}

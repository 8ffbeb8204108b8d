// Which grid a point falls in: the product's own index (@gcc/shared/geo GridIndex: bucket grid +
// flatbush + exact ray casting), so the generator files cases exactly as the server will, plus a
// cached interior point per grid.

import * as turf from '@turf/turf';
import { GridIndex as SharedGridIndex } from '@gcc/shared/geo';
import type { GeneratedGrid, LngLat } from '../city.ts';
import { round6 } from '../geo/plane.ts';

export class GridIndex {
  private readonly index: SharedGridIndex<number>;
  private readonly interior = new Map<number, LngLat>();

  constructor(private readonly grids: readonly GeneratedGrid[]) {
    this.index = new SharedGridIndex<number>(grids.map((g, i) => ({ id: i, polygon: g.polygon })));
  }

  /** Index of the grid containing the point, or -1. */
  locate(lng: number, lat: number): number {
    return this.index.locateIndex(lng, lat);
  }

  /** A point inside grid i (turf's pointOnFeature, cached). */
  interiorPoint(i: number): LngLat {
    let p = this.interior.get(i);
    if (!p) {
      const q = turf.pointOnFeature(turf.multiPolygon(this.grids[i]!.polygon)).geometry.coordinates;
      p = [round6(q[0]!), round6(q[1]!)];
      this.interior.set(i, p);
    }
    return p;
  }
}

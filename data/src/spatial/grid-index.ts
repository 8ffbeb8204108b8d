// Which grid a point falls in: a packed R-tree over grid boxes, then an exact point-in-polygon
// test (never a nearest-centre guess, so a case is always filed in the grid that contains it).

import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import type { GeneratedGrid, LngLat } from '../city.ts';
import { bboxOfMulti, round6 } from '../geo/plane.ts';

export class GridIndex {
  private readonly index: Flatbush;
  private readonly features: ReturnType<typeof turf.multiPolygon>[];

  constructor(grids: readonly GeneratedGrid[]) {
    this.index = new Flatbush(Math.max(1, grids.length));
    this.features = grids.map((g) => {
      const [x0, y0, x1, y1] = bboxOfMulti(g.polygon);
      this.index.add(x0, y0, x1, y1);
      const f = turf.multiPolygon(g.polygon);
      f.bbox = [x0, y0, x1, y1];
      return f;
    });
    if (grids.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /** Index of the grid containing the point (the lowest index on a shared edge), or -1. */
  locate(lng: number, lat: number): number {
    const hits = this.index.search(lng, lat, lng, lat);
    let found = -1;
    for (const h of hits) {
      if (found >= 0 && h > found) continue;
      const f = this.features[h];
      if (f && turf.booleanPointInPolygon([lng, lat], f)) found = h;
    }
    return found;
  }

  /** A point inside grid i (turf's pointOnFeature, cached). */
  private interior = new Map<number, LngLat>();
  interiorPoint(i: number): LngLat {
    let p = this.interior.get(i);
    if (!p) {
      const q = turf.pointOnFeature(this.features[i]!).geometry.coordinates;
      p = [round6(q[0]!), round6(q[1]!)];
      this.interior.set(i, p);
    }
    return p;
  }
}

import { booleanPointInPolygon, multiPolygon, point } from '@turf/turf';
import type { GridId } from '@gcc/shared';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../server/src/db/connect.ts';
import { addressPoints } from '../../server/src/db/schema.ts';

// The baseline of `publish_city_ms`: re-keying address points as a turf-based tool does it, row
// by row — read a point, find its grid with turf booleanPointInPolygon over the grids whose box
// holds it (a linear scan of boxes), write it back with its own UPDATE. The first `sample` points
// are re-keyed (to the grid they already have after the publish, so the data stays as it is).

export async function turfRekeyRowByRow(
  db: Db,
  grids: readonly { id: GridId; code: string; polygon: number[][][][] }[],
  sample: number,
): Promise<{ rows: number; ms: number; unmatched: number }> {
  const shapes = grids.map((g) => {
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of g.polygon)
      for (const [x, y] of poly[0]!) {
        b[0] = Math.min(b[0]!, x!);
        b[1] = Math.min(b[1]!, y!);
        b[2] = Math.max(b[2]!, x!);
        b[3] = Math.max(b[3]!, y!);
      }
    return { code: g.code, box: b, feature: multiPolygon(g.polygon) };
  });
  const t0 = performance.now();
  const rows = await db
    .select({ id: addressPoints.id, lng: addressPoints.lng, lat: addressPoints.lat })
    .from(addressPoints)
    .orderBy(asc(addressPoints.id))
    .limit(sample);
  let unmatched = 0;
  for (const r of rows) {
    const p = point([r.lng, r.lat]);
    const hit = shapes.find(
      (s) =>
        r.lng >= s.box[0]! &&
        r.lng <= s.box[2]! &&
        r.lat >= s.box[1]! &&
        r.lat <= s.box[3]! &&
        booleanPointInPolygon(p, s.feature),
    );
    if (!hit) {
      unmatched++;
      continue;
    }
    await db.update(addressPoints).set({ gridCode: hit.code }).where(eq(addressPoints.id, r.id));
  }
  return { rows: rows.length, ms: performance.now() - t0, unmatched };
}

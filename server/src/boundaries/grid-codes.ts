import { area, centroid, multiPolygon } from '@turf/turf';
import { serialOrder } from '@gcc/data';
import { formatGridCode, type GridId, type UnitId } from '@gcc/shared';
import { sql } from 'drizzle-orm';
import type { Tx } from '../live/event-log.ts';
import { grids } from '../db/schema.ts';

// Codes for the grids a publish adds (GB/T 30428, DB11/T 2157): community code (12 digits) +
// serial (3). The grids a version keeps keep their serials; new ones continue after the highest
// serial the community ever had — retired codes included, so a code once given names one grid
// for good — in west→east, north→south order among themselves (the generator's serialOrder).

export interface NewGrid {
  /** The provisional id the plan gave it. */
  id: GridId;
  communityId: UnitId;
  polygon: number[][][][];
}

export interface CodedGrid {
  code: string;
  serial: number;
}

/** The highest serial each community (by its 12-digit code) ever gave, read inside the publish transaction. */
export async function highestSerials(tx: Pick<Tx, 'execute'>): Promise<Map<string, number>> {
  const res = (await tx.execute(
    sql`select substr(${grids.code}, 1, 12) as community, max(substr(${grids.code}, 13, 3)::int) as serial
        from ${grids} group by 1`,
  )) as unknown as { rows: { community: string; serial: number | string }[] };
  return new Map(res.rows.map((r) => [r.community, Number(r.serial)]));
}

/** Square metres of a grid (what the row's area_km2 and the row height of the serial order use). */
export function gridAreaM2(polygon: number[][][][]): number {
  return area(multiPolygon(polygon));
}

/** Codes for new grids: per community, after its highest serial, in serial order of their centroids. */
export function assignGridCodes(
  added: readonly NewGrid[],
  communityCode: (unit: UnitId) => string,
  highest: ReadonlyMap<string, number>,
): Map<GridId, CodedGrid> {
  const byCommunity = new Map<UnitId, NewGrid[]>();
  for (const g of added) {
    const list = byCommunity.get(g.communityId) ?? [];
    list.push(g);
    byCommunity.set(g.communityId, list);
  }
  const out = new Map<GridId, CodedGrid>();
  for (const [unit, list] of byCommunity) {
    const prefix = communityCode(unit);
    const centroids = list.map(
      (g) => centroid(multiPolygon(g.polygon)).geometry.coordinates as [number, number],
    );
    // A row is one typical grid high: the square root of the mean area, in degrees (as the generator reads it).
    const meanM2 = list.reduce((s, g) => s + gridAreaM2(g.polygon), 0) / list.length;
    const rowHeight = Math.max(1e-6, Math.sqrt(meanM2) / 111_320);
    let serial = highest.get(prefix) ?? 0;
    for (const i of serialOrder(centroids, rowHeight)) {
      serial++;
      const code = formatGridCode({
        region: prefix.slice(0, 6),
        street: prefix.slice(6, 9),
        community: prefix.slice(9, 12),
        serial,
      });
      out.set(list[i]!.id, { code, serial });
    }
  }
  return out;
}

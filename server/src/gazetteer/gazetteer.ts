import type { BoundaryVersion, GridId, UnitId } from '@gcc/shared';
import { greatCircleM } from '@gcc/shared/geo';
import type { Db } from '../db/connect.ts';
import { addressPoints, places, roads } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { Boundary } from '../spatial/boundary.ts';
import { addressPointsReady } from '../seed/address-point-loader.ts';
import { labelPoint } from '../spatial/label-point.ts';
import { AddressIndex, type GazetteerEntry } from './address-index.ts';

// The gazetteer as the server loads it: the address points, roads and places the data package
// generated (tables address_points, roads, places), and the units and grids of the boundary in
// force. Built on first use and again after a boundary version takes effect (a publish re-keys
// address points to new grids; units and grids change); one build at a time, the old index
// answering until the new one is ready.

type Point = { lng: number; lat: number; gridId: GridId };

export class Gazetteer {
  private built: { version: BoundaryVersion; index: Promise<AddressIndex> } | null = null;
  private ready: AddressIndex | null = null;

  constructor(
    private readonly db: Db,
    private readonly boundary: () => Boundary,
    private readonly log: Logger,
  ) {}

  /** The index of the boundary version in force (the previous one while a new one is built). */
  async index(): Promise<AddressIndex> {
    const boundary = this.boundary();
    if (this.built?.version !== boundary.version) {
      const index = this.build(boundary);
      this.built = { version: boundary.version, index };
      index.then(
        (i) => {
          this.ready = i;
        },
        () => {
          // A failed build is tried again on the next call.
          if (this.built?.index === index) this.built = null;
        },
      );
    }
    return this.ready ?? this.built!.index;
  }

  private async build(boundary: Boundary): Promise<AddressIndex> {
    const t0 = performance.now();
    // A first start writes its address points behind the listening server: the index waits for all of them.
    await addressPointsReady(this.db);
    const [points, roadRows, placeRows] = await Promise.all([
      this.db
        .select({
          label: addressPoints.label,
          lng: addressPoints.lng,
          lat: addressPoints.lat,
          gridCode: addressPoints.gridCode,
        })
        .from(addressPoints),
      this.db.select({ name: roads.name, coords: roads.coords }).from(roads),
      this.db
        .select({ name: places.name, lng: places.lng, lat: places.lat, gridId: places.gridId })
        .from(places),
    ]);
    const current = (g: GridId | null) => g !== null && boundary.isCurrent(g);
    const entries: GazetteerEntry[] = [];

    // A grid's point: its address point nearest to the grid's vertex average (address points
    // stand strictly inside their grid; a concave grid's average may not).
    const gridPoint = new Map<GridId, Point>();
    const gridMiddle = new Map<GridId, [number, number]>();
    for (const g of boundary.grids) gridMiddle.set(g.id, labelPoint(g.polygon));
    const best = new Map<GridId, number>();
    for (const p of points) {
      const gridId = boundary.gridOfCode(p.gridCode);
      if (gridId === undefined) continue;
      entries.push({
        kind: 'address',
        name: p.label,
        points: [{ lng: p.lng, lat: p.lat, gridId }],
      });
      const mid = gridMiddle.get(gridId);
      if (!mid) continue;
      const d = greatCircleM(mid[0], mid[1], p.lng, p.lat);
      if (d < (best.get(gridId) ?? Infinity)) {
        best.set(gridId, d);
        gridPoint.set(gridId, { lng: p.lng, lat: p.lat, gridId });
      }
    }
    for (const g of boundary.grids) {
      if (gridPoint.has(g.id)) continue;
      const [lng, lat] = gridMiddle.get(g.id)!;
      const inside = boundary.index.locate(lng, lat) === g.id;
      const [x, y] = inside ? [lng, lat] : g.polygon[0]![0]![0]!;
      gridPoint.set(g.id, { lng: x!, lat: y!, gridId: g.id });
    }
    for (const g of boundary.grids)
      entries.push({ kind: 'grid', name: g.name, points: [gridPoint.get(g.id)!] });

    // A unit stands at every one of its grids, nearest its middle first: a user of one community
    // finds its street by name at a point of its own.
    const gridsOf = new Map<UnitId, GridId[]>();
    for (const u of boundary.units) gridsOf.set(u.id, [...boundary.gridIdsUnder(u.id)]);
    for (const u of boundary.units) {
      if (u.level === 'city') continue;
      const pts = (gridsOf.get(u.id) ?? []).map((g) => gridPoint.get(g)).filter((p) => p !== undefined);
      if (!pts.length) continue;
      entries.push({ kind: u.level, name: u.name, points: middleOut(pts) });
    }

    // A road is many rows (segments) of one name: one point per grid it passes, middle first.
    const roadPoints = new Map<string, Point[]>();
    for (const r of roadRows) {
      const list = roadPoints.get(r.name) ?? [];
      for (const [lng, lat] of r.coords) {
        const gridId = boundary.index.locate(lng, lat);
        if (gridId !== null) list.push({ lng, lat, gridId });
      }
      roadPoints.set(r.name, list);
    }
    for (const [name, list] of roadPoints) {
      if (!list.length) continue;
      const seen = new Set<GridId>();
      const pts = middleOut(list).filter((p) => !seen.has(p.gridId) && seen.add(p.gridId));
      entries.push({ kind: 'road', name, points: pts });
    }

    for (const p of placeRows) {
      const gridId = current(p.gridId) ? p.gridId! : boundary.index.locate(p.lng, p.lat);
      if (gridId !== null)
        entries.push({ kind: 'place', name: p.name, points: [{ lng: p.lng, lat: p.lat, gridId }] });
    }

    const areaOf = (gridId: GridId): string => {
      const grid = boundary.gridById.get(gridId);
      const community = grid ? boundary.unitById.get(grid.communityId) : undefined;
      const street = community?.parentId != null ? boundary.unitById.get(community.parentId) : undefined;
      return [street?.name, community?.name].filter(Boolean).join(' · ');
    };
    const index = new AddressIndex(entries, areaOf);
    this.log.info(
      { entries: index.size, version: boundary.version, ms: Math.round(performance.now() - t0) },
      'gazetteer built',
    );
    return index;
  }
}

/** Points ordered from the one nearest their middle (vertex average) outwards. */
function middleOut<P extends { lng: number; lat: number }>(pts: readonly P[]): P[] {
  let x = 0;
  let y = 0;
  for (const p of pts) {
    x += p.lng;
    y += p.lat;
  }
  x /= pts.length;
  y /= pts.length;
  const d = (p: P) => (p.lng - x) ** 2 + (p.lat - y) ** 2;
  return [...pts].sort((a, b) => d(a) - d(b));
}

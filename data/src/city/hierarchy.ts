// Writes the layout out as units and grids: codes, names, households, and every polygon read
// from the layout's coverage. A unit's polygon is the boundary between its cells and the
// others', edge for edge, so units tile their parent by construction and neighbours at every
// level share their boundary with the same vertices (what the planner's topology needs).

import * as turf from '@turf/turf';
import { formatGridCode } from '@gcc/shared';
import { HOUSEHOLD_BANDS } from '@gcc/shared/planning';
import type { GeneratedGrid, GeneratedUnit, LngLat, MultiPolygonCoords } from '../city.ts';
import type { Rng } from '../random.ts';
import type { LatticeMultiPolygon } from '../geo/coverage.ts';
import { latticeToLngLat, multiPolygonArea, multiPolygonCentroid } from '../geo/plane.ts';
import type { Layout } from './layout.ts';

export interface Hierarchy {
  units: GeneratedUnit[];
  grids: GeneratedGrid[];
  outline: MultiPolygonCoords;
  /** Layout cell index of each grid (grids are in code order). */
  gridCell: number[];
  /** Grid index of each layout cell, -1 when the cell became no grid. */
  cellGrid: Int32Array;
}

function toOutput(mp: LatticeMultiPolygon): MultiPolygonCoords {
  return mp.map((poly) => poly.map((ring) => ring.map(([x, y]): LngLat => latticeToLngLat(x, y))));
}

/**
 * Serial order inside a community (DB11/T 2157: west→east, north→south): cells are read row by
 * row from the north, a row being a band one typical cell high, and west to east in a row.
 */
export function serialOrder(centroids: readonly [number, number][], rowHeight: number): number[] {
  if (centroids.length === 0) return [];
  const top = Math.max(...centroids.map((c) => c[1]));
  const band = centroids.map((c) => Math.floor((top - c[1]) / rowHeight));
  return centroids
    .map((_, i) => i)
    .sort((a, b) => band[a]! - band[b]! || centroids[a]![0] - centroids[b]![0] || a - b);
}

export function buildHierarchy(layout: Layout, rng: Rng, city: { code: string; name: string }): Hierarchy {
  const { cells, communities, streets, coverage } = layout;
  const inCity = (cell: number): boolean => cells[cell]!.community >= 0;
  const cellPoly = coverage.regions(cells.length, (c) => (inCity(c) ? c : -1)).map((mp) => toOutput(mp));
  const streetOf = (cell: number): number => communities[cells[cell]!.community]!.street;
  const communityPoly = coverage.regions(communities.length, (c) => (inCity(c) ? cells[c]!.community : -1));
  const streetPoly = coverage.regions(streets.length, (c) => (inCity(c) ? streetOf(c) : -1));
  const districtPoly = coverage.regions(layout.zones.length, (c) =>
    inCity(c) ? streets[streetOf(c)]!.district : -1,
  );
  const cityPoly = coverage.regions(1, (c) => (inCity(c) ? 0 : -1))[0]!;
  const byCommunity = new Map<number, number[]>();
  layout.cells.forEach((c, i) => {
    if (c.community < 0 || cellPoly[i]!.length === 0) return;
    const list = byCommunity.get(c.community) ?? [];
    list.push(i);
    byCommunity.set(c.community, list);
  });

  const grids: GeneratedGrid[] = [];
  const gridCell: number[] = [];
  const communityUnits: GeneratedUnit[] = [];
  const communityOrder = [...byCommunity.keys()].sort((a, b) =>
    layout.communities[a]!.div.code < layout.communities[b]!.div.code ? -1 : 1,
  );
  for (const ci of communityOrder) {
    const comm = layout.communities[ci]!;
    const members = byCommunity.get(ci)!;
    const centroids = members.map((i) => multiPolygonCentroid(layout.cells[i]!.poly));
    const meanArea =
      members.reduce((a, i) => a + multiPolygonArea(layout.cells[i]!.poly), 0) / members.length;
    const order = serialOrder(centroids, Math.sqrt(meanArea));
    const code = comm.div.code;
    order.forEach((m, k) => {
      const cellIndex = members[m]!;
      const polygon = cellPoly[cellIndex]!;
      const areaKm2 = Math.round(turf.area(turf.multiPolygon(polygon)) / 100) / 1e4;
      const urban = comm.div.urban;
      // The default bands: urban grids 300–500 households; rural grids follow villages, bigger land, 150–600.
      const [lo, hi] = urban ? HOUSEHOLD_BANDS.urban : HOUSEHOLD_BANDS.rural;
      const households = urban
        ? rng.int(lo, hi)
        : Math.round(lo + (hi - lo) * Math.min(1, 0.5 * rng.next() + 0.25 * Math.sqrt(areaKm2)));
      grids.push({
        code: formatGridCode({
          region: code.slice(0, 6),
          street: code.slice(6, 9),
          community: code.slice(9, 12),
          serial: k + 1,
        }),
        name: `${comm.div.name}第${k + 1}网格`,
        communityCode: code,
        polygon,
        households,
        population: Math.round(households * rng.range(2.4, 3.0)),
        urban,
        areaKm2,
      });
      gridCell.push(cellIndex);
    });
    communityUnits.push({
      code,
      level: 'community',
      name: comm.div.name,
      parentCode: layout.streets[comm.street]!.div.code,
      polygon: toOutput(communityPoly[ci]!),
      urban: comm.div.urban,
    });
  }

  const streetUnits: GeneratedUnit[] = [];
  layout.streets.forEach((s, si) => {
    const kids = communityUnits.filter((u) => u.parentCode === s.div.code);
    if (kids.length === 0) return;
    streetUnits.push({
      code: s.div.code,
      level: 'street',
      name: s.div.name,
      parentCode: layout.zones[s.district]!.district.code,
      polygon: toOutput(streetPoly[si]!),
      urban: s.div.urban,
    });
  });
  const districtUnits: GeneratedUnit[] = [];
  layout.zones.forEach((z, zi) => {
    const kids = streetUnits.filter((u) => u.parentCode === z.district.code);
    if (kids.length === 0) return;
    districtUnits.push({
      code: z.district.code,
      level: 'district',
      name: z.district.name,
      parentCode: city.code,
      polygon: toOutput(districtPoly[zi]!),
      // 区 are urban districts; 县 and county-level 市 are mostly rural.
      urban: z.district.name.endsWith('区'),
    });
  });
  const outline = toOutput(cityPoly);
  const cityUnit: GeneratedUnit = {
    code: city.code,
    level: 'city',
    name: city.name,
    parentCode: null,
    polygon: outline,
    urban: true,
  };
  const byCode = (a: GeneratedUnit | GeneratedGrid, b: GeneratedUnit | GeneratedGrid): number =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  districtUnits.sort(byCode);
  streetUnits.sort(byCode);
  communityUnits.sort(byCode);
  const gridOrder = grids.map((_, i) => i).sort((a, b) => byCode(grids[a]!, grids[b]!));
  const sortedGrids = gridOrder.map((i) => grids[i]!);
  const sortedCells = gridOrder.map((i) => gridCell[i]!);
  const cellGrid = new Int32Array(layout.cells.length).fill(-1);
  sortedCells.forEach((c, g) => {
    cellGrid[c] = g;
  });
  return {
    units: [cityUnit, ...districtUnits, ...streetUnits, ...communityUnits],
    grids: sortedGrids,
    outline,
    gridCell: sortedCells,
    cellGrid,
  };
}

/** Share of urban grids that outgrew the band: new housing estates (新建小区) a planner has to split. */
export const NEW_ESTATE_SHARE = 0.025;
/** Households of a grid with a new estate: over the urban band's 500. */
export const NEW_ESTATE_HOUSEHOLDS: readonly [number, number] = [550, 800];

/**
 * Gives a few urban grids (NEW_ESTATE_SHARE, at least one) the households of a new housing estate,
 * over the urban band: the demo city must give a planner something to fix. Population keeps the
 * grid's people per household. Uses its own stream, so the rest of the city does not change.
 */
export function addNewEstates(grids: GeneratedGrid[], rng: Rng): void {
  const urban = grids.filter((g) => g.urban);
  if (urban.length === 0) return;
  const count = Math.max(1, Math.round(NEW_ESTATE_SHARE * urban.length));
  for (const g of rng.shuffle([...urban]).slice(0, count)) {
    const perHousehold = g.population / g.households;
    g.households = rng.int(NEW_ESTATE_HOUSEHOLDS[0], NEW_ESTATE_HOUSEHOLDS[1]);
    g.population = Math.round(g.households * perHousehold);
  }
}

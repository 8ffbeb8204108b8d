// The generated city: the contract between the generator and its consumers (the server's
// seeding, the tests, the benchmarks). Coordinates are WGS-84 [lng, lat] everywhere.

import type { CaseSource, StaffRole, UnitLevel } from '@gcc/shared';
import type { AddressPointColumns } from '@gcc/shared/planning';
import type { GeneratedDepartment } from './departments.ts';

// The domain's own words, as the server and the web app spell them.
export type { CaseSource, StaffRole, UnitLevel };

export type LngLat = [number, number];
/** GeoJSON-style polygon: rings of positions, first ring outer, closed (first == last). */
export type PolygonCoords = LngLat[][];
/** GeoJSON-style multipolygon. */
export type MultiPolygonCoords = PolygonCoords[];

export type Profile = 'tiny' | 'demo' | 'quzhou' | 'stress';

export interface GeneratedUnit {
  /** Statistical code: city 6 digits ("330800"), district 6 ("330802"), street 9, community 12. */
  code: string;
  level: UnitLevel;
  name: string;
  parentCode: string | null;
  /** Exactly the union of its children (grids for a community). */
  polygon: MultiPolygonCoords;
  urban: boolean;
}

export interface GeneratedGrid {
  /** 15-digit GB/T 30428 code: community code (12) + serial (3), serial west→east, north→south. */
  code: string;
  /** e.g. "金桂社区第3网格". */
  name: string;
  communityCode: string;
  polygon: MultiPolygonCoords;
  households: number;
  population: number;
  urban: boolean;
  areaKm2: number;
}

export type RoadClass = 'primary' | 'secondary' | 'street' | 'rural';

export interface GeneratedRoad {
  id: number;
  class: RoadClass;
  name: string;
  /** Polyline; consecutive roads share exact vertex coordinates where they meet (the graph). */
  coords: LngLat[];
}

export interface GeneratedWater {
  name: string;
  kind: 'river' | 'lake';
  polygon: MultiPolygonCoords;
}

export type PlaceKind = 'school' | 'market' | 'hospital' | 'hazard' | 'elderly-care' | 'government';

export interface GeneratedPlace {
  kind: PlaceKind;
  name: string;
  lng: number;
  lat: number;
  gridCode: string;
}

export interface GeneratedStaff {
  /** 1-based dense id, stable for a seed. */
  id: number;
  name: string;
  role: StaffRole;
  gridCode: string;
  phone: string;
  /** Where the worker starts the day (on a road of its grid when there is one). */
  home: LngLat;
}

/** One historical case with the times of the steps it reached (ms since epoch, UTC). */
export interface GeneratedCase {
  source: CaseSource;
  /** Subcategory code from @gcc/shared's category table. */
  category: string;
  lng: number;
  lat: number;
  gridCode: string;
  description: string;
  reportedAt: number;
  registeredAt: number | null;
  rejectedAt: number | null;
  dispatchedAt: number | null;
  acceptedAt: number | null;
  handledAt: number | null;
  verifiedAt: number | null;
  closedAt: number | null;
  /** 评价: when the closed case was evaluated, and how (a share of closed cases is). */
  evaluatedAt: number | null;
  rating: 'satisfied' | 'basic' | 'unsatisfied' | null;
  /** 挂账: parked since (only a few of today's and yesterday's open cases). */
  parkedAt: number | null;
  /** Staff id of the handler when dispatched. */
  assigneeId: number | null;
  /** True when the first verification failed (返工) before closing. */
  reworked: boolean;
  /** True when handled on the spot by the reporting worker (现场处置). */
  onSite: boolean;
  /** 作废立案: registered, then returned to intake and rejected at this time (准确立案率 < 100 %). */
  voidedAt: number | null;
  /** 上报升级: escalated from the community to the street before dispatch (not resolved inside the grid). */
  escalatedAt: number | null;
  /** The (last) feedback was on the spot: the reporter's own 现场处置, or the dispatched worker's on arrival. */
  handledOnSite: boolean;
}

/**
 * Address points (标准地址), one building (楼栋) each, as columns (a few hundred thousand on the
 * stress city): position (6 decimals), households, residents, the grid (index into `City.grids`)
 * and a label ("人民路25号", "金桂小区3栋", "童村碓村12号"). Points lie strictly inside their grid,
 * in grid order, and each grid's points sum to its households and population.
 */
export interface GeneratedAddressPoints extends AddressPointColumns {
  grid: Uint32Array;
  labels: string[];
}

export interface City {
  profile: Profile;
  seed: number;
  name: string;
  code: string;
  bbox: [number, number, number, number];
  outline: MultiPolygonCoords;
  units: GeneratedUnit[];
  grids: GeneratedGrid[];
  roads: GeneratedRoad[];
  water: GeneratedWater[];
  places: GeneratedPlace[];
  staff: GeneratedStaff[];
  cases: GeneratedCase[];
  /** Handling departments (专业部门). */
  departments: GeneratedDepartment[];
  addressPoints: GeneratedAddressPoints;
}

// The sizes the generator is run at. `tiny` keeps unit tests fast, `demo` is what a laptop
// shows by default, `quzhou` matches the published Quzhou figures (4,191 grids, ~38,000
// 一长三员 staff, 6 county-level units, 100 townships, 1,664 villages/communities) and
// `stress` is the load-test city.

import type { LngLat, Profile } from './city.ts';

export interface ProfileParams {
  /** County-level units (6-digit codes, 衢州市) used when no outline supplies them. */
  districts: readonly string[];
  /** Number of grids to generate (exact). */
  grids: number;
  /** Target number of staff; the per-grid role rules (一长三员) may keep the total a little off. */
  staff: number;
  /** Days of case history ending at `now`. */
  historyDays: number;
  /** Mean cases reported per grid per day (demo: ~300 a day over 1,200 grids). */
  casesPerGridPerDay: number;
  /** Keep at most this many communities in all, taking whole streets in code order per district. */
  maxCommunities?: number;
  /** Keep this many streets per district, spread over the district's list. */
  maxStreetsPerDistrict?: number;
  /** Keep this many communities per street, spread over the street's list. */
  maxCommunitiesPerStreet?: number;
  /** Area of an urban grid (300–500 households at ~12,000 people per km²). */
  urbanGridKm2: number;
  /** Area of a rural grid; sets the size of a synthesized outline. */
  ruralGridKm2: number;
}

/** Quzhou's government seat (柯城区), WGS-84: where a synthesized city centres when no seat is known. */
export const QUZHOU_CENTER: LngLat = [118.87, 28.94];

const ALL_QUZHOU = ['330802', '330803', '330822', '330824', '330825', '330881'] as const;

export const PROFILES: Readonly<Record<Profile, ProfileParams>> = {
  tiny: {
    districts: ['330802'],
    grids: 40,
    staff: 150,
    historyDays: 7,
    casesPerGridPerDay: 0.25,
    maxStreetsPerDistrict: 2,
    maxCommunitiesPerStreet: 5,
    urbanGridKm2: 0.09,
    ruralGridKm2: 0.8,
  },
  demo: {
    districts: ['330802', '330803'],
    grids: 1200,
    staff: 5000,
    historyDays: 90,
    casesPerGridPerDay: 0.25,
    maxCommunities: 200,
    urbanGridKm2: 0.09,
    ruralGridKm2: 1.8,
  },
  quzhou: {
    districts: ALL_QUZHOU,
    grids: 4191,
    staff: 38000,
    historyDays: 90,
    casesPerGridPerDay: 0.25,
    urbanGridKm2: 0.09,
    ruralGridKm2: 2.9,
  },
  stress: {
    districts: ALL_QUZHOU,
    grids: 5000,
    staff: 40000,
    historyDays: 90,
    casesPerGridPerDay: 0.25,
    urbanGridKm2: 0.09,
    ruralGridKm2: 2.5,
  },
};

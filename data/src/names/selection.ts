// Which real units a profile uses: small profiles keep a subset of the city's streets and
// communities so that every kept community still gets at least one grid.

import type { ProfileParams } from '../profiles.ts';
import type { DivisionDistrict, DivisionStreet } from './divisions.ts';

/** k indices spread evenly over 0..n-1 (always includes 0). */
function spread<T>(items: readonly T[], k: number): T[] {
  if (k >= items.length) return [...items];
  const out: T[] = [];
  for (let i = 0; i < k; i++) out.push(items[Math.floor((i * items.length) / k)]!);
  return out;
}

/** Applies the profile's subset rules to the districts in use (their order is kept). */
export function selectUnits(
  districts: readonly DivisionDistrict[],
  profile: Pick<ProfileParams, 'maxCommunities' | 'maxStreetsPerDistrict' | 'maxCommunitiesPerStreet'>,
): DivisionDistrict[] {
  const total = districts.reduce((a, d) => a + d.streets.reduce((b, s) => b + s.communities.length, 0), 0);
  return districts.map((d) => {
    let streets: DivisionStreet[] = d.streets;
    if (profile.maxStreetsPerDistrict !== undefined) streets = spread(streets, profile.maxStreetsPerDistrict);
    if (profile.maxCommunitiesPerStreet !== undefined) {
      const k = profile.maxCommunitiesPerStreet;
      streets = streets.map((s) => ({ ...s, communities: spread(s.communities, k) }));
    }
    if (profile.maxCommunities !== undefined && total > profile.maxCommunities) {
      // The budget is shared in proportion to each district's size; whole streets are taken in
      // code order, which puts the urban 街道 (codes 0xx) before the towns (1xx, 2xx).
      const own = d.streets.reduce((b, s) => b + s.communities.length, 0);
      const budget = Math.max(1, Math.floor((profile.maxCommunities * own) / total));
      const kept: DivisionStreet[] = [];
      let used = 0;
      for (const s of streets) {
        if (kept.length > 0 && used + s.communities.length > budget) break;
        const take = kept.length === 0 ? s.communities.slice(0, budget) : s.communities;
        kept.push({ ...s, communities: take });
        used += take.length;
      }
      streets = kept;
    }
    return { ...d, streets };
  });
}

const countCommunities = (ds: readonly DivisionDistrict[]): number =>
  ds.reduce((a, d) => a + d.streets.reduce((b, s) => b + s.communities.length, 0), 0);

/**
 * Trims the selection until every community can have `gridsPerCommunity` grids on average
 * (e.g. the tiny profile given all six districts of a boundary file): fewer communities per
 * street first, then fewer streets per district, never below one of each.
 */
export function fitToGrids(
  districts: readonly DivisionDistrict[],
  grids: number,
  gridsPerCommunity = 2,
): DivisionDistrict[] {
  const limit = Math.max(districts.length, Math.floor(grids / gridsPerCommunity));
  let out = districts.map((d) => ({ ...d, streets: [...d.streets] }));
  const maxPerStreet = Math.max(1, ...out.flatMap((d) => d.streets.map((s) => s.communities.length)));
  for (let cap = maxPerStreet; cap >= 1 && countCommunities(out) > limit; cap--) {
    out = districts.map((d) => ({
      ...d,
      streets: d.streets.map((s) => ({ ...s, communities: spread(s.communities, cap) })),
    }));
  }
  for (
    let cap = Math.max(...out.map((d) => d.streets.length));
    cap >= 1 && countCommunities(out) > limit;
    cap--
  ) {
    out = out.map((d) => ({ ...d, streets: spread(d.streets, cap) }));
  }
  return out;
}

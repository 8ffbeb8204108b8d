// Great-circle distance in metres: the product's one haversine (duplicate search, dispatch
// ranking, road ETAs), written out exactly as turf's `distance` computes it (mean Earth radius
// 6,371,008.8 m) so that the dispatch ranking and the turf baseline of the `recommend` benchmark
// compare bit-identical scores.

/** Mean Earth radius in metres, as turf uses. */
export const EARTH_RADIUS_M = 6_371_008.8;
const toRad = (deg: number) => ((deg % 360) * Math.PI) / 180;

/** Great-circle (haversine) distance in metres; identical to turf `distance(..., { units: 'meters' })`. */
export function greatCircleM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = toRad(lat2 - lat1);
  const dLon = toRad(lng2 - lng1);
  const a =
    Math.pow(Math.sin(dLat / 2), 2) +
    Math.pow(Math.sin(dLon / 2), 2) * Math.cos(toRad(lat1)) * Math.cos(toRad(lat2));
  return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a)) * EARTH_RADIUS_M;
}

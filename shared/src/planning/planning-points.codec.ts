import { z } from 'zod';

// The points a planner's statistics are counted from, as columns (struct of arrays), and their
// compact JSON wire form. One address point is one building (楼栋) at one standard address
// (标准地址): a grid's `buildings` is the number of its points. A case point is one case location
// with flags (open now, reported in the last 90 days); no personal data travels.
//
// Wire form (JSON-safe, like `encodeMultiPolygon`): coordinates as integers at 1e-6 degrees
// (≈ 0.1 m), the first point absolute and every next one as a delta from the one before, so
// points sorted by grid encode in a few digits each; the other columns as plain integers.

/** Integers per degree on the wire: the generator's 6-decimal output survives exactly. */
export const POINTS_WIRE_SCALE = 1e6;
export const POINTS_WIRE_VERSION = 1;

/** Largest households or residents count of one point (the columns are Uint16). */
export const MAX_POINT_COUNT = 65_535;

/** Address points (楼栋 / 标准地址) as columns; index i is one point in every column. */
export interface AddressPointColumns {
  lng: Float64Array;
  lat: Float64Array;
  households: Uint16Array;
  residents: Uint16Array;
}

/** Case locations as columns. */
export interface CasePointColumns {
  lng: Float64Array;
  lat: Float64Array;
  /** CASE_OPEN | CASE_RECENT bits. */
  flags: Uint8Array;
}

/** The case is not closed, rejected or merged. */
export const CASE_OPEN = 1;
/** The case was reported in the last 90 days. */
export const CASE_RECENT = 2;

export function createAddressPointColumns(n: number): AddressPointColumns {
  return {
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    households: new Uint16Array(n),
    residents: new Uint16Array(n),
  };
}

export function createCasePointColumns(n: number): CasePointColumns {
  return { lng: new Float64Array(n), lat: new Float64Array(n), flags: new Uint8Array(n) };
}

const wireInt = z.number().int().safe();
const count = z.number().int().min(0).max(MAX_POINT_COUNT);

/** Address points on the wire; parse untrusted input with it, then `decodeAddressPoints`. */
export const AddressPointsWireSchema = z.object({
  v: z.literal(POINTS_WIRE_VERSION),
  /** [x0, y0, dx1, dy1, …] at 1e-6 degrees. */
  coords: z.array(wireInt),
  households: z.array(count),
  residents: z.array(count),
});
export type AddressPointsWire = z.infer<typeof AddressPointsWireSchema>;

/** Case points on the wire. */
export const CasePointsWireSchema = z.object({
  v: z.literal(POINTS_WIRE_VERSION),
  coords: z.array(wireInt),
  flags: z.array(
    z
      .number()
      .int()
      .min(0)
      .max(CASE_OPEN | CASE_RECENT),
  ),
});
export type CasePointsWire = z.infer<typeof CasePointsWireSchema>;

function encodeCoords(lng: Float64Array, lat: Float64Array): number[] {
  const out = new Array<number>(lng.length * 2);
  let px = 0;
  let py = 0;
  for (let i = 0; i < lng.length; i++) {
    const x = Math.round(lng[i]! * POINTS_WIRE_SCALE);
    const y = Math.round(lat[i]! * POINTS_WIRE_SCALE);
    out[2 * i] = x - px;
    out[2 * i + 1] = y - py;
    px = x;
    py = y;
  }
  return out;
}

export const POINTS_DECODE_REASONS = ['odd-coords', 'length-mismatch', 'out-of-range'] as const;
export type PointsDecodeReason = (typeof POINTS_DECODE_REASONS)[number];
export type PointsDecodeError = { ok: false; reason: PointsDecodeReason; at?: number };

/** Decodes delta coordinates into lng/lat columns; refuses a count mismatch or a point off the globe. */
function decodeCoords(
  coords: readonly number[],
  n: number,
): { ok: true; lng: Float64Array; lat: Float64Array } | PointsDecodeError {
  if (coords.length % 2 !== 0) return { ok: false, reason: 'odd-coords' };
  if (coords.length / 2 !== n) return { ok: false, reason: 'length-mismatch' };
  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += coords[2 * i]!;
    y += coords[2 * i + 1]!;
    const a = x / POINTS_WIRE_SCALE;
    const b = y / POINTS_WIRE_SCALE;
    if (!(a >= -180 && a <= 180 && b >= -90 && b <= 90)) return { ok: false, reason: 'out-of-range', at: i };
    lng[i] = a;
    lat[i] = b;
  }
  return { ok: true, lng, lat };
}

/** Address points → wire form. */
export function encodeAddressPoints(p: AddressPointColumns): AddressPointsWire {
  return {
    v: POINTS_WIRE_VERSION,
    coords: encodeCoords(p.lng, p.lat),
    households: Array.from(p.households),
    residents: Array.from(p.residents),
  };
}

/** Wire form (already parsed by `AddressPointsWireSchema`) → columns, or the reason it is not a point set. */
export function decodeAddressPoints(
  w: AddressPointsWire,
): ({ ok: true } & { points: AddressPointColumns }) | PointsDecodeError {
  const n = w.households.length;
  if (w.residents.length !== n) return { ok: false, reason: 'length-mismatch' };
  const c = decodeCoords(w.coords, n);
  if (!c.ok) return c;
  return {
    ok: true,
    points: {
      lng: c.lng,
      lat: c.lat,
      households: Uint16Array.from(w.households),
      residents: Uint16Array.from(w.residents),
    },
  };
}

/** Case points → wire form. */
export function encodeCasePoints(p: CasePointColumns): CasePointsWire {
  return { v: POINTS_WIRE_VERSION, coords: encodeCoords(p.lng, p.lat), flags: Array.from(p.flags) };
}

/** Wire form (parsed by `CasePointsWireSchema`) → columns, or the reason it is not a point set. */
export function decodeCasePoints(
  w: CasePointsWire,
): ({ ok: true } & { points: CasePointColumns }) | PointsDecodeError {
  const c = decodeCoords(w.coords, w.flags.length);
  if (!c.ok) return c;
  return { ok: true, points: { lng: c.lng, lat: c.lat, flags: Uint8Array.from(w.flags) } };
}

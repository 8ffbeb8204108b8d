import {
  DUTY_EVENT_NAMES,
  MAX_ID,
  MAX_POSITION_ACCURACY_M,
  MAX_POSITION_SPEED_MPS,
  type Position,
  type WorkerId,
} from '@gcc/shared';
import { gcj02ToWgs84 } from '@gcc/shared/geo';

// Everything a device may send, checked before anything is stored: the batched JSON of
// POST /api/positions and the device socket, and the two forms of the OsmAnd protocol that the
// Traccar Client phone app speaks. This is the hot path of ingest (hundreds of thousands of
// fixes a second), so it is a hand-written loop with one typed reason per refusal rather than a
// schema library walking every object; a refused batch changes nothing.

export const POSITION_REFUSALS = [
  'not-array',
  'too-many',
  'not-object',
  'bad-worker',
  'bad-lng',
  'bad-lat',
  'bad-time',
  'future',
  'too-old',
  'bad-speed',
  'bad-heading',
  'bad-accuracy',
  'bad-crs',
  'missing-id',
] as const;
export type PositionRefusalCode = (typeof POSITION_REFUSALS)[number];

export class PositionInputError extends Error {
  constructor(
    readonly code: PositionRefusalCode,
    readonly index: number | null,
    detail: string,
  ) {
    super(index === null ? detail : `position ${index}: ${detail}`);
  }
}

export interface InputLimits {
  now: number;
  /** Device clocks run ahead a little; beyond this a fix is refused as from the future. */
  maxFutureSkewMs: number;
  /** Oldest fix accepted (offline phones flush their buffer); older ones are refused. */
  maxAgeMs: number;
  /** m/s; a grid worker walks or rides an e-bike, a patrol car is the fastest thing we track. */
  maxSpeed: number;
}

export const DEFAULT_LIMITS = {
  maxFutureSkewMs: 30_000,
  maxAgeMs: 30 * 24 * 3600_000,
  maxSpeed: MAX_POSITION_SPEED_MPS,
} as const;

export function limitsAt(now: number): InputLimits {
  return { now, ...DEFAULT_LIMITS };
}

const KNOTS_TO_MPS = 0.514444;

/** A fix's numbers, before it is known whose it is. */
type FixNumbers = Omit<Position, 'workerId'>;

/** Checks one fix's numbers (PositionSchema's rules); throws PositionInputError. Shared by every input form. */
function checkFix(
  index: number | null,
  lng: unknown,
  lat: unknown,
  at: unknown,
  speed: unknown,
  heading: unknown,
  accuracy: unknown,
  limits: InputLimits,
): FixNumbers {
  if (typeof lng !== 'number' || !(lng >= -180 && lng <= 180))
    throw new PositionInputError('bad-lng', index, 'lng must be a number in [-180, 180]');
  if (typeof lat !== 'number' || !(lat >= -90 && lat <= 90))
    throw new PositionInputError('bad-lat', index, 'lat must be a number in [-90, 90]');
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || at <= 0)
    throw new PositionInputError('bad-time', index, 'at must be milliseconds since the epoch (integer)');
  if (at > limits.now + limits.maxFutureSkewMs)
    throw new PositionInputError(
      'future',
      index,
      `at is ${Math.round((at - limits.now) / 1000)} s in the future (device clock?)`,
    );
  if (at < limits.now - limits.maxAgeMs)
    throw new PositionInputError('too-old', index, 'at is older than the trajectory retention');
  if (speed !== undefined && (typeof speed !== 'number' || !(speed >= 0 && speed <= limits.maxSpeed)))
    throw new PositionInputError('bad-speed', index, `speed must be m/s in [0, ${limits.maxSpeed}]`);
  if (heading !== undefined && (typeof heading !== 'number' || !(heading >= 0 && heading <= 360)))
    throw new PositionInputError('bad-heading', index, 'heading must be degrees in [0, 360]');
  if (
    accuracy !== undefined &&
    (typeof accuracy !== 'number' || !(accuracy >= 0 && accuracy <= MAX_POSITION_ACCURACY_M))
  )
    throw new PositionInputError(
      'bad-accuracy',
      index,
      `accuracy must be metres in [0, ${MAX_POSITION_ACCURACY_M}]`,
    );
  return {
    lng,
    lat,
    at,
    speed: (speed as number | undefined) ?? 0,
    heading: (heading as number | undefined) ?? 0,
    accuracy: (accuracy as number | undefined) ?? 10,
  };
}

/**
 * A JSON batch: `[{ workerId?, lng, lat, at, speed?, heading?, accuracy? }, …]`. `boundWorker`
 * is the worker of a single-device token (its fixes may omit workerId and may not name another);
 * null for a gateway, whose fixes must each name their worker. `crs: 'gcj02'` converts from the
 * coordinates Chinese map SDKs report (AMap, Tencent) to WGS-84.
 */
export function parsePositionBatch(
  raw: unknown,
  boundWorker: WorkerId | null,
  maxBatch: number,
  limits: InputLimits,
  crs: 'wgs84' | 'gcj02' = 'wgs84',
): Position[] {
  if (!Array.isArray(raw))
    throw new PositionInputError('not-array', null, 'body must be a JSON array of positions');
  if (raw.length > maxBatch)
    throw new PositionInputError('too-many', null, `at most ${maxBatch} positions per request`);
  const out: Position[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i] as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null || Array.isArray(p))
      throw new PositionInputError('not-object', i, 'each position must be an object');
    let workerId = p.workerId;
    if (boundWorker !== null) {
      if (workerId === undefined) workerId = boundWorker;
      else if (workerId !== boundWorker)
        throw new PositionInputError('bad-worker', i, 'a device token reports for its own worker only');
    } else if (
      typeof workerId !== 'number' ||
      !Number.isSafeInteger(workerId) ||
      workerId <= 0 ||
      workerId > MAX_ID
    ) {
      throw new PositionInputError('bad-worker', i, 'workerId must be a positive integer (an id)');
    }
    let lng = p.lng;
    let lat = p.lat;
    if (
      crs === 'gcj02' &&
      typeof lng === 'number' &&
      typeof lat === 'number' &&
      Number.isFinite(lng) &&
      Number.isFinite(lat)
    )
      [lng, lat] = gcj02ToWgs84(lng, lat);
    // The worker id was checked above (WorkerIdSchema's rules): a branded id is born here.
    out[i] = {
      workerId: workerId as WorkerId,
      ...checkFix(i, lng, lat, p.at, p.speed, p.heading, p.accuracy, limits),
    };
  }
  return out;
}

/** An OsmAnd report before its device id is mapped to a worker. */
export interface OsmandReport {
  deviceId: string;
  lng: number;
  lat: number;
  at: number;
  speed: number;
  heading: number;
  accuracy: number;
  battery: number | null;
  /** 上岗 / 下岗 when the report's `event` says so; other events (motionchange, heartbeat…) say nothing. */
  duty: 'on' | 'off' | null;
}

/** The duty word of an OsmAnd `event`, if it is one. */
function dutyEvent(v: unknown): 'on' | 'off' | null {
  return typeof v === 'string' ? (DUTY_EVENT_NAMES[v.trim().toLowerCase()] ?? null) : null;
}

/** A decimal number as the OsmAnd forms write it (no hex, no arrays or booleans Number() would coerce). */
const DECIMAL = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

const num = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && DECIMAL.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
};

/** OsmAnd time: seconds or milliseconds since the epoch, or an ISO 8601 date (Traccar accepts all three). */
function osmandTime(v: unknown, now: number): number {
  if (v === undefined || v === null || v === '') return now;
  // Only a number or a string is a time (String() of a hostile object can throw).
  if (typeof v !== 'number' && typeof v !== 'string') return NaN;
  if (typeof v === 'number' || /^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    return Math.round(n < 1e11 ? n * 1000 : n);
  }
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : NaN;
}

function deviceIdOf(v: unknown): string {
  const id = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
  if (!id || id.length > 128)
    throw new PositionInputError('missing-id', null, 'id (the device identifier) is required');
  return id;
}

/**
 * The query-string form, by GET or by POST (`?id=…&lat=…&lon=…&timestamp=…&speed=…` with speed
 * in knots). `location=lat,lon` is accepted too, as Traccar does.
 */
export function parseOsmandQuery(q: Record<string, unknown>, limits: InputLimits): OsmandReport {
  const deviceId = deviceIdOf(q.id ?? q.deviceid);
  let lat = num(q.lat);
  let lng = num(q.lon);
  if ((lat === undefined || lng === undefined) && typeof q.location === 'string') {
    const [a, b] = q.location.split(',');
    lat = num(a);
    lng = num(b);
  }
  const knots = num(q.speed);
  const fix = checkFix(
    null,
    lng,
    lat,
    osmandTime(q.timestamp, limits.now),
    knots === undefined ? undefined : knots * KNOTS_TO_MPS,
    num(q.bearing ?? q.heading),
    num(q.accuracy),
    limits,
  );
  const batt = num(q.batt);
  return {
    deviceId,
    lng: fix.lng,
    lat: fix.lat,
    at: fix.at,
    speed: fix.speed,
    heading: fix.heading,
    accuracy: fix.accuracy,
    battery: batt !== undefined && batt >= 0 && batt <= 100 ? batt : null,
    duty: dutyEvent(q.event),
  };
}

/**
 * The JSON form of current Traccar Client versions:
 * `{ device_id, location: { timestamp, coords: { latitude, longitude, speed (m/s), heading, accuracy, altitude }, is_moving, battery: { level 0..1 } } }`.
 */
export function parseOsmandJson(body: unknown, limits: InputLimits): OsmandReport {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new PositionInputError('not-object', null, 'body must be a JSON object');
  const b = body as Record<string, unknown>;
  const deviceId = deviceIdOf(b.device_id);
  const loc = b.location as Record<string, unknown> | undefined;
  if (typeof loc !== 'object' || loc === null)
    throw new PositionInputError('not-object', null, 'location must be an object');
  const coords = loc.coords as Record<string, unknown> | undefined;
  if (typeof coords !== 'object' || coords === null)
    throw new PositionInputError('not-object', null, 'location.coords must be an object');
  // The app reports −1 for an unknown speed or heading.
  const speed = num(coords.speed);
  const heading = num(coords.heading);
  const fix = checkFix(
    null,
    num(coords.longitude),
    num(coords.latitude),
    osmandTime(loc.timestamp, limits.now),
    speed !== undefined && speed < 0 ? undefined : speed,
    heading !== undefined && heading < 0 ? undefined : heading,
    num(coords.accuracy),
    limits,
  );
  const battery = loc.battery as Record<string, unknown> | undefined;
  const level = num(battery?.level);
  return {
    deviceId,
    lng: fix.lng,
    lat: fix.lat,
    at: fix.at,
    speed: fix.speed,
    heading: fix.heading,
    accuracy: fix.accuracy,
    battery: level !== undefined && level >= 0 && level <= 1 ? Math.round(level * 100) : null,
    duty: dutyEvent(loc.event ?? b.event),
  };
}

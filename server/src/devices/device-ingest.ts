import type { Position } from '@gcc/shared';
import type { Services } from '../services.ts';
import { ingestPositions, type IngestOutcome } from '../live/position-ingest.ts';
import { workerMask } from '../live/worker-scope.ts';
import { THROTTLED, type DeviceCredential } from './device-registry.ts';
import {
  limitsAt,
  parseOsmandJson,
  parseOsmandQuery,
  parsePositionBatch,
  PositionInputError,
  type OsmandReport,
} from './position-input.ts';

// What every device entry point (HTTP batch, OsmAnd, device socket) does with a request, apart
// from the transport: authenticate the credential, apply its rate limit, validate, scope by
// jurisdiction, ingest. Failures are typed so each transport can answer in its own way.

/** Positions per request: a phone flushing an offline buffer, or a gateway relaying a city. */
export const MAX_DEVICE_BATCH = 1000;
export const MAX_GATEWAY_BATCH = 10_000;

export type DeviceFailure =
  | { status: 401; code: 'unauthorized'; message: string }
  | { status: 429; code: 'rate-limited'; message: string }
  | { status: 400; code: string; message: string; index: number | null };

export type DeviceResult = { ok: true; outcome: IngestOutcome } | { ok: false; failure: DeviceFailure };

const unauthorized: DeviceResult = {
  ok: false,
  failure: { status: 401, code: 'unauthorized', message: 'unknown or revoked device credential' },
};
const limited: DeviceResult = {
  ok: false,
  failure: { status: 429, code: 'rate-limited', message: 'too many requests from this device' },
};
const throttled: DeviceResult = {
  ok: false,
  failure: {
    status: 429,
    code: 'rate-limited',
    message: 'too many unknown device identifiers from this address',
  },
};

function invalid(err: unknown): DeviceResult {
  if (err instanceof PositionInputError)
    return { ok: false, failure: { status: 400, code: err.code, message: err.message, index: err.index } };
  throw err;
}

type Deps = Pick<Services, 'devices' | 'positions' | 'limits' | 'boundary' | 'roster' | 'bus' | 'fieldDuty'>;

/** Ingests a device's validated fixes; the accepted ones are the field's word on duty (field-duty.ts). */
function ingestFromDevice(
  services: Deps,
  fixes: readonly Position[],
  scope: Uint8Array | null,
  now: number,
): IngestOutcome {
  const accepted: Position[] = [];
  const outcome = ingestPositions(services, fixes, scope, accepted);
  services.fieldDuty.reported(accepted, now);
  return outcome;
}

function authorize(
  services: Deps,
  token: string | undefined | null,
  from: string,
): DeviceCredential | DeviceResult {
  const cred = services.devices.lookup(token, from);
  if (cred === THROTTLED) return throttled;
  if (!cred) return unauthorized;
  const limiter = cred.kind === 'gateway' ? services.limits.gateways : services.limits.devices;
  if (!limiter.take(`d${cred.id}`)) return limited;
  return cred;
}

/** A JSON batch from a device or gateway token (POST /api/positions, the device socket). */
export function ingestDeviceBatch(
  services: Deps,
  token: string | undefined | null,
  body: unknown,
  opts: { from: string; crs?: 'wgs84' | 'gcj02'; now?: number },
): DeviceResult {
  const cred = authorize(services, token, opts.from);
  if ('ok' in cred) return cred;
  try {
    const gateway = cred.kind === 'gateway';
    const now = opts.now ?? Date.now();
    const fixes = parsePositionBatch(
      body,
      gateway ? null : cred.workerId,
      gateway ? MAX_GATEWAY_BATCH : MAX_DEVICE_BATCH,
      limitsAt(now),
      opts.crs,
    );
    return {
      ok: true,
      outcome: ingestFromDevice(services, fixes, gateway ? workerMask(services, cred.unitId) : null, now),
    };
  } catch (err) {
    return invalid(err);
  }
}

/** One OsmAnd report (Traccar Client): the query-string form or the JSON body form. */
export function ingestOsmand(
  services: Deps,
  input: { query: Record<string, unknown> } | { json: unknown },
  opts: { from: string; now?: number },
): DeviceResult {
  let report: OsmandReport;
  const now = opts.now ?? Date.now();
  try {
    const limits = limitsAt(now);
    report = 'json' in input ? parseOsmandJson(input.json, limits) : parseOsmandQuery(input.query, limits);
  } catch (err) {
    return invalid(err);
  }
  const cred = authorize(services, report.deviceId, opts.from);
  if ('ok' in cred) return cred;
  // A Traccar identifier maps to one worker; gateways speak the batch API.
  if (cred.kind !== 'device' || cred.workerId === null) return unauthorized;
  const { deviceId: _id, battery: _battery, duty, ...fix } = report;
  // 上岗 / 下岗 in the report's `event` is said before its fix counts.
  if (duty) services.fieldDuty.say(cred.workerId, duty, now);
  return { ok: true, outcome: ingestFromDevice(services, [{ ...fix, workerId: cred.workerId }], null, now) };
}

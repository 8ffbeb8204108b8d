import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  callerOf,
  DeviceDutyInputSchema,
  DeviceFeedbackInputSchema,
  DeviceReportInputSchema,
  DeviceReturnInputSchema,
  DeviceStepInputSchema,
  OPEN_STATUSES,
  photoRef,
  refusalMessageKey,
  type Case,
  type CaseCommand,
  type CaseId,
  type DutyState,
  type UnitId,
  type WorkerId,
} from '@gcc/shared';
import { translate, type MessageKey } from '@gcc/shared/messages';
import type { ZodType } from 'zod';
import { CaseCommandError, CaseIntakeError } from '../cases/case-errors.ts';
import { caseToWire, type CaseRow } from '../cases/case-row.ts';
import type { CommandActor } from '../cases/case-access.ts';
import { cases } from '../db/schema.ts';
import { THROTTLED } from './device-registry.ts';
import { attachPhotos, PhotoRefusal, storePhoto, type StoredPhoto } from '../photos/photo-store.ts';
import type { Services } from '../services.ts';

// The worker device's case steps, apart from the transport: the HTTP routes
// (device-case-routes.ts) and the simulator's workers call these same functions, so the demo
// runs the loop through the code a real phone uses. A device credential acts only for its own
// worker: every step goes through CaseService.command with a grid-worker actor, and the engine
// refuses anyone but the assignee.

/** Who a device acts for: its worker and the unit (属地) its credential is scoped to. */
export interface DeviceWorker {
  workerId: WorkerId;
  unitId: UnitId;
}

export type DeviceCaseFailure = {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;
  code: string;
  message: string;
  issues?: unknown;
};
export type DeviceCaseResult<T> = { ok: true; value: T } | { ok: false; failure: DeviceCaseFailure };

const bilingual = (key: MessageKey, detail?: string) =>
  `${translate(key, 'zh-CN')} / ${translate(key, 'en')}${detail ? ` (${detail})` : ''}`;
const fail = (
  status: DeviceCaseFailure['status'],
  code: string,
  key: MessageKey,
  detail?: string,
  issues?: unknown,
): { ok: false; failure: DeviceCaseFailure } => ({
  ok: false,
  failure: { status, code, message: bilingual(key, detail), ...(issues !== undefined ? { issues } : {}) },
});

/** Authenticates a device token and takes one request from its budget; only a worker's `device` credential may use the case API. */
export function deviceWorkerOf(
  services: Pick<Services, 'devices' | 'limits'>,
  token: string | null,
  from: string,
): DeviceCaseResult<DeviceWorker> {
  const cred = services.devices.lookup(token, from);
  if (cred === THROTTLED) return fail(429, 'rate-limited', 'device.rateLimited');
  if (!cred || cred.kind !== 'device' || cred.workerId === null)
    return fail(401, 'unauthorized', 'device.unauthorized');
  if (!services.limits.devices.take(`d${cred.id}`)) return fail(429, 'rate-limited', 'device.rateLimited');
  return { ok: true, value: { workerId: cred.workerId, unitId: cred.unitId } };
}

function parse<T>(schema: ZodType<T>, body: unknown): DeviceCaseResult<T> {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const detail = r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return fail(
    400,
    'bad-input',
    'device.badInput',
    detail,
    r.error.issues.map((i) => ({ path: i.path, message: i.message })),
  );
}

function refused(e: unknown): { ok: false; failure: DeviceCaseFailure } {
  if (e instanceof PhotoRefusal) return fail(400, 'bad-photo', 'device.badPhoto', `photo ${e.photoId}`);
  if (e instanceof CaseIntakeError) {
    if (e.reason === 'outside-city') return fail(400, 'outside-city', 'device.outsideCity');
    return fail(
      403,
      e.reason,
      refusalMessageKey(e.reason === 'outside-jurisdiction' ? 'outside-jurisdiction' : e.reason),
    );
  }
  if (!(e instanceof CaseCommandError)) throw e;
  const r = e.reason;
  if (r === 'not-found') return fail(404, r, 'device.notFound');
  // A stale version or a step the case no longer allows: the device refreshes its task list.
  const status =
    r === 'stale-version' || r === 'illegal-transition' || r === 'parked' || r === 'departments-pending'
      ? 409
      : r === 'not-assignee' ||
          r === 'post-not-allowed' ||
          r === 'outside-jurisdiction' ||
          r === 'level-too-low'
        ? 403
        : 400;
  return fail(status, r, refusalMessageKey(r), `${e.command} on case ${e.caseId}`);
}

const workerActor = (who: DeviceWorker): CommandActor => ({
  userId: null,
  workerId: who.workerId,
  posts: ['grid-worker'],
  unitId: who.unitId,
  unitLevel: 'grid',
});

/**
 * The caller in full on a case on the worker's hands (dispatched, accepted, handling): the worker
 * calls the resident to find the door or be let in (承办人先行联系). Before and after that, and on
 * every other device, the phone stays masked — a lost phone exposes only its open tasks' callers.
 */
const CALLER_ON_HANDS: ReadonlySet<Case['status']> = new Set(['dispatched', 'accepted', 'handling']);

function withCallerOnHands(c: Case, row: CaseRow | undefined): Case {
  if (!row || !CALLER_ON_HANDS.has(c.status) || c.caller === null) return c;
  return { ...c, caller: callerOf(row, 'full') };
}

/** The worker's open cases (任务), most urgent deadline first. */
export async function listDeviceTasks(
  services: Pick<Services, 'database'>,
  who: DeviceWorker,
): Promise<Case[]> {
  const rows = await services.database.db
    .select()
    .from(cases)
    .where(and(eq(cases.assigneeId, who.workerId), inArray(cases.status, [...OPEN_STATUSES])))
    .orderBy(sql`${cases.deadlineAt} asc nulls last`, asc(cases.id))
    .limit(200);
  return rows.map((r) => withCallerOnHands(caseToWire(r), r));
}

/** Stores a photo the worker's device uploads and returns its id and reference. */
export async function uploadDevicePhoto(
  services: Pick<Services, 'database'>,
  who: DeviceWorker,
  contentType: string | undefined,
  body: unknown,
  now = Date.now(),
): Promise<DeviceCaseResult<StoredPhoto>> {
  // In a transaction, so that the upload's audit row commits with it (audit-log.ts).
  const stored = await services.database.db.transaction((tx) =>
    storePhoto(tx, { workerId: who.workerId }, contentType, body, now),
  );
  return stored.ok
    ? stored
    : fail(stored.refusal.status, stored.refusal.code, stored.refusal.key, stored.refusal.detail);
}

type Step = 'accept' | 'start';

/** Refuses a case that is not the worker's before the engine sees it (a device learns nothing of others' cases). */
async function ownCase(
  services: Pick<Services, 'cases' | 'caseReads'>,
  who: DeviceWorker,
  caseId: CaseId,
  command: string,
): Promise<DeviceCaseResult<Case>> {
  const c = (await services.caseReads.byIds([caseId])).get(caseId);
  if (!c) return refused(new CaseCommandError('not-found', command, caseId));
  if (c.assigneeId !== who.workerId) return refused(new CaseCommandError('not-assignee', command, caseId));
  return { ok: true, value: c };
}

/**
 * Runs a command on a case dispatched to this worker: another's case is refused before the
 * engine sees it, and the engine's refusals become typed results.
 */
async function commandOwnCase(
  services: Pick<Services, 'cases' | 'caseReads'>,
  who: DeviceWorker,
  caseId: CaseId,
  command: CaseCommand,
  opts: Parameters<Services['cases']['command']>[3],
): Promise<DeviceCaseResult<Case>> {
  const own = await ownCase(services, who, caseId, command.type);
  if (!own.ok) return own;
  try {
    const r = await services.cases.command(caseId, command, workerActor(who), opts);
    const caller =
      r.case.caller && CALLER_ON_HANDS.has(r.case.status)
        ? (await services.caseReads.contacts([caseId])).get(caseId)
        : undefined;
    return { ok: true, value: caller ? { ...r.case, caller } : r.case };
  } catch (e) {
    return refused(e);
  }
}

/** 签收 (accept) or 处置 (start) a case dispatched to the worker, at the version the device saw. */
export async function deviceStep(
  services: Pick<Services, 'cases' | 'caseReads'>,
  who: DeviceWorker,
  caseId: CaseId,
  step: Step,
  body: unknown,
  now = Date.now(),
): Promise<DeviceCaseResult<Case>> {
  const input = parse(DeviceStepInputSchema, body);
  if (!input.ok) return input;
  return commandOwnCase(
    services,
    who,
    caseId,
    { type: step, expectedVersion: input.value.expectedVersion },
    { at: now },
  );
}

/** 退回: the worker returns a case dispatched to them that is not theirs, with a reason; it goes back to the dispatcher (registered, no assignee). */
export async function deviceReturn(
  services: Pick<Services, 'cases' | 'caseReads'>,
  who: DeviceWorker,
  caseId: CaseId,
  body: unknown,
  now = Date.now(),
): Promise<DeviceCaseResult<Case>> {
  const input = parse(DeviceReturnInputSchema, body);
  if (!input.ok) return input;
  return commandOwnCase(
    services,
    who,
    caseId,
    { type: 'return', reason: input.value.reason, expectedVersion: input.value.expectedVersion },
    { at: now },
  );
}

/** 反馈: the worker reports the case handled, with uploaded photos as evidence. */
export async function deviceFeedback(
  services: Pick<Services, 'cases' | 'caseReads'>,
  who: DeviceWorker,
  caseId: CaseId,
  body: unknown,
  now = Date.now(),
): Promise<DeviceCaseResult<Case>> {
  const input = parse(DeviceFeedbackInputSchema, body);
  if (!input.ok) return input;
  const ids = [...new Set(input.value.photos)];
  return commandOwnCase(
    services,
    who,
    caseId,
    {
      type: 'feedback',
      expectedVersion: input.value.expectedVersion,
      onSite: input.value.onSite,
      note: input.value.note,
      photos: ids.map(photoRef),
    },
    { at: now, alsoInTx: attachPhotos(ids, { workerId: who.workerId }) },
  );
}

/** A patrol report (巡查上报) at a point inside the worker's unit; with `micro`, a 微事自办 case already handled on the spot. */
export async function deviceReport(
  services: Pick<Services, 'cases' | 'caseReads'>,
  who: DeviceWorker,
  body: unknown,
  now = Date.now(),
): Promise<DeviceCaseResult<Case>> {
  const input = parse(DeviceReportInputSchema, body);
  if (!input.ok) return input;
  const { micro, ...report } = input.value;
  const ids = micro ? [...new Set(micro.photos)] : [];
  try {
    const c = await services.cases.report(
      { ...report, source: 'patrol' },
      { userId: null, workerId: who.workerId },
      {
        at: now,
        withinUnit: who.unitId,
        ...(micro
          ? {
              micro: { photos: ids.map(photoRef), note: micro.note },
              alsoInTx: attachPhotos(ids, { workerId: who.workerId }),
            }
          : {}),
      },
    );
    return { ok: true, value: c };
  } catch (e) {
    return refused(e);
  }
}

/** 上岗 / 下岗 from the worker's device (`{state: 'on' | 'off'}`); answers the duty state it leaves. */
export function deviceDuty(
  services: Pick<Services, 'fieldDuty'>,
  who: DeviceWorker,
  body: unknown,
  now = Date.now(),
): DeviceCaseResult<{ duty: DutyState }> {
  const input = parse(DeviceDutyInputSchema, body);
  if (!input.ok) return input;
  return { ok: true, value: { duty: services.fieldDuty.say(who.workerId, input.value.state, now) } };
}

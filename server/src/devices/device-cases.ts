import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  DeviceFeedbackInputSchema, DeviceReportInputSchema, DeviceReturnInputSchema, DeviceStepInputSchema, MAX_PHOTO_BYTES, OPEN_STATUSES, photoRef,
  refusalMessageKey, sniffPhotoType, type Case, type CaseCommand, type SessionUser,
} from '@gcc/shared';
import { translate, type MessageKey } from '@gcc/shared/messages';
import type { ZodType } from 'zod';
import { CaseCommandError, CaseIntakeError, caseToWire, type AlsoInTx, type CommandActor } from '../cases/case-service.ts';
import { cases, photos } from '../db/schema.ts';
import type { Tx } from '../live/event-log.ts';
import type { Services } from '../services.ts';

// The worker device's case steps, apart from the transport: the HTTP routes
// (device-case-routes.ts) and the simulator's workers call these same functions, so the demo
// runs the loop through the code a real phone uses. A device credential acts only for its own
// worker: every step goes through CaseService.command with a grid-worker actor, and the engine
// refuses anyone but the assignee.

/** Who a device acts for: its worker and the unit (属地) its credential is scoped to. */
export interface DeviceWorker {
  workerId: number;
  unitId: number;
}

export type DeviceCaseFailure = { status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429; code: string; message: string; issues?: unknown };
export type DeviceCaseResult<T> = { ok: true; value: T } | { ok: false; failure: DeviceCaseFailure };

const bilingual = (key: MessageKey, detail?: string) => `${translate(key, 'zh-CN')} / ${translate(key, 'en')}${detail ? ` (${detail})` : ''}`;
const fail = (status: DeviceCaseFailure['status'], code: string, key: MessageKey, detail?: string, issues?: unknown): { ok: false; failure: DeviceCaseFailure } =>
  ({ ok: false, failure: { status, code, message: bilingual(key, detail), ...(issues !== undefined ? { issues } : {}) } });

/** Authenticates a device token and takes one request from its budget; only a worker's `device` credential may use the case API. */
export function deviceWorkerOf(services: Pick<Services, 'devices' | 'limits'>, token: string | null, from: string): DeviceCaseResult<DeviceWorker> {
  const cred = services.devices.lookup(token, from);
  if (!cred || cred.kind !== 'device' || cred.workerId === null) return fail(401, 'unauthorized', 'device.unauthorized');
  if (!services.limits.devices.take(`d${cred.id}`)) return fail(429, 'rate-limited', 'device.rateLimited');
  return { ok: true, value: { workerId: cred.workerId, unitId: cred.unitId } };
}

function parse<T>(schema: ZodType<T>, body: unknown): DeviceCaseResult<T> {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const detail = r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return fail(400, 'bad-input', 'device.badInput', detail, r.error.issues.map((i) => ({ path: i.path, message: i.message })));
}

function refused(e: unknown): { ok: false; failure: DeviceCaseFailure } {
  if (e instanceof PhotoRefusal) return fail(400, 'bad-photo', 'device.badPhoto', `photo ${e.photoId}`);
  if (e instanceof CaseIntakeError) {
    if (e.reason === 'outside-city') return fail(400, 'outside-city', 'device.outsideCity');
    return fail(403, e.reason, refusalMessageKey(e.reason === 'outside-jurisdiction' ? 'outside-jurisdiction' : e.reason));
  }
  if (!(e instanceof CaseCommandError)) throw e;
  const r = e.reason;
  if (r === 'not-found') return fail(404, r, 'device.notFound');
  // A stale version or a step the case no longer allows: the device refreshes its task list.
  const status = r === 'stale-version' || r === 'illegal-transition' || r === 'parked' || r === 'departments-pending' ? 409
    : r === 'not-assignee' || r === 'post-not-allowed' || r === 'outside-jurisdiction' || r === 'level-too-low' ? 403 : 400;
  return fail(status, r, refusalMessageKey(r), `${e.command} on case ${e.caseId}`);
}

class PhotoRefusal extends Error {
  constructor(readonly photoId: number) {
    super(`photo ${photoId} refused`);
  }
}

const workerActor = (who: DeviceWorker): CommandActor => ({ userId: null, workerId: who.workerId, posts: ['grid-worker'], unitId: who.unitId, unitLevel: 'grid' });

/**
 * Attaches uploaded photos to a case in the case's transaction: each must be the worker's own
 * and not evidence of another case (a rework may show the same photo again).
 */
function attachPhotos(ids: readonly number[], who: DeviceWorker): AlsoInTx {
  return async (tx: Tx, row) => {
    const attached = await tx.update(photos).set({ caseId: row.id })
      .where(and(inArray(photos.id, [...ids]), eq(photos.workerId, who.workerId), or(isNull(photos.caseId), eq(photos.caseId, row.id))))
      .returning({ id: photos.id });
    const ok = new Set(attached.map((r) => r.id));
    const missing = ids.find((id) => !ok.has(id));
    if (missing !== undefined) throw new PhotoRefusal(missing);
  };
}

/** The worker's open cases (任务), most urgent deadline first. */
export async function listDeviceTasks(services: Pick<Services, 'database'>, who: DeviceWorker): Promise<Case[]> {
  const rows = await services.database.db.select().from(cases)
    .where(and(eq(cases.assigneeId, who.workerId), inArray(cases.status, [...OPEN_STATUSES])))
    .orderBy(sql`${cases.deadlineAt} asc nulls last`, asc(cases.id))
    .limit(200);
  return rows.map(caseToWire);
}

/** Stores an uploaded photo (JPEG or PNG by its magic bytes, ≤ 2 MB) and returns its id and reference. */
export async function uploadDevicePhoto(
  services: Pick<Services, 'database'>, who: DeviceWorker, contentType: string | undefined, body: unknown, now = Date.now(),
): Promise<DeviceCaseResult<{ id: number; ref: string; size: number; contentType: string }>> {
  const declared = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (declared !== 'image/jpeg' && declared !== 'image/png') return fail(415, 'photo-type', 'device.photoType', declared || 'no content-type');
  if (!(body instanceof Uint8Array) || body.length === 0) return fail(400, 'photo-empty', 'device.photoEmpty');
  if (body.length > MAX_PHOTO_BYTES) return fail(413, 'photo-too-large', 'device.photoTooLarge', `${body.length} bytes`);
  const sniffed = sniffPhotoType(body);
  if (sniffed !== declared) return fail(400, 'photo-type', 'device.photoType', sniffed ? `content is ${sniffed}, header says ${declared}` : 'not an image');
  const [row] = await services.database.db.insert(photos)
    .values({ workerId: who.workerId, caseId: null, contentType: sniffed, bytes: body, size: body.length, createdAt: now })
    .returning({ id: photos.id });
  return { ok: true, value: { id: row!.id, ref: photoRef(row!.id), size: body.length, contentType: sniffed } };
}

type Step = 'accept' | 'start';

/** Refuses a case that is not the worker's before the engine sees it (a device learns nothing of others' cases). */
async function ownCase(services: Pick<Services, 'cases'>, who: DeviceWorker, caseId: number, command: string): Promise<DeviceCaseResult<Case>> {
  const c = (await services.cases.byIds([caseId])).get(caseId);
  if (!c) return refused(new CaseCommandError('not-found', command, caseId));
  if (c.assigneeId !== who.workerId) return refused(new CaseCommandError('not-assignee', command, caseId));
  return { ok: true, value: c };
}

/**
 * Runs a command on a case dispatched to this worker: another's case is refused before the
 * engine sees it, and the engine's refusals become typed results.
 */
async function commandOwnCase(
  services: Pick<Services, 'cases'>, who: DeviceWorker, caseId: number, command: CaseCommand, opts: Parameters<Services['cases']['command']>[3],
): Promise<DeviceCaseResult<Case>> {
  const own = await ownCase(services, who, caseId, command.type);
  if (!own.ok) return own;
  try {
    const r = await services.cases.command(caseId, command, workerActor(who), opts);
    return { ok: true, value: r.case };
  } catch (e) {
    return refused(e);
  }
}

/** 签收 (accept) or 处置 (start) a case dispatched to the worker, at the version the device saw. */
export async function deviceStep(services: Pick<Services, 'cases'>, who: DeviceWorker, caseId: number, step: Step, body: unknown, now = Date.now()): Promise<DeviceCaseResult<Case>> {
  const input = parse(DeviceStepInputSchema, body);
  if (!input.ok) return input;
  return commandOwnCase(services, who, caseId, { type: step, expectedVersion: input.value.expectedVersion }, { at: now });
}

/** 退回: the worker returns a case dispatched to them that is not theirs, with a reason; it goes back to the dispatcher (registered, no assignee). */
export async function deviceReturn(services: Pick<Services, 'cases'>, who: DeviceWorker, caseId: number, body: unknown, now = Date.now()): Promise<DeviceCaseResult<Case>> {
  const input = parse(DeviceReturnInputSchema, body);
  if (!input.ok) return input;
  return commandOwnCase(services, who, caseId, { type: 'return', reason: input.value.reason, expectedVersion: input.value.expectedVersion }, { at: now });
}

/** 反馈: the worker reports the case handled, with uploaded photos as evidence. */
export async function deviceFeedback(services: Pick<Services, 'cases'>, who: DeviceWorker, caseId: number, body: unknown, now = Date.now()): Promise<DeviceCaseResult<Case>> {
  const input = parse(DeviceFeedbackInputSchema, body);
  if (!input.ok) return input;
  const ids = [...new Set(input.value.photos)];
  return commandOwnCase(
    services, who, caseId,
    { type: 'feedback', expectedVersion: input.value.expectedVersion, onSite: input.value.onSite, note: input.value.note, photos: ids.map(photoRef) },
    { at: now, alsoInTx: attachPhotos(ids, who) },
  );
}

/** A patrol report (巡查上报) at a point inside the worker's unit; with `micro`, a 微事自办 case already handled on the spot. */
export async function deviceReport(services: Pick<Services, 'cases'>, who: DeviceWorker, body: unknown, now = Date.now()): Promise<DeviceCaseResult<Case>> {
  const input = parse(DeviceReportInputSchema, body);
  if (!input.ok) return input;
  const { micro, ...report } = input.value;
  const ids = micro ? [...new Set(micro.photos)] : [];
  try {
    const c = await services.cases.report(
      { ...report, source: 'patrol' },
      { userId: null, workerId: who.workerId },
      { at: now, withinUnit: who.unitId, ...(micro ? { micro: { photos: ids.map(photoRef), note: micro.note }, alsoInTx: attachPhotos(ids, who) } : {}) },
    );
    return { ok: true, value: c };
  } catch (e) {
    return refused(e);
  }
}

/** A photo for a signed-in user, when the case it is evidence of lies in the user's jurisdiction (属地). */
export async function readPhoto(services: Pick<Services, 'database' | 'boundary'>, user: SessionUser, id: number): Promise<{ contentType: string; bytes: Uint8Array } | null> {
  const [row] = await services.database.db.select({ contentType: photos.contentType, bytes: photos.bytes, caseId: photos.caseId, gridId: cases.gridId })
    .from(photos).leftJoin(cases, eq(cases.id, photos.caseId)).where(eq(photos.id, id));
  // An unattached upload is nobody's evidence yet.
  if (!row || row.gridId === null) return null;
  const b = services.boundary();
  if (!b.isRoot(user.unitId) && !b.gridInUnit(row.gridId, user.unitId)) return null;
  return { contentType: row.contentType, bytes: row.bytes };
}

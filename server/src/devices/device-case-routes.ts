import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  CASE_DESKS,
  CaseIdSchema,
  MAX_PHOTO_BYTES,
  PHOTO_TYPES,
  PhotoIdSchema,
  type CaseId,
  type Role,
  type SessionUser,
} from '@gcc/shared';
import type { z } from 'zod';
import { bilingual, translate } from '@gcc/shared/messages';
import { SESSION_COOKIE } from '../http/cookies.ts';
import type { Services } from '../services.ts';
import { CSRF_HEADER } from '../api/trpc.ts';
import { sendError } from '../http/error-shape.ts';
import { AUDITED, auditedInput, auditRefused, restAction } from '../audit/audited-route.ts';
import { readPhoto, storePhoto } from '../photos/photo-store.ts';
import {
  deviceDuty,
  deviceFeedback,
  deviceReport,
  deviceReturn,
  deviceStep,
  deviceWorkerOf,
  listDeviceTasks,
  uploadDevicePhoto,
  type DeviceCaseResult,
  type DeviceWorker,
} from './device-cases.ts';
import { bearer } from './device-routes.ts';

/** What this part uses of the services (not the whole composition root). */
type DeviceCaseRoutesDeps = Pick<
  Services,
  | 'audit'
  | 'auth'
  | 'boundary'
  | 'cases'
  | 'caseReads'
  | 'database'
  | 'departments'
  | 'limits'
  | 'log'
  | 'devices'
  | 'fieldDuty'
>;

// The worker device's case API (`Authorization: Bearer <device token>`; a device token acts for
// its own worker only):
// - GET  /api/device/cases                 my open cases (任务), most urgent first
// - POST /api/device/cases/:id/accept      签收 {expectedVersion}
// - POST /api/device/cases/:id/start       处置 {expectedVersion}
// - POST /api/device/cases/:id/feedback    反馈 {expectedVersion, photos: [photoId], note?, onSite?}
// - POST /api/device/cases/:id/return      退回 {expectedVersion, reason}: not this worker's case, back to the dispatcher
// - POST /api/device/cases                 上报 {category, lng, lat, description, micro?: {photos, note?}} (micro = 微事自办)
// - POST /api/device/photos                image/jpeg or image/png body ≤ 2 MB → {id, ref}
// - POST /api/device/duty                  上岗 / 下岗 {state: 'on' | 'off'} → {duty} (field-duty.ts)
// and for signed-in users (session cookie): GET /api/photos/:id when the photo's case lies in
// their jurisdiction (a department desk: a case its department is on), and POST /api/photos for a
// department desk's evidence (same body rules, `x-gcc-csrf: 1` as every desk write), referenced in
// its 反馈 through cases.command. Errors: {error: code, message (zh / en), issues?}; a stale version is 409.

// The desks that read cases read their photos (a department only those of its own cases).
const PHOTO_READERS: ReadonlySet<Role> = new Set(CASE_DESKS);

function send<T>(reply: FastifyReply, res: DeviceCaseResult<T>, ok = 200) {
  if (res.ok) return reply.code(ok).send(res.value);
  const { status, code, message, issues } = res.failure;
  return reply.code(status).send({ error: code, message, ...(issues !== undefined ? { issues } : {}) });
}

/** The `:id` of a path, parsed with the id's schema (digits only, in range), or null. */
function idParam<T>(req: FastifyRequest, schema: z.ZodType<T, number>): T | null {
  const raw = (req.params as { id?: string }).id ?? '';
  const id = /^[1-9]\d{0,9}$/.test(raw) ? schema.safeParse(Number(raw)) : null;
  return id?.success ? id.data : null;
}

/** The routes whose body is a photo (JPEG or PNG bytes). */
const PHOTO_UPLOADS: ReadonlySet<string> = new Set(['/api/device/photos', '/api/photos']);

const badId = {
  error: 'bad-input',
  message: `${translate('device.badInput', 'zh-CN')} / ${translate('device.badInput', 'en')} (id)`,
};

/** The device case routes and the photo reader, as a plugin (its own context: the image parser and error mapping stay here). */
export function deviceCaseRoutes(services: DeviceCaseRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser(
      [...PHOTO_TYPES],
      { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES },
      (_req, body, done) => done(null, body),
    );
    // Fastify's own refusals (body too large, unknown media type, broken JSON) in the API's typed
    // form. Only an upload is told about photos: a form posted to a JSON route is a media-type
    // refusal (error-shape.ts), not a "photo must be JPEG or PNG".
    app.setErrorHandler(async (err: FastifyError, req, reply) => {
      // Refused while parsing, before the handler (and its audit) ran.
      if (err.code?.startsWith('FST_ERR_CTP_')) await auditRefused(services.audit, req);
      if (PHOTO_UPLOADS.has(req.routeOptions.url ?? '')) {
        if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
          return reply
            .code(413)
            .send({ error: 'photo-too-large', message: bilingual('device.photoTooLarge') });
        if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
          return reply.code(415).send({ error: 'photo-type', message: bilingual('device.photoType') });
      }
      return sendError(services.log, err, req, reply);
    });

    type WorkerHandler = (who: DeviceWorker, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
    const withWorker = (handler: WorkerHandler) => async (req: FastifyRequest, reply: FastifyReply) => {
      const who = deviceWorkerOf(services, bearer(req), req.ip);
      if (!who.ok) return send(reply, who);
      return handler(who.value, req, reply);
    };
    // A device's state-changing call is audited like a desk's: the row commits with the change
    // (audit-log.ts); a refused credential is recorded too, a rate-limited flood is not.
    const auditedWorker = (handler: WorkerHandler) => async (req: FastifyRequest, reply: FastifyReply) => {
      const who = deviceWorkerOf(services, bearer(req), req.ip);
      const entry = { userId: null, action: restAction(req), ip: req.ip, input: auditedInput(req) };
      if (!who.ok) {
        if (who.failure.status !== 429) await services.audit.record({ ...entry, role: null, ok: false });
        return send(reply, who);
      }
      return services.audit.during(
        { ...entry, role: 'device', input: { workerId: who.value.workerId, ...entry.input } },
        () => handler(who.value, req, reply),
        () => reply.statusCode < 400,
      );
    };
    const onCase = (
      run: (who: DeviceWorker, id: CaseId, body: unknown) => Promise<DeviceCaseResult<unknown>>,
    ) =>
      auditedWorker(async (who, req, reply) => {
        const id = idParam(req, CaseIdSchema);
        if (id === null) return reply.code(400).send(badId);
        return send(reply, await run(who, id, req.body));
      });

    app.get(
      '/api/device/cases',
      withWorker(async (who, _req, reply) => reply.send({ items: await listDeviceTasks(services, who) })),
    );
    app.post(
      '/api/device/cases',
      AUDITED,
      auditedWorker(async (who, req, reply) => send(reply, await deviceReport(services, who, req.body), 201)),
    );
    app.post(
      '/api/device/cases/:id/accept',
      AUDITED,
      onCase((who, id, body) => deviceStep(services, who, id, 'accept', body)),
    );
    app.post(
      '/api/device/cases/:id/start',
      AUDITED,
      onCase((who, id, body) => deviceStep(services, who, id, 'start', body)),
    );
    app.post(
      '/api/device/cases/:id/feedback',
      AUDITED,
      onCase((who, id, body) => deviceFeedback(services, who, id, body)),
    );
    app.post(
      '/api/device/cases/:id/return',
      AUDITED,
      onCase((who, id, body) => deviceReturn(services, who, id, body)),
    );
    app.post(
      '/api/device/duty',
      AUDITED,
      auditedWorker(async (who, req, reply) => send(reply, deviceDuty(services, who, req.body))),
    );
    app.post(
      '/api/device/photos',
      { compress: false, ...AUDITED },
      auditedWorker(async (who, req, reply) =>
        send(reply, await uploadDevicePhoto(services, who, req.headers['content-type'], req.body), 201),
      ),
    );

    // A department desk's evidence for its 反馈 (workers upload through /api/device/photos).
    app.post('/api/photos', { compress: false, ...AUDITED }, async (req, reply) => {
      const user = await services.auth.userForSession(req.cookies[SESSION_COOKIE]);
      const entry = { action: restAction(req), ip: req.ip, input: auditedInput(req) };
      if (!user) {
        await services.audit.record({ ...entry, userId: null, role: null, ok: false });
        return reply.code(401).send({ error: 'unauthorized', message: '请先登录 / sign in first' });
      }
      if (!services.limits.calls.take(`u${user.id}`))
        return reply.code(429).send({
          error: 'rate-limited',
          message: '操作过于频繁，请稍后再试 / too many requests, try again shortly',
        });
      return services.audit.during(
        { ...entry, userId: user.id, role: user.role },
        () => deskPhoto(user, req, reply),
        () => reply.statusCode < 400,
      );
    });

    /** A department desk's upload, once signed in and within its budget. */
    async function deskPhoto(user: SessionUser, req: FastifyRequest, reply: FastifyReply) {
      if (req.headers[CSRF_HEADER] !== '1')
        return reply.code(403).send({ error: 'forbidden', message: `missing ${CSRF_HEADER} header` });
      if (user.role !== 'department')
        return reply.code(403).send({
          error: 'forbidden',
          message: `${translate('photo.desksOnly', 'zh-CN')} / ${translate('photo.desksOnly', 'en')}`,
        });
      const stored = await services.database.db.transaction((tx) =>
        storePhoto(tx, { userId: user.id }, req.headers['content-type'], req.body),
      );
      if (!stored.ok) {
        const { status, code, key, detail } = stored.refusal;
        return reply.code(status).send({
          error: code,
          message: `${translate(key, 'zh-CN')} / ${translate(key, 'en')}${detail ? ` (${detail})` : ''}`,
        });
      }
      return reply.code(201).send(stored.value);
    }

    app.get('/api/photos/:id', async (req, reply) => {
      const user = await services.auth.userForSession(req.cookies[SESSION_COOKIE]);
      if (!user) return reply.code(401).send({ error: 'unauthorized', message: '请先登录 / sign in first' });
      const id = idParam(req, PhotoIdSchema);
      const department =
        user.role === 'department' ? (services.departments.byId(user.departmentId)?.code ?? '') : null;
      const involves =
        department === null ? undefined : (caseId: CaseId) => services.caseReads.involves(caseId, department);
      const photo =
        id !== null && PHOTO_READERS.has(user.role)
          ? await readPhoto(services.database.db, services.boundary(), user, id, involves)
          : null;
      if (!photo)
        return reply.code(404).send({
          error: 'not-found',
          message: `${translate('photo.notFound', 'zh-CN')} / ${translate('photo.notFound', 'en')}`,
        });
      return reply
        .type(photo.contentType)
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(photo.bytes));
    });
  };
}

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { PLANNERS, type BoundaryVersion, type UnitId } from '@gcc/shared';
import { ExportRequestSchema, ImportRequestSchema, importAuditInput } from '@gcc/shared/boundary-io';
import { bilingual } from '@gcc/shared/messages';
import { z } from 'zod';
import { CSRF_HEADER } from '../../api/trpc.ts';
import { AUDITED } from '../../audit/audited-route.ts';
import type { SessionUser } from '@gcc/shared';
import { SESSION_COOKIE } from '../../http/cookies.ts';
import type { Services } from '../../services.ts';
import { ExportError } from './boundary-export.ts';

// Boundary files over plain HTTP, for files larger than an API call carries and for scripts
// (`pnpm boundary`): POST /api/boundaries/import streams its progress as NDJSON lines
// (`{"progress":{phase,fraction}}`) and ends with `{"report":…}`; GET /api/boundaries/export
// answers the file as a download. Both take the session cookie of a planner or administrator; the
// import also the CSRF header every state-changing call carries, and is audited.

/** The largest boundary file accepted: a city of 20,000 grids in GeoJSON with room to spare. */
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

export type BoundaryIoRoutesDeps = Pick<Services, 'auth' | 'audit' | 'boundaries'>;

// Query strings carry text: numbers and switches are read from it.
const ImportQuerySchema = z
  .object({
    name: z.string(),
    level: z.string(),
    crs: z.string(),
    toleranceM: z.coerce.number(),
    within: z.coerce.number().optional(),
    dryRun: z.enum(['true', 'false', '1', '0']).optional(),
  })
  .strict();
const ExportQuerySchema = z
  .object({ version: z.coerce.number().optional(), format: z.string(), crs: z.string() })
  .strict();

async function planner(services: BoundaryIoRoutesDeps, req: FastifyRequest, reply: FastifyReply) {
  const user = await services.auth.userForSession(req.cookies[SESSION_COOKIE]);
  if (!user) {
    await reply.code(401).send({ error: 'unauthorized', message: '请先登录 / sign in first' });
    return null;
  }
  if (!PLANNERS.includes(user.role)) {
    await reply.code(403).send({ error: 'forbidden', message: `role ${user.role} may not do this` });
    return null;
  }
  return user;
}

const badInput = (reply: FastifyReply, detail: string) =>
  reply.code(400).send({ error: 'bad-input', message: `${bilingual('device.badInput')} (${detail})` });

const issues = (e: z.ZodError) =>
  e.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');

export function boundaryIoRoutes(services: BoundaryIoRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    app.post(
      '/api/boundaries/import',
      { ...AUDITED, bodyLimit: IMPORT_BODY_LIMIT, compress: false },
      async (req, reply) => {
        const query = ImportQuerySchema.safeParse(req.query);
        const parsed = query.success
          ? ImportRequestSchema.safeParse({
              ...query.data,
              dryRun: query.data.dryRun === 'true' || query.data.dryRun === '1',
            })
          : query;
        let user: SessionUser | null = null;
        const entry = () => ({
          userId: user?.id ?? null,
          role: user?.role ?? null,
          action: 'POST /api/boundaries/import',
          ip: req.ip,
          input: importAuditInput({ ...(req.query as object), file: req.body }),
        });
        const refused = async () => services.audit.record({ ...entry(), ok: false });
        if (req.headers[CSRF_HEADER] !== '1') {
          await refused();
          return reply.code(403).send({ error: 'csrf', message: `missing ${CSRF_HEADER} header` });
        }
        user = await planner(services, req, reply);
        if (!user) return refused();
        if (!parsed.success) {
          await refused();
          return badInput(reply, issues(parsed.error));
        }
        const { within, ...request } = parsed.data;
        const by = { id: user.id, role: user.role, unitId: user.unitId };
        reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
        let last = { phase: '', fraction: -1 };
        const report = await services.audit.during(
          entry(),
          () =>
            services.boundaries.importer.importFile(
              by,
              req.body,
              { ...request, within: within as UnitId | undefined },
              (p) => {
                // A line per phase, and per 5 % within one: a page or a script shows it as it comes.
                if (p.phase === last.phase && p.fraction - last.fraction < 0.05) return;
                last = p;
                reply.raw.write(`${JSON.stringify({ progress: p })}\n`);
              },
            ),
          (r) => r.planId !== null,
        );
        reply.raw.end(`${JSON.stringify({ report })}\n`);
        return reply;
      },
    );

    app.get('/api/boundaries/export', async (req, reply) => {
      const user = await planner(services, req, reply);
      if (!user) return reply;
      const query = ExportQuerySchema.safeParse(req.query);
      const parsed = query.success ? ExportRequestSchema.safeParse(query.data) : query;
      if (!parsed.success) return badInput(reply, issues(parsed.error));
      try {
        const body = await services.boundaries.exporter.exportVersion(user.unitId, {
          ...parsed.data,
          version: parsed.data.version as BoundaryVersion | undefined,
        });
        const ext = parsed.data.format === 'geojson' ? 'geojson' : 'topojson';
        return reply
          .type(parsed.data.format === 'geojson' ? 'application/geo+json' : 'application/json')
          .header(
            'content-disposition',
            `attachment; filename="boundary-v${String(body['version'])}-${parsed.data.crs}.${ext}"`,
          )
          .send(JSON.stringify(body));
      } catch (e) {
        if (e instanceof ExportError)
          return reply
            .code(404)
            .send({ error: 'not-found', message: bilingual('boundary.refusal.not-found') });
        throw e;
      }
    });
  };
}

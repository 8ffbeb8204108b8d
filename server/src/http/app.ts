import { existsSync } from 'node:fs';
import { join } from 'node:path';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyError } from 'fastify';
import { findBadText, OPEN_STATUSES } from '@gcc/shared';
import { appRouter, type AppRouter } from '../api/router.ts';
import { CSRF_HEADER, type Context } from '../api/trpc.ts';
import { deviceCaseRoutes } from '../devices/device-case-routes.ts';
import { deviceRoutes } from '../devices/device-routes.ts';
import { boundaryIoRoutes } from '../boundaries/io/boundary-io-routes.ts';
import type { Services } from '../services.ts';
import { SESSION_COOKIE } from './cookies.ts';
import { badOriginBody, badTextBody, clientErrorBody, sendError } from './error-shape.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { claimedOrigin, originChecked, sameOrigin } from './origin-check.ts';
import { auditRefused } from '../audit/audited-route.ts';

const WEB_ROUTES = ['/wall', '/login', '/dispatch', '/plan', '/analytics', '/admin'];
const ONLINE_WINDOW_MS = 5 * 60_000;
const HEALTH_CACHE_MS = 5000;

/** The HTTP face of the server: /trpc, /healthz, the base map, and the built web app at /. */
export async function buildApp(services: Services) {
  const app = Fastify({
    // Request lines only at warn and above: a wall polls for weeks.
    loggerInstance: services.log.child({ part: 'http' }, { level: 'warn' }),
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 5000 },
    // Only behind a known balancer may X-Forwarded-For name the client (rate limits, audit).
    trustProxy: (_address: string, hop: number) => hop < services.config.TRUST_PROXY_HOPS,
    // Open SSE streams and sockets must not hold a shutdown (or a restart) hostage.
    forceCloseConnections: true,
    // What Node's HTTP parser refuses before any route (431 headers or URL too large, 400 a broken
    // request) answers in the API's one shape too (error-shape.ts).
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) return socket.destroy(err);
      const tooLarge = (err as { code?: string }).code === 'HPE_HEADER_OVERFLOW';
      const body = JSON.stringify(clientErrorBody(tooLarge));
      socket.end(
        `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
          `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
          'connection: close\r\n\r\n' +
          body,
      );
    },
  });
  // One error shape for every REST answer, Fastify's own refusals included (error-shape.ts).
  app.setErrorHandler((err: FastifyError, req, reply) => sendError(services.log, err, req, reply));
  // A state-changing REST call from another site's page is refused before anything is read
  // (origin-check.ts); tRPC mutations are checked in the API middleware, where they are audited.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/trpc') || !originChecked(req.method, req.url)) return;
    if (sameOrigin(claimedOrigin(req.headers), req.host)) return;
    await auditRefused(services.audit, req);
    return reply.code(403).send(badOriginBody());
  });
  // REST bodies (device API): no NUL or lone surrogate gets to a handler (tRPC checks its own inputs).
  app.addHook('preHandler', async (req, reply) => {
    if (req.url.startsWith('/trpc')) return;
    const where = findBadText(req.body) ?? findBadText(req.query);
    if (where) {
      await auditRefused(services.audit, req);
      return reply.code(400).send(badTextBody(where));
    }
  });
  // CSP, frame-ancestors, nosniff, referrer policy on every answer (security-headers.ts).
  await app.register(helmet, SECURITY_HEADERS);
  await app.register(cookie);
  await app.register(compress, { threshold: 2048, encodings: ['gzip', 'deflate'] });

  // Anything not explicitly a developer's or test machine is production (config.ts).
  const secure = !services.config.demoMode;
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: async ({ req, res }): Promise<Context> => {
        const token = req.cookies[SESSION_COOKIE];
        return {
          services,
          user: await services.auth.userForSession(token),
          sessionToken: token,
          ip: req.ip,
          csrfHeader: req.headers[CSRF_HEADER] === '1',
          foreignOrigin: !sameOrigin(claimedOrigin(req.headers), req.host),
          requestId: String(req.id),
          setSessionCookie(value, maxAge = 12 * 3600) {
            if (value === null) void res.clearCookie(SESSION_COOKIE, { path: '/' });
            else
              void res.setCookie(SESSION_COOKIE, value, {
                path: '/',
                httpOnly: true,
                sameSite: 'strict',
                secure,
                maxAge,
              });
          },
        };
      },
      onError({ path, error, ctx }) {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          services.log.error({ path, requestId: ctx?.requestId, err: error }, 'trpc error');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  await app.register(deviceRoutes(services));
  await app.register(deviceCaseRoutes(services));
  await app.register(boundaryIoRoutes(services));

  // Unauthenticated and polled by balancers: the database count is cached for a few seconds.
  let openCases = { at: 0, n: 0 };
  app.get('/healthz', async () => {
    const b = services.boundary();
    const now = Date.now();
    if (now - openCases.at > HEALTH_CACHE_MS)
      openCases = { at: now, n: (await services.caseReads.counts({ status: [...OPEN_STATUSES] })).total };
    return {
      status: 'ok',
      database: services.database.kind,
      boundaryVersion: b.version,
      grids: b.grids.length,
      workers: services.roster.length,
      workersOnline: services.positions.onlineCount(Date.now(), ONLINE_WINDOW_MS),
      openCases: openCases.n,
      // A first start's older history still going in behind the server (the wall shows a banner).
      history: (({ loading, fraction }) => ({ loading, fraction }))(services.history.status()),
      // A first start's address points going in before it (the planner and address search wait for them).
      addressPoints: (({ loading, written, total }) => ({ loading, written, total }))(
        services.addressPoints.status(),
      ),
      uptimeSeconds: Math.round(process.uptime()),
    };
  });

  app.get('/basemap/style.json', async (_req, reply) =>
    reply.type('application/json').send(services.basemap().style),
  );
  app.get<{ Params: { name: string } }>('/basemap/:name.geojson', async (req, reply) => {
    const body = services.basemap().sources[req.params.name];
    if (!body) return reply.code(404).send({ error: 'no such source' });
    return reply.type('application/geo+json').header('cache-control', 'public, max-age=300').send(body);
  });

  const webDist = services.config.WEB_DIST ?? join(import.meta.dirname, '../../../web/dist');
  if (existsSync(join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', index: false, wildcard: false });
    for (const route of WEB_ROUTES) app.get(route, (_req, reply) => reply.sendFile('index.html'));
    // The app sends each role to its own desk (a planner to /plan, the others to /wall).
    app.get('/', (_req, reply) => reply.sendFile('index.html'));
  } else {
    services.log.warn({ webDist }, 'web app not built: run `pnpm build` (pnpm start does it for you)');
  }
  return app;
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.ts';
import { ingestDeviceBatch, ingestOsmand, type DeviceResult } from './device-ingest.ts';

/** What this part uses of the services (not the whole composition root). */
type DeviceRoutesDeps = Pick<
  Services,
  'config' | 'devices' | 'positions' | 'limits' | 'boundary' | 'roster' | 'bus' | 'fieldDuty'
>;

// The device-facing HTTP endpoints:
// - POST /api/positions — a JSON array of fixes, `Authorization: Bearer <device or gateway token>`,
//   `?crs=gcj02` for coordinates from Chinese map SDKs. 200 {accepted, stale, unknown, outOfScope}.
// - /api/osmand (GET or POST) — the OsmAnd protocol of the Traccar Client app: the query-string
//   form or the JSON body form; the "device identifier" is the credential. Also served at any
//   path on OSMAND_PORT (Traccar's own default is 5055), the endpoint to give the phones.
// Device responses are tiny and hot: no compression, no request logging.

/** Largest body accepted from a device: a gateway batch of 10,000 fixes is about 1.3 MB. */
export const DEVICE_BODY_LIMIT = 4 * 1024 * 1024;

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  return h && h.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

function answerJson(reply: FastifyReply, res: DeviceResult) {
  if (res.ok) return reply.send(res.outcome);
  const f = res.failure;
  return reply
    .code(f.status)
    .send({ error: f.code, message: f.message, ...('index' in f ? { index: f.index } : {}) });
}

/** OsmAnd clients read the status only; the body says why for whoever looks at the log. */
function answerText(reply: FastifyReply, res: DeviceResult) {
  if (res.ok) return reply.code(200).type('text/plain').send('');
  return reply
    .code(res.failure.status)
    .type('text/plain')
    .send(`${res.failure.code}: ${res.failure.message}`);
}

function osmandHandler(services: DeviceRoutesDeps) {
  return (req: FastifyRequest, reply: FastifyReply) => {
    const from = req.ip;
    const body = req.body;
    const isJson =
      typeof req.headers['content-type'] === 'string' && req.headers['content-type'].includes('json');
    if (isJson) return answerText(reply, ingestOsmand(services, { json: body }, { from }));
    // Query-string form: parameters in the URL (GET, or POST as the app sends them) or a form body.
    const query = {
      ...(typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}),
      ...(req.query as Record<string, unknown>),
    };
    return answerText(reply, ingestOsmand(services, { query }, { from }));
  };
}

function formParser(app: FastifyInstance) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}

/** The device endpoints, as a plugin of the main app (its own context: the form parser stays here). */
export function deviceRoutes(services: DeviceRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    formParser(app);
    app.post('/api/positions', { compress: false, bodyLimit: DEVICE_BODY_LIMIT }, (req, reply) => {
      const crs = (req.query as Record<string, unknown>).crs;
      if (crs !== undefined && crs !== 'wgs84' && crs !== 'gcj02')
        return reply.code(400).send({ error: 'bad-crs', message: 'crs must be wgs84 or gcj02', index: null });
      return answerJson(reply, ingestDeviceBatch(services, bearer(req), req.body, { from: req.ip, crs }));
    });
    const osmand = osmandHandler(services);
    app.get('/api/osmand', { compress: false }, osmand);
    app.post('/api/osmand', { compress: false }, osmand);
  };
}

/** Largest OsmAnd request body (one report). */
const OSMAND_BODY_LIMIT = 64 * 1024;

/**
 * The Traccar Client's own port (OSMAND_PORT; Traccar's default is 5055), answering at any path,
 * so a phone can be pointed at a bare host:port as with a Traccar server. A plain node:http
 * server: it needs none of the app's cookies, compression or routing (measured: the same
 * requests per second as /api/osmand on the app's port — `pnpm bench osmand` reports both).
 */
export async function startOsmandListener(
  services: DeviceRoutesDeps,
  port: number,
  host: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const hops = services.config.TRUST_PROXY_HOPS;
  const answer = (res: ServerResponse, result: DeviceResult) => {
    const body = result.ok ? '' : `${result.failure.code}: ${result.failure.message}`;
    res.writeHead(result.ok ? 200 : result.failure.status, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  const clientAddress = (req: IncomingMessage): string => {
    const forwarded =
      hops > 0 && typeof req.headers['x-forwarded-for'] === 'string'
        ? req.headers['x-forwarded-for'].split(',').map((s) => s.trim())
        : [];
    return forwarded.length
      ? forwarded[Math.max(0, forwarded.length - hops)]!
      : (req.socket.remoteAddress ?? '');
  };
  const server = createServer((req, res) => {
    const from = clientAddress(req);
    const q = req.url ? req.url.indexOf('?') : -1;
    const query: Record<string, string> =
      q >= 0 ? Object.fromEntries(new URLSearchParams(req.url!.slice(q + 1))) : {};
    if (req.method === 'GET' || req.method === 'HEAD')
      return answer(res, ingestOsmand(services, { query }, { from }));
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST', 'content-length': 0 });
      return res.end();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > OSMAND_BODY_LIMIT) {
        res.writeHead(413, { connection: 'close', 'content-length': 0 });
        res.end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const text = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] ?? '';
      if (type.includes('json')) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return answer(res, {
            ok: false,
            failure: { status: 400, code: 'not-object', message: 'body is not valid JSON', index: null },
          });
        }
        return answer(res, ingestOsmand(services, { json }, { from }));
      }
      // Query-string form: in the URL (as the app posts it) and/or a form body.
      const form = text ? Object.fromEntries(new URLSearchParams(text)) : {};
      return answer(res, ingestOsmand(services, { query: { ...form, ...query } }, { from }));
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

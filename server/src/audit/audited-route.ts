import type { FastifyRequest } from 'fastify';
import type { AuditEntry } from './audit-log.ts';

// REST routes that change state declare `config: AUDITED` (Fastify route config): their calls
// are audited under the route's name (`POST /api/device/cases/:id/accept`), refusals included,
// also those made before a handler runs (bad text, app.ts).

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route changes state: every call is audited. */
    audited?: boolean;
  }
}

/** Route options of a state-changing REST route. */
export const AUDITED = { config: { audited: true } } as const;

/** Whether the request's route is audited. */
export function isAudited(req: FastifyRequest): boolean {
  return req.routeOptions.config.audited === true;
}

/** The action a REST call is audited as: its method and route. */
export function restAction(req: FastifyRequest): string {
  return `${req.method} ${req.routeOptions.url ?? req.url}`;
}

/** What the audit keeps of a request: its path parameters and its body (of a photo, its type and size). */
export function auditedInput(req: FastifyRequest): Record<string, unknown> {
  const body =
    req.body instanceof Uint8Array
      ? { contentType: req.headers['content-type'] ?? null, bytes: req.body.length }
      : (req.body ?? null);
  return { ...(req.params as Record<string, string> | undefined), body };
}

/** Records a call of an audited route that was refused before its handler ran (its caller not yet known). */
export async function auditRefused(
  audit: { record(entry: AuditEntry & { ok: boolean }): Promise<void> },
  req: FastifyRequest,
): Promise<void> {
  if (!isAudited(req)) return;
  await audit.record({
    userId: null,
    role: null,
    action: restAction(req),
    ip: req.ip,
    input: auditedInput(req),
    ok: false,
  });
}

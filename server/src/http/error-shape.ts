import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { bilingual } from '@gcc/shared/messages';

// Every REST answer that is not a success has one shape, `{ error, message, index? }` (README:
// device API), Fastify's own refusals included: a device or a script reads `error`, a person
// reads `message` (Chinese first). A failure of ours says "internal error" and the request id;
// what failed stays in the log.

export interface ErrorBody {
  error: string;
  message: string;
  index?: number | null;
}

/** The typed body for an error Fastify raised (parsing, limits, media types) or a handler threw. */
export function errorBody(err: FastifyError, requestId: string): { status: number; body: ErrorBody } {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, body: { error: 'too-large', message: bilingual('http.tooLarge') } };
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return { status: 415, body: { error: 'media-type', message: bilingual('http.mediaType') } };
  if (
    err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    err instanceof SyntaxError ||
    err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
  )
    return { status: 400, body: { error: 'bad-json', message: bilingual('http.badJson') } };
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return {
      status,
      body: { error: 'bad-input', message: `${bilingual('device.badInput')} (${err.message})` },
    };
  return {
    status: 500,
    body: { error: 'internal', message: `${bilingual('http.internal')} (${requestId})` },
  };
}

/** A request Node's HTTP parser refused: headers or URL too large (431), or not HTTP at all (400). */
export function clientErrorBody(tooLarge: boolean): ErrorBody {
  return tooLarge
    ? { error: 'too-large', message: bilingual('http.tooLarge') }
    : { error: 'bad-request', message: bilingual('device.badInput') };
}

/** A body or query whose text carries a NUL or a lone surrogate (`where`: its path). */
export function badTextBody(where: string): ErrorBody {
  return { error: 'bad-text', message: `${bilingual('http.badText')} (${where})` };
}

/** A state-changing call from another site's page (origin-check.ts). */
export function badOriginBody(): ErrorBody {
  return { error: 'bad-origin', message: bilingual('http.badOrigin') };
}

/** Sends `errorBody`, logging what a 500 hides. */
export function sendError(
  log: { error(obj: object, msg: string): void },
  err: FastifyError,
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const { status, body } = errorBody(err, String(req.id));
  if (status >= 500) log.error({ err, requestId: req.id, url: req.url }, 'request failed');
  return reply.code(status).send(body);
}

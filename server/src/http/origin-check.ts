import type { IncomingHttpHeaders } from 'node:http';

// A state-changing request a browser sends names the page it comes from (Origin, or at least
// Referer). One from another site's page is refused (403 `bad-origin`), whatever cookie it
// carries: a second line behind SameSite cookies and the CSRF header. A request naming no page is
// not a browser's cross-site request (a script, a device) and goes on to its own checks. The
// device API authenticates by token, never by cookie, and is not checked (DEVICE_ROUTES).

/** Routes authenticated by a device or gateway token only: a browser's cookie gives them nothing. */
export const DEVICE_ROUTES = ['/api/device/', '/api/positions', '/api/osmand'] as const;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The origin a browser says the request comes from (Origin, else Referer's), or null when it names none. */
export function claimedOrigin(headers: IncomingHttpHeaders): string | null {
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin;
  const referer = headers.referer;
  if (typeof referer !== 'string' || referer === '') return null;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

/** Whether a request from `claimed` may change state on the server reached as `host` (its Host, or the proxy's X-Forwarded-Host). */
export function sameOrigin(claimed: string | null, host: string): boolean {
  if (claimed === null) return true;
  try {
    const url = new URL(claimed);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    // "null" (a sandboxed frame, a file) or garbage: not our page.
    return false;
  }
}

/** Whether the origin check applies to a request: a state-changing method outside the device API. */
export function originChecked(method: string, url: string): boolean {
  return STATE_CHANGING.has(method) && !DEVICE_ROUTES.some((prefix) => url.startsWith(prefix));
}

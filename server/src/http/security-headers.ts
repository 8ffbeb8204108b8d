import type { FastifyHelmetOptions } from '@fastify/helmet';

// Security headers on every answer, pages and API alike (@fastify/helmet). The policy is made to
// fit the app: everything is served from this origin, nothing from the internet at run time.
// - MapLibre starts its workers from blob: URLs, and our positions worker is a module of ours:
//   worker-src 'self' blob:. WebGL needs no CSP source.
// - ECharts' tooltips and MapLibre's controls set inline style attributes: style-src keeps
//   'unsafe-inline' (styles only; scripts never run inline).
// - Map tiles, sprites and canvases read back as blob: and data: images.
// - frame-ancestors 'none' (and X-Frame-Options DENY for old browsers): no page of ours can be
//   framed by another site (clickjacking of the dispatch desk).
// - No upgrade-insecure-requests: the demo is served over plain HTTP on a LAN address.
// - Referrer-Policy same-origin: our own requests keep their Referer (the origin check's fallback),
//   nothing leaks to other sites.
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'", 'blob:', 'data:'],
  'worker-src': ["'self'", 'blob:'],
  'child-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'upgrade-insecure-requests': null,
} as const;

/** @fastify/helmet's options: the policy above, on every route. */
export const SECURITY_HEADERS: FastifyHelmetOptions = {
  global: true,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: CONTENT_SECURITY_POLICY as unknown as Record<string, string[] | null>,
  },
  referrerPolicy: { policy: 'same-origin' },
  xFrameOptions: { action: 'deny' },
  // The app is same-origin only; photos and base-map sources are read by our pages alone.
  crossOriginResourcePolicy: { policy: 'same-origin' },
};

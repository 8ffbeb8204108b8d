import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';

// Every answer, page or API, success or refusal, carries the security headers: a CSP that allows
// only this origin (blob: workers for the map), no framing by any site, no MIME sniffing, and no
// Referer to other sites.

describe('security headers', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let webDist: string;

  beforeAll(async () => {
    webDist = mkdtempSync(join(tmpdir(), 'gcc-web-'));
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>gcc</title>');
    server = await startTestServer({ db: 'pglite', env: { WEB_DIST: webDist } });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(webDist, { recursive: true, force: true });
  });

  it('are on pages, API answers and refusals alike', async () => {
    const answers = await Promise.all(
      [
        ['GET', '/wall'],
        ['GET', '/dispatch'],
        ['GET', '/plan'],
        ['GET', '/healthz'],
        ['GET', '/trpc/auth.me'],
        ['GET', '/api/device/cases'],
        ['POST', '/api/positions'],
        ['GET', '/no-such-page'],
      ].map(async ([method, path]) => [path, await fetch(`${server.url}${path}`, { method })] as const),
    );
    expect(answers.map(([path, r]) => [path, r.status])).toEqual([
      ['/wall', 200],
      ['/dispatch', 200],
      ['/plan', 200],
      ['/healthz', 200],
      ['/trpc/auth.me', 200],
      ['/api/device/cases', 401],
      ['/api/positions', 401],
      ['/no-such-page', 404],
    ]);
    for (const [path, res] of answers) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("worker-src 'self' blob:");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });
});

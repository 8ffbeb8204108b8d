import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../server/src/db/schema.ts';
import { png } from '../support/png.ts';
import { signedIn, type Client } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// A state-changing call from another site's page is refused with 403 `bad-origin` and changes
// nothing, even with a valid session and the CSRF header; our own pages and non-browser clients
// (no Origin, no Referer) go through; the device API, authenticated by token, is not checked.

describe('the Origin check on state-changing calls', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let intake: Client;
  let urban: Client;
  let deviceToken: string;
  const caseCount = async () =>
    (await server.services.database.db.select({ id: cases.id }).from(cases)).length;
  const report = (headers: Record<string, string>) => {
    const w = server.services.roster[0]!;
    return fetch(`${server.url}/trpc/cases.report`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gcc-csrf': '1',
        cookie: intake.cookieHeader(),
        ...headers,
      },
      body: JSON.stringify({
        category: 'S0101',
        lng: w.homeLng,
        lat: w.homeLat,
        description: '跨站上报',
        source: 'hotline',
      }),
    });
  };

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    intake = await signedIn(server.url, 'intake', 'intake123');
    urban = await signedIn(server.url, 'chengguan', 'dept123');
    const admin = await signedIn(server.url, 'admin', 'admin123');
    const w = server.services.roster[0]!;
    deviceToken = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: w.id })).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a tRPC mutation from a foreign Origin or Referer, and nothing is stored', async () => {
    const before = await caseCount();
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { referer: 'https://evil.example/phish.html' },
      { origin: `${server.url.replace('127.0.0.1', 'localhost')}` },
    ];
    for (const headers of foreign) {
      const res = await report(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      const body = (await res.json()) as { error: { data: { code: string; reason: string } } };
      expect(body.error.data).toMatchObject({ code: 'FORBIDDEN', reason: 'bad-origin' });
    }
    expect(await caseCount()).toBe(before);
    // Our own page, and a client that names no page, go through.
    expect((await report({ origin: server.url })).status).toBe(200);
    expect((await report({ referer: `${server.url}/dispatch` })).status).toBe(200);
    expect((await report({})).status).toBe(200);
    expect(await caseCount()).toBe(before + 2 + 1);
  });

  it('refuses a REST upload from a foreign Origin in the REST error shape', async () => {
    const upload = (origin: string) =>
      urban.fetch(`${server.url}/api/photos`, {
        method: 'POST',
        headers: { 'content-type': 'image/png', 'x-gcc-csrf': '1', origin },
        body: png(),
      });
    const res = await upload('https://evil.example');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'bad-origin', message: expect.stringContaining('/') });
    expect((await upload(server.url)).status).toBe(201);
  });

  it('leaves the device API to its token', async () => {
    const w = server.services.roster[0]!;
    const res = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${deviceToken}`,
        'content-type': 'application/json',
        origin: 'https://some-vendor-app.example',
      },
      body: JSON.stringify([{ lng: w.homeLng, lat: w.homeLat, at: Date.now() - 1000 }]),
    });
    expect(res.status).toBe(200);
  });
});

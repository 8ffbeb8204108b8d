import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// Trying device identifiers from one address: after a burst of 20 unknown ones the address is
// answered 429 without the identifier being checked, on every device entry; a phone already
// reporting from it keeps working, and other addresses are not touched.

describe('unknown device identifiers per address', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let working: string;
  let fresh: string;
  let inside: [number, number];
  const positions = (token: string, from: string) =>
    fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-forwarded-for': from,
      },
      body: JSON.stringify([{ lng: inside[0], lat: inside[1], at: Date.now() - 1000 }]),
    });

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite', env: { TRUST_PROXY_HOPS: '1' } });
    const admin = await signedIn(server.url, 'admin', 'admin123');
    const [a, b] = server.services.roster;
    inside = [a!.homeLng, a!.homeLat];
    working = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: a!.id })).token;
    fresh = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: b!.id })).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers 429 after 20 unknown identifiers from one address', async () => {
    const from = '203.0.113.7';
    expect((await positions(working, from)).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await positions(`gcc-guess${i}`, from)).status).toBe(401);
    const refused = await positions('gcc-guess20', from);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: 'rate-limited' });
    // Every entry refuses the address: OsmAnd, the device case API.
    expect(
      (
        await fetch(
          `${server.url}/api/osmand?id=gcc-guess21&lat=${inside[1]}&lon=${inside[0]}&timestamp=${Math.floor(Date.now() / 1000)}`,
          { headers: { 'x-forwarded-for': from } },
        )
      ).status,
    ).toBe(429);
    const cases = await fetch(`${server.url}/api/device/cases`, {
      headers: { authorization: 'Bearer gcc-guess22', 'x-forwarded-for': from },
    });
    expect(cases.status).toBe(429);
    // An identifier not seen working from here waits too, even a real one…
    expect((await positions(fresh, from)).status).toBe(429);
    // …but the phone already reporting keeps reporting, and other addresses are not touched.
    expect((await positions(working, from)).status).toBe(200);
    expect((await positions('gcc-guess23', '203.0.113.8')).status).toBe(401);
    expect((await positions(fresh, '203.0.113.8')).status).toBe(200);
  });
});

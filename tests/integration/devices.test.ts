import type { GridId, WorkerId } from '@gcc/shared';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, failure } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// Device ingest end to end over HTTP: device and gateway credentials issued by an admin, the
// batched JSON API, the two OsmAnd forms of the Traccar Client (on the main port and on its own
// OSMAND_PORT), validation with typed refusals that change nothing, newest-wins, jurisdiction
// scope, revocation and the per-device rate limit.

describe('device ingest', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: ReturnType<typeof createClient>;
  let roster: { id: WorkerId; gridId: GridId }[];
  let deviceToken: string;
  let deviceId: number;
  let worker: { id: WorkerId; gridId: GridId };
  let inside: [number, number];

  const post = (token: string | null, body: unknown, query = '') =>
    fetch(`${server.url}/api/positions${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const held = (workerId: WorkerId) => {
    const s = server.services.positions;
    const slot = s.slotOf(workerId)!;
    return s.hasPosition(slot)
      ? {
          at: s.cols.at[slot]!,
          lng: s.cols.lng[slot]!,
          lat: s.cols.lat[slot]!,
          speed: s.cols.speed[slot]!,
          grid: s.gridOf[slot]!,
        }
      : null;
  };

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite', env: { OSMAND_PORT: '0', DEVICE_RATE_PER_SECOND: '1' } });
    admin = createClient(server.url);
    await admin.trpc.auth.login.mutate({ username: 'admin', password: 'admin123' });
    roster = server.services.roster.map((w) => ({ id: w.id, gridId: w.gridId }));
    worker = roster[0]!;
    const home = server.services.roster[0]!;
    inside = [home.homeLng, home.homeLat];
    const issued = await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: worker.id });
    deviceToken = issued.token;
    deviceId = issued.id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('accepts a device batch, assigns the grid, and drops duplicates and out-of-order fixes (newest wins)', async () => {
    const at = Date.now() - 5000;
    const res = await post(deviceToken, [
      { lng: inside[0], lat: inside[1], at, speed: 1.2, heading: 90, accuracy: 6 },
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, stale: 0, unknown: 0, outOfScope: 0 });
    const h = held(worker.id)!;
    expect(h.at).toBe(at);
    expect(h.grid).toBe(server.services.boundary().index.locate(inside[0], inside[1]));
    // The same fix again, and an older one: both dropped, the held fix unchanged.
    const again = await post(deviceToken, [
      { lng: inside[0], lat: inside[1], at },
      { lng: inside[0] + 0.001, lat: inside[1], at: at - 1000 },
    ]);
    expect(await again.json()).toMatchObject({ accepted: 0, stale: 2 });
    expect(held(worker.id)!.lng).toBe(inside[0]);
  });

  it('refuses bad input with a typed reason and stores nothing of the batch', async () => {
    const before = held(worker.id);
    const now = Date.now();
    const cases: [unknown, string, number | null][] = [
      [{ lng: 1, lat: 2, at: now }, 'not-array', null],
      [
        [
          { lng: inside[0], lat: inside[1], at: now },
          { lng: 200, lat: 30, at: now },
        ],
        'bad-lng',
        1,
      ],
      [[{ lng: inside[0], lat: Number.NaN, at: now }], 'bad-lat', 0],
      [[{ lng: inside[0], lat: inside[1], at: now + 3600_000 }], 'future', 0],
      [[{ lng: inside[0], lat: inside[1], at: '2026-01-01' }], 'bad-time', 0],
      [[{ lng: inside[0], lat: inside[1], at: now, speed: 300 }], 'bad-speed', 0],
      [[{ workerId: roster[1]!.id, lng: inside[0], lat: inside[1], at: now }], 'bad-worker', 0],
      [[7], 'not-object', 0],
    ];
    for (const [body, code, index] of cases) {
      const res = await post(deviceToken, body);
      expect(res.status, code).toBe(400);
      expect(await res.json(), code).toMatchObject({ error: code, index });
    }
    // Fastify's own refusals come in the same typed shape.
    const broken = await post(deviceToken, '[{"lng": 1,');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({
      error: 'bad-json',
      message: expect.stringContaining('JSON'),
    });
    const huge = await post(deviceToken, `[${'{"lng":1,"lat":1,"at":1},'.repeat(200_000)}{}]`);
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: 'too-large' });
    expect(held(worker.id)).toEqual(before);
  });

  it('refuses missing, unknown and revoked credentials; a device token is not a session', async () => {
    expect((await post(null, [])).status).toBe(401);
    expect((await post('gcc-not-a-real-token', [])).status).toBe(401);
    const trpc = await fetch(`${server.url}/trpc/cases.list?input=${encodeURIComponent('{}')}`, {
      headers: { authorization: `Bearer ${deviceToken}` },
    });
    expect(trpc.status).toBe(401);
    const spare = await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: roster[2]!.id });
    expect((await post(spare.token, [])).status).toBe(200);
    await admin.trpc.admin.revokeToken.mutate({ id: spare.id });
    expect((await post(spare.token, [])).status).toBe(401);
    const listed = await admin.trpc.admin.devices.query();
    expect(listed.find((d) => d.id === spare.id)?.revokedAt).not.toBeNull();
    expect(listed.find((d) => d.id === deviceId)?.lastFixAt).toBeGreaterThan(0);
  });

  it('scopes a gateway to its unit: workers of other units are counted out of scope, not stored', async () => {
    const boundary = server.services.boundary();
    const community = boundary.gridById.get(worker.gridId)!.communityId;
    const streetId = boundary.unitById.get(community)!.parentId!;
    const gw = await admin.trpc.admin.issueDeviceToken.mutate({
      kind: 'gateway',
      label: '街道终端平台',
      unitId: streetId,
    });
    const outsider = roster.find((w) => !boundary.gridInUnit(w.gridId, streetId))!;
    expect(outsider).toBeDefined();
    const at = Date.now();
    const res = await post(gw.token, [
      { workerId: worker.id, lng: inside[0], lat: inside[1], at },
      { workerId: outsider.id, lng: inside[0], lat: inside[1], at },
      { workerId: 999_999, lng: inside[0], lat: inside[1], at },
    ]);
    expect(await res.json()).toEqual({ accepted: 1, stale: 0, unknown: 1, outOfScope: 1 });
    expect(held(outsider.id)?.at ?? 0).not.toBe(at);
    // A gateway must name each fix's worker.
    const anon = await post(gw.token, [{ lng: inside[0], lat: inside[1], at }]);
    expect(await anon.json()).toMatchObject({ error: 'bad-worker', index: 0 });
  });

  it('converts GCJ-02 coordinates from Chinese map SDKs', async () => {
    const at = Date.now();
    // Shift by the GCJ-02 offset (a few hundred metres in China): the stored point is WGS-84.
    const res = await post(
      deviceToken,
      [{ lng: inside[0] + 0.0045, lat: inside[1] - 0.0025, at }],
      '?crs=gcj02',
    );
    expect(res.status).toBe(200);
    const h = held(worker.id)!;
    expect(Math.abs(h.lng - inside[0])).toBeLessThan(0.003);
    expect((await post(deviceToken, [], '?crs=bd09')).status).toBe(400);
  });

  it('takes Traccar Client reports: query string by GET and POST, and the JSON form', async () => {
    const id = deviceToken;
    const t1 = Math.floor(Date.now() / 1000) + 1;
    const q = new URLSearchParams({
      id,
      lat: String(inside[1]),
      lon: String(inside[0]),
      timestamp: String(t1),
      speed: '2',
      bearing: '45',
      altitude: '60',
      accuracy: '8',
      batt: '76',
    });
    const get = await fetch(`${server.url}/api/osmand?${q}`);
    expect(get.status).toBe(200);
    let h = held(worker.id)!;
    expect(h.at).toBe(t1 * 1000);
    expect(h.speed).toBeCloseTo(2 * 0.514444, 2); // knots → m/s
    q.set('timestamp', String(t1 + 1));
    const postQ = await fetch(`${server.url}/api/osmand?${q}`, { method: 'POST' });
    expect(postQ.status).toBe(200);
    expect(held(worker.id)!.at).toBe((t1 + 1) * 1000);
    const iso = new Date((t1 + 2) * 1000).toISOString();
    const json = await fetch(`${server.url}/api/osmand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        device_id: id,
        location: {
          timestamp: iso,
          coords: {
            latitude: inside[1],
            longitude: inside[0],
            speed: 1.5,
            heading: -1,
            accuracy: 5,
            altitude: 61,
          },
          is_moving: true,
          battery: { level: 0.76, is_charging: false },
        },
      }),
    });
    expect(json.status).toBe(200);
    h = held(worker.id)!;
    expect(h.at).toBe((t1 + 2) * 1000);
    expect(h.speed).toBeCloseTo(1.5, 5);
  });

  it('serves the OsmAnd protocol on its own port and refuses unknown identifiers there', async () => {
    const base = `http://127.0.0.1:${server.osmandPort}`;
    const t = Math.floor(Date.now() / 1000) + 10;
    const ok = await fetch(`${base}/?id=${deviceToken}&lat=${inside[1]}&lon=${inside[0]}&timestamp=${t}`);
    expect(ok.status).toBe(200);
    expect(held(worker.id)!.at).toBe(t * 1000);
    const unknown = await fetch(`${base}/?id=123456&lat=${inside[1]}&lon=${inside[0]}&timestamp=${t + 1}`);
    expect(unknown.status).toBe(401);
    const noId = await fetch(`${base}/?lat=${inside[1]}&lon=${inside[0]}`);
    expect(noId.status).toBe(400);
    expect(await noId.text()).toMatch(/missing-id/);
    expect(held(worker.id)!.at).toBe(t * 1000);
  });

  it('takes batches on the device socket, with an acknowledgement, and refuses an unknown token', async () => {
    const sock = io(`${server.url}/devices`, { auth: { token: deviceToken }, transports: ['websocket'] });
    const at = Date.now() + 20_000;
    const ack = await sock.timeout(5000).emitWithAck('positions', [{ lng: inside[0], lat: inside[1], at }]);
    expect(ack).toEqual({ ok: true, accepted: 1, stale: 0, unknown: 0, outOfScope: 0 });
    expect(held(worker.id)!.at).toBe(at);
    const bad = await sock.timeout(5000).emitWithAck('positions', [{ lng: inside[0], lat: 95, at: at + 1 }]);
    expect(bad).toMatchObject({ ok: false, error: 'bad-lat', index: 0 });
    sock.close();
    const intruder = io(`${server.url}/devices`, {
      auth: { token: 'nope' },
      transports: ['websocket'],
      reconnection: false,
    });
    const err = await new Promise<Error>((resolve) => intruder.on('connect_error', resolve));
    expect(err.message).toBe('unauthorized');
    intruder.close();
  });

  it('limits requests per device (429) without touching other devices', async () => {
    const limited = await admin.trpc.admin.issueDeviceToken.mutate({
      kind: 'device',
      workerId: roster[3]!.id,
    });
    const statuses: number[] = [];
    // DEVICE_RATE_PER_SECOND=1 here: a burst of 20 is allowed, then refused.
    for (let i = 0; i < 30; i++) statuses.push((await post(limited.token, [])).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(5);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
  });

  it('lets only admins issue device credentials, and only inside their jurisdiction', async () => {
    const dispatcher = createClient(server.url);
    await dispatcher.trpc.auth.login.mutate({ username: 'dispatcher', password: 'dispatch123' });
    expect(
      (await failure(dispatcher.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: worker.id })))
        .code,
    ).toBe('FORBIDDEN');
    expect(
      (await failure(admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: 999_999 }))).code,
    ).toBe('BAD_REQUEST');
  });
});

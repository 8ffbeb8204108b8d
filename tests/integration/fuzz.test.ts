import { importOutline, type OutlineInput } from '../../data/src/city/outline.ts';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/src/api/router.ts';
import type { Meta } from '../../server/src/api/trpc.ts';
import * as schema from '../../server/src/db/schema.ts';
import { RateLimiter } from '../../server/src/http/rate-limit.ts';
import { sessionClient, type Client } from '../support/client.ts';
import {
  BAD_IDS,
  BAD_TEXT,
  deepArray,
  deepObject,
  mutations,
  NOT_A_BODY,
  NOT_A_NUMBER,
  NOT_TEXT,
  notAnImage,
  pick,
  seeded,
  short,
} from '../support/fuzz-corpus.ts';
import { startTestServer } from '../support/test-server.ts';

// The fuzz corpus (issue 18, item 9): well over 500 malformed inputs, generated from a fixed seed,
// across every place text and numbers enter — device positions (REST batch, device socket),
// the Traccar Client's OsmAnd forms, the worker device's case API, photo uploads (device and
// desk), every tRPC procedure that takes input, and the one file import there is (the city
// outline of the generator; the server has no boundary import endpoint yet). Each must be refused
// with a typed 4xx — REST `{error, message}`, tRPC `{error: {data: {code, httpStatus}}}`, OsmAnd
// `code: message`, socket ack `{ok: false, error}`, importer `TypeError('outline …')` — never a
// 500, and nothing may be stored: row counts of every table a call could write (the audit log
// aside: refusals are audited by design) and the live positions and duty states are the same after
// the corpus as before. A failure names the case; FUZZ_SEED replays another corpus.

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);

interface Answer {
  status: number;
  typed: boolean;
  detail: string;
}
interface Case {
  surface: string;
  label: string;
  send(): Promise<Answer>;
}

describe('fuzz corpus: malformed input is a typed 4xx and stores nothing', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const clients = new Map<string, Client>();
  let deviceToken: string;
  let gatewayToken: string;

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite', env: { DEVICE_RATE_PER_SECOND: '1000' } });
    // The corpus is a flood by design: budgets are not what it tests (they have tests of their own).
    const wide = () => new RateLimiter({ perSecond: 1e6, burst: 1e6 });
    Object.assign(server.services.limits, {
      calls: wide(),
      logins: wide(),
      devices: wide(),
      gateways: wide(),
    });
    for (const [role, user, password] of [
      ['admin', 'admin', 'admin123'],
      ['dispatcher', 'dispatcher', 'dispatch123'],
      ['planner', 'planner', 'plan123'],
      ['wall', 'wall', 'wall123'],
      ['inspector', 'inspector', 'inspect123'],
      ['intake', 'intake', 'intake123'],
      ['shift-lead', 'shiftlead', 'shift123'],
      ['department', 'chengguan', 'dept123'],
    ] as const)
      clients.set(role, await sessionClient(server, user, password));
    const admin = clients.get('admin')!;
    const w = server.services.roster[0]!;
    deviceToken = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: w.id })).token;
    gatewayToken = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'gateway', label: '网关' })).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Rows of every table a refused call could have written (not the audit log), and the live store. */
  const stored = async () => {
    const { db } = server.services.database;
    const tables = {
      cases: schema.cases,
      events: schema.events,
      photos: schema.photos,
      alerts: schema.alerts,
      accessTokens: schema.accessTokens,
      users: schema.users,
      plans: schema.plans,
      workCalendars: schema.workCalendars,
      unitCalendars: schema.unitCalendars,
      categoryOverrides: schema.categoryOverrides,
      dutyRosters: schema.dutyRosters,
      boundaryVersions: schema.boundaryVersions,
      workerPositions: schema.workerPositions,
    };
    const counts: Record<string, number> = {};
    for (const [name, table] of Object.entries(tables)) counts[name] = (await db.select().from(table)).length;
    const p = server.services.positions;
    return { counts, at: Array.from(p.cols.at), duty: Array.from(p.cols.duty) };
  };

  const rest = async (res: Response): Promise<Answer> => {
    const text = await res.text();
    let typed = false;
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      // `error` is a machine-readable code (`bad-input`, `too-large`…), not a sentence.
      typed =
        typeof body.error === 'string' &&
        /^[a-z][a-z-]*$/.test(body.error) &&
        typeof body.message === 'string';
    } catch {
      typed = false;
    }
    return { status: res.status, typed, detail: text.slice(0, 200) };
  };
  const plain = async (res: Response): Promise<Answer> => {
    const text = await res.clone().text();
    // OsmAnd answers text, `code: message`; what the app refuses before the route (bad text, bad JSON) is `{error, message}`.
    if (/^[a-z-]+: /.test(text)) return { status: res.status, typed: true, detail: text.slice(0, 200) };
    return rest(res);
  };
  /** tRPC's error (one, or one per call of a batch), or the REST shape of a refusal before tRPC (431, 413). */
  const trpcAnswer = async (res: Response): Promise<Answer> => {
    const text = await res.text();
    type Err = { error?: { data?: { code?: unknown; httpStatus?: unknown } } | string; message?: unknown };
    const typedOne = (e: Err) =>
      typeof e.error === 'string'
        ? /^[a-z][a-z-]*$/.test(e.error) && typeof e.message === 'string'
        : typeof e.error?.data?.code === 'string' && typeof e.error.data.httpStatus === 'number';
    let typed = false;
    try {
      const body = JSON.parse(text) as Err | Err[];
      typed = Array.isArray(body) ? body.length > 0 && body.every(typedOne) : typedOne(body);
    } catch {
      typed = false;
    }
    return { status: res.status, typed, detail: text.slice(0, 200) };
  };
  const json = (value: unknown) => {
    try {
      return JSON.stringify(value) ?? 'null';
    } catch {
      return '[circular]';
    }
  };
  const post = (
    path: string,
    body: string | Uint8Array,
    type: string,
    headers: Record<string, string> = {},
  ) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': type, ...headers }, body });
  const asDevice = (token: string) => ({ authorization: `Bearer ${token}` });

  function corpus(): Case[] {
    const rng = seeded(SEED);
    const now = Date.now();
    const w = server.services.roster[0]!;
    const cases: Case[] = [];
    const add = (surface: string, label: string, send: () => Promise<Answer>) =>
      cases.push({ surface, label, send });

    // ── Positions: the REST batch (device and gateway tokens) and the device socket ──
    const fix = { lng: w.homeLng, lat: w.homeLat, at: now, speed: 1, heading: 90, accuracy: 5 };
    const fixBad = {
      lng: [...NOT_A_NUMBER, 180.5, -181, 1e308],
      lat: [...NOT_A_NUMBER, 90.5, -91, -1e308],
      at: [...NOT_A_NUMBER, 0, -1, 1.5, now + 3600_000, 1, 2 ** 53 + 2, 8.64e15 + 1],
      speed: [...NOT_A_NUMBER, -1, 71, 1e9],
      heading: [...NOT_A_NUMBER, -0.5, 360.5],
      accuracy: [...NOT_A_NUMBER, -1, 1e7],
    };
    const batches: { label: string; value: unknown }[] = [
      ...mutations(rng, fix, fixBad, 90, { required: ['lng', 'lat', 'at'] }).map((m) => ({
        label: m.label,
        value: [fix, m.value],
      })),
      ...NOT_A_BODY.map((v) => ({ label: `body ${short(v)}`, value: v })),
      { label: '1001 fixes', value: Array.from({ length: 1001 }, () => fix) },
      { label: 'another worker', value: [{ ...fix, workerId: server.services.roster[1]!.id }] },
      ...BAD_IDS.map((id) => ({ label: `workerId ${short(id)}`, value: [{ ...fix, workerId: id }] })),
    ];
    for (const b of batches)
      add('positions', b.label, async () =>
        rest(await post('/api/positions', json(b.value), 'application/json', asDevice(deviceToken))),
      );
    // (A well-formed id of no worker is counted `unknown`, as documented: not malformed.)
    for (const id of BAD_IDS)
      add('positions', `gateway workerId ${short(id)}`, async () =>
        rest(
          await post(
            '/api/positions',
            json([{ ...fix, workerId: id }]),
            'application/json',
            asDevice(gatewayToken),
          ),
        ),
      );
    for (const [label, body, type, query] of [
      ['broken JSON', '[{"lng": 1,', 'application/json', ''],
      ['empty JSON', '', 'application/json', ''],
      ['form body', 'lng=1&lat=2', 'application/x-www-form-urlencoded', ''],
      ['text body', json([fix]), 'text/plain', ''],
      ['crs=bd09', json([fix]), 'application/json', '?crs=bd09'],
      ['crs NUL', json([fix]), 'application/json', '?crs=%00'],
      ['crs array', json([fix]), 'application/json', '?crs=gcj02&crs=wgs84'],
      ['huge body', `[${'1,'.repeat(3_000_000)}1]`, 'application/json', ''],
    ] as const)
      add('positions', label, async () =>
        rest(await post(`/api/positions${query}`, body, type, asDevice(deviceToken))),
      );
    // The device socket: the same bodies, one connection.
    for (const b of batches.filter(() => rng() < 0.55))
      add('device socket', b.label, () => socketCall(b.value));

    // ── OsmAnd (Traccar Client): the query form by GET and POST, and the JSON form ──
    const q = {
      id: deviceToken,
      lat: String(w.homeLat),
      lon: String(w.homeLng),
      timestamp: String(Math.floor(now / 1000)),
      speed: '1',
      bearing: '90',
      accuracy: '5',
    };
    const qBad = {
      id: ['', ' ', 'x'.repeat(129)],
      lat: ['abc', '91', '-90.5', '1e3', 'NaN', '0x10', '١٢'],
      lon: ['abc', '181', '-180.5', '1e3', 'Infinity', '--1'],
      timestamp: ['abc', String(Math.floor(now / 1000) + 7200), '1', '2099-01-01T00:00:00Z', 'yesterday'],
      speed: ['-1', 'abc', '1000', '1e9'],
      bearing: ['361', '-1', 'abc'],
      accuracy: ['-1', 'abc', '1e9'],
    };
    // A URL cannot carry a lone surrogate (URLSearchParams writes U+FFFD): NULs only.
    for (const m of mutations(rng, q, qBad, 70, { required: ['id'], badText: ['\u0000', 'a\u0000b'] })) {
      const params = new URLSearchParams(m.value as Record<string, string>);
      if (rng() < 0.5)
        add('osmand', `GET ${m.label}`, async () => plain(await fetch(`${server.url}/api/osmand?${params}`)));
      else
        add('osmand', `POST form ${m.label}`, async () =>
          plain(await post('/api/osmand', params.toString(), 'application/x-www-form-urlencoded')),
        );
    }
    const coords = { latitude: w.homeLat, longitude: w.homeLng, speed: 1, heading: 90, accuracy: 5 };
    const coordsBad = {
      latitude: [...NOT_A_NUMBER.filter((v) => typeof v !== 'string'), 'abc', 91, -1e9],
      longitude: [...NOT_A_NUMBER.filter((v) => typeof v !== 'string'), 'abc', 181],
      speed: [71, 'abc', 1e9],
      accuracy: [1e9, 'abc'],
    };
    for (const m of mutations(rng, coords, coordsBad, 35, { required: ['latitude', 'longitude'] }))
      add('osmand', `JSON coords ${m.label}`, async () =>
        plain(
          await post(
            '/api/osmand',
            json({
              device_id: deviceToken,
              location: { timestamp: new Date(now).toISOString(), coords: m.value },
            }),
            'application/json',
          ),
        ),
      );
    for (const body of [
      ...NOT_A_BODY,
      { device_id: deviceToken },
      { device_id: deviceToken, location: null },
      { device_id: deviceToken, location: { coords: 'x' } },
      { device_id: 5, location: { coords } },
      { device_id: deviceToken, location: { timestamp: 'never', coords } },
      { device_id: deviceToken, location: { timestamp: { toString: 'x' }, coords } },
      { device_id: deviceToken, location: { timestamp: [1], coords } },
      { device_id: { toString: 'x' }, location: { coords } },
      { device_id: `a${BAD_TEXT[0]}`, location: { coords } },
    ])
      add('osmand', `JSON body ${short(body)}`, async () =>
        plain(await post('/api/osmand', json(body), 'application/json')),
      );
    add('osmand', 'JSON broken', async () =>
      plain(await post('/api/osmand', '{"device_id":', 'application/json')),
    );

    // ── The worker device's case API ──
    const report = { category: 'S0101', lng: w.homeLng, lat: w.homeLat, description: '井盖缺失' };
    const reportBad = {
      category: [...NOT_TEXT, '', 'S9999', 'X0101', 'S01', "S0101' OR 1=1 --"],
      lng: [...NOT_A_NUMBER, 0, 200],
      lat: [...NOT_A_NUMBER, 0, -100],
      description: [...NOT_TEXT, '', '   ', 'x'.repeat(5001)],
      micro: [
        null,
        'x',
        [],
        {},
        { photos: [] },
        { photos: 'x' },
        { photos: [2 ** 31] },
        { photos: [999_999] },
        { photos: [1], zz: 1 },
      ],
    };
    for (const m of mutations(rng, report, reportBad, 80, {
      required: ['category', 'lng', 'lat', 'description'],
      strict: true,
    }))
      add('device cases', `report ${m.label}`, async () =>
        rest(await post('/api/device/cases', json(m.value), 'application/json', asDevice(deviceToken))),
      );
    for (const body of NOT_A_BODY)
      add('device cases', `report body ${short(body)}`, async () =>
        rest(await post('/api/device/cases', json(body), 'application/json', asDevice(deviceToken))),
      );
    const pathIds = ['0', '-1', 'abc', '1.5', '2147483648', '9999999999', '01', '%00', '1e3', '999999'];
    const steps = ['accept', 'start', 'feedback', 'return'] as const;
    for (let i = 0; i < 40; i++) {
      const stepName = pick(rng, steps);
      const id = pick(rng, pathIds);
      const body = pick(rng, [
        { expectedVersion: 1 },
        { expectedVersion: '1' },
        { expectedVersion: 0 },
        { expectedVersion: 1.5 },
        { expectedVersion: -1 },
        {},
        [],
        null,
        { expectedVersion: 1, zz: 1 },
        { expectedVersion: 1, reason: '' },
        { expectedVersion: 1, reason: 'x'.repeat(501) },
        { expectedVersion: 1, photos: 'x', note: 1 },
        { expectedVersion: 1, onSite: 'yes', photos: [] },
      ]);
      add('device cases', `${stepName} /${id} ${short(body)}`, async () =>
        rest(
          await post(
            `/api/device/cases/${id}/${stepName}`,
            json(body),
            'application/json',
            asDevice(deviceToken),
          ),
        ),
      );
    }
    for (const body of [
      ...NOT_A_BODY,
      { state: 'maybe' },
      { state: 'on', zz: 1 },
      { state: 1 },
      { state: '上岗' },
      {},
    ])
      add('device cases', `duty ${short(body)}`, async () =>
        rest(await post('/api/device/duty', json(body), 'application/json', asDevice(deviceToken))),
      );

    // ── Photos: device uploads and desk uploads ──
    const department = clients.get('department')!;
    const deskHeaders = () => ({ cookie: department.cookieHeader(), 'x-gcc-csrf': '1' });
    const photoBodies: { label: string; body: Uint8Array; type: string }[] = [
      { label: 'empty png', body: new Uint8Array(0), type: 'image/png' },
      { label: 'empty jpeg', body: new Uint8Array(0), type: 'image/jpeg' },
      { label: 'gif as png', body: new TextEncoder().encode('GIF89a....'), type: 'image/png' },
      { label: 'png magic cut short', body: new Uint8Array([0x89, 0x50, 0x4e]), type: 'image/png' },
      { label: 'jpeg magic cut short', body: new Uint8Array([0xff, 0xd8]), type: 'image/jpeg' },
      {
        label: 'png as jpeg',
        body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
        type: 'image/jpeg',
      },
      { label: 'webp', body: notAnImage(rng, 64), type: 'image/webp' },
      { label: 'svg', body: new TextEncoder().encode('<svg onload="alert(1)"/>'), type: 'image/svg+xml' },
      { label: 'octet-stream', body: notAnImage(rng, 64), type: 'application/octet-stream' },
      { label: 'json', body: new TextEncoder().encode('{}'), type: 'application/json' },
      { label: 'too large', body: new Uint8Array(2 * 1024 * 1024 + 1).fill(0x89), type: 'image/png' },
    ];
    for (let i = 0; i < 10; i++)
      photoBodies.push({
        label: `random bytes ${i}`,
        body: notAnImage(rng, 1 + Math.floor(rng() * 4096)),
        type: pick(rng, ['image/png', 'image/jpeg']),
      });
    for (const p of photoBodies) {
      add('photos', `device ${p.label}`, async () =>
        rest(await post('/api/device/photos', p.body, p.type, asDevice(deviceToken))),
      );
      add('photos', `desk ${p.label}`, async () =>
        rest(await post('/api/photos', p.body, p.type, deskHeaders())),
      );
    }

    // ── tRPC: every procedure that takes input, called by a role allowed to call it ──
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { type: string; inputs: unknown[]; meta?: Meta } }
    >;
    const junk: unknown[] = [
      'x',
      42,
      -1,
      true,
      [],
      [{}],
      1e308,
      BAD_TEXT[0],
      { [`k${BAD_TEXT[1]}`]: 1 },
      deepArray(1500),
      deepObject(1500),
      'y'.repeat(300_000),
    ];
    const order = [
      'admin',
      'dispatcher',
      'planner',
      'intake',
      'inspector',
      'shift-lead',
      'department',
      'wall',
    ];
    for (const [path, p] of Object.entries(procedures)) {
      if (p._def.inputs.length === 0 || p._def.type === 'subscription') continue;
      const roles = p._def.meta?.roles;
      const role = roles === 'public' ? 'admin' : order.find((r) => roles?.includes(r as never));
      if (!role) continue;
      const client = clients.get(role)!;
      for (const v of junk) {
        if (rng() < 0.45) continue;
        const body = json(v);
        add('trpc', `${path} ${short(v)}`, async () => {
          const headers = { cookie: client.cookieHeader(), 'x-gcc-csrf': '1' };
          return trpcAnswer(
            p._def.type === 'mutation'
              ? await post(`/trpc/${path}`, body, 'application/json', headers)
              : await fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers }),
          );
        });
      }
    }
    const admin = clients.get('admin')!;
    const asAdmin = () => ({ cookie: admin.cookieHeader(), 'x-gcc-csrf': '1' });
    const query = (path: string, input: string) =>
      fetch(`${server.url}/trpc/${path}${path.includes('?') ? '&' : '?'}input=${encodeURIComponent(input)}`, {
        headers: asAdmin(),
      });
    const hostileReport = json({
      category: { toString: 'x' },
      lng: w.homeLng,
      lat: w.homeLat,
      description: '井盖',
      source: 'hotline',
    });
    for (const [label, send] of [
      [
        'mutation broken JSON',
        () => post('/trpc/cases.report', '{"category":', 'application/json', asAdmin()),
      ],
      [
        'report category {toString}',
        () => post('/trpc/cases.report', hostileReport, 'application/json', asAdmin()),
      ],
      ...(
        [
          ['caller as text', 'x'],
          ['caller as array', [{ phone: '13812345678' }]],
          ['caller phone {toString}', { phone: { toString: 'x' } }],
          ['caller phone number', { phone: 13812345678 }],
          ['caller phone too long', { phone: '1'.repeat(100_000) }],
          ['caller phone lone surrogate', { phone: '138\ud8001234' }],
          ['caller name NUL', { name: '王\u0000五' }],
          ['caller name 10k', { name: '名'.repeat(10_000) }],
          ['caller ticket markup', { ticket: '<img src=x>' }],
          ['caller extra key', { phone: '13812345678', idCard: '330802199001011234' }],
        ] as const
      ).map(
        ([what, caller]) =>
          [
            `report ${what}`,
            () =>
              post(
                '/trpc/cases.report',
                json({
                  category: 'S0101',
                  lng: w.homeLng,
                  lat: w.homeLat,
                  description: '井盖',
                  source: 'hotline',
                  caller,
                }),
                'application/json',
                asAdmin(),
              ),
          ] as const,
      ),
      ['query input not JSON', () => query('cases.get', '{not')],
      ['batch of junk', () => query('cases.get,cases.get?batch=1', '{"0":"x","1":[1]}')],
      ['batch input not an object', () => query('cases.get?batch=1', '[1]')],
      ['id past 2^31', () => query('cases.get', '{"id":2147483648}')],
      ['id past 2^53', () => query('cases.get', '{"id":9007199254740993}')],
      ['id 1e400', () => query('cases.get', '{"id":1e400}')],
      ['cursor past 2^31', () => query('cases.list', '{"cursor":4294967296}')],
    ] as const)
      add('trpc', label, async () => trpcAnswer(await send()));

    // ── File import: the generator's city outline (GeoJSON; no server endpoint imports files yet) ──
    const ring = [
      [118.8, 28.9],
      [118.9, 28.9],
      [118.9, 29.0],
      [118.8, 28.9],
    ];
    /** A polygon whose first position is `first` (then two good ones). */
    const polygonFrom = (first: unknown, properties: unknown = {}) => ({
      type: 'Feature',
      properties,
      geometry: { type: 'Polygon', coordinates: [[first, [2, 3], [4, 5]]] },
    });
    const outlines: unknown[] = [
      null,
      'x',
      42,
      [],
      {},
      { type: 'FeatureCollection' },
      { type: 'FeatureCollection', features: 'x' },
      { type: 'FeatureCollection', features: [null] },
      { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: 'x' }] },
      { type: 'FeatureCollection', features: [] },
      { type: 'Feature' },
      { type: 'Feature', geometry: null },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] } },
      { type: 'Feature', geometry: { type: 'Polygon' } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: 5 } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [5] } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[5, 6]] } },
      polygonFrom([1, 'a']),
      polygonFrom([1, null]),
      polygonFrom([1]),
      polygonFrom([Infinity, 1]),
      polygonFrom([200, 1], 'x'),
      polygonFrom([1, 95]),
      polygonFrom('x'),
      { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [ring] } },
      { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: 'x' } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring.slice(0, 2)] } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: deepArray(500) } },
    ];
    for (const o of outlines)
      add('file import', `outline ${short(o)}`, async () => {
        try {
          importOutline(o as OutlineInput, pick(rng, ['wgs84', 'gcj02'] as const));
          return { status: 200, typed: false, detail: 'imported' };
        } catch (e) {
          const typed = e instanceof TypeError && e.message.startsWith('outline');
          return { status: typed ? 400 : 500, typed, detail: String(e) };
        }
      });
    return cases;
  }

  let socket: ReturnType<typeof io> | null = null;
  async function socketCall(body: unknown): Promise<Answer> {
    socket ??= io(`${server.url}/devices`, { auth: { token: deviceToken }, transports: ['websocket'] });
    const s = socket;
    const ack = await new Promise<unknown>((resolve) => {
      const timer = setTimeout(() => resolve('no answer'), 10_000);
      s.emit('positions', body, (a: unknown) => {
        clearTimeout(timer);
        resolve(a);
      });
    });
    const a = ack as { ok?: unknown; error?: unknown };
    const typed = a !== null && typeof a === 'object' && a.ok === false && typeof a.error === 'string';
    return { status: typed ? 400 : a?.ok === true ? 200 : 500, typed, detail: short(ack) };
  }

  it(
    'refuses every malformed input with a typed 4xx, never a 500, and stores nothing',
    { timeout: 600_000 },
    async () => {
      const all = corpus();
      const bySurface: Record<string, number> = {};
      for (const c of all) bySurface[c.surface] = (bySurface[c.surface] ?? 0) + 1;
      expect(all.length).toBeGreaterThanOrEqual(500);
      for (const s of [
        'positions',
        'device socket',
        'osmand',
        'device cases',
        'photos',
        'trpc',
        'file import',
      ])
        expect(bySurface[s], s).toBeGreaterThan(0);
      // Outlier: a known-good report first, so a later "nothing stored" is not an empty database's.
      const before = await stored();
      const wrong: string[] = [];
      for (const c of all) {
        const a = await c.send();
        if (!(a.status >= 400 && a.status < 500 && a.typed))
          wrong.push(`${c.surface} | ${c.label} → ${a.status} ${a.typed ? '' : '(untyped) '}${a.detail}`);
      }
      socket?.disconnect();
      const after = await stored();
      expect(wrong, `${wrong.length} of ${all.length} cases`).toEqual([]);
      expect(after.counts).toEqual(before.counts);
      expect(after.at).toEqual(before.at);
      expect(after.duty).toEqual(before.duty);
      console.log(`fuzz corpus (seed ${SEED}): ${all.length} cases`, bySurface);
    },
  );
});

import { decodeMultiPolygon, flattenMultiPolygons, pointInFlatFeature } from '@gcc/shared/geo';
import {
  decodePositionFrame,
  parseStoredCaseEvent,
  replayCase,
  startOfLocalDay,
  type Case,
  type GridId,
} from '@gcc/shared';
import { multiPolygon, pointOnFeature } from '@turf/turf';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { auditLog, users } from '../../server/src/db/schema.ts';
import { createClient, failure, sessionClient, illTyped } from '../support/client.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// The server end to end over HTTP, SSE and socket.io, on the embedded database and on a real
// PostgreSQL server (same code, same schema).

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

describe.each(kinds)('server on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: ReturnType<typeof createClient>;
  let inside: [number, number];
  let insideGrid: GridId;

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    admin = createClient(server.url);
    await admin.trpc.auth.login.mutate({ username: 'admin', password: 'admin123' });
    // A point inside the first grid, found from the layer the wall loads.
    const layer = await admin.trpc.grids.layer.query();
    const mp = decodeMultiPolygon(layer.polygons[0]!);
    const flat = flattenMultiPolygons([mp]);
    const ring = mp[0]![0]!;
    const cx = ring.reduce((a, p) => a + p[0], 0) / ring.length;
    const cy = ring.reduce((a, p) => a + p[1], 0) / ring.length;
    inside = pointInFlatFeature(flat, 0, cx, cy)
      ? [cx, cy]
      : [(ring[0]![0] + ring[1]![0] + ring[2]![0]) / 3, (ring[0]![1] + ring[1]![1] + ring[2]![1]) / 3];
    insideGrid = layer.ids[0]!;
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A client signed in through the auth service: the HTTP sign-in budget per address is kept for the tests about it. */
  const sessionFor = (username: string, password: string) => sessionClient(server, username, password);

  it('answers /healthz with the server state', async () => {
    const res = await fetch(`${server.url}/healthz`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', database: db, boundaryVersion: 1 });
    expect(body.grids).toBeGreaterThan(10);
    expect(body.workers).toBeGreaterThan(50);
    expect(typeof body.openCases).toBe('number');
  });

  it('refuses anonymous calls and wrong passwords', async () => {
    const anon = createClient(server.url);
    expect(await failure(anon.trpc.cases.list.query({}))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await failure(anon.trpc.auth.login.mutate({ username: 'admin', password: 'nope' }))).toMatchObject(
      { code: 'UNAUTHORIZED' },
    );
    expect(await anon.trpc.auth.me.query()).toBeNull();
  });

  it('sets an httpOnly SameSite session cookie on login', async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1' },
      body: JSON.stringify({ username: 'dispatcher', password: 'dispatch123' }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/gcc_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('refuses a mutation without the CSRF header', async () => {
    const res = await fetch(`${server.url}/trpc/cases.report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookieHeader() },
      body: JSON.stringify({
        category: 'S0101',
        lng: inside[0],
        lat: inside[1],
        description: 'x',
        source: 'hotline',
      }),
    });
    expect(res.status).toBe(403);
  });

  it('reports a case and finds its grid by point-in-polygon', async () => {
    const c = await admin.trpc.cases.report.mutate({
      category: 'S0101',
      lng: inside[0],
      lat: inside[1],
      description: '府山路12号门前暴露垃圾，需清运',
      source: 'hotline',
    });
    expect(c.gridId).toBe(insideGrid);
    expect(c.status).toBe('reported');
    expect(c.code).toMatch(/^\d{14}$/);
    const got = await admin.trpc.cases.get.query({ id: c.id });
    expect(got.timeline.map((e) => e.type)).toEqual(['case.reported']);
  });

  it('seeds history whose timelines replay to the stored state; a closed case has no deadline left', async () => {
    const { items } = await admin.trpc.cases.list.query({ status: ['closed', 'evaluated'], limit: 20 });
    expect(items.length).toBeGreaterThan(0);
    for (const c of items) {
      const { timeline } = await admin.trpc.cases.get.query({ id: c.id });
      const types = timeline.map((e) => e.type);
      expect(types[0]).toBe('case.reported');
      expect(types.at(-1)).toBe(c.status === 'evaluated' ? 'case.evaluated' : 'case.closed');
      // The clock stops at 结案, as on a live case: no deadline left to miss.
      expect(c.deadlineAt).toBeNull();
      expect(timeline.every((e, k) => k === 0 || e.at >= timeline[k - 1]!.at)).toBe(true);
      // Every stored event parses and the timeline replays to the stored state.
      const events = timeline
        .map((e) => parseStoredCaseEvent(c.id, e))
        .map((r) => (r.success ? r.data : expect.fail(r.error.message)));
      const replayed = replayCase(events);
      expect({
        status: replayed.status,
        tier: replayed.tier,
        level: replayed.level,
        assigneeId: replayed.assigneeId,
        version: replayed.version,
      }).toEqual({
        status: c.status,
        tier: c.tier,
        level: c.level,
        assigneeId: c.assigneeId,
        version: c.version,
      });
    }
  });

  it('refuses bad reports with BAD_REQUEST and a reason, storing nothing', async () => {
    const before = (await admin.trpc.cases.today.query()).total;
    const base = {
      category: 'S0101',
      lng: inside[0],
      lat: inside[1],
      description: '暴露垃圾',
      source: 'hotline' as const,
    };
    const cases: [string, Record<string, unknown>, RegExp][] = [
      // JSON has no NaN: a client's NaN arrives as null (the schema's own NaN refusal is a unit test).
      ['NaN longitude', { lng: Number.NaN }, /lng/],
      ['latitude out of range', { lat: 91 }, /lat/],
      ['longitude out of range', { lng: -181 }, /lng/],
      ['outside the city', { lng: 2.35, lat: 48.85 }, /不在本市辖区内|outside/],
      ['unknown category', { category: 'X9999' }, /unknown category/],
      ['over-long description', { description: '长'.repeat(501) }, /description/],
      ['empty description', { description: '   ' }, /description/],
      ['unknown source', { source: 'pigeon' }, /source/],
    ];
    for (const [what, patch, reason] of cases) {
      const f = await failure(admin.trpc.cases.report.mutate(illTyped({ ...base, ...patch })));
      expect(f.code, what).toBe('BAD_REQUEST');
      expect(f.message, what).toMatch(reason);
    }
    expect((await admin.trpc.cases.today.query()).total).toBe(before);
  });

  it('lets a wall read but not report', async () => {
    const wall = createClient(server.url);
    await wall.trpc.auth.login.mutate({ username: 'wall', password: 'wall123' });
    expect((await wall.trpc.grids.layer.query()).ids.length).toBeGreaterThan(0);
    expect(
      await failure(
        wall.trpc.cases.report.mutate({
          category: 'S0101',
          lng: inside[0],
          lat: inside[1],
          description: 'x',
          source: 'hotline',
        }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('audits refused mutations too: who tried what, from where', async () => {
    const { db } = server.services.database;
    const since = Date.now();
    const wall = await sessionFor('wall', 'wall123');
    const wallId = (await wall.trpc.auth.me.query())!.id;
    const input = {
      category: 'S0101',
      lng: inside[0],
      lat: inside[1],
      description: '越权上报',
      source: 'hotline' as const,
    };
    await failure(wall.trpc.cases.report.mutate(input));
    await failure(createClient(server.url).trpc.cases.report.mutate(input));
    const rows = (await db.select().from(auditLog)).filter(
      (r) => r.at >= since && r.action === 'cases.report',
    );
    expect(
      rows.map((r) => ({
        userId: r.userId,
        role: r.role,
        ok: r.ok,
        description: (r.input as { description?: string } | null)?.description,
      })),
    ).toEqual([
      { userId: wallId, role: 'wall', ok: false, description: '越权上报' },
      { userId: null, role: null, ok: false, description: '越权上报' },
    ]);
    expect(rows.every((r) => r.ip === '127.0.0.1')).toBe(true);
  });

  it("counts today's cases the same way cases.list does", async () => {
    const today = await admin.trpc.cases.today.query();
    const from = startOfLocalDay(Date.now());
    const all: Case[] = [];
    let cursor: number | undefined;
    do {
      const page = await admin.trpc.cases.list.query({ from, limit: 200, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(today.total).toBe(all.length);
    for (const [status, n] of Object.entries(today.byStatus))
      expect(all.filter((c) => c.status === status).length).toBe(n);
  });

  it('streams case events in order and resumes from lastEventId without loss or duplicates', async () => {
    const head = (await admin.trpc.events.head.query()).seq;
    const seen: number[] = [];
    const first = await new Promise<number>((resolve, reject) => {
      const sub = admin.trpc.events.stream.subscribe(
        { lastEventId: String(head) },
        {
          onData: (e) => {
            seen.push(Number(e.id));
            sub.unsubscribe();
            resolve(Number(e.id));
          },
          onError: reject,
        },
      );
      void admin.trpc.cases.report.mutate({
        category: 'S0501',
        lng: inside[0],
        lat: inside[1],
        description: '占道经营',
        source: 'patrol',
      });
    });
    // While "disconnected", three more cases come in.
    for (let i = 0; i < 3; i++)
      await admin.trpc.cases.report.mutate({
        category: 'S0502',
        lng: inside[0],
        lat: inside[1],
        description: `乱停车辆 ${i}`,
        source: 'hotline',
      });
    const resumed = await new Promise<{ id: number; case: Case | null }[]>((resolve, reject) => {
      const got: { id: number; case: Case | null }[] = [];
      const sub = admin.trpc.events.stream.subscribe(
        { lastEventId: String(first) },
        {
          onData: (e) => {
            got.push({ id: Number(e.id), case: e.data.kind === 'case' ? e.data.case : null });
            if (got.length === 3) {
              sub.unsubscribe();
              resolve(got);
            }
          },
          onError: reject,
        },
      );
    });
    expect(seen).toEqual([first]);
    expect(resumed.map((r) => r.id)).toEqual([first + 1, first + 2, first + 3]);
    expect(resumed.map((r) => r.case?.description)).toEqual(['乱停车辆 0', '乱停车辆 1', '乱停车辆 2']);
  });

  it('streams binary position frames: a snapshot on connect, then deltas', async () => {
    const socket: Socket = io(`${server.url}/positions`, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie: admin.cookieHeader() },
    });
    const frames: ReturnType<typeof decodePositionFrame>[] = [];
    const gotDelta = new Promise<void>((resolve) => {
      socket.on('frame', (buf: ArrayBuffer) => {
        const f = decodePositionFrame(new Uint8Array(buf));
        frames.push(f);
        if (f.ok && f.header.kind === 'delta') resolve();
      });
    });
    await new Promise<void>((r) => socket.on('connect', () => r()));
    const worker = server.services.roster[0]!;
    server.services.positions.ingest([
      {
        workerId: worker.id,
        lng: inside[0],
        lat: inside[1],
        at: Date.now(),
        speed: 1.2,
        heading: 45,
        accuracy: 8,
      },
    ]);
    await gotDelta;
    socket.close();
    expect(frames[0]).toMatchObject({ ok: true, header: { kind: 'snapshot' } });
    const delta = frames.find((f) => f.ok && f.header.kind === 'delta');
    if (!delta?.ok) throw new Error('no delta');
    const ids = Array.from(delta.positions.ids.subarray(0, delta.header.count));
    const i = ids.indexOf(worker.id);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(delta.positions.lng[i]).toBeCloseTo(inside[0], 6);
  });

  it('writes the newest positions behind; an older fix from another writer never overwrites a newer row', async () => {
    const { persistPositions } = await import('../../server/src/live/position-persist.ts');
    const { PositionStore } = await import('../../server/src/live/position-store.ts');
    const { workerPositions } = await import('../../server/src/db/schema.ts');
    const { db } = server.services.database;
    const w = server.services.roster[1]!;
    const at = Date.now();
    server.services.positions.ingest([
      { workerId: w.id, lng: inside[0], lat: inside[1], at, speed: 1, heading: 0, accuracy: 7 },
    ]);
    expect(await persistPositions(db, server.services.positions)).toBeGreaterThanOrEqual(1);
    // A second process holding an older fix of the same worker writes after us.
    const other = new PositionStore(
      [{ id: w.id, homeGridId: w.gridId, duty: 'available' }],
      server.services.boundary().index,
    );
    other.ingest([
      {
        workerId: w.id,
        lng: inside[0] + 0.001,
        lat: inside[1],
        at: at - 60_000,
        speed: 1,
        heading: 0,
        accuracy: 5,
      },
    ]);
    expect(await persistPositions(db, other)).toBe(1);
    const row = (await db.select().from(workerPositions)).find((r) => r.workerId === w.id);
    expect(row).toMatchObject({ at, gridId: insideGrid, accuracy: 7 });
    expect(row!.lng).toBeCloseTo(inside[0], 9);
  });

  it('refuses position sockets without a session', async () => {
    const socket = io(`${server.url}/positions`, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
    });
    const err = await new Promise<Error>((r) => socket.on('connect_error', r));
    socket.close();
    expect(err.message).toBe('unauthorized');
  });

  it('shows the supervising desks (监督员, 受理员, 值班长) the command-center picture, but not device credentials', async () => {
    for (const [username, password] of [
      ['inspector', 'inspect123'],
      ['intake', 'intake123'],
      ['shiftlead', 'shift123'],
    ] as const) {
      const desk = await sessionFor(username, password);
      expect((await desk.trpc.grids.layer.query()).ids.length).toBeGreaterThan(0);
      expect((await desk.trpc.workers.snapshot.query()).workers.length).toBeGreaterThan(0);
      expect(Array.isArray(await desk.trpc.alerts.open.query())).toBe(true);
      expect((await desk.trpc.events.head.query()).seq).toBeGreaterThanOrEqual(0);
      const socket = io(`${server.url}/positions`, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: { cookie: desk.cookieHeader() },
      });
      const frame = await new Promise<ArrayBuffer>((resolve, reject) => {
        socket.once('frame', resolve);
        socket.once('connect_error', reject);
      });
      socket.close();
      expect(decodePositionFrame(new Uint8Array(frame)).ok).toBe(true);
      expect(await failure(desk.trpc.admin.devices.query())).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('logs a wall in with a kiosk token, and revoking it ends that session', async () => {
    const { id, token } = await admin.trpc.admin.issueKioskToken.mutate({ label: '指挥中心主屏' });
    const kiosk = createClient(server.url);
    const user = await kiosk.trpc.auth.kiosk.mutate({ token });
    expect(user.role).toBe('wall');
    expect((await kiosk.trpc.cases.today.query()).total).toBeGreaterThanOrEqual(0);
    await admin.trpc.admin.revokeToken.mutate({ id });
    expect(await failure(kiosk.trpc.cases.today.query())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await failure(createClient(server.url).trpc.auth.kiosk.mutate({ token }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('keeps a street dispatcher inside its street (属地): grids, cases, reports and positions', async () => {
    const b = server.services.boundary();
    const street = b.unitById.get(b.unitById.get(b.gridById.get(insideGrid)!.communityId)!.parentId!)!;
    expect(street.level).toBe('street');
    await server.services.database.db.insert(users).values({
      username: 'street-dispatcher',
      displayName: '街道调度员',
      role: 'dispatcher',
      unitId: street.id,
      passwordHash: await hashPassword('street123'),
      createdAt: Date.now(),
    });
    const desk = createClient(server.url);
    await desk.trpc.auth.login.mutate({ username: 'street-dispatcher', password: 'street123' });
    const mine = new Set(b.gridIdsUnder(street.id));
    const layer = await desk.trpc.grids.layer.query();
    expect(new Set(layer.ids)).toEqual(mine);
    const listed = await desk.trpc.cases.list.query({ limit: 5000 });
    expect(listed.items.length).toBeGreaterThan(0);
    expect(listed.items.every((c) => mine.has(c.gridId))).toBe(true);

    const foreign = b.grids.find((g) => !mine.has(g.id))!;
    const [fx, fy] = pointOnFeature(multiPolygon(foreign.polygon)).geometry.coordinates as [number, number];
    expect(b.index.locate(fx, fy)).toBe(foreign.id);
    expect(
      await failure(
        desk.trpc.cases.report.mutate({
          category: 'S0101',
          lng: fx,
          lat: fy,
          description: '辖区外',
          source: 'hotline',
        }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      (
        await desk.trpc.cases.report.mutate({
          category: 'S0101',
          lng: inside[0],
          lat: inside[1],
          description: '辖区内',
          source: 'hotline',
        })
      ).gridId,
    ).toBe(insideGrid);

    // Positions: a worker of another street is not sent to this desk.
    const own = server.services.roster.find((w) => mine.has(w.gridId))!;
    const other = server.services.roster.find((w) => !mine.has(w.gridId))!;
    const now = Date.now();
    server.services.positions.ingest([
      {
        workerId: own.id,
        lng: inside[0],
        lat: inside[1],
        at: now,
        speed: 1,
        heading: 0,
        accuracy: 5,
      },
      { workerId: other.id, lng: fx, lat: fy, at: now, speed: 1, heading: 0, accuracy: 5 },
    ]);
    const socket = io(`${server.url}/positions`, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie: desk.cookieHeader() },
    });
    const snap = await new Promise<ReturnType<typeof decodePositionFrame>>((r) =>
      socket.once('frame', (buf: ArrayBuffer) => r(decodePositionFrame(new Uint8Array(buf)))),
    );
    socket.close();
    if (!snap.ok) throw new Error(snap.reason);
    const ids = new Set(snap.positions.ids.subarray(0, snap.header.count));
    expect(ids.has(own.id)).toBe(true);
    expect(ids.has(other.id)).toBe(false);

    expect(
      await failure(admin.trpc.admin.issueKioskToken.mutate({ label: 'x', unitId: 999_999 })),
    ).toMatchObject({ code: 'BAD_REQUEST' });
  });

  // Last: it exhausts this server's sign-in budget for 127.0.0.1.
  it('slows password guessing down: too many sign-in attempts are refused', async () => {
    const guesser = createClient(server.url);
    const codes: string[] = [];
    for (let i = 0; i < 12; i++)
      codes.push(
        (await failure(guesser.trpc.auth.login.mutate({ username: 'admin', password: `guess${i}` }))).code,
      );
    expect(codes).toContain('TOO_MANY_REQUESTS');
    expect(
      await failure(guesser.trpc.auth.login.mutate({ username: 'admin', password: 'admin123' })),
    ).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

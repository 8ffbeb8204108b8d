import type { GridId } from '@gcc/shared';
import { MAX_PHOTO_BYTES, type WorkerId } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { users } from '../../server/src/db/schema.ts';
import { createClient } from '../support/client.ts';
import { png } from '../support/png.ts';
import { sayOnDuty } from '../support/on-duty.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// The worker device's case API end to end over HTTP: a device token issued by an admin lists its
// worker's tasks, accepts (签收), starts (处置) and feeds back (反馈) with an uploaded photo;
// another worker's token is refused, a stale version is 409 with the reason, bad photos are typed
// 400/413/415, patrol and 微事自办 reports land in the worker's unit, and the photo is served to a
// signed-in dispatcher whose jurisdiction holds the case and to nobody else.

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

describe.each(kinds)('device case API on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: ReturnType<typeof createClient>;
  let intake: ReturnType<typeof createClient>;
  let dispatcher: ReturnType<typeof createClient>;
  let tokenA: string;
  let tokenB: string;
  let workerA: { id: WorkerId; gridId: GridId; homeLng: number; homeLat: number };
  let workerB: { id: WorkerId; gridId: GridId };

  const call = (
    token: string | null,
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': type } : {}),
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) }
        : {}),
    });
  const login = async (username: string, password: string) => {
    const c = createClient(server.url);
    await c.trpc.auth.login.mutate({ username, password });
    return c;
  };
  const upload = async (token: string, bytes: Uint8Array = png(), type = 'image/png') =>
    call(token, 'POST', '/api/device/photos', bytes, type);

  /** A hotline case at worker A's home, registered and dispatched to A. */
  const dispatchedToA = async (description: string) => {
    const c = await intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: workerA.homeLng + 0.0001,
      lat: workerA.homeLat,
      description,
      source: 'hotline',
    });
    const reg = await intake.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'register', tier: 'small', expectedVersion: c.version },
    });
    const d = await dispatcher.trpc.cases.command.mutate({
      caseId: c.id,
      command: {
        type: 'dispatch',
        workerId: workerA.id,
        department: null,
        expectedVersion: reg.case.version,
      },
    });
    return d.case;
  };

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    // The simulator is off: the workers' devices say 上岗, so desks may dispatch to them.
    sayOnDuty(server);
    [admin, intake, dispatcher] = await Promise.all([
      login('admin', 'admin123'),
      login('intake', 'intake123'),
      login('dispatcher', 'dispatch123'),
    ]);
    const roster = server.services.roster;
    workerA = roster[0]!;
    const b = server.services.boundary();
    const communityOf = (gridId: GridId) => b.gridById.get(gridId)!.communityId;
    workerB =
      roster.find((w) => w.id !== workerA.id && communityOf(w.gridId) !== communityOf(workerA.gridId)) ??
      roster[1]!;
    tokenA = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: workerA.id })).token;
    tokenB = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: workerB.id })).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('runs accept → start → feedback with an uploaded photo; the task list follows', async () => {
    const c = await dispatchedToA('府山路暴露垃圾');
    const list = await call(tokenA, 'GET', '/api/device/cases');
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as { items: { id: number; status: string; version: number }[] };
    expect(items.find((i) => i.id === c.id)).toMatchObject({ status: 'dispatched', version: c.version });
    // Worker B sees nothing of it.
    const other = (await (await call(tokenB, 'GET', '/api/device/cases')).json()) as {
      items: { id: number }[];
    };
    expect(other.items.some((i) => i.id === c.id)).toBe(false);

    const accepted = await call(tokenA, 'POST', `/api/device/cases/${c.id}/accept`, {
      expectedVersion: c.version,
    });
    expect(accepted.status).toBe(200);
    const a = (await accepted.json()) as { status: string; version: number };
    expect(a.status).toBe('accepted');
    const started = await call(tokenA, 'POST', `/api/device/cases/${c.id}/start`, {
      expectedVersion: a.version,
    });
    expect(started.status).toBe(200);
    const s = (await started.json()) as { status: string; version: number };

    const up = await upload(tokenA);
    expect(up.status).toBe(201);
    const photo = (await up.json()) as { id: number; ref: string; contentType: string };
    expect(photo).toMatchObject({ ref: `/api/photos/${photo.id}`, contentType: 'image/png' });

    // Feedback without a photo is a typed 400 and changes nothing.
    const none = await call(tokenA, 'POST', `/api/device/cases/${c.id}/feedback`, {
      expectedVersion: s.version,
      photos: [],
    });
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ error: 'bad-input' });
    // Another worker's photo is not evidence for this worker.
    const foreignPhoto = (await (await upload(tokenB)).json()) as { id: number };
    const stolen = await call(tokenA, 'POST', `/api/device/cases/${c.id}/feedback`, {
      expectedVersion: s.version,
      photos: [foreignPhoto.id],
    });
    expect(stolen.status).toBe(400);
    expect(await stolen.json()).toMatchObject({ error: 'bad-photo' });

    const fb = await call(tokenA, 'POST', `/api/device/cases/${c.id}/feedback`, {
      expectedVersion: s.version,
      photos: [photo.id],
      note: '已清理',
    });
    expect(fb.status).toBe(200);
    expect(await fb.json()).toMatchObject({ status: 'handled', version: s.version + 1 });
    const { timeline } = await dispatcher.trpc.cases.get.query({ id: c.id });
    expect(timeline.at(-1)).toMatchObject({
      type: 'case.handled',
      workerId: workerA.id,
      payload: { photos: [photo.ref], onSite: true, note: '已清理' },
    });

    // The dispatcher (city) sees the photo; the bytes are the upload's.
    const img = await dispatcher.fetch(`${server.url}/api/photos/${photo.id}`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer()).equals(png())).toBe(true);
    expect((await fetch(`${server.url}/api/photos/${photo.id}`)).status).toBe(401);
    // A photo not attached to any case is nobody's to see yet.
    expect((await dispatcher.fetch(`${server.url}/api/photos/${foreignPhoto.id}`)).status).toBe(404);

    // A dispatcher of another street: outside their jurisdiction, the photo does not exist.
    const b = server.services.boundary();
    const street = [...b.unitById.values()].find(
      (u) => u.level === 'street' && !b.gridInUnit(c.gridId, u.id),
    );
    if (street) {
      await server.services.database.db.insert(users).values({
        username: 'other-street',
        displayName: '外街道调度员',
        role: 'dispatcher',
        unitId: street.id,
        passwordHash: await hashPassword('street123'),
        createdAt: Date.now(),
      });
      const outsider = await login('other-street', 'street123');
      expect((await outsider.fetch(`${server.url}/api/photos/${photo.id}`)).status).toBe(404);
    } else {
      // The tiny city has one street: a community desk elsewhere stands in.
      const community = [...b.unitById.values()].find(
        (u) => u.level === 'community' && !b.gridInUnit(c.gridId, u.id),
      )!;
      await server.services.database.db.insert(users).values({
        username: 'other-community',
        displayName: '外社区调度员',
        role: 'dispatcher',
        unitId: community.id,
        passwordHash: await hashPassword('comm123'),
        createdAt: Date.now(),
      });
      const outsider = await login('other-community', 'comm123');
      expect((await outsider.fetch(`${server.url}/api/photos/${photo.id}`)).status).toBe(404);
    }
  });

  it("refuses another worker's token, a stale version (409 with the reason) and bad input, changing nothing", async () => {
    const c = await dispatchedToA('人民路乱堆物料');
    const wrong = await call(tokenB, 'POST', `/api/device/cases/${c.id}/accept`, {
      expectedVersion: c.version,
    });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: 'not-assignee' });

    const stale = await call(tokenA, 'POST', `/api/device/cases/${c.id}/accept`, {
      expectedVersion: c.version - 1,
    });
    expect(stale.status).toBe(409);
    const body = (await stale.json()) as { error: string; message: string };
    expect(body.error).toBe('stale-version');
    expect(body.message).toContain('/');

    // A step the case does not allow now is a conflict too (start before accept).
    expect(
      (await call(tokenA, 'POST', `/api/device/cases/${c.id}/start`, { expectedVersion: c.version })).status,
    ).toBe(409);
    expect((await call(tokenA, 'POST', `/api/device/cases/${c.id}/accept`, {})).status).toBe(400);
    expect(
      (await call(tokenA, 'POST', `/api/device/cases/${c.id}/accept`, { expectedVersion: 'x' })).status,
    ).toBe(400);
    expect(
      (
        await call(
          tokenA,
          'POST',
          `/api/device/cases/${c.id}/accept`,
          '{"expectedVersion":',
          'application/json',
        )
      ).status,
    ).toBe(400);
    expect((await call(tokenA, 'POST', '/api/device/cases/abc/accept', { expectedVersion: 1 })).status).toBe(
      400,
    );
    expect(
      (await call(tokenA, 'POST', '/api/device/cases/999999/accept', { expectedVersion: 1 })).status,
    ).toBe(404);
    expect((await call(null, 'GET', '/api/device/cases')).status).toBe(401);
    expect(
      (
        await call('gcc-not-a-token', 'POST', `/api/device/cases/${c.id}/accept`, {
          expectedVersion: c.version,
        })
      ).status,
    ).toBe(401);

    const { case: after } = await dispatcher.trpc.cases.get.query({ id: c.id });
    expect(after).toMatchObject({ status: 'dispatched', version: c.version });
  });

  it("returns (退回) a case that is not the worker's to the dispatcher with the reason; refuses without a reason, from another worker, or when stale", async () => {
    const c = await dispatchedToA('建设路井盖缺失（非本网格事项）');
    const at = `/api/device/cases/${c.id}/return`;
    // Bad input: no reason, a blank one, an unknown field, no version — 400, nothing changes.
    for (const body of [
      { expectedVersion: c.version },
      { expectedVersion: c.version, reason: '   ' },
      { expectedVersion: c.version, reason: '不是我的', extra: 1 },
      { reason: '不是我的' },
    ]) {
      const r = await call(tokenA, 'POST', at, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(await r.json()).toMatchObject({ error: 'bad-input' });
    }
    // Another worker cannot return it, and learns nothing of it.
    const other = await call(tokenB, 'POST', at, { expectedVersion: c.version, reason: '不是我的' });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: 'not-assignee' });
    const stale = await call(tokenA, 'POST', at, { expectedVersion: c.version - 1, reason: '不属于本网格' });
    expect(stale.status).toBe(409);
    expect((await dispatcher.trpc.cases.get.query({ id: c.id })).case).toMatchObject({
      status: 'dispatched',
      version: c.version,
      assigneeId: workerA.id,
    });

    const ok = await call(tokenA, 'POST', at, {
      expectedVersion: c.version,
      reason: ' 不属于本网格，应由市政部门处理 ',
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'registered', assigneeId: null, version: c.version + 1 });
    // Back on the dispatcher's desk with the reason, and off the worker's task list.
    const { timeline } = await dispatcher.trpc.cases.get.query({ id: c.id });
    expect(timeline.at(-1)).toMatchObject({
      type: 'case.returned',
      workerId: workerA.id,
      payload: { to: 'dispatch', reason: '不属于本网格，应由市政部门处理' },
    });
    expect((await dispatcher.trpc.cases.allowed.query({ caseId: c.id })).commands).toContain('dispatch');
    const tasks = (await (await call(tokenA, 'GET', '/api/device/cases')).json()) as {
      items: { id: number }[];
    };
    expect(tasks.items.some((i) => i.id === c.id)).toBe(false);
    // Once returned it is no longer the worker's: a second return is refused.
    const again = await call(tokenA, 'POST', at, { expectedVersion: c.version + 1, reason: '再退' });
    expect(again.status).toBe(403);
  });

  it('checks photos: type by magic bytes, size, content type', async () => {
    const notImage = await upload(tokenA, new TextEncoder().encode('hello, not a jpeg'), 'image/jpeg');
    expect(notImage.status).toBe(400);
    expect(await notImage.json()).toMatchObject({ error: 'photo-type' });
    // A PNG sent as JPEG: the header lies.
    expect((await upload(tokenA, png(), 'image/jpeg')).status).toBe(400);
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const tooBig = await upload(tokenA, big, 'image/jpeg');
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: 'photo-too-large' });
    const gif = await upload(tokenA, new TextEncoder().encode('GIF89a'), 'image/gif');
    expect(gif.status).toBe(415);
    expect(await gif.json()).toMatchObject({ error: 'photo-type' });
    const empty = await upload(tokenA, new Uint8Array(0), 'image/png');
    expect(empty.status).toBe(400);
    // A real (tiny) JPEG header passes.
    const jpeg = new Uint8Array(64);
    jpeg.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    expect((await upload(tokenA, jpeg, 'image/jpeg')).status).toBe(201);
  });

  it('reports a patrol case and a 微事自办 case handled on the spot, inside the worker’s unit only', async () => {
    const at = { lng: workerA.homeLng, lat: workerA.homeLat };
    const plain = await call(tokenA, 'POST', '/api/device/cases', {
      category: 'S0101',
      ...at,
      description: '巡查发现暴露垃圾',
    });
    expect(plain.status).toBe(201);
    expect(await plain.json()).toMatchObject({ status: 'reported', source: 'patrol' });

    const photo = (await (await upload(tokenA)).json()) as { id: number; ref: string };
    const micro = await call(tokenA, 'POST', '/api/device/cases', {
      category: 'S0101',
      ...at,
      description: '路边垃圾',
      micro: { photos: [photo.id], note: '已清理' },
    });
    expect(micro.status).toBe(201);
    const m = (await micro.json()) as { id: number; status: string; tier: string; assigneeId: number };
    expect(m).toMatchObject({ status: 'handled', tier: 'micro', assigneeId: workerA.id });
    const { timeline } = await dispatcher.trpc.cases.get.query({ id: m.id });
    expect(timeline[0]).toMatchObject({
      type: 'case.selfHandled',
      workerId: workerA.id,
      payload: { photos: [photo.ref] },
    });
    // The same photo cannot be evidence of a second case.
    const again = await call(tokenA, 'POST', '/api/device/cases', {
      category: 'S0101',
      ...at,
      description: '路边垃圾',
      micro: { photos: [photo.id] },
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'bad-photo' });

    expect(
      (await call(tokenA, 'POST', '/api/device/cases', { category: 'S0101', ...at, description: '' })).status,
    ).toBe(400);
    expect(
      (
        await call(tokenA, 'POST', '/api/device/cases', {
          category: 'S0101',
          lng: 0,
          lat: 0,
          description: '海上',
        })
      ).status,
    ).toBe(400);
    // Worker B's community does not include worker A's home.
    const outside = await call(tokenB, 'POST', '/api/device/cases', {
      category: 'S0101',
      ...at,
      description: '越界上报',
    });
    expect(outside.status).toBe(403);
    expect(await outside.json()).toMatchObject({ error: 'outside-jurisdiction' });
  });
});

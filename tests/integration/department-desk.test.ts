import type { Case } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { users } from '../../server/src/db/schema.ts';
import { failure, sessionClient, type Client } from '../support/client.ts';
import { png } from '../support/png.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// The handling department's desk (专业部门) through the real API: it reads only the cases its
// department was sent or called to — the queue, a case, its allowed steps, its photos — and works
// them: 报到 when called by a whistle, then 签收, 处置 and 反馈 with photos it uploads itself, or
// 退回. Another department sees none of it, and nobody can pass off someone else's photo.

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

describe.each(kinds)('department desk on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let intake: Client;
  let dispatcher: Client;
  let urban: Client;
  let emergency: Client;

  const upload = (c: Client, bytes: Uint8Array = png(), csrf = true) =>
    c.fetch(`${server.url}/api/photos`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', ...(csrf ? { 'x-gcc-csrf': '1' } : {}) },
      body: bytes,
    });

  /** A case at the first worker's home, reported and registered with a tier. */
  const registered = async (tier: 'small' | 'hard', description: string): Promise<Case> => {
    const w = server.services.roster[0]!;
    const c = await intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: w.homeLng,
      lat: w.homeLat,
      description,
      source: 'hotline',
    });
    return (
      await intake.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'register', tier, expectedVersion: c.version },
      })
    ).case;
  };
  const toUrban = async (description: string): Promise<Case> => {
    const c = await registered('small', description);
    return (
      await dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: {
          type: 'dispatch',
          workerId: null,
          department: 'urban-management',
          expectedVersion: c.version,
        },
      })
    ).case;
  };

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    // A second department desk (应急管理局), made as an admin would.
    const root = server.services.boundary().units.find((u) => u.level === 'city')!;
    await server.services.database.db.insert(users).values({
      username: 'yingji',
      displayName: '应急管理局值班员',
      role: 'department',
      unitId: root.id,
      departmentId: server.services.departments.get('emergency')!.id,
      passwordHash: await hashPassword('dept456'),
      createdAt: Date.now(),
    });
    [intake, dispatcher, urban, emergency] = await Promise.all([
      sessionClient(server, 'intake', 'intake123'),
      sessionClient(server, 'dispatcher', 'dispatch123'),
      sessionClient(server, 'chengguan', 'dept123'),
      sessionClient(server, 'yingji', 'dept456'),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads only the cases its department is on; to another department they do not exist', async () => {
    const mine = await toUrban('占道经营，派城管');
    const elsewhere = await registered('small', '未派部门的案件');
    const list = await urban.trpc.cases.list.query({ limit: 500 });
    expect(list.items.map((c) => c.id)).toContain(mine.id);
    expect(list.items.map((c) => c.id)).not.toContain(elsewhere.id);
    expect((await urban.trpc.cases.get.query({ id: mine.id })).case.id).toBe(mine.id);
    expect((await failure(urban.trpc.cases.get.query({ id: elsewhere.id }))).code).toBe('NOT_FOUND');
    expect((await failure(emergency.trpc.cases.get.query({ id: mine.id }))).code).toBe('NOT_FOUND');
    expect((await failure(emergency.trpc.cases.allowed.query({ caseId: mine.id }))).code).toBe('NOT_FOUND');
    expect((await emergency.trpc.cases.list.query({ limit: 500 })).items.map((c) => c.id)).not.toContain(
      mine.id,
    );
    // Nor can it act on one: the refusal does not tell it the case exists.
    expect(
      (
        await failure(
          emergency.trpc.cases.command.mutate({
            caseId: mine.id,
            command: { type: 'accept', expectedVersion: mine.version },
          }),
        )
      ).code,
    ).toBe('NOT_FOUND');
    // The desk's map: the city outline and grids.
    expect((await urban.trpc.city.info.query()).grids).toBeGreaterThan(0);
  });

  it("a whistle puts 报到 in the called department's queue, and only there; after 报到 it leaves", async () => {
    let c = await registered('hard', '道路塌陷，多部门联办');
    c = (
      await dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: {
          type: 'whistle',
          departments: ['urban-management'],
          reason: '联合处置',
          expectedVersion: c.version,
        },
      })
    ).case;
    const queue = async (who: Client) =>
      (await who.trpc.cases.list.query({ actionable: true, sort: 'deadline', limit: 500 })).items.map(
        (x) => x.id,
      );
    expect(await queue(urban)).toContain(c.id);
    expect(await queue(emergency)).not.toContain(c.id);
    expect((await urban.trpc.cases.allowed.query({ caseId: c.id })).commands).toEqual(['checkIn']);
    const r = await urban.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'checkIn', department: 'urban-management', expectedVersion: c.version },
    });
    expect(r.events[0]).toMatchObject({ type: 'case.departmentReported' });
    expect(await queue(urban)).not.toContain(c.id);
    expect((await urban.trpc.cases.allowed.query({ caseId: c.id })).commands).toEqual([]);
    // It still reads the case it was called to.
    expect((await urban.trpc.cases.get.query({ id: c.id })).case.id).toBe(c.id);
  });

  it('handles what it was sent: 签收, 处置, 反馈 with its own photos; the photo is served to the desks on the case', async () => {
    let c = await toUrban('井盖缺失');
    expect((await urban.trpc.cases.allowed.query({ caseId: c.id })).commands).toEqual(
      expect.arrayContaining(['accept', 'return']),
    );
    expect(
      (await emergency.trpc.cases.list.query({ actionable: true, sort: 'deadline', limit: 500 })).items.map(
        (x) => x.id,
      ),
    ).not.toContain(c.id);
    c = (
      await urban.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'accept', expectedVersion: c.version },
      })
    ).case;
    c = (
      await urban.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'start', expectedVersion: c.version },
      })
    ).case;

    const up = await upload(urban);
    expect(up.status).toBe(201);
    const { ref, id } = (await up.json()) as { ref: string; id: number };
    // Someone else's upload cannot be passed off as evidence, and the refusal changes nothing.
    const theirs = (await (await upload(emergency)).json()) as { ref: string };
    const stolen = await failure(
      urban.trpc.cases.command.mutate({
        caseId: c.id,
        command: {
          type: 'feedback',
          onSite: true,
          note: '已补装',
          photos: [theirs.ref],
          expectedVersion: c.version,
        },
      }),
    );
    expect(stolen).toMatchObject({ code: 'BAD_REQUEST' });
    expect(stolen.message).toContain('bad-photo');
    expect((await urban.trpc.cases.get.query({ id: c.id })).case.version).toBe(c.version);

    const done = await urban.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'feedback', onSite: true, note: '已补装', photos: [ref], expectedVersion: c.version },
    });
    expect(done.case.status).toBe('handled');
    const photo = await dispatcher.fetch(`${server.url}/api/photos/${id}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect((await urban.fetch(`${server.url}/api/photos/${id}`)).status).toBe(200);
    expect((await emergency.fetch(`${server.url}/api/photos/${id}`)).status).toBe(404);
    // The photo is this case's evidence now: not reusable on another case.
    const next = await toUrban('又一处井盖缺失');
    const acc = (
      await urban.trpc.cases.command.mutate({
        caseId: next.id,
        command: { type: 'accept', expectedVersion: next.version },
      })
    ).case;
    const st = (
      await urban.trpc.cases.command.mutate({
        caseId: next.id,
        command: { type: 'start', expectedVersion: acc.version },
      })
    ).case;
    expect(
      (
        await failure(
          urban.trpc.cases.command.mutate({
            caseId: next.id,
            command: { type: 'feedback', onSite: true, note: '', photos: [ref], expectedVersion: st.version },
          }),
        )
      ).message,
    ).toContain('bad-photo');
  });

  it("refuses uploads that are not a department desk's, not an image, or without the CSRF header", async () => {
    expect((await upload(dispatcher)).status).toBe(403);
    expect((await upload(urban, png(), false)).status).toBe(403);
    const text = await urban.fetch(`${server.url}/api/photos`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-gcc-csrf': '1' },
      body: Buffer.from('not a png at all'),
    });
    expect(text.status).toBe(400);
    expect(await text.json()).toMatchObject({ error: 'photo-type' });
    const anonymous = await fetch(`${server.url}/api/photos`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-gcc-csrf': '1' },
      body: png(),
    });
    expect(anonymous.status).toBe(401);
  });

  it("退回 sends a case that is not its department's back to the dispatcher, and it leaves the desk's queue", async () => {
    const c = await toUrban('其实是供水管网问题');
    const r = await urban.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'return', reason: '不属本部门职责，应由水务部门处置', expectedVersion: c.version },
    });
    expect(r.case.status).not.toBe('dispatched');
    expect(
      (await urban.trpc.cases.list.query({ actionable: true, sort: 'deadline', limit: 500 })).items.map(
        (x) => x.id,
      ),
    ).not.toContain(c.id);
    // It was on the case once: the desk still reads its history.
    expect((await urban.trpc.cases.get.query({ id: c.id })).timeline.at(-1)).toMatchObject({
      type: 'case.returned',
    });
  });
});

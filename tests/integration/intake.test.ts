import type { GridId, UnitId } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addressPoints, auditLog, cases } from '../../server/src/db/schema.ts';
import { failure, illTyped, sessionClient, type Client } from '../support/client.ts';
import { sayOnDuty } from '../support/on-duty.ts';
import { startTestServer, type DbKind } from '../support/test-server.ts';
import { addUser } from '../support/test-users.ts';

// 受理登记 of a 12345 call through the real API: the caller's name and phone and the hotline's
// ticket are stored with the case; the phone reaches in full only the posts that call back
// (intake, dispatcher, shift lead — case detail) and the device of the worker the case is on;
// every list, the stream's snapshot, other desks, the audit log see it masked. A bad phone, an
// over-long or NUL-holding field, a ticket on a patrol report are refused and store nothing. The
// gazetteer search finds an address point by its label, only inside the caller's jurisdiction;
// the address chosen there is kept with the case (blank, over-long or multi-line text refused).

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

describe.each(kinds)('intake of a call on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let intake: Client;
  let dispatcher: Client;
  let shiftLead: Client;
  let inspector: Client;
  let wall: Client;
  let admin: Client;
  let lng = 0;
  let lat = 0;

  const hotline = (caller: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    intake.trpc.cases.report.mutate(
      illTyped({
        category: 'S0101',
        lng,
        lat,
        description: '井盖缺失，来电反映',
        source: 'hotline',
        caller,
        ...extra,
      }),
    );
  const caseCount = async () =>
    (await server.services.database.db.select({ id: cases.id }).from(cases)).length;

  beforeAll(async () => {
    server = await startTestServer({ db, pgUrl });
    // The simulator is off: the workers' devices say 上岗, so desks may dispatch to them.
    sayOnDuty(server);
    const w = server.services.roster[2]!;
    [lng, lat] = [w.homeLng + 0.0001, w.homeLat];
    [intake, dispatcher, shiftLead, inspector, wall, admin] = await Promise.all([
      sessionClient(server, 'intake', 'intake123'),
      sessionClient(server, 'dispatcher', 'dispatch123'),
      sessionClient(server, 'shiftlead', 'shift123'),
      sessionClient(server, 'inspector', 'inspect123'),
      sessionClient(server, 'wall', 'wall123'),
      sessionClient(server, 'admin', 'admin123'),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('stores caller and ticket; the call-back posts read them whole, every other screen masked', async () => {
    const c = await hotline({ name: '王建国', phone: '138 1234 5678', ticket: 'gd2026120500017' });
    // What the intake desk gets back is the case as lists show it.
    expect(c.caller).toEqual({ name: '王*国', phone: '138****5678', ticket: 'GD2026120500017' });

    const row = (await server.services.database.db.select().from(cases)).find((r) => r.id === c.id);
    expect(row).toMatchObject({
      callerName: '王建国',
      callerPhone: '13812345678',
      ticketNo: 'GD2026120500017',
    });

    for (const who of [intake, dispatcher, shiftLead]) {
      const detail = await who.trpc.cases.get.query({ id: c.id });
      expect(detail.contact).toEqual({ name: '王建国', phone: '13812345678', ticket: 'GD2026120500017' });
      expect(detail.case.caller?.phone).toBe('138****5678');
    }
    for (const who of [inspector, wall, admin]) {
      const detail = await who.trpc.cases.get.query({ id: c.id });
      expect(detail.contact).toBeNull();
      expect(detail.case.caller).toEqual({ name: '王*国', phone: '138****5678', ticket: 'GD2026120500017' });
    }
    // Lists (the wall's newest reports, the desks' queues) carry only the masked form.
    const listed = await wall.trpc.cases.list.query({ limit: 20 });
    const mine = listed.items.find((i) => i.id === c.id);
    expect(mine?.caller?.phone).toBe('138****5678');
    expect(JSON.stringify(listed)).not.toContain('13812345678');
  });

  it('writes the caller masked into the audit log', async () => {
    const since = Date.now();
    await hotline({ name: '李娜', phone: '0570-8881234', ticket: 'GD2026120500018' });
    const rows = (await server.services.database.db.select().from(auditLog)).filter(
      (r) => r.action === 'cases.report' && r.at >= since,
    );
    expect(rows.length).toBeGreaterThan(0);
    const text = JSON.stringify(rows.map((r) => r.input));
    expect(text).toContain('0570-***1234');
    expect(text).not.toContain('8881234"');
    expect(text).not.toContain('李娜');
  });

  it('refuses a bad phone, an over-long field, NUL, a ticket on a patrol report or none on a call, and stores nothing', async () => {
    const before = await caseCount();
    for (const [caller, extra] of [
      [{ phone: '12345' }, {}],
      [{ phone: '1381234567' }, {}],
      [{ phone: '8881234' }, {}],
      [{ phone: '1'.repeat(40) }, {}],
      [{ name: '名'.repeat(33), phone: '13812345678' }, {}],
      [{ ticket: 'T'.repeat(33) }, {}],
      [{ ticket: 'GD1' }, { source: 'patrol' }],
      // A 12345 call taken at intake without the work order's number (the form asks for it; so does the API).
      [{ name: '张三', phone: '13812345678' }, {}],
      [{ phone: 13812345678 }, {}],
    ] as const) {
      const f = await failure(hotline(caller, extra));
      expect(f, JSON.stringify(caller)).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    }
    const nul = await failure(hotline({ name: '王\u0000五', phone: '13812345678' }));
    expect(nul.httpStatus).toBe(400);
    expect(nul.message).toContain('caller.name');
    expect(await caseCount()).toBe(before);
  });

  it('keeps the address chosen in the search with the case: detail, timeline, lists, the device', async () => {
    const [point] = await server.services.database.db.select().from(addressPoints).limit(1);
    const c = await hotline(
      { phone: '13812340000', ticket: 'GD2026120500031' },
      { address: ` ${point!.label} ` },
    );
    expect(c.address).toBe(point!.label);
    const row = (await server.services.database.db.select().from(cases)).find((r) => r.id === c.id);
    expect(row?.address).toBe(point!.label);
    for (const who of [intake, dispatcher, wall]) {
      const detail = await who.trpc.cases.get.query({ id: c.id });
      expect(detail.case.address).toBe(point!.label);
      // 上报 in the timeline names the place as chosen.
      expect(detail.timeline[0]).toMatchObject({ type: 'case.reported', payload: { address: point!.label } });
    }
    const listed = await wall.trpc.cases.list.query({ limit: 20 });
    expect(listed.items.find((i) => i.id === c.id)?.address).toBe(point!.label);
    // The worker the case is sent to reads it on the phone.
    const worker = server.services.roster[3]!;
    const token = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: worker.id }))
      .token;
    const reg = await intake.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'register', tier: 'small', expectedVersion: c.version },
    });
    await dispatcher.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'dispatch', workerId: worker.id, department: null, expectedVersion: reg.case.version },
    });
    const res = await fetch(`${server.url}/api/device/cases`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const items = ((await res.json()) as { items: { id: number; address: string | null }[] }).items;
    expect(items.find((i) => i.id === c.id)?.address).toBe(point!.label);
    // A place picked on the map alone has no address.
    const plain = await hotline({ phone: '13812340001', ticket: 'GD2026120500032' });
    expect(plain.address).toBeNull();
    expect((await intake.trpc.cases.get.query({ id: plain.id })).timeline[0]!.payload).not.toHaveProperty(
      'address',
    );
  });

  it('refuses an address that is blank, too long or not one line, and stores nothing', async () => {
    const before = await caseCount();
    for (const address of ['   ', '人'.repeat(121), '人民路\n25号', '人民路\t25号', '人民路\u001b25号', 25]) {
      const f = await failure(hotline({ phone: '13812340002', ticket: 'GD2026120500033' }, { address }));
      expect(f, JSON.stringify(address)).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
      expect(f.message).toContain('address');
    }
    const nul = await failure(
      hotline({ phone: '13812340002', ticket: 'GD2026120500033' }, { address: '人民路\u000025号' }),
    );
    expect(nul.httpStatus).toBe(400);
    expect(nul.message).toContain('address');
    expect(await caseCount()).toBe(before);
  });

  it('names the case already registered for the same ticket at intake', async () => {
    const first = await hotline({ phone: '13900001111', ticket: 'GD2026120500099' });
    const dup = await intake.trpc.cases.duplicates.query({
      category: 'B0102',
      lng: lng + 0.01,
      lat,
      ticket: 'gd2026120500099',
    });
    expect(dup.sameTicket.map((c) => c.id)).toEqual([first.id]);
    // The report's own duplicates (same subclass, near) still come as before.
    const near = await intake.trpc.cases.duplicates.query({ category: 'S0101', lng, lat });
    expect(near.items.map((d) => d.case.id)).toContain(first.id);
    expect(near.sameTicket).toEqual([]);
  });

  it("gives a worker's device the phone of the case on its hands only", async () => {
    const worker = server.services.roster[2]!;
    const token = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: worker.id }))
      .token;
    const tasks = async () => {
      const res = await fetch(`${server.url}/api/device/cases`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await res.json()) as { items: { id: number; caller: { phone: string | null } | null }[] })
        .items;
    };
    const c = await hotline({ name: '赵六', phone: '13712345678', ticket: 'GD2026120500019' });
    const reg = await intake.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'register', tier: 'small', expectedVersion: c.version },
    });
    const sent = await dispatcher.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'dispatch', workerId: worker.id, department: null, expectedVersion: reg.case.version },
    });
    // The desk's answer is what lists show.
    expect(sent.case.caller?.phone).toBe('137****5678');
    expect((await tasks()).find((t) => t.id === c.id)?.caller?.phone).toBe('13712345678');
    const accepted = await fetch(`${server.url}/api/device/cases/${c.id}/accept`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ expectedVersion: sent.case.version }),
    });
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { caller: { phone: string } }).caller.phone).toBe('13712345678');
  });
});

describe('address search on the gazetteer', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let intake: Client;
  let streetIntake: Client;
  let label = '';
  let outside = '';
  let street: UnitId;

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    intake = await sessionClient(server, 'intake', 'intake123');
    const b = server.services.boundary();
    const streetOf = (g: GridId) => b.unitById.get(b.gridById.get(g)!.communityId)!.parentId!;
    const points = await server.services.database.db.select().from(addressPoints);
    const first = points.find((p) => /路\d+号$/.test(p.label))!;
    label = first.label;
    const gridOf = (p: { gridCode: string }) => b.gridOfCode(p.gridCode)!;
    street = streetOf(gridOf(first));
    outside = points.find((p) => streetOf(gridOf(p)) !== street && /\d+号$/.test(p.label))!.label;
    streetIntake = await addUser(server, 'intake-street', 'intake', street);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('finds an address point by its label typed with spaces, and the road by part of its name', async () => {
    const m = /^(.+?)(\d+)号$/.exec(label)!;
    const { items } = await intake.trpc.address.search.query({ q: `${m[1]} ${m[2]} 号` });
    expect(items[0]).toMatchObject({ kind: 'address', name: label, nearby: false });
    const road = await intake.trpc.address.search.query({ q: m[1]!.slice(0, 2), limit: 20 });
    expect(road.items.length).toBeGreaterThan(0);
    expect(road.items.length).toBeLessThanOrEqual(20);
    expect(road.items.some((h) => h.kind === 'road' && h.name === m[1])).toBe(true);
  });

  it('finds nothing outside the jurisdiction, and names the nearest address of a clicked point', async () => {
    expect((await intake.trpc.address.search.query({ q: outside })).items[0]?.name).toBe(outside);
    const theirs = await streetIntake.trpc.address.search.query({ q: outside, limit: 20 });
    expect(theirs.items.map((h) => h.name)).not.toContain(outside);
    const b = server.services.boundary();
    const under = new Set(b.gridIdsUnder(street));
    for (const h of theirs.items) expect(under.has(h.gridId)).toBe(true);

    const hit = (await intake.trpc.address.search.query({ q: label })).items[0]!;
    const near = await intake.trpc.address.nearest.query({ lng: hit.lng + 0.00001, lat: hit.lat });
    expect(near.nearest).toMatchObject({ name: label });
  });

  it('refuses an empty, over-long or NUL query with 400', async () => {
    for (const q of ['   ', '路'.repeat(41), '人民\u0000路']) {
      const f = await failure(intake.trpc.address.search.query({ q }));
      expect(f.httpStatus).toBe(400);
    }
    const f = await failure(intake.trpc.address.search.query(illTyped({ q: '人民路', limit: 100 })));
    expect(f.httpStatus).toBe(400);
  });
});

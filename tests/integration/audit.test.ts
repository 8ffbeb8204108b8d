import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokens, auditLog, cases } from '../../server/src/db/schema.ts';
import { failure, signedIn, type Client } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// The audit row of a state-changing call is written in the transaction of the change it records:
// a committed change always has its row (a kill between the two left a case without one), and a
// row that cannot be written rolls the change back. Refused calls are recorded too.

describe('the audit log', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let intake: Client;
  let admin: Client;
  let deviceToken: string;
  const db = () => server.services.database.db;
  const caseCount = async () => (await db().select({ id: cases.id }).from(cases)).length;
  const rowsOf = async (action: string, since: number) =>
    (await db().select().from(auditLog)).filter((r) => r.action === action && r.at >= since);
  const xmin = async (table: 'cases' | 'audit_log', id: number) => {
    const res = (await db().execute(
      `select xmin::text as x from ${table} where id = ${Number(id)}`,
    )) as unknown as {
      rows: { x: string }[];
    };
    return res.rows[0]?.x;
  };
  const report = (description: string) => {
    const w = server.services.roster[0]!;
    return intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: w.homeLng,
      lat: w.homeLat,
      description,
      source: 'hotline',
    });
  };
  const deviceReport = (description: string, token = deviceToken) => {
    const w = server.services.roster[0]!;
    return fetch(`${server.url}/api/device/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'S0101', lng: w.homeLng, lat: w.homeLat, description }),
    });
  };
  /** Makes every audit insert fail (a full disk, a dropped grant) while `run` runs. */
  const withAuditFailing = async (run: () => Promise<void>) => {
    await db().execute(`create or replace function gcc_test_refuse_audit() returns trigger
      language plpgsql as $$ begin raise exception 'audit refused by the test'; end $$`);
    await db().execute(`create trigger gcc_test_refuse_audit before insert on audit_log
      for each row execute function gcc_test_refuse_audit()`);
    try {
      await run();
    } finally {
      await db().execute(`drop trigger gcc_test_refuse_audit on audit_log`);
    }
  };

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    intake = await signedIn(server.url, 'intake', 'intake123');
    admin = await signedIn(server.url, 'admin', 'admin123');
    const w = server.services.roster[0]!;
    deviceToken = (await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: w.id })).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('writes exactly one row for a successful call, in the transaction of its change', async () => {
    const since = Date.now();
    const c = await report('审计：一次上报一行');
    const rows = await rowsOf('cases.report', since);
    expect(
      rows.map((r) => ({ ok: r.ok, description: (r.input as { description: string }).description })),
    ).toEqual([{ ok: true, description: '审计：一次上报一行' }]);
    // Same transaction id: the case cannot commit without its row.
    expect(await xmin('audit_log', rows[0]!.id)).toBe(await xmin('cases', c.id));

    const res = await deviceReport('审计：设备上报');
    expect(res.status).toBe(201);
    const byDevice = (await res.json()) as { id: number };
    const deviceRows = await rowsOf('POST /api/device/cases', since);
    expect(deviceRows).toHaveLength(1);
    expect(deviceRows[0]).toMatchObject({ ok: true, role: 'device', userId: null });
    expect(await xmin('audit_log', deviceRows[0]!.id)).toBe(await xmin('cases', byDevice.id));
  });

  it('rolls the change back when its row cannot be written', async () => {
    const before = await caseCount();
    const tokensBefore = (await db().select({ id: accessTokens.id }).from(accessTokens)).length;
    await withAuditFailing(async () => {
      expect((await failure(report('审计失败则不立案'))).code).toBe('INTERNAL_SERVER_ERROR');
      expect((await deviceReport('审计失败则不立案')).status).toBe(500);
      expect((await failure(admin.trpc.admin.issueKioskToken.mutate({ label: '审计失败' }))).code).toBe(
        'INTERNAL_SERVER_ERROR',
      );
    });
    expect(await caseCount()).toBe(before);
    expect((await db().select({ id: accessTokens.id }).from(accessTokens)).length).toBe(tokensBefore);
    // Once the log can be written again, calls go through as before.
    await report('审计恢复');
    expect(await caseCount()).toBe(before + 1);
  });

  it('records refused calls: a wrong role, an unknown device, bad text, a refused step', async () => {
    const since = Date.now();
    const wall = await signedIn(server.url, 'wall', 'wall123');
    await failure(
      wall.trpc.cases.report.mutate({
        category: 'S0101',
        lng: 0,
        lat: 0,
        description: 'x',
        source: 'hotline',
      }),
    );
    expect((await deviceReport('未知设备', 'gcc-nosuchdevice')).status).toBe(401);
    expect((await deviceReport('坏\u0000字')).status).toBe(400);
    const accept = await fetch(`${server.url}/api/device/cases/1/accept`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ expectedVersion: 1 }),
    });
    expect(accept.status).toBeGreaterThanOrEqual(400);
    expect((await rowsOf('cases.report', since)).map((r) => [r.role, r.ok])).toEqual([['wall', false]]);
    expect((await rowsOf('POST /api/device/cases', since)).map((r) => [r.role, r.ok])).toEqual([
      [null, false],
      [null, false],
    ]);
    expect((await rowsOf('POST /api/device/cases/:id/accept', since)).map((r) => [r.role, r.ok])).toEqual([
      ['device', false],
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cases } from '../../server/src/db/schema.ts';
import { failure, illTyped, signedIn, type Client } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// A NUL or a lone surrogate anywhere in a text that enters (a tRPC input, a device body) is a
// typed 400 that changes nothing — no case, no burnt case id — and the refused call is audited.
// Before, such a report committed the case, then failed its audit insert with a 500.

describe('text with a NUL or a lone surrogate', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let intake: Client;
  let admin: Client;
  const caseCount = async () =>
    (await server.services.database.db.select({ id: cases.id }).from(cases)).length;
  const report = (extra: Record<string, unknown>) => {
    const w = server.services.roster[0]!;
    return intake.trpc.cases.report.mutate(
      illTyped({
        category: 'S0101',
        lng: w.homeLng,
        lat: w.homeLat,
        description: '井盖缺失',
        source: 'hotline',
        ...extra,
      }),
    );
  };

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    intake = await signedIn(server.url, 'intake', 'intake123');
    admin = await signedIn(server.url, 'admin', 'admin123');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is refused through tRPC with 400, names the field, stores nothing and is audited', async () => {
    const before = await caseCount();
    for (const [extra, field] of [
      [{ zz: 'a\u0000b' }, 'zz'],
      [{ description: '井盖\ud800缺失' }, 'description'],
      [{ ['k\u0000']: 1 }, 'k'],
    ] as const) {
      const f = await failure(report(extra));
      expect(f.code, field).toBe('BAD_REQUEST');
      expect(f.message).toContain(field);
    }
    expect(await caseCount()).toBe(before);
    const reports = (await server.services.database.db.select().from(auditLog)).filter(
      (r) => r.action === 'cases.report',
    );
    expect(reports.map((r) => r.ok)).toEqual([false, false, false]);
    // A clean report still goes through, with the next id in sequence (no id was burnt).
    const ok = await report({});
    expect(await caseCount()).toBe(before + 1);
    expect(ok.id).toBeGreaterThan(0);
  });

  it('is refused on the device API before any handler runs', async () => {
    const w = server.services.roster[0]!;
    const { token } = await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: w.id });
    const before = await caseCount();
    const res = await fetch(`${server.url}/api/device/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'S0101', lng: w.homeLng, lat: w.homeLat, description: 'a\u0000b' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'bad-text',
      message: expect.stringContaining('description'),
    });
    expect(await caseCount()).toBe(before);
  });
});

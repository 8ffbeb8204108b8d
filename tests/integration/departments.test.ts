import type { Case } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedIn, type Client } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// Departments (专业部门) are data: the demo city's bureaus in a table, listed for the console, a
// department user tied to one, and a whistle (吹哨) or a dispatch naming anything else refused.

describe('departments', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const login = (username: string, password: string) => signedIn(server.url, username, password);
  let intake: Client;
  let dispatcher: Client;
  let chengguan: Client;

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite' });
    [intake, dispatcher, chengguan] = await Promise.all([
      login('intake', 'intake123'),
      login('dispatcher', 'dispatch123'),
      login('chengguan', 'dept123'),
    ]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const hardCase = async (): Promise<Case> => {
    const w = server.services.roster[0]!;
    const c = await intake.trpc.cases.report.mutate({
      category: 'S0101',
      lng: w.homeLng,
      lat: w.homeLat,
      description: '道路塌陷，需多部门联办',
      source: 'hotline',
    });
    return (
      await intake.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'register', tier: 'hard', expectedVersion: 1 },
      })
    ).case;
  };

  it("lists the city's departments with Chinese and English names", async () => {
    const list = await dispatcher.trpc.departments.list.query();
    expect(list.length).toBeGreaterThanOrEqual(8);
    expect(list.find((d) => d.code === 'urban-management')).toMatchObject({
      nameZh: '市综合行政执法局',
      nameEn: expect.stringMatching(/Urban Management/),
    });
    for (const d of list) {
      expect(d.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(d.nameEn.length).toBeGreaterThan(2);
    }
    expect(new Set(list.map((d) => d.code)).size).toBe(list.length);
  });

  it('refuses a whistle or a dispatch naming a department not in the table, and changes nothing', async () => {
    const c = await hardCase();
    const whistle = await failure(
      dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: {
          type: 'whistle',
          departments: ['urban-management', 'ghostbusters'],
          reason: '联合处置',
          expectedVersion: c.version,
        },
      }),
    );
    expect(whistle).toMatchObject({ code: 'BAD_REQUEST' });
    expect(whistle.message).toContain('部门不存在');
    const dispatch = await failure(
      dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'dispatch', workerId: null, department: 'ghostbusters', expectedVersion: c.version },
      }),
    );
    expect(dispatch.message).toContain('unknown-department');
    const after = await dispatcher.trpc.cases.get.query({ id: c.id });
    expect(after.case.version).toBe(c.version);
    expect(after.timeline.map((e) => e.type)).toEqual(['case.reported', 'case.registered']);
  });

  it('a department user reports in (报到) for its own department only', async () => {
    const me = await chengguan.trpc.auth.me.query();
    const urban = (await dispatcher.trpc.departments.list.query()).find(
      (d) => d.code === 'urban-management',
    )!;
    expect(me).toMatchObject({ role: 'department', departmentId: urban.id });
    let c = await hardCase();
    c = (
      await dispatcher.trpc.cases.command.mutate({
        caseId: c.id,
        command: {
          type: 'whistle',
          departments: ['urban-management', 'emergency'],
          reason: '联合处置',
          expectedVersion: c.version,
        },
      })
    ).case;
    // Not for another called department …
    const other = await failure(
      chengguan.trpc.cases.command.mutate({
        caseId: c.id,
        command: { type: 'checkIn', department: 'emergency', expectedVersion: c.version },
      }),
    );
    expect(other.message).toContain('not-called');
    // … nor any step that is not a department's.
    expect(
      (
        await failure(
          chengguan.trpc.cases.command.mutate({
            caseId: c.id,
            command: { type: 'escalate', reason: '升级', expectedVersion: c.version },
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    const r = await chengguan.trpc.cases.command.mutate({
      caseId: c.id,
      command: { type: 'checkIn', department: 'urban-management', expectedVersion: c.version },
    });
    expect(r.events[0]).toMatchObject({ type: 'case.departmentReported', department: 'urban-management' });
  });
});

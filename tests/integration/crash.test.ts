import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { pointInFirstGrid } from '../support/city-points.ts';
import { createClient } from '../support/client.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

// `kill -9` of the server during a burst of case reports: after a restart every report that was
// acknowledged is there, exactly once, with its event. On the embedded database (a data folder)
// and on PostgreSQL.

const pgUrl = inject('pgUrl');

async function burstThenKill(server: ServerProcess): Promise<{ acked: string[]; attempted: number }> {
  const desk = createClient(server.url);
  await desk.trpc.auth.login.mutate({ username: 'dispatcher', password: 'dispatch123' });
  const [lng, lat] = await pointInFirstGrid(desk);
  const acked: string[] = [];
  let attempted = 0;
  let killed = false;
  // Four desks reporting as fast as they can; the process is killed mid-burst.
  const desk1 = async () => {
    while (!killed) {
      attempted++;
      try {
        const c = await desk.trpc.cases.report.mutate({
          category: 'S0101',
          lng,
          lat,
          description: `崩溃测试 ${attempted}`,
          source: 'hotline',
        });
        acked.push(c.code);
      } catch {
        return; // the server is gone
      }
    }
  };
  const runs = [desk1(), desk1(), desk1(), desk1()];
  while (acked.length < 40) await new Promise((r) => setTimeout(r, 20));
  killed = true;
  server.child.kill('SIGKILL');
  await Promise.all(runs);
  return { acked, attempted };
}

describe('kill -9 during a burst of reports', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const kinds = pgUrl ? ['pglite', 'postgres'] : ['pglite'];
  it.each(kinds)(
    'keeps every acknowledged report exactly once (%s)',
    async (kind) => {
      let env: Record<string, string>;
      if (kind === 'postgres') {
        env = { DATABASE_URL: await createTestDatabase(pgUrl!, 'gcc_crash') };
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'gcc-crash-'));
        dirs.push(dir);
        env = { DATA_DIR: dir };
      }
      env = { ...env, CITY_PROFILE: 'tiny', SIMULATOR: 'off' };
      const first = await startServerProcess({ profile: 'tiny', env });
      const { acked } = await burstThenKill(first);
      expect(acked.length).toBeGreaterThanOrEqual(40);

      const second = await startServerProcess({ profile: 'tiny', env });
      try {
        const desk = createClient(second.url);
        await desk.trpc.auth.login.mutate({ username: 'dispatcher', password: 'dispatch123' });
        const codes: string[] = [];
        let cursor: number | undefined;
        for (;;) {
          const page = await desk.trpc.cases.list.query({ limit: 1000, ...(cursor ? { cursor } : {}) });
          codes.push(...page.items.filter((c) => c.description.startsWith('崩溃测试')).map((c) => c.code));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        const stored = new Set(codes);
        expect(stored.size).toBe(codes.length); // none twice
        const lost = acked.filter((c) => !stored.has(c));
        expect(lost).toEqual([]);
        // Each stored report has its 上报 event (written in the same transaction).
        const one = await desk.trpc.cases.get.query({
          id: (await desk.trpc.cases.list.query({ limit: 1 })).items[0]!.id,
        });
        expect(one?.timeline[0]?.type).toBe('case.reported');
      } finally {
        await second.stop();
      }
    },
    240_000,
  );
});

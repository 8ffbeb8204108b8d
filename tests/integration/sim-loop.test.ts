import { DUTY_STATES, parseStoredCaseEvent, photoIdOfRef, replayCase, type CaseEvent } from '@gcc/shared';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, type DbKind } from '../support/test-server.ts';

// The closed loop running by itself: the simulator on the tiny city at a high SIM_SPEED reports
// cases, its desk registers and dispatches them to the first recommendation, its workers accept,
// walk to the site, handle and feed back with a photo through the device case functions, the
// inspector verifies (a share fails: 返工) and the shift lead closes. Every timeline replays to
// the stored row. On PGlite and, in CI, on a real PostgreSQL server.

const pgUrl = inject('pgUrl');
const kinds: DbKind[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

describe.each(kinds)('simulator closes the loop on %s', (db) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    server = await startTestServer({
      db,
      pgUrl,
      env: {
        SIMULATOR: 'on',
        SIM_SPEED: '300',
        SIM_CASES_PER_DAY: '400',
        SIM_REWORK_SHARE: '0.3',
        SEED_HISTORY_DAYS: '0',
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Every case with its timeline (the tiny city over a few minutes: a few hundred at most). */
  const timelines = async () => {
    const { items } = await server.services.caseReads.list({ limit: 5000 });
    return Promise.all(items.map(async (c) => (await server.services.caseReads.get(c.id))!));
  };
  const typesOf = async () => {
    const out: Record<string, number> = {};
    for (const { timeline } of await timelines())
      for (const e of timeline) out[e.type] = (out[e.type] ?? 0) + 1;
    return out;
  };

  it(
    'reports, dispatches, handles with photos, verifies (some reworked) and closes within a bounded time',
    { timeout: 240_000 },
    async () => {
      const deadline = Date.now() + 200_000;
      let seen: Record<string, number> = {};
      const enough = (t: Record<string, number>) =>
        (t['case.closed'] ?? 0) >= 4 &&
        (t['case.reworked'] ?? 0) >= 1 &&
        (t['case.handled'] ?? 0) >= 2 &&
        (t['case.selfHandled'] ?? 0) >= 1 &&
        (t['case.dispatched'] ?? 0) >= 2;
      // Duty states as the wall reads them, sampled often: a patrol now walks to cases in its own
      // grid, a ride of a few real seconds that a 2-second poll could miss.
      const duties = new Set<string>();
      const sample = () => {
        for (const d of server.services.positions.cols.duty) duties.add(DUTY_STATES[d]!);
      };
      const sampler = setInterval(sample, 100);
      try {
        while (Date.now() < deadline) {
          seen = await typesOf();
          if (enough(seen) && duties.has('enroute')) break;
          await new Promise((r) => setTimeout(r, 2000));
        }
      } finally {
        clearInterval(sampler);
      }
      expect(seen, JSON.stringify(seen)).toMatchObject({
        'case.reported': expect.any(Number),
        'case.registered': expect.any(Number),
        'case.dispatched': expect.any(Number),
        'case.accepted': expect.any(Number),
        'case.started': expect.any(Number),
        'case.handled': expect.any(Number),
        'case.verified': expect.any(Number),
        'case.reworked': expect.any(Number),
        'case.closed': expect.any(Number),
      });
      expect(enough(seen), JSON.stringify(seen)).toBe(true);

      const db = server.services.database.db;
      const all = await timelines();
      // Feedback carries photos that exist, are valid images and belong to the case and its handler.
      const handled = all.flatMap(({ case: c, timeline }) =>
        timeline
          .filter((e) => e.type === 'case.handled' || e.type === 'case.selfHandled')
          .map((e) => ({ caseId: c.id, ...e })),
      );
      expect(handled.length).toBeGreaterThan(0);
      for (const h of handled.slice(0, 20)) {
        const refs = h.payload.photos as string[];
        expect(refs.length).toBeGreaterThan(0);
        const ids = refs.map((r) => photoIdOfRef(r)!);
        const stored = await db.query.photos.findMany({ where: (p, { inArray }) => inArray(p.id, ids) });
        expect(stored.map((p) => p.caseId)).toEqual(ids.map(() => h.caseId));
        expect(stored.every((p) => p.workerId === h.workerId)).toBe(true);
        const png = PNG.sync.read(Buffer.from(stored[0]!.bytes));
        expect(png.width).toBeGreaterThan(0);
      }

      // Timelines replay to the stored state.
      for (const { case: row, timeline } of all) {
        const parsed: CaseEvent[] = timeline.map((e) => {
          const p = parseStoredCaseEvent(row.id, e);
          if (!p.success) throw new Error(`case ${row.id}: ${p.error.message}`);
          return p.data;
        });
        const state = replayCase(parsed);
        expect({
          id: row.id,
          status: state.status,
          version: state.version,
          assignee: state.assigneeId,
        }).toEqual({ id: row.id, status: row.status, version: row.version, assignee: row.assigneeId });
      }
      // Rework happened and was counted on the case.
      expect(all.some(({ timeline }) => timeline.some((e) => e.type === 'case.reworked'))).toBe(true);

      // The wall saw workers ride to sites and work there (duty states set by the field work).
      expect([...duties]).toEqual(expect.arrayContaining(['available', 'enroute', 'onsite']));
    },
  );
});

import type { GridId } from '@gcc/shared';
import { caseId, gridId } from '@gcc/shared/testing';
import { describe, expect, it } from 'vitest';
import { EventHub, RESYNC_GAP } from './event-hub.ts';
import type { EventLog, EventRow } from './event-log.ts';

// The hub against a table stand-in with gaps in seq (rolled-back appends) and mixed grids:
// reads from the window equal reads from the table, filtered streams advance past events they
// may not see, old cursors are served from the table, very old ones are told to resync.

function fakeLog() {
  const table: EventRow[] = [];
  let reads = 0;
  let wake: (() => void) | null = null;
  const log = {
    async latestSeq() {
      return table.at(-1)?.seq ?? 0;
    },
    async readAfter(seq: number, limit: number, gridIds?: readonly number[]) {
      reads++;
      const g = gridIds ? new Set(gridIds) : null;
      return table.filter((r) => r.seq > seq && (!g || r.gridId === null || g.has(r.gridId))).slice(0, limit);
    },
    waitForAppend(ms: number, signal?: AbortSignal) {
      return new Promise<void>((r) => {
        wake = r;
        setTimeout(r, ms);
        signal?.addEventListener('abort', () => r(), { once: true });
      });
    },
  };
  const append = (n: number) => {
    let seq = table.at(-1)?.seq ?? 0;
    for (let i = 0; i < n; i++) {
      seq += seq % 7 === 0 ? 2 : 1; // gaps, as rolled-back transactions leave
      table.push({
        seq,
        at: seq,
        kind: 'case',
        type: 'case.reported',
        caseId: caseId(seq),
        gridId: seq % 3 === 0 ? null : gridId(seq % 3),
        userId: null,
        workerId: null,
        payload: {},
      });
    }
    wake?.();
  };
  return { log: log as unknown as EventLog, append, table, reads: () => reads };
}

async function drain(hub: EventHub, after: number, grids?: GridId[]) {
  const got: number[] = [];
  let cursor = after;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await hub.read(cursor, 97, grids);
    if (page === 'resync') throw new Error('unexpected resync');
    if (page.cursor === cursor && page.rows.length === 0) break;
    got.push(...page.rows.map((r) => r.seq));
    cursor = page.cursor;
  }
  return { got, cursor };
}

describe('EventHub', () => {
  it('serves every event after a cursor exactly once, in order, from memory or the table', async () => {
    const f = fakeLog();
    f.append(50);
    const hub = new EventHub(f.log, 10);
    await hub.start();
    f.append(5000);
    await hub.pull();
    for (const grids of [undefined, [gridId(1)], [gridId(2)]]) {
      for (const after of [0, 10, 51, 2000, 4999]) {
        const expected = (await f.log.readAfter(after, 1e9, grids)).map((r) => r.seq);
        const { got, cursor } = await drain(hub, after, grids);
        expect(got).toEqual(expected);
        expect(cursor).toBe(hub.latest);
      }
    }
    await hub.stop();
  });

  it('reads the table once per append however many streams wait, and tells far-behind clients to resync', async () => {
    const f = fakeLog();
    const hub = new EventHub(f.log, 60_000);
    await hub.start();
    const before = f.reads();
    const waiting = Array.from({ length: 20 }, () => hub.waitBeyond(hub.latest, 5000));
    f.append(3);
    await Promise.all(waiting);
    // One read that found the rows, one that found nothing more: not twenty.
    expect(f.reads() - before).toBeLessThanOrEqual(3);
    f.append(RESYNC_GAP + 10);
    await hub.pull();
    expect(await hub.read(1, 10)).toBe('resync');
    await hub.stop();
  });
});

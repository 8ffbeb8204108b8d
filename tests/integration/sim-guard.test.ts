import type { WorkerId } from '@gcc/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type Client } from '../support/client.ts';
import { startTestServer } from '../support/test-server.ts';

// The simulator never moves a worker a real phone reports for: one with a device credential, or
// one a device (here a gateway) reported for in the last hour. Before, it walked every on-duty
// worker, and a real fix was replaced about a second later by a simulated one far away.

describe('the simulator leaves real phones alone', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let admin: Client;

  const held = (id: WorkerId) => {
    const p = server.services.positions;
    const s = p.slotOf(id)!;
    return p.hasPosition(s) ? { at: p.cols.at[s]!, lng: p.cols.lng[s]!, lat: p.cols.lat[s]! } : null;
  };
  /** Waits (bounded) until the simulator has moved some other worker `ticks` times. */
  const simTicks = async (others: WorkerId[], ticks: number) => {
    let moves = 0;
    let last = others.map((id) => held(id)?.at ?? 0);
    for (let i = 0; i < 200 && moves < ticks; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const now = others.map((id) => held(id)?.at ?? 0);
      if (now.some((at, k) => at > last[k]!)) moves++;
      last = now;
    }
    return moves;
  };

  beforeAll(async () => {
    server = await startTestServer({
      db: 'pglite',
      env: {
        SIMULATOR: 'on',
        SIM_SPEED: '50',
        SIM_CASES_PER_DAY: '0',
        SIM_DESK: 'off',
        SEED_HISTORY_DAYS: '0',
      },
    });
    admin = await signedIn(server.url, 'admin', 'admin123');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('moves neither a worker with a device credential nor one a device reported for lately', async () => {
    const roster = server.services.roster;
    const everyone = roster.map((w) => w.id);
    // The simulator is running: workers move. A and B are two it is moving (on duty by its rhythm).
    const before = new Map(everyone.map((id) => [id, held(id)?.at ?? 0]));
    expect(await simTicks(everyone, 2)).toBe(2);
    const moving = roster.filter((w) => (held(w.id)?.at ?? 0) > before.get(w.id)!);
    expect(moving.length).toBeGreaterThanOrEqual(3);
    // A: a phone enrolled (no report yet). B: reported through a vendor gateway, no credential of its own.
    const a = moving[0]!;
    const b = moving[1]!;
    const others = moving.slice(2).map((w) => w.id);
    await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'device', workerId: a.id });
    const gateway = await admin.trpc.admin.issueDeviceToken.mutate({ kind: 'gateway', label: '厂商平台' });
    const fix = { workerId: b.id, lng: b.homeLng, lat: b.homeLat, at: Date.now(), accuracy: 5 };
    const res = await fetch(`${server.url}/api/positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
      body: JSON.stringify([fix]),
    });
    expect(await res.json()).toMatchObject({ accepted: 1 });
    // Let a tick pass that may still have been under way, then hold what A and B have.
    await simTicks(others, 1);
    const heldA = held(a.id);
    const heldB = held(b.id);
    expect(heldB).toEqual({ at: fix.at, lng: fix.lng, lat: fix.lat });
    expect(await simTicks(others, 3)).toBe(3);
    expect(held(a.id)).toEqual(heldA);
    expect(held(b.id)).toEqual(heldB);
    expect(server.services.fieldDuty.simulated(a.id)).toBe(false);
    expect(server.services.fieldDuty.simulated(b.id)).toBe(false);
    // And a worker the simulator owns is still its own.
    expect(server.services.fieldDuty.simulated(moving[2]!.id)).toBe(true);
  });
});

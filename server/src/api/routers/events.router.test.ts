import { StreamEventSchema, type Case } from '@gcc/shared';
import { caseId, gridId, workerId } from '@gcc/shared/testing';
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../live/event-log.ts';
import { toStreamEvent } from './events.router.ts';

const row = (r: Partial<EventRow>): EventRow => ({
  seq: 7,
  at: 1_764_900_000_000,
  kind: 'case',
  type: 'case.reported',
  caseId: null,
  gridId: null,
  userId: null,
  workerId: null,
  payload: {},
  ...r,
});

describe('toStreamEvent', () => {
  it('turns stored rows of each kind into events the client schema accepts', () => {
    const events = [
      toStreamEvent(row({ caseId: caseId(3), gridId: gridId(5), payload: { category: 'S0106' } }), new Map()),
      toStreamEvent(
        row({
          kind: 'alert',
          type: 'alert.raised',
          workerId: workerId(9),
          gridId: gridId(5),
          payload: { alertId: 4, alertKind: 'worker-left-grid', since: 1_764_899_000_000, currentGridId: 6 },
        }),
        new Map<never, Case>(),
      ),
      toStreamEvent(
        row({ kind: 'alert', type: 'alert.resolved', payload: { alertId: 4, alertKind: 'case-overdue' } }),
        new Map(),
      ),
      toStreamEvent(
        row({ kind: 'boundary', type: 'boundary.published', payload: { version: 2 } }),
        new Map(),
      ),
    ];
    for (const e of events) expect(StreamEventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
    expect(events.map((e) => e?.kind)).toEqual(['case', 'alert', 'alert', 'boundary']);
    expect(events[1]).toMatchObject({ alertKind: 'worker-left-grid', workerId: 9, since: 1_764_899_000_000 });
  });

  it('skips rows the schema does not describe instead of sending them', () => {
    expect(toStreamEvent(row({ type: 'case.teleported', caseId: caseId(3) }), new Map())).toBeNull();
    expect(toStreamEvent(row({ caseId: null }), new Map())).toBeNull();
    expect(
      toStreamEvent(row({ kind: 'alert', type: 'alert.raised', payload: { alertId: 'x' } }), new Map()),
    ).toBeNull();
    expect(
      toStreamEvent(row({ kind: 'boundary', type: 'boundary.published', payload: {} }), new Map()),
    ).toBeNull();
  });
});

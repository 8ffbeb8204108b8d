import { decodePositionFrame, type WorkerId } from '@gcc/shared';
import { describe, expect, it } from 'vitest';
import { GridIndex } from '../spatial/grid-index.ts';
import { PositionStore } from './position-store.ts';

const sq = (x: number) => [[[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]];
const index = new GridIndex([{ id: 10, polygon: sq(0) }, { id: 20, polygon: sq(1) }]);
const fix = (workerId: number, lng: number, at: number) => ({ workerId: workerId as WorkerId, lng, lat: 0.5, at, speed: 1, heading: 0, accuracy: 5 });

describe('PositionStore', () => {
  it('keeps the newest fix, drops stale and unknown ones', () => {
    const store = new PositionStore([{ id: 1, homeGridId: 10, duty: 'available' }], index);
    expect(store.ingest([fix(1, 0.5, 2000), fix(1, 0.6, 1000), fix(9, 0.5, 3000)])).toEqual({ accepted: 1, stale: 1, unknown: 1 });
    expect(store.cols.lng[0]).toBe(0.5);
  });
  it('finds the grid of each fix and flags a worker outside its own grid', () => {
    const store = new PositionStore([{ id: 1, homeGridId: 10, duty: 'available' }], index);
    store.ingest([fix(1, 1.5, 1000)]);
    expect(store.gridOf[0]).toBe(20);
    expect(store.cols.outsideGrid[0]).toBe(1);
  });
  it('sends only what changed since the last delta, numbering frames', () => {
    const store = new PositionStore([1, 2, 3].map((id) => ({ id, homeGridId: 10, duty: 'available' as const })), index);
    store.ingest([fix(1, 0.1, 1000), fix(2, 0.2, 1000)]);
    const d1 = decodePositionFrame(store.takeDeltaFrame(2000)!);
    store.ingest([fix(2, 0.3, 1500)]);
    const d2 = decodePositionFrame(store.takeDeltaFrame(2500)!);
    expect(store.takeDeltaFrame(3000)).toBeNull();
    if (!d1.ok || !d2.ok) throw new Error('decode');
    expect([d1.header.seq, d1.header.count, d2.header.seq, d2.header.count]).toEqual([1, 2, 2, 1]);
    const snap = decodePositionFrame(store.snapshotFrame(3000));
    expect(snap.ok && [snap.header.kind, snap.header.seq, snap.header.count]).toEqual(['snapshot', 2, 2]);
  });
});

import { decodePositionFrame } from '@gcc/shared';
import { gridId, workerId as wid } from '@gcc/shared/testing';
import { describe, expect, it } from 'vitest';
import { GridIndex } from '@gcc/shared/geo';
import { PositionStore } from './position-store.ts';

const sq = (x: number) => [
  [
    [
      [x, 0],
      [x + 1, 0],
      [x + 1, 1],
      [x, 1],
      [x, 0],
    ],
  ],
];
const index = new GridIndex([
  { id: gridId(10), polygon: sq(0) },
  { id: gridId(20), polygon: sq(1) },
]);
const fix = (workerId: number, lng: number, at: number) => ({
  workerId: wid(workerId),
  lng,
  lat: 0.5,
  at,
  speed: 1,
  heading: 0,
  accuracy: 5,
});

describe('PositionStore', () => {
  it('keeps the newest fix, drops stale and unknown ones', () => {
    const store = new PositionStore([{ id: wid(1), homeGridId: gridId(10), duty: 'available' }], index);
    expect(store.ingest([fix(1, 0.5, 2000), fix(1, 0.6, 1000), fix(9, 0.5, 3000)])).toEqual({
      accepted: 1,
      stale: 1,
      unknown: 1,
      outOfScope: 0,
    });
    expect(store.cols.lng[0]).toBe(0.5);
  });
  it('finds the grid of each fix and flags a worker outside its own grid', () => {
    const store = new PositionStore([{ id: wid(1), homeGridId: gridId(10), duty: 'available' }], index);
    store.ingest([fix(1, 1.5, 1000)]);
    expect(store.gridOf[0]).toBe(20);
    expect(store.cols.outsideGrid[0]).toBe(1);
  });
  it('hands out what changed since the last call, once to the stream and once to persistence', () => {
    const store = new PositionStore(
      [1, 2, 3].map((id) => ({ id: wid(id), homeGridId: gridId(10), duty: 'available' as const })),
      index,
    );
    store.ingest([fix(1, 0.1, 1000), fix(2, 0.2, 1000)]);
    expect(Array.from(store.takeDirtyRows()!)).toEqual([0, 1]);
    store.ingest([fix(2, 0.3, 1500)]);
    expect(Array.from(store.takeDirtyRows()!)).toEqual([1]);
    expect(store.takeDirtyRows()).toBeNull();
    expect(Array.from(store.takeUnpersistedRows()).sort()).toEqual([0, 1]);
    expect(store.takeUnpersistedRows().length).toBe(0);
    expect(store.row(1)).toMatchObject({ workerId: 2, lng: 0.3, accuracy: 5, gridId: 10 });
  });
  it('encodes snapshots of known workers, optionally masked to a jurisdiction', () => {
    const store = new PositionStore(
      [1, 2, 3].map((id) => ({ id: wid(id), homeGridId: gridId(10), duty: 'available' as const })),
      index,
    );
    store.ingest([fix(1, 0.1, 1000), fix(3, 0.2, 1000)]);
    const all = decodePositionFrame(store.encode('snapshot', 7, 2000, store.knownRows()));
    const masked = decodePositionFrame(
      store.encode('snapshot', 7, 2000, store.knownRows(Uint8Array.from([0, 1, 1]))),
    );
    if (!all.ok || !masked.ok) throw new Error('decode');
    expect([all.header.kind, all.header.seq, all.header.count]).toEqual(['snapshot', 7, 2]);
    expect(Array.from(masked.positions.ids.subarray(0, masked.header.count))).toEqual([3]);
  });
});

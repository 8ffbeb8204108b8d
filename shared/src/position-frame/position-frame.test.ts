import { describe, expect, it } from 'vitest';
import {
  createPositionColumns,
  decodePositionFrame,
  dutyIndex,
  encodePositionFrame,
  FRAME_HEADER_BYTES,
  FRAME_RECORD_BYTES,
  readFrameHeader,
} from './position-frame.ts';

function sample(n: number) {
  const cols = createPositionColumns(n);
  for (let i = 0; i < n; i++) {
    cols.ids[i] = i + 1;
    cols.lng[i] = 118.8 + i * 1e-4;
    cols.lat[i] = 28.9 + i * 1e-4;
    cols.speed[i] = 1.25;
    cols.heading[i] = 90;
    cols.duty[i] = dutyIndex('enroute');
    cols.outsideGrid[i] = i % 2;
    cols.at[i] = 1_700_000_000_000 - 3000;
  }
  cols.count = n;
  return cols;
}

describe('binary position frame', () => {
  it('costs 16 bytes per worker update', () => {
    const bytes = encodePositionFrame({ kind: 'delta', seq: 7, baseTime: 1_700_000_000_000 }, sample(1000));
    expect(bytes.byteLength).toBe(FRAME_HEADER_BYTES + 1000 * FRAME_RECORD_BYTES);
    expect(FRAME_RECORD_BYTES).toBeLessThanOrEqual(16);
  });
  it('round-trips header and records within quantisation', () => {
    const cols = sample(50);
    const bytes = encodePositionFrame({ kind: 'snapshot', seq: 42, baseTime: 1_700_000_000_000 }, cols);
    const out = decodePositionFrame(bytes);
    if (!out.ok) throw new Error(out.reason);
    expect(out.header).toEqual({ kind: 'snapshot', seq: 42, baseTime: 1_700_000_000_000, count: 50 });
    for (let i = 0; i < 50; i++) {
      expect(out.positions.ids[i]).toBe(i + 1);
      expect(Math.abs(out.positions.lng[i]! - cols.lng[i]!)).toBeLessThan(1e-7);
      expect(Math.abs(out.positions.lat[i]! - cols.lat[i]!)).toBeLessThan(1e-7);
      expect(out.positions.speed[i]).toBe(1.25);
      expect(Math.abs(out.positions.heading[i]! - 90)).toBeLessThan(1.5);
      expect(out.positions.duty[i]).toBe(dutyIndex('enroute'));
      expect(out.positions.outsideGrid[i]).toBe(i % 2);
      expect(out.positions.at[i]).toBe(1_700_000_000_000 - 3000);
    }
  });
  it('encodes a subset of rows', () => {
    const bytes = encodePositionFrame(
      { kind: 'delta', seq: 1, baseTime: 1_700_000_000_000 },
      sample(10),
      [2, 5],
    );
    const out = decodePositionFrame(bytes);
    expect(out.ok && Array.from(out.positions.ids.subarray(0, 2))).toEqual([3, 6]);
  });
  it('refuses malformed frames with a reason', () => {
    expect(readFrameHeader(new Uint8Array(3))).toEqual({ ok: false, reason: 'too-short' });
    const bytes = encodePositionFrame({ kind: 'delta', seq: 1, baseTime: 1 }, sample(2));
    expect(readFrameHeader(bytes.subarray(0, bytes.length - 1))).toMatchObject({
      ok: false,
      reason: 'length-mismatch',
    });
    const bad = bytes.slice();
    bad[0] = 0;
    expect(readFrameHeader(bad)).toEqual({ ok: false, reason: 'bad-magic' });
    const badKind = bytes.slice();
    badKind[2] = 9;
    expect(readFrameHeader(badKind)).toEqual({ ok: false, reason: 'bad-kind', kind: 9 });
  });
});

import { DUTY_STATES, type DutyState } from '../domain/schemas.ts';

// Binary worker-position frames (socket.io namespace /positions). Only the newest position of a
// worker matters, so frames are lossy snapshots/deltas, not a log. 16 bytes per worker update:
//
//   header (20 bytes, little-endian)
//     u8  magic 0x47 ('G')   u8 version   u8 kind (0 snapshot, 1 delta)   u8 reserved
//     u32 sequence number (per stream; a gap tells the client to ask for a snapshot)
//     f64 base time, ms since epoch
//     u32 record count
//   record (16 bytes)
//     u32 worker id
//     i32 lng × 1e7   i32 lat × 1e7        (≈1 cm)
//     u8  speed in 0.25 m/s (saturates at 63.75 m/s)
//     u8  heading in 360/256 degree steps
//     u8  bits 0–2 duty state, bit 3 outside own grid
//     u8  age: seconds before base time (saturates at 255)

export const FRAME_MAGIC = 0x47;
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 20;
export const FRAME_RECORD_BYTES = 16;

export const FRAME_KINDS = { snapshot: 0, delta: 1 } as const;
export type FrameKind = keyof typeof FRAME_KINDS;

const COORD_SCALE = 1e7;
const FLAG_OUTSIDE_GRID = 0b1000;

/** Struct-of-arrays view of worker positions: what the server keeps and the client decodes into. */
export interface PositionColumns {
  count: number;
  ids: Uint32Array;
  lng: Float64Array;
  lat: Float64Array;
  /** m/s */
  speed: Float32Array;
  /** degrees */
  heading: Float32Array;
  /** index into DUTY_STATES */
  duty: Uint8Array;
  outsideGrid: Uint8Array;
  /** ms since epoch */
  at: Float64Array;
}

export interface FrameHeader {
  kind: FrameKind;
  seq: number;
  baseTime: number;
  count: number;
}

/** Allocates empty position columns for `capacity` workers. */
export function createPositionColumns(capacity: number): PositionColumns {
  return {
    count: 0,
    ids: new Uint32Array(capacity),
    lng: new Float64Array(capacity),
    lat: new Float64Array(capacity),
    speed: new Float32Array(capacity),
    heading: new Float32Array(capacity),
    duty: new Uint8Array(capacity),
    outsideGrid: new Uint8Array(capacity),
    at: new Float64Array(capacity),
  };
}

/** Index of a duty state in frames. */
export function dutyIndex(duty: DutyState): number {
  return DUTY_STATES.indexOf(duty);
}

/** Duty state from its frame index (unknown indexes read as 'off'). */
export function dutyFromIndex(index: number): DutyState {
  return DUTY_STATES[index] ?? 'off';
}

/**
 * Encodes the rows `rows` (indexes into `cols`; all rows when omitted) as one frame. Encode once
 * per tick and fan the same bytes out to every subscriber.
 */
export function encodePositionFrame(
  header: Omit<FrameHeader, 'count'>,
  cols: PositionColumns,
  rows?: ArrayLike<number>,
): Uint8Array {
  const count = rows ? rows.length : cols.count;
  const buf = new ArrayBuffer(FRAME_HEADER_BYTES + count * FRAME_RECORD_BYTES);
  const view = new DataView(buf);
  view.setUint8(0, FRAME_MAGIC);
  view.setUint8(1, FRAME_VERSION);
  view.setUint8(2, FRAME_KINDS[header.kind]);
  view.setUint8(3, 0);
  view.setUint32(4, header.seq >>> 0, true);
  view.setFloat64(8, header.baseTime, true);
  view.setUint32(16, count, true);
  let o = FRAME_HEADER_BYTES;
  for (let k = 0; k < count; k++) {
    const i = rows ? rows[k]! : k;
    view.setUint32(o, cols.ids[i]!, true);
    view.setInt32(o + 4, Math.round(cols.lng[i]! * COORD_SCALE), true);
    view.setInt32(o + 8, Math.round(cols.lat[i]! * COORD_SCALE), true);
    view.setUint8(o + 12, Math.min(255, Math.max(0, Math.round(cols.speed[i]! * 4))));
    view.setUint8(o + 13, Math.round((((cols.heading[i]! % 360) + 360) % 360) * (256 / 360)) & 0xff);
    view.setUint8(o + 14, (cols.duty[i]! & 0b111) | (cols.outsideGrid[i] ? FLAG_OUTSIDE_GRID : 0));
    const age = Math.round((header.baseTime - cols.at[i]!) / 1000);
    view.setUint8(o + 15, Math.min(255, Math.max(0, age)));
    o += FRAME_RECORD_BYTES;
  }
  return new Uint8Array(buf);
}

export type FrameDecodeError =
  | { ok: false; reason: 'too-short' }
  | { ok: false; reason: 'bad-magic' }
  | { ok: false; reason: 'unsupported-version'; version: number }
  | { ok: false; reason: 'bad-kind'; kind: number }
  | { ok: false; reason: 'length-mismatch'; expected: number; actual: number };

/** Reads only the header of a frame. */
export function readFrameHeader(bytes: Uint8Array): ({ ok: true } & FrameHeader) | FrameDecodeError {
  if (bytes.byteLength < FRAME_HEADER_BYTES) return { ok: false, reason: 'too-short' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== FRAME_MAGIC) return { ok: false, reason: 'bad-magic' };
  const version = view.getUint8(1);
  if (version !== FRAME_VERSION) return { ok: false, reason: 'unsupported-version', version };
  const k = view.getUint8(2);
  const kind: FrameKind | undefined = k === 0 ? 'snapshot' : k === 1 ? 'delta' : undefined;
  if (!kind) return { ok: false, reason: 'bad-kind', kind: k };
  const count = view.getUint32(16, true);
  const expected = FRAME_HEADER_BYTES + count * FRAME_RECORD_BYTES;
  if (bytes.byteLength !== expected)
    return { ok: false, reason: 'length-mismatch', expected, actual: bytes.byteLength };
  return { ok: true, kind, seq: view.getUint32(4, true), baseTime: view.getFloat64(8, true), count };
}

/** Decodes a frame into position columns (allocated to fit unless `into` is large enough). */
export function decodePositionFrame(
  bytes: Uint8Array,
  into?: PositionColumns,
): { ok: true; header: FrameHeader; positions: PositionColumns } | FrameDecodeError {
  const head = readFrameHeader(bytes);
  if (!head.ok) return head;
  const { ok: _ok, ...header } = head;
  const cols = into && into.ids.length >= header.count ? into : createPositionColumns(header.count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = FRAME_HEADER_BYTES;
  for (let i = 0; i < header.count; i++) {
    cols.ids[i] = view.getUint32(o, true);
    cols.lng[i] = view.getInt32(o + 4, true) / COORD_SCALE;
    cols.lat[i] = view.getInt32(o + 8, true) / COORD_SCALE;
    cols.speed[i] = view.getUint8(o + 12) / 4;
    cols.heading[i] = (view.getUint8(o + 13) * 360) / 256;
    const flags = view.getUint8(o + 14);
    cols.duty[i] = flags & 0b111;
    cols.outsideGrid[i] = flags & FLAG_OUTSIDE_GRID ? 1 : 0;
    cols.at[i] = header.baseTime - view.getUint8(o + 15) * 1000;
    o += FRAME_RECORD_BYTES;
  }
  cols.count = header.count;
  return { ok: true, header, positions: cols };
}

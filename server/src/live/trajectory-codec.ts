// Compact trajectory chunks: one row per worker per hour holds its points as a byte string of
// segments. A segment starts with an absolute point and continues with deltas (zig-zag varints:
// seconds, 1e-6 degrees), then speed (0.25 m/s units) and heading (1.4° units) as one byte each.
// Each flush appends one self-contained segment, so appending never reads the row back and a
// restarted or second server process can append too; the decoder sorts by time.
// A walking worker's point costs about 7 bytes.

export interface TrajectoryPoint {
  at: number;
  lng: number;
  lat: number;
  speed: number;
  heading: number;
}

class Writer {
  private buf = new Uint8Array(256);
  length = 0;
  private ensure(n: number) {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number) {
    this.ensure(1);
    this.buf[this.length++] = b;
  }
  uvarint(v: number) {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }
  svarint(v: number) {
    this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const E6 = 1e6;

/** Encodes points (in time order, all inside the hour that starts at `hourStart`) as one segment. */
export function encodeSegment(hourStart: number, points: readonly TrajectoryPoint[]): Uint8Array {
  const w = new Writer();
  w.uvarint(points.length);
  let t = 0;
  let x = 0;
  let y = 0;
  points.forEach((p, i) => {
    const pt = Math.max(0, Math.round((p.at - hourStart) / 1000));
    const px = Math.round(p.lng * E6);
    const py = Math.round(p.lat * E6);
    if (i === 0) {
      w.uvarint(pt);
      w.svarint(px);
      w.svarint(py);
    } else {
      w.uvarint(Math.max(0, pt - t));
      w.svarint(px - x);
      w.svarint(py - y);
    }
    t = Math.max(t, pt);
    x = px;
    y = py;
    w.byte(Math.min(255, Math.round(p.speed * 4)));
    w.byte(Math.round(((p.heading % 360) / 360) * 256) % 256);
  });
  return w.bytes();
}

/** Decodes every segment of a chunk, sorted by time. Truncated input ends the decode quietly. */
export function decodeChunk(hourStart: number, bytes: Uint8Array): TrajectoryPoint[] {
  const out: TrajectoryPoint[] = [];
  let i = 0;
  const uvarint = () => {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (i >= bytes.length) throw new RangeError('truncated');
      const b = bytes[i++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
  };
  const svarint = () => {
    const u = uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  };
  try {
    while (i < bytes.length) {
      const n = uvarint();
      let t = 0;
      let x = 0;
      let y = 0;
      for (let k = 0; k < n; k++) {
        if (k === 0) {
          t = uvarint();
          x = svarint();
          y = svarint();
        } else {
          t += uvarint();
          x += svarint();
          y += svarint();
        }
        if (i + 2 > bytes.length) throw new RangeError('truncated');
        const speed = bytes[i++]! / 4;
        const heading = (bytes[i++]! / 256) * 360;
        out.push({ at: hourStart + t * 1000, lng: x / E6, lat: y / E6, speed, heading });
      }
    }
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  return out.sort((a, b) => a.at - b.at);
}

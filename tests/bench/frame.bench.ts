import {
  createPositionColumns,
  decodePositionFrame,
  DUTY_STATES,
  dutyFromIndex,
  encodePositionFrame,
} from '@gcc/shared';
import { pct, report } from './report.ts';

// Binary position frame vs JSON for 40,000 workers (the Quzhou scale): bytes per worker update
// and encode/decode time per frame.

const N = 40_000;

export async function run(): Promise<void> {
  const cols = createPositionColumns(N);
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const now = Date.now();
  for (let i = 0; i < N; i++) {
    cols.ids[i] = i + 1;
    cols.lng[i] = 118.3 + rnd() * 1.2;
    cols.lat[i] = 28.4 + rnd() * 1.0;
    cols.speed[i] = rnd() * 5;
    cols.heading[i] = rnd() * 360;
    cols.duty[i] = Math.floor(rnd() * DUTY_STATES.length);
    cols.at[i] = now - Math.floor(rnd() * 10_000);
  }
  cols.count = N;
  const binary = encodePositionFrame({ kind: 'delta', seq: 1, baseTime: now }, cols);
  // The JSON a naive server would send: the same fields, coordinates at the same ~1e-7 precision.
  const json = JSON.stringify(
    Array.from({ length: N }, (_, i) => ({
      id: cols.ids[i],
      lng: Number(cols.lng[i]!.toFixed(7)),
      lat: Number(cols.lat[i]!.toFixed(7)),
      speed: Number(cols.speed[i]!.toFixed(2)),
      heading: Math.round(cols.heading[i]!),
      duty: dutyFromIndex(cols.duty[i]!),
      at: cols.at[i],
    })),
  );
  const jsonBytes = Buffer.byteLength(json);
  const perUpdate = binary.byteLength / N;
  const jsonPerUpdate = jsonBytes / N;
  report({
    bench: 'frame',
    metric: 'bytes_per_update',
    value: perUpdate,
    unit: 'bytes',
    baseline: jsonPerUpdate,
    ratio: jsonPerUpdate / perUpdate,
    workers: N,
  });

  const into = createPositionColumns(N);
  const enc: number[] = [];
  const dec: number[] = [];
  const jdec: number[] = [];
  for (let k = 0; k < 40; k++) {
    let t = performance.now();
    encodePositionFrame({ kind: 'delta', seq: k, baseTime: now }, cols);
    enc.push(performance.now() - t);
    t = performance.now();
    decodePositionFrame(binary, into);
    dec.push(performance.now() - t);
    t = performance.now();
    JSON.parse(json);
    jdec.push(performance.now() - t);
  }
  report({
    bench: 'frame',
    metric: 'decode_ms_40k',
    value: pct(dec, 50),
    unit: 'ms',
    baseline: pct(jdec, 50),
    ratio: pct(jdec, 50) / pct(dec, 50),
  });
  report({ bench: 'frame', metric: 'encode_ms_40k', value: pct(enc, 50), unit: 'ms' });
}

/// <reference lib="webworker" />
import { transferList, type PositionsUpdate, type UpdateArrays } from '../live/positions.protocol.ts';

// Synthetic position updates for the wall-update benchmark, made off the main thread and
// transferred exactly as positions.worker.ts hands real ones over: every worker moves a little.

const ORIGIN: [number, number] = [118.87, 28.94];
let version = 0;
let base: Float32Array | null = null;
let spare: UpdateArrays | null = null;

self.onmessage = (e: MessageEvent<{ n: number } | { recycle: UpdateArrays }>) => {
  if ('recycle' in e.data) {
    spare = e.data.recycle;
    return;
  }
  const n = e.data.n;
  const reuse = spare?.ids.length === n ? spare : null;
  spare = null;
  if (!base || base.length !== n * 2) {
    base = new Float32Array(n * 2);
    for (let i = 0; i < n * 2; i++) base[i] = (Math.random() - 0.5) * 0.4;
  }
  const positions = reuse?.positions ?? new Float32Array(n * 2);
  const jitter = (version % 2 ? 1 : -1) * 0.0001;
  for (let i = 0; i < n * 2; i++) positions[i] = base[i]! + jitter;
  const colors = reuse?.colors ?? new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) colors.set([40, 220, 160, 255], i * 4);
  const update: PositionsUpdate = {
    type: 'positions', version: ++version, count: n, ids: reuse?.ids ?? new Uint32Array(n), positions, origin: ORIGIN, colors, colorsVersion: 1,
    present: (reuse?.present ?? new Uint8Array(n)).fill(1), online: n, byDuty: [0, n, 0, 0, 0],
    stats: { frames: version, snapshots: 1, gapFrames: 0, coalesced: 0, lagMs: 0, decodeMs: 0 },
  };
  (self as unknown as Worker).postMessage(update, transferList(update));
};

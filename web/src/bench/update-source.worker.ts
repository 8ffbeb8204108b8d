/// <reference lib="webworker" />
import {
  transferList,
  type PositionsUpdate,
  type UpdateArrays,
  type WallCamera,
} from '../live/positions.protocol.ts';
import { WorkersRenderer } from '../live/workers.renderer.ts';

// Synthetic position updates for the wall-update benchmark, made off the main thread as
// positions.worker.ts makes real ones: every worker moves a little. Given the page's workers
// canvas, it draws them there with the wall's renderer and reports each drawn frame (the wall's
// path); otherwise it transfers the arrays for the main thread to draw (`?workers=main`).

type In = { n: number } | { recycle: UpdateArrays } | { canvas: OffscreenCanvas } | { camera: WallCamera };

const ORIGIN: [number, number] = [118.87, 28.94];
let version = 0;
let base: Float32Array | null = null;
let spare: UpdateArrays | null = null;
let renderer: WorkersRenderer | null = null;

function make(n: number): UpdateArrays {
  const reuse = spare?.ids.length === n ? spare : null;
  if (!renderer) spare = null; // transferred away; the drawing worker keeps its own
  if (!base || base.length !== n * 2) {
    base = new Float32Array(n * 2);
    for (let i = 0; i < n * 2; i++) base[i] = (Math.random() - 0.5) * 0.4;
  }
  const positions = reuse?.positions ?? new Float32Array(n * 2);
  const jitter = (version % 2 ? 1 : -1) * 0.0001;
  for (let i = 0; i < n * 2; i++) positions[i] = base[i]! + jitter;
  const colors = reuse?.colors ?? new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) colors.set([40, 220, 160, 255], i * 4);
  const out = {
    ids: reuse?.ids ?? new Uint32Array(n),
    positions,
    colors,
    present: (reuse?.present ?? new Uint8Array(n)).fill(1),
  };
  if (renderer) spare = out;
  return out;
}

self.onmessage = (e: MessageEvent<In>) => {
  const msg = e.data;
  if ('canvas' in msg) {
    renderer = new WorkersRenderer(msg.canvas);
    if (!renderer.init()) throw new Error('no WebGL2 in the worker');
    renderer.onDrawn = () => (self as unknown as Worker).postMessage({ drawn: renderer!.frames });
    return;
  }
  if ('camera' in msg) {
    renderer?.setCamera(msg.camera);
    return;
  }
  if ('recycle' in msg) {
    spare = msg.recycle;
    return;
  }
  const n = msg.n;
  const a = make(n);
  version++;
  if (renderer) {
    renderer.update(n, a.positions, ORIGIN, a.colors, 1);
    return;
  }
  const update: PositionsUpdate = {
    type: 'positions',
    version,
    count: n,
    ...a,
    origin: ORIGIN,
    colorsVersion: 1,
    online: n,
    byDuty: [0, n, 0, 0, 0],
    stats: { frames: version, snapshots: 1, gapFrames: 0, coalesced: 0, lagMs: 0, decodeMs: 0 },
  };
  (self as unknown as Worker).postMessage(update, transferList(update));
};

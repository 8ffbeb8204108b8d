/// <reference lib="webworker" />
import { io, type Socket } from 'socket.io-client';
import { DUTY_STATES } from '@gcc/shared';
import { createPositionColumns, decodePositionFrame, type PositionColumns } from '@gcc/shared/position-frame';
import { DUTY_COLOR_TABLE } from './duty-colors.ts';
import { WorkersRenderer } from './workers.renderer.ts';
import {
  ONLINE_WINDOW_MS,
  transferList,
  type FromWorker,
  type PositionStats,
  type PositionsSummary,
  type PositionsUpdate,
  type ToWorker,
  type UpdateArrays,
} from './positions.protocol.ts';

// Worker positions off the main thread: this worker owns the socket.io connection to
// /positions, decodes the binary frames (snapshot, then deltas at 2 Hz), keeps a
// workerId → slot map so a worker keeps its slot (and its vertex) for the whole session, and
// draws the workers into the wall's OffscreenCanvas (workers.renderer.ts), telling the main
// thread only the counts. Where the browser cannot hand a canvas to a worker it transfers ready
// typed arrays — [lng, lat] per slot and RGBA per slot — to the wall, which hands them to deck.gl
// as binary `data.attributes`. A sequence gap (a dropped volatile frame, a server restart) asks
// the server for a fresh snapshot.

declare const self: DedicatedWorkerGlobalScope;

/** Dim a worker that has not reported for this long. */
const STALE_MS = 2 * 60_000;
/** Re-ask for a snapshot if the requested one has not come after this long. */
const SNAPSHOT_RETRY_MS = 2000;

let capacity = 0;
let count = 0;
let ids = new Uint32Array(0);
let lng = new Float64Array(0);
let lat = new Float64Array(0);
let duty = new Uint8Array(0);
let at = new Float64Array(0);
let present = new Uint8Array(0);
const slotOf = new Map<number, number>();
let scratch: PositionColumns = createPositionColumns(1024);

let origin: [number, number] | null = null;
let socket: Socket | null = null;
let lastSeq = -1;
let haveSnapshot = false;
let snapshotAskedAt = 0;
let inFlight = false;
/** Draws the workers when the wall handed its canvas over (else the main thread draws). */
let renderer: WorkersRenderer | null = null;
let dirty = false;
let version = 0;
/** Arrays of an update the wall has replaced, back for reuse when the slot count still fits. */
let spare: UpdateArrays | null = null;
/** When the next present worker turns stale or drops out of the online count (a redraw is due). */
let nextAgeChangeAt = Infinity;
/** The colours last sent, to tell whether an update changes any (most only move workers). */
let sentColors = new Uint8Array(0);
let colorsVersion = 0;
const stats: PositionStats = { frames: 0, snapshots: 0, gapFrames: 0, coalesced: 0, lagMs: 0, decodeMs: 0 };

function post(msg: FromWorker, transfer: Transferable[] = []) {
  self.postMessage(msg, transfer);
}

function grow(min: number) {
  const next = Math.max(min, capacity * 2, 256);
  const copy = <T extends Uint32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
    const a = make(next);
    a.set(old);
    return a;
  };
  ids = copy(ids, (n) => new Uint32Array(n));
  lng = copy(lng, (n) => new Float64Array(n));
  lat = copy(lat, (n) => new Float64Array(n));
  duty = copy(duty, (n) => new Uint8Array(n));
  at = copy(at, (n) => new Float64Array(n));
  present = copy(present, (n) => new Uint8Array(n));
  capacity = next;
}

function slotFor(id: number): number {
  let slot = slotOf.get(id);
  if (slot === undefined) {
    if (count === capacity) grow(count + 1);
    slot = count++;
    slotOf.set(id, slot);
    ids[slot] = id;
  }
  return slot;
}

function askSnapshot(now: number) {
  if (now - snapshotAskedAt < SNAPSHOT_RETRY_MS) return;
  snapshotAskedAt = now;
  socket?.emit('snapshot');
}

function onFrame(data: unknown) {
  const bytes =
    data instanceof Uint8Array
      ? data
      : data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : null;
  if (!bytes) return;
  const t0 = performance.now();
  const res = decodePositionFrame(bytes, scratch);
  if (!res.ok) return;
  scratch = res.positions;
  const { header, positions: p } = res;
  const now = Date.now();
  stats.frames++;
  stats.lagMs = Math.max(0, now - header.baseTime);

  if (header.kind === 'snapshot') {
    // A snapshot is the whole truth: workers missing from it are gone (off the wall).
    present.fill(0, 0, count);
    haveSnapshot = true;
    snapshotAskedAt = 0;
    stats.snapshots++;
  } else if (!haveSnapshot) {
    askSnapshot(now);
  } else if (header.seq !== (lastSeq + 1) >>> 0) {
    stats.gapFrames += header.seq > lastSeq ? header.seq - lastSeq - 1 : 1;
    askSnapshot(now);
  }
  lastSeq = header.seq;

  if (!origin && p.count > 0) origin = [Math.round(p.lng[0]! * 100) / 100, Math.round(p.lat[0]! * 100) / 100];
  for (let i = 0; i < p.count; i++) {
    const slot = slotFor(p.ids[i]!);
    lng[slot] = p.lng[i]!;
    lat[slot] = p.lat[i]!;
    duty[slot] = p.duty[i]!;
    at[slot] = p.at[i]!;
    present[slot] = 1;
  }
  stats.decodeMs = performance.now() - t0;
  markDirty();
}

function markDirty() {
  if (inFlight && dirty && !renderer) stats.coalesced++;
  dirty = true;
  flush();
}

/** The arrays the worker draws from itself (canvas mode): reused, never transferred. */
let own: Pick<UpdateArrays, 'positions' | 'colors'> | null = null;

/**
 * Hands the current state on. With a canvas the worker draws it (at its next animation frame,
 * whatever the main thread is doing) and tells the main thread the counts; else it transfers the
 * arrays, unless the main thread is still drawing the previous ones.
 */
function flush() {
  if (!dirty) return;
  if (renderer) {
    dirty = false;
    if (own?.colors.length !== count * 4)
      own = { positions: new Float32Array(count * 2), colors: new Uint8Array(count * 4) };
    const c = compose(own);
    renderer.update(count, own.positions, c.origin, own.colors, colorsVersion);
    summary = {
      type: 'summary',
      version: ++version,
      count,
      present: c.present,
      online: c.online,
      byDuty: c.byDuty,
      stats: { ...stats },
    };
    sendSummary();
    return;
  }
  if (inFlight) return;
  dirty = false;
  inFlight = true;
  const reuse = spare && spare.ids.length === count ? spare : null;
  spare = null;
  const out: UpdateArrays = reuse ?? {
    ids: new Uint32Array(count),
    positions: new Float32Array(count * 2),
    colors: new Uint8Array(count * 4),
    present: new Uint8Array(count),
  };
  out.ids.set(ids.subarray(0, count));
  out.present.set(present.subarray(0, count));
  const c = compose(out);
  const msg: PositionsUpdate = {
    type: 'positions',
    version: ++version,
    count,
    ...out,
    origin: c.origin,
    colorsVersion,
    online: c.online,
    byDuty: c.byDuty,
    stats: { ...stats },
  };
  post(msg, transferList(msg));
}

/** The newest summary not yet sent (the main thread is still handling the previous one). */
let summary: PositionsSummary | null = null;

function sendSummary() {
  if (inFlight || !summary) return;
  inFlight = true;
  post(summary);
  summary = null;
}

/** Fills `out` with the slots' offsets and colours; counts who is on the map, online and on what duty. */
function compose(out: Pick<UpdateArrays, 'positions' | 'colors'>): {
  origin: [number, number];
  online: number;
  present: number;
  byDuty: number[];
} {
  const now = Date.now();
  const [lng0, lat0] = origin ?? [0, 0];
  const { positions, colors } = out;
  const byDuty = DUTY_STATES.map(() => 0);
  let online = 0;
  let here = 0;
  let nextChange = Infinity;
  for (let s = 0; s < count; s++) {
    positions[2 * s] = lng[s]! - lng0;
    positions[2 * s + 1] = lat[s]! - lat0;
    if (!present[s]) {
      colors.fill(0, 4 * s, 4 * s + 4); // drawn transparent
      continue;
    }
    here++;
    const age = now - at[s]!;
    if (age <= ONLINE_WINDOW_MS) {
      online++;
      nextChange = Math.min(nextChange, at[s]! + (age <= STALE_MS ? STALE_MS : ONLINE_WINDOW_MS));
    }
    const d = duty[s]!;
    byDuty[d] = (byDuty[d] ?? 0) + 1;
    const c = DUTY_COLOR_TABLE[d] ?? DUTY_COLOR_TABLE[0]!;
    colors[4 * s] = c[0];
    colors[4 * s + 1] = c[1];
    colors[4 * s + 2] = c[2];
    colors[4 * s + 3] = age > STALE_MS ? Math.round(c[3] * 0.35) : c[3];
  }
  nextAgeChangeAt = nextChange;
  if (!sameBytes(colors, sentColors)) {
    colorsVersion++;
    sentColors = colors.slice();
  }
  return { origin: [lng0, lat0], online, present: here, byDuty };
}

/** Up to `n` present workers as [id, lng, lat]. */
function sample(n: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let s = 0; s < count && out.length < n; s++) if (present[s]) out.push([ids[s]!, lng[s]!, lat[s]!]);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // Compare 4 bytes at a time: one RGBA per step.
  const a32 = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2);
  const b32 = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < a32.length; i++) if (a32[i] !== b32[i]) return false;
  return true;
}

function start(origin: string, canvas: OffscreenCanvas | undefined) {
  if (socket) return;
  if (canvas) {
    const r = new WorkersRenderer(canvas);
    // Without WebGL2 here the main thread draws (arrays mode); the canvas then stays empty.
    if (r.init()) renderer = r;
  }
  post({ type: 'state', state: 'connecting' });
  socket = io(`${origin}/positions`, {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    withCredentials: true,
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
  });
  socket.on('connect', () => {
    // The server sends a snapshot on every (re)connection; until then nothing is trusted.
    haveSnapshot = false;
    post({ type: 'state', state: 'live' });
  });
  socket.on('disconnect', (reason) => {
    post({ type: 'state', state: 'connecting', reason });
    // A server-side disconnect is not retried by socket.io itself.
    if (reason === 'io server disconnect') setTimeout(() => socket?.connect(), 2000);
  });
  socket.on('connect_error', (err) => {
    post({ type: 'state', state: 'offline', reason: err.message });
    // A refused handshake (session ended, server restarting) is not retried by socket.io: retry.
    if (!socket?.active) setTimeout(() => socket?.connect(), 5000);
  });
  socket.on('frame', onFrame);
}

// Dim workers that went silent and recount "online" even when no frames come — only when one
// of them crossed a threshold: an idle wall gets no update (and draws nothing) otherwise.
setInterval(() => {
  if (count > 0 && Date.now() >= nextAgeChangeAt) markDirty();
}, 5000);

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'start':
      start(msg.origin, msg.canvas);
      break;
    case 'ack':
      if (msg.recycle) spare = msg.recycle;
      inFlight = false;
      if (renderer) sendSummary();
      else flush();
      break;
    case 'camera':
      renderer?.setCamera(msg.camera);
      break;
    case 'sample':
      post({ type: 'sample', requestId: msg.requestId, points: sample(msg.n) });
      break;
    case 'stop':
      socket?.close();
      socket = null;
      self.close();
      break;
    default: {
      const never: never = msg;
      void never;
    }
  }
};

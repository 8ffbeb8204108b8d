import type { ConnState } from './connection.ts';

// Messages between the wall (main thread) and positions.worker.ts. The worker owns the socket
// and decodes binary frames. Given a canvas, it draws the workers itself (workers.renderer.ts)
// and sends the main thread only a summary per update; otherwise it transfers ready-made deck.gl
// attribute arrays. Either way the main thread acks each message after handling it, so at most
// one is in flight (newest wins).

export type ToWorker =
  /** `canvas`: the wall's workers canvas, handed over for the worker to draw into. */
  | { type: 'start'; origin: string; canvas?: OffscreenCanvas }
  /** The previous update was drawn; its arrays come back (transferred) for the worker to reuse. */
  | { type: 'ack'; recycle?: UpdateArrays }
  | { type: 'camera'; camera: WallCamera }
  /** Up to `n` present workers as [id, lng, lat] (tests, diagnosis). */
  | { type: 'sample'; n: number; requestId: number }
  | { type: 'stop' };

/** The map's camera as the workers canvas needs it (Web Mercator, no pitch or bearing). */
export interface WallCamera {
  lng: number;
  lat: number;
  zoom: number;
  /** Canvas size in CSS pixels. */
  width: number;
  height: number;
  dpr: number;
  /** UI scale of the dots (1 on a 1920×1080 panel). */
  dotScale: number;
}

/** The typed arrays of an update: transferred to the main thread, and back once replaced. */
export type UpdateArrays = Pick<PositionsUpdate, 'ids' | 'positions' | 'colors' | 'present'>;

/** The buffers to transfer with an update's arrays. */
export function transferList(a: UpdateArrays): ArrayBuffer[] {
  return [a.ids.buffer, a.positions.buffer, a.colors.buffer, a.present.buffer] as ArrayBuffer[];
}

export interface PositionStats {
  /** Frames received (snapshots + deltas). */
  frames: number;
  snapshots: number;
  /** Delta frames missing between received sequence numbers. */
  gapFrames: number;
  /** Updates folded into a later one because the main thread was still drawing. */
  coalesced: number;
  /** Server base time to arrival of the newest frame, ms (clock skew included). */
  lagMs: number;
  /** Decode + apply time of the newest frame in the worker, ms. */
  decodeMs: number;
}

export interface PositionsUpdate {
  type: 'positions';
  /** Increases with every update sent. */
  version: number;
  /** Slots in use (workers seen since the last snapshot, absent ones drawn transparent). */
  count: number;
  /** Worker id per slot. */
  ids: Uint32Array;
  /**
   * [lng, lat] per slot as offsets from `origin`: deck.gl `getPosition` attribute with
   * `coordinateSystem: LNGLAT_OFFSETS`. Float32 offsets from a near origin keep centimetre
   * precision at half the bytes of Float64, and work with GPU position transitions.
   */
  positions: Float32Array;
  /** [lng, lat] the offsets are relative to (fixed for the session). */
  origin: [number, number];
  /** RGBA per slot by duty state: deck.gl `getFillColor` attribute. */
  colors: Uint8Array;
  /** Increases only when some slot's colour changed: a drawer may skip re-uploading colours. */
  colorsVersion: number;
  /** 1 when the slot holds a worker of the latest snapshot/deltas. */
  present: Uint8Array;
  /** Workers with a position newer than the online window. */
  online: number;
  /** Workers present per duty-state index (DUTY_STATES order). */
  byDuty: number[];
  stats: PositionStats;
}

/** What the main thread learns of an update the worker drew itself. */
export interface PositionsSummary {
  type: 'summary';
  version: number;
  count: number;
  /** Workers on the map now. */
  present: number;
  online: number;
  byDuty: number[];
  stats: PositionStats;
}

export type FromWorker =
  | PositionsUpdate
  | PositionsSummary
  | { type: 'sample'; requestId: number; points: [number, number, number][] }
  | { type: 'state'; state: ConnState; reason?: string };

/** A worker heard from within this window counts as online (same window as /healthz). */
export const ONLINE_WINDOW_MS = 5 * 60_000;

import type { ConnState } from './connection.ts';
import {
  transferList,
  type FromWorker,
  type PositionsSummary,
  type PositionsUpdate,
  type ToWorker,
  type WallCamera,
} from './positions.protocol.ts';

export interface PositionsClient {
  /** The map's camera, for a worker that draws into a canvas. */
  setCamera(camera: WallCamera): void;
  /** Up to `n` workers on the map as [id, lng, lat]. */
  sample(n: number): Promise<[number, number, number][]>;
  stop(): void;
}

/**
 * Starts the positions worker. Given `canvas` (an OffscreenCanvas handed over by the wall), the
 * worker draws the workers itself and `onUpdate` gets a summary; otherwise it gets the arrays to
 * draw. `onUpdate` runs at most once per animation frame with the newest message; the worker
 * sends the next one only after that (ack), so a busy main thread never builds a queue —
 * intermediate updates are folded in the worker. An update's arrays stay valid until the next
 * `onUpdate` returns; then they go back to the worker for reuse (no garbage of half a megabyte
 * per update on either thread).
 */
export function startPositions(handlers: {
  canvas?: OffscreenCanvas | null;
  onUpdate(update: PositionsUpdate | PositionsSummary): void;
  onState(state: ConnState, reason?: string): void;
}): PositionsClient {
  const worker = new Worker(new URL('./positions.worker.ts', import.meta.url), {
    type: 'module',
    name: 'gcc-positions',
  });
  const send = (msg: ToWorker, transfer: Transferable[] = []) => worker.postMessage(msg, transfer);
  let pending: PositionsUpdate | PositionsSummary | null = null;
  let shown: PositionsUpdate | null = null;
  let raf = 0;
  let stopped = false;
  let nextRequest = 0;
  const samples = new Map<number, (points: [number, number, number][]) => void>();

  const draw = () => {
    raf = 0;
    const update = pending;
    pending = null;
    if (!update || stopped) return;
    handlers.onUpdate(update);
    if (update.type === 'summary') {
      send({ type: 'ack' });
      return;
    }
    const recycle = shown;
    shown = update;
    if (!recycle) send({ type: 'ack' });
    else
      send(
        {
          type: 'ack',
          recycle: {
            ids: recycle.ids,
            positions: recycle.positions,
            colors: recycle.colors,
            present: recycle.present,
          },
        },
        transferList(recycle),
      );
  };

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const msg = e.data;
    switch (msg.type) {
      case 'state':
        handlers.onState(msg.state, msg.reason);
        return;
      case 'sample':
        samples.get(msg.requestId)?.(msg.points);
        samples.delete(msg.requestId);
        return;
      case 'positions':
      case 'summary':
        pending = msg;
        if (!raf) raf = requestAnimationFrame(draw);
        return;
      default: {
        const never: never = msg;
        void never;
      }
    }
  };
  worker.onerror = () => handlers.onState('offline', 'worker-error');
  const canvas = handlers.canvas ?? undefined;
  if (canvas) send({ type: 'start', origin: location.origin, canvas }, [canvas]);
  else send({ type: 'start', origin: location.origin });

  return {
    setCamera(camera) {
      if (!stopped) send({ type: 'camera', camera });
    },
    sample(n) {
      const requestId = ++nextRequest;
      return new Promise((resolve) => {
        samples.set(requestId, resolve);
        send({ type: 'sample', n, requestId });
      });
    },
    stop() {
      stopped = true;
      if (raf) cancelAnimationFrame(raf);
      for (const resolve of samples.values()) resolve([]);
      samples.clear();
      send({ type: 'stop' });
      worker.terminate();
    },
  };
}

import type { ConnState } from './connection.ts';
import { transferList, type FromWorker, type PositionsUpdate, type ToWorker } from './positions.protocol.ts';

export interface PositionsClient {
  stop(): void;
}

/**
 * Starts the positions worker. `onUpdate` runs at most once per animation frame with the newest
 * update; the worker sends the next one only after that (ack), so a busy main thread never
 * builds a queue — intermediate updates are folded in the worker. An update's arrays stay valid
 * until the next `onUpdate` returns; then they go back to the worker for reuse (no garbage of
 * half a megabyte per update on either thread).
 */
export function startPositions(handlers: {
  onUpdate(update: PositionsUpdate): void;
  onState(state: ConnState, reason?: string): void;
}): PositionsClient {
  const worker = new Worker(new URL('./positions.worker.ts', import.meta.url), { type: 'module', name: 'gcc-positions' });
  const send = (msg: ToWorker, transfer: Transferable[] = []) => worker.postMessage(msg, transfer);
  let pending: PositionsUpdate | null = null;
  let shown: PositionsUpdate | null = null;
  let raf = 0;
  let stopped = false;

  const draw = () => {
    raf = 0;
    const update = pending;
    pending = null;
    if (!update || stopped) return;
    handlers.onUpdate(update);
    const recycle = shown;
    shown = update;
    if (!recycle) send({ type: 'ack' });
    else send({ type: 'ack', recycle: { ids: recycle.ids, positions: recycle.positions, colors: recycle.colors, present: recycle.present } }, transferList(recycle));
  };

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const msg = e.data;
    if (msg.type === 'state') {
      handlers.onState(msg.state, msg.reason);
      return;
    }
    pending = msg;
    if (!raf) raf = requestAnimationFrame(draw);
  };
  worker.onerror = () => handlers.onState('offline', 'worker-error');
  send({ type: 'start', origin: location.origin });

  return {
    stop() {
      stopped = true;
      if (raf) cancelAnimationFrame(raf);
      send({ type: 'stop' });
      worker.terminate();
    },
  };
}

import type { CallName, EngineCalls, FromWorker, ToWorker } from './plan.protocol.ts';

export interface PlanClient {
  call<K extends CallName>(name: K, ...args: Parameters<EngineCalls[K]>): Promise<ReturnType<EngineCalls[K]>>;
  stop(): void;
}

/** Starts the planner's topology worker; calls are answered in the order they were made. */
export function startPlanWorker(): PlanClient {
  const worker = new Worker(new URL('./plan.worker.ts', import.meta.url), {
    type: 'module',
    name: 'gcc-plan',
  });
  let next = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const w = waiting.get(e.data.id);
    if (!w) return;
    waiting.delete(e.data.id);
    if (e.data.ok) w.resolve(e.data.result);
    else w.reject(new Error(e.data.error));
  };
  return {
    call(name, ...args) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        const msg = { id, call: name, args } as ToWorker;
        worker.postMessage(msg);
      });
    },
    stop() {
      worker.terminate();
      for (const w of waiting.values()) w.reject(new Error('plan worker stopped'));
      waiting.clear();
    },
  };
}

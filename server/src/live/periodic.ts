// Background jobs (write-behind, trajectory flush, alert and overdue monitors) run on a timer,
// one run at a time: a slow run delays the next instead of overlapping it. A failing run is
// reported and the next one tries again; `stop` waits for the run in progress, then runs the
// final task (a last flush) if one is given.

export interface Periodic {
  /** Runs the task now (after any run in progress); resolves when it is done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function runEvery(
  periodMs: number,
  task: () => Promise<unknown>,
  onError: (err: unknown) => void,
  opts: { onStop?: () => Promise<unknown> } = {},
): Periodic {
  let running: Promise<void> = Promise.resolve();
  const enqueue = (f: () => Promise<unknown>) => (running = running.then(f).then(() => {}, onError));
  const timer = setInterval(() => void enqueue(task), periodMs);
  return {
    runNow: () => enqueue(task),
    async stop() {
      clearInterval(timer);
      await (opts.onStop ? enqueue(opts.onStop) : running);
    },
  };
}

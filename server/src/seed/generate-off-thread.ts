import { Worker } from 'node:worker_threads';
import { generateCity, type City, type GenerateOptions } from '@gcc/data';
import type { Logger } from '../log.ts';

// A first start stopped before everything was written resumes once the server listens: the city
// is generated again (about five seconds for quzhou) on a thread of its own, so that the wall and
// the desks are answered meanwhile. Where a thread cannot load the TypeScript sources, the city is
// generated on the main thread — the same city either way (the generator is deterministic for its
// options). A first start itself generates on the main thread: on the shared 2-core machine a
// thread beside PGlite's initdb made the city ready 2–4 s later, not earlier.

/** The city of `options`, made on a worker thread; on the main thread if a worker cannot make it. */
export function generateOffThread(options: GenerateOptions, log: Logger): Promise<City> {
  let api: string;
  try {
    // The worker loads the TypeScript sources as the main thread does (`node --import tsx`).
    api = import.meta.resolve('tsx/esm/api');
  } catch {
    return Promise.resolve().then(() => generateCity(options));
  }
  const entry = new URL('./generate-city.worker.ts', import.meta.url).href;
  const source = `import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  return new Promise<City>((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: options });
    worker.once('message', (city: City) => {
      resolve(city);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`city generator thread exited with ${code}`)));
  }).catch((err: unknown) => {
    log.warn({ err }, 'city generator thread failed; generating on the main thread');
    return generateCity(options);
  });
}

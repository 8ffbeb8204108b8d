import { readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { generateCity, type City, type GenerateOptions } from '@gcc/data';
import type { Logger } from '../log.ts';

// A first start on an empty data folder generates the demo city on a thread of its own while the
// main thread creates the embedded database (initdb and the migrations, about five seconds of
// WebAssembly): on two cores the two overlap instead of adding up. Where the server cannot know
// before opening the record that it is empty (PostgreSQL, or a folder with files in it), or
// where a thread cannot load the TypeScript sources, the city is generated on the main thread as
// before — the same city either way (the generator is deterministic for its options).

/** True for a PGlite data folder that does not exist yet or is empty: a first start for sure. */
export function isFreshDataDir(dataDir: string): boolean {
  if (dataDir.startsWith('memory://')) return false;
  try {
    return readdirSync(dataDir).length === 0;
  } catch {
    return true;
  }
}

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

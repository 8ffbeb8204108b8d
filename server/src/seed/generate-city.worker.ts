import { parentPort, workerData } from 'node:worker_threads';
import { generateCity, type GenerateOptions } from '@gcc/data';

// The demo city generated on a thread of its own (generate-off-thread.ts); the address points'
// columns are handed over, not copied.
const city = generateCity(workerData as GenerateOptions);
const p = city.addressPoints;
const buffers = new Set(
  [p.lng, p.lat, p.grid, p.households, p.residents].map((c) => c.buffer as ArrayBuffer),
);
parentPort!.postMessage(city, [...buffers]);

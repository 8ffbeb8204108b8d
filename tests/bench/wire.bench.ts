import { runLoad } from '../load/run-load.ts';
import { report } from './report.ts';

// `wire`: bytes per worker update as they cross the WebSocket (binary frames, socket.io packet
// and WebSocket headers included), measured on a live run of the load generator (40,000
// workers at 1 Hz, one watcher at 2 Hz), against the JSON a naive server would send for the
// same updates (one object per worker: id, lng, lat, speed, heading, duty, time).

export async function run(): Promise<void> {
  const r = await runLoad({
    devices: 40_000,
    hz: 1,
    watchers: 1,
    watcherHz: 2,
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    warmupSeconds: 3,
  });
  report({
    bench: 'wire',
    metric: 'bytes_per_update',
    value: r.wireBytesPerUpdate,
    unit: 'bytes',
    baseline: r.jsonBytesPerUpdate,
    ratio: r.jsonBytesPerUpdate / r.wireBytesPerUpdate,
    workers: r.devices,
    watcherHz: 2,
  });
}

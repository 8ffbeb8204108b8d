import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { runLoad } from '../load/run-load.ts';
import { pct, report } from './report.ts';
import { freePort } from '../support/server-process.ts';

// `fanout`: device → client latency with 40,000 workers reporting at 1 Hz through the real
// ingest API and 20 watching clients, at the 10 Hz rate bound and at the default 2 Hz
// (tests/load/run-load.ts, the same generator as `pnpm load`): latency from the device
// timestamp to receipt, and from the frame's send time to receipt (fan-out alone), with the
// server's CPU and memory. Baseline for the fan-out: a bare socket.io server broadcasting a
// 480 KB frame to 20 clients at 10 Hz, in the same run.

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

async function bareFanoutP99(): Promise<number> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'support/bare-fanout.ts'), String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) =>
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    }),
  );
  const lat: number[] = [];
  let measuring = false;
  const sockets = Array.from({ length: 20 }, () => {
    const s = io(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
    s.on('frame', (b: Uint8Array) => {
      const now = Date.now();
      if (measuring) lat.push(now - new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat64(0, true));
    });
    return s;
  });
  await new Promise((r) => setTimeout(r, 2000));
  measuring = true;
  await new Promise((r) => setTimeout(r, Math.min(10, SECONDS) * 1000));
  measuring = false;
  for (const s of sockets) s.close();
  child.kill('SIGTERM');
  return pct(lat, 99);
}

export async function run(): Promise<void> {
  const bareP99 = await bareFanoutP99();
  for (const watcherHz of [10, 2]) {
    const r = await runLoad({
      devices: 40_000,
      hz: 1,
      watchers: 20,
      watcherHz,
      seconds: SECONDS,
      warmupSeconds: 5,
    });
    const common = {
      devices: r.devices,
      deviceHz: r.hz,
      watchers: r.watchers,
      watcherHz,
      seconds: r.seconds,
      acceptedPerSecond: r.acceptedPerSecond,
      framesPerWatcherPerSecond: r.framesPerWatcherPerSecond,
      server_cpu_pct: r.serverCpuPct,
      server_rss_mb: r.serverRssMb,
    };
    report({ bench: 'fanout', metric: 'latency_p50_ms', value: r.latencyP50Ms, unit: 'ms', ...common });
    report({
      bench: 'fanout',
      metric: 'latency_p99_ms',
      value: r.latencyP99Ms,
      unit: 'ms',
      goal: 150,
      samples: r.latencySamples,
      ...common,
    });
    report({
      bench: 'fanout',
      metric: 'fanout_p99_ms',
      value: r.fanoutP99Ms,
      unit: 'ms',
      goal: 40,
      baseline: bareP99,
      baselineName: 'bare socket.io broadcast, 480 KB frame, 20 clients, 10 Hz',
      ratio: bareP99 / r.fanoutP99Ms,
      fanoutP50Ms: r.fanoutP50Ms,
      ...common,
    });
  }
}

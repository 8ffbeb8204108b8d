import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createClient } from './client.ts';

// The real server as a separate process for benchmarks (its own event loop and core, as in
// production), on loopback, with a persistent PGlite under .data/bench-<profile> so that only
// the first run pays for generating and seeding the city.

const ROOT = join(import.meta.dirname, '../..');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** An admin tRPC client, signed in. */
  admin: ReturnType<typeof createClient>;
  /** CPU seconds (user + system) the server has used so far. */
  cpuSeconds(): number;
  /** Resident set size in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

export async function startServerProcess(opts: {
  profile: string;
  env?: Record<string, string>;
  extraPorts?: Record<string, number>;
  /** The data folder under .data (default `bench-<profile>`): a benchmark that publishes keeps its own. */
  dataDirName?: string;
  /** Each line the server writes to stdout (its JSON log), when a benchmark reads it. */
  onStdout?: (line: string) => void;
}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = join(ROOT, '.data', opts.dataDirName ?? `bench-${opts.profile}`);
  mkdirSync(dataDir, { recursive: true });
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of the server to DIR (open in Chrome DevTools).
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', join(ROOT, 'server/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CITY_PROFILE: opts.profile,
      SEED_HISTORY_DAYS: '1',
      SIMULATOR: 'off',
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  if (opts.onStdout) {
    let rest = '';
    child.stdout!.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop()!;
      for (const line of lines) opts.onStdout!(line);
    });
  } else child.stdout!.resume();
  // A crashed or interrupted parent must not leave the server running.
  const reap = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('server did not come up in 10 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  const admin = createClient(url);
  await admin.trpc.auth.login.mutate({ username: 'admin', password: 'admin123' });
  const pid = child.pid!;
  return {
    url,
    pid,
    child,
    admin,
    cpuSeconds() {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    },
    rssMb() {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The bare node:http baseline (bare-ingest-server.ts) as a child process. */
export async function startBareServer(
  profile: string,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, '../bench/support/bare-ingest-server.ts'),
      String(port),
      profile,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

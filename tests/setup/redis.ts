import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import type { TestProject } from 'vitest/node';

// vitest globalSetup: a real Redis server on loopback for the scale-out tests (Debian's
// redis-server; CI installs it). Without it the scale-out tests are skipped on a developer
// machine and fail in CI.

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string | null;
  }
}

let server: ChildProcess | null = null;

export async function setup(project: TestProject): Promise<void> {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
  if (!bin) {
    if (process.env.CI)
      throw new Error('redis-server not found: .ci/run must install the redis-server package');
    console.warn(
      '[tests] redis-server not installed: scale-out tests are skipped (apt-get install redis-server)',
    );
    project.provide('redisUrl', null);
    return;
  }
  const port = 40000 + Math.floor(Math.random() * 20000);
  server = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; ; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) break;
    if (i > 100) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
}

export async function teardown(): Promise<void> {
  if (!server) return;
  const exited = new Promise((r) => server!.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

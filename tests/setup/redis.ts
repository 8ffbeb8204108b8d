import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import type { TestProject } from 'vitest/node';
import { findRedis, hostMachine, parseSkip } from './requirements.ts';

// vitest globalSetup: a real Redis server on loopback for the scale-out tests (Debian's
// redis-server, which the set-up step of `pnpm test` installs). Without it the run fails, unless
// the developer opted out with TEST_SKIP=redis (or postgres, which the scale-out tests need too).

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string | null;
  }
}

let server: ChildProcess | null = null;

export async function setup(project: TestProject): Promise<void> {
  const { skip } = parseSkip(process.env.TEST_SKIP);
  if (skip.has('redis') || skip.has('postgres')) {
    console.warn(
      `[tests] TEST_SKIP=${skip.has('redis') ? 'redis' : 'postgres'}: the scale-out tests are skipped`,
    );
    project.provide('redisUrl', null);
    return;
  }
  const bin = findRedis(hostMachine());
  if (!bin)
    throw new Error(
      'redis-server not found on PATH: `pnpm test` installs it (or run `apt-get install -y redis-server`), ' +
        'or opt out with TEST_SKIP=redis',
    );
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

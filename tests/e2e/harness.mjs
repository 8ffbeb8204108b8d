// End-to-end harness: a real server process (built web app, embedded database, tiny city,
// simulator on) on a free port, and Debian's Chromium driven by playwright-core with the flags
// that give software WebGL. Plain .mjs on purpose: page.evaluate breaks under tsx.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const root = new URL('../..', import.meta.url).pathname;
export const artefacts = join(root, 'test-results', 'e2e');
mkdirSync(artefacts, { recursive: true });

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** A port free on loopback now. */
export async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A fresh data folder for `startProduct({ dataDir })`, when several runs must share one database. */
export const newDataDir = () => mkdtempSync(join(tmpdir(), 'gcc-e2e-'));

/**
 * Starts the product as `pnpm start` would (minus the build, done by `pnpm test:e2e`).
 * `dataDir` reuses a data folder (kept on stop); `preload` adds a `node --import` module.
 * Resolves once a first start's older history is in too, unless `waitHistory` is false.
 */
export async function startProduct(env = {}, { dataDir: sharedDir, preload, waitHistory = true } = {}) {
  const port = await freePort();
  const dataDir = sharedDir ?? newDataDir();
  const imports = ['--import', 'tsx', ...(preload ? ['--import', preload] : [])];
  const url = `http://127.0.0.1:${port}`;
  let proc;
  let output = '';
  const spawnServer = async () => {
    proc = spawn(process.execPath, [...imports, join(root, 'server/src/main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: join(dataDir, 'pglite'),
        CITY_PROFILE: 'tiny',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (d) => {
      output += d;
    });
    proc.stderr.on('data', (d) => {
      output += d;
    });
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`server exited:\n${output}`);
      try {
        const r = await fetch(`${url}/healthz`);
        if (r.ok && (!waitHistory || !(await r.json()).history?.loading)) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`server did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await spawnServer();
  return {
    url,
    output: () => output,
    /** Kills the server (`SIGKILL`, a crash) and starts it again on the same port and data. */
    async restart(downMs = 2000) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
      await new Promise((r) => setTimeout(r, downMs));
      await spawnServer();
    },
    async stop() {
      proc.kill('SIGTERM');
      if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
      if (!sharedDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Signs in through the API (as the login page does) and gives the session cookie for `fetch`. */
export async function sessionCookie(url, username, password) {
  const res = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie').split(';')[0];
}

/** Opens `path`, is sent to /login, signs in as `username` and lands back on `path`. */
export async function signIn(page, url, path, username, password) {
  await page.goto(`${url}${path}`);
  await page.waitForURL(/\/login/);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(new RegExp(path));
}

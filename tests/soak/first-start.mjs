// How long a first start keeps people waiting: a fresh data folder, `pnpm start` as a newcomer runs
// it (the built web app, the simulator on), and the time from the spawn to /healthz answering, to
// a wall that draws (signed in as `wall`, `window.__gccWall.ready`) and to the older case history
// being complete (`history.loading` false on /healthz; a server without it has it all at listen).
// With SHOT=FILE.png it screenshots the wall while history still loads (the banner). Prints one
// JSON line. Not part of `pnpm test`; the web app must be built (`pnpm --filter @gcc/web build`).
// With UNTIL=wall it stops once the wall draws (no wait for the history; historyCompleteMs null).
//
//   node tests/soak/first-start.mjs [profile=demo]
//   GCC_ROOT=/path/to/other/checkout node tests/soak/first-start.mjs quzhou   (the same on another tree)
/* global window */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, launchBrowser, newDataDir } from '../e2e/harness.mjs';

const profile = process.argv[2] ?? 'demo';
const root = process.env.GCC_ROOT ?? new URL('../..', import.meta.url).pathname;
const shot = process.env.SHOT;

const port = await freePort();
const dataDir = newDataDir();
const url = `http://127.0.0.1:${port}`;
const t0 = performance.now();
const spawnedAt = Date.now();
const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/src/main.ts')], {
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(dataDir, 'pglite'),
    CITY_PROFILE: profile,
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const since = () => Math.round(performance.now() - t0);
// When the server's log says it reached each phase (its own clock, ms after the spawn: a busy
// server's pipe delivers lines late).
const PHASES = {
  'database open, migrations applied': 'databaseMs',
  'generated demo city': 'generatedMs',
  'seeded city': 'seededMs',
  'Grid Command Center is up': 'upMs',
  'case history complete': 'historyLoadedMs',
};
const phases = {};
let rest = '';
proc.stdout.on('data', (d) => {
  const lines = (rest + d.toString()).split('\n');
  rest = lines.pop();
  for (const line of lines) {
    if (process.env.SHOW_LOG) process.stderr.write(`${line}\n`);
    try {
      const entry = JSON.parse(line);
      const key = PHASES[entry.msg];
      if (key && phases[key] === undefined) phases[key] = entry.time - spawnedAt;
    } catch {
      /* the banner lines of main.ts */
    }
  }
});
const health = async () => {
  try {
    const r = await fetch(`${url}/healthz`);
    return r.ok ? await r.json() : null;
  } catch {
    return null;
  }
};

let browser;
try {
  let h;
  while (!(h = await health())) {
    if (proc.exitCode !== null) throw new Error('server exited');
    await new Promise((r) => setTimeout(r, 100));
  }
  const healthzMs = since();
  browser = await launchBrowser();
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await page.goto(`${url}/login`);
  await page.fill('input[name=username]', 'wall');
  await page.fill('input[name=password]', 'wall123');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/wall/);
  await page.waitForFunction(() => window.__gccWall?.ready === true, null, { timeout: 300_000 });
  const wallMs = since();
  let bannerSeen = false;
  if (shot) {
    const banner = await page
      .waitForSelector('[data-testid="history-loading"]', { timeout: 10_000 })
      .catch(() => null);
    if (banner) {
      bannerSeen = true;
      await page.waitForTimeout(1500);
      await page.screenshot({ path: shot });
    }
  }
  const untilWall = process.env.UNTIL === 'wall';
  while (!untilWall && (h = await health())?.history?.loading) await new Promise((r) => setTimeout(r, 250));
  const historyMs = untilWall ? null : since();
  const bannerGone = bannerSeen
    ? await page
        .waitForSelector('[data-testid="history-loading"]', { state: 'detached', timeout: 30_000 })
        .then(
          () => true,
          () => false,
        )
    : null;
  process.stdout.write(
    `${JSON.stringify({ profile, healthzMs, wallMs, historyCompleteMs: historyMs, ...phases, openCases: h?.openCases, bannerSeen, bannerGone })}\n`,
  );
} finally {
  await browser?.close();
  proc.kill('SIGTERM');
  if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}

// How long a first start keeps people waiting: a fresh data folder, `pnpm start` as a newcomer runs
// it (the built web app, the simulator on), and the time from the spawn to /healthz answering, to
// a wall that draws (signed in as `wall`, `window.__gccWall.ready`) and to the older case history
// being complete (`history.loading` false on /healthz; a server without it has it all at listen).
// With SHOT=FILE.png it screenshots the wall while history still loads (the banner). Prints one
// JSON line. Not part of `pnpm test`; the web app must be built (`pnpm --filter @gcc/web build`).
// With UNTIL=wall it stops once the wall draws (no wait for the history; historyCompleteMs null).
// `deskMs`: a dispatcher signed in beside the wall (after /healthz) whose 待处理 queue lists cases:
// the desk works. The wall's own figure is mostly its WebGL set-up, which headless Chromium runs in
// software (SwiftShader: shader programs take 0.3–1 s each to link, about 10 s in all).
// `queueAnswerMs`: the queue's request (cases.list) timed from /healthz until the wall draws.
//
//   node tests/soak/first-start.mjs [profile=demo]
//   GCC_ROOT=/path/to/other/checkout node tests/soak/first-start.mjs quzhou   (the same on another tree)
/* global window, document, MutationObserver */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, launchBrowser, newDataDir, sessionCookie } from '../e2e/harness.mjs';

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
    // A newcomer's machine has no dump of a migrated empty database yet: initdb runs.
    PGLITE_TEMPLATES: 'off',
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

/**
 * The dispatcher's queue asked every 300 ms until `done()`, as the desk asks it: what a desk waits
 * for while the address points and the older history go in behind.
 */
async function answerTimes(done) {
  const cookie = await sessionCookie(url, 'dispatcher', 'dispatch123');
  const input = encodeURIComponent(JSON.stringify({ status: ['registered'], sort: 'deadline', limit: 50 }));
  const times = [];
  while (!done()) {
    const t = performance.now();
    const r = await fetch(`${url}/trpc/cases.list?input=${input}`, { headers: { cookie } });
    await r.text();
    if (!r.ok) throw new Error(`cases.list answered ${r.status}`);
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 300));
  }
  times.sort((a, b) => a - b);
  const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * q))]);
  return { asked: times.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

let browser;
try {
  let h;
  while (!(h = await health())) {
    if (proc.exitCode !== null) throw new Error('server exited');
    await new Promise((r) => setTimeout(r, 100));
  }
  const healthzMs = since();
  let wallDrawn = false;
  const answers = answerTimes(() => wallDrawn);
  browser = await launchBrowser();
  const signIn = async (username, password, path) => {
    const p = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    // When the queue's first row is put on the page (a MutationObserver runs in the task that
    // commits it): polling from outside would wait for the page's WebGL set-up to let it run.
    await p.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid=queue] li[data-case-id]')) {
          window.__queueAt = Date.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, childList: true });
    });
    await p.goto(`${url}/login`);
    await p.fill('input[name=username]', username);
    await p.fill('input[name=password]', password);
    await p.click('button[type=submit]');
    await p.waitForURL(new RegExp(path));
    return p;
  };
  const [page, deskMs] = await Promise.all([
    signIn('wall', 'wall123', '/wall'),
    signIn('dispatcher', 'dispatch123', '/dispatch').then(async (desk) => {
      await desk.waitForFunction(() => window.__queueAt, null, { timeout: 300_000 });
      return (await desk.evaluate(() => window.__queueAt)) - spawnedAt;
    }),
  ]);
  await page.waitForFunction(() => window.__gccWall?.ready === true, null, { timeout: 300_000 });
  const wallMs = since();
  wallDrawn = true;
  const queueAnswerMs = await answers;
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
    `${JSON.stringify({ profile, healthzMs, deskMs, wallMs, queueAnswerMs, historyCompleteMs: historyMs, ...phases, openCases: h?.openCases, bannerSeen, bannerGone })}\n`,
  );
} finally {
  await browser?.close();
  proc.kill('SIGTERM');
  if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}

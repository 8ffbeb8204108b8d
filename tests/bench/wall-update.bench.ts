import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { report } from './report.ts';
import { startServerProcess } from '../support/server-process.ts';
// @ts-expect-error — a plain .mjs helper shared with the browser tests
import { CHROMIUM_ARGS } from '../e2e/harness.mjs';

// `wall-update`: main-thread milliseconds to apply and draw one 40,000-worker update in headless
// Chromium (SwiftShader): the wall's real path (web/src/bench/wall-update.bench-page.ts: an
// update made in a worker thread and drawn by it into the `WallScene`'s workers canvas, an
// OffscreenCanvas, so an update costs the main thread only a message) vs a MapLibre GeoJSON
// source `setData` + circle layer, on the same page skeleton, in the same run. The wall's
// fallback where a canvas cannot be handed to a worker (`&workers=main`: the arrays transferred
// to the main thread, deck.gl `WorkersLayer`) is reported beside it. Busy time is the renderer
// main thread's `TaskDuration` from the DevTools protocol: per update = (busy over a run of
// updates − the page's idle busy rate × the run's time) / updates. Also `idle_main_ms_per_s`, busy time per second while nothing changes, on the real /wall (tiny city,
// simulator off): a wall runs for weeks.
// Page scripts are passed as strings: tsx rewrites functions in a way the browser cannot run.

const N = 40_000;
const UPDATES = Number(process.env.BENCH_UPDATES ?? 20);
/** Quiet time after each drawn update, so updates do not overlap. */
const GAP_MS = 300;
/** The idle wall is measured over this window, this long after it is ready. */
const IDLE_SETTLE_S = 40;
const IDLE_WINDOW_S = 20;
const ROOT = join(import.meta.dirname, '../..');

async function busySeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return metrics.find((m) => m.name === 'TaskDuration')!.value;
}

async function idleRate(cdp: CDPSession, seconds: number): Promise<number> {
  const b0 = await busySeconds(cdp);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return ((await busySeconds(cdp)) - b0) / ((performance.now() - t0) / 1000); // s busy per s
}

async function measure(
  page: Page,
  url: string,
): Promise<{ perUpdateMs: number; grossMs: number; idleMsPerS: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url);
  await page.waitForFunction('window.__bench && window.__bench.ready', null, { timeout: 120_000 });
  for (let i = 0; i < 3; i++) await page.evaluate('window.__bench.update()');
  await new Promise((r) => setTimeout(r, 1000));
  const idle = await idleRate(cdp, 5);
  // The updates run inside the page (one harness call for all of them, so the DevTools round
  // trip is not counted per update); the page's idle rate over the same span is subtracted.
  const b0 = await busySeconds(cdp);
  const t0 = performance.now();
  await page.evaluate(`window.__bench.run(${UPDATES}, ${GAP_MS})`);
  const busy = (await busySeconds(cdp)) - b0;
  const elapsed = (performance.now() - t0) / 1000;
  await cdp.detach();
  // Gross: the busy time of the spans from handing an update over to its drawn frame, i.e. less the
  // idle gaps between updates.
  const gross = busy - idle * UPDATES * (GAP_MS / 1000);
  return {
    perUpdateMs: ((busy - idle * elapsed) / UPDATES) * 1000,
    grossMs: (gross / UPDATES) * 1000,
    idleMsPerS: idle * 1000,
  };
}

export async function run(): Promise<void> {
  // The product's build does not ship bench.html: the app and the page are built together in
  // bench mode into a folder of this run's, which the server serves instead of web/dist.
  const webDist = mkdtempSync(join(tmpdir(), 'gcc-bench-web-'));
  execFileSync('pnpm', ['--filter', '@gcc/web', 'build:bench', '--outDir', webDist, '--emptyOutDir'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const server = await startServerProcess({ profile: 'tiny', env: { SIMULATOR: 'off', WEB_DIST: webDist } });
  const launch = () =>
    chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS as string[],
    });
  let browser = await launch();
  try {
    let page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const ours = await measure(page, `${server.url}/bench.html?mode=ours&n=${N}`);
    const deckMain = await measure(page, `${server.url}/bench.html?mode=ours&workers=main&n=${N}`);
    const base = await measure(page, `${server.url}/bench.html?mode=baseline&n=${N}`);
    report({
      bench: 'wall-update',
      metric: 'main_thread_ms',
      value: ours.perUpdateMs,
      unit: 'ms',
      measure: 'net',
      baseline: base.perUpdateMs,
      ratio: base.perUpdateMs / ours.perUpdateMs,
      baselineName: 'MapLibre GeoJSON setData + circle layer',
      goal: 3,
      grossMs: Number(ours.grossMs.toFixed(2)),
      pageIdleMsPerS: Number(ours.idleMsPerS.toFixed(2)),
      // The wall's fallback where a canvas cannot be handed to a worker: deck.gl on the main thread.
      deckMainThreadMs: Number(deckMain.perUpdateMs.toFixed(2)),
      deckMainThreadGrossMs: Number(deckMain.grossMs.toFixed(2)),
      baselineGrossMs: Number(base.grossMs.toFixed(1)),
      baselineIdleMsPerS: Number(base.idleMsPerS.toFixed(2)),
      workers: N,
      updates: UPDATES,
    });
    // The real wall page, idle: signed in as the wall, city loaded, nothing moving. In a fresh
    // browser process, so the garbage of the pages measured above is not collected in this window.
    await page.close();
    await browser.close();
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/login`);
    await page.fill('input[autocomplete=username]', 'wall');
    await page.fill('input[type=password]', 'wall123');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/wall');
    await page.waitForFunction('window.__gccWall && window.__gccWall.ready', null, { timeout: 120_000 });
    // Settled: V8 runs its memory-reducing major GCs in the first half minute after a page load
    // (~100 ms of main thread, traced); a wall's weeks are the steady state after them.
    await new Promise((r) => setTimeout(r, IDLE_SETTLE_S * 1000));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const wallIdle = await idleRate(cdp, IDLE_WINDOW_S);
    report({
      bench: 'wall-update',
      metric: 'idle_main_ms_per_s',
      value: wallIdle * 1000,
      unit: 'ms/s',
      goal: 5,
      page: '/wall (tiny city, simulator off)',
      settleS: IDLE_SETTLE_S,
      windowS: IDLE_WINDOW_S,
    });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(webDist, { recursive: true, force: true });
  }
}

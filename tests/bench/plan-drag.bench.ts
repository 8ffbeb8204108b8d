import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type CDPSession } from 'playwright-core';
import { report } from './report.ts';
import { startServerProcess } from '../support/server-process.ts';
// @ts-expect-error — a plain .mjs helper shared with the browser tests
import { CHROMIUM_ARGS } from '../e2e/harness.mjs';

// `plan-drag`: main-thread milliseconds per pointer move while a planner drags a shared node on
// the `stress` city (5,000 grids) in headless Chromium — the real /plan page against the real
// server. The page draws the moving node's edges itself and hands the edit to its topology
// worker on release, so what a pointer move costs is the page's own busy time: the renderer
// main thread's `TaskDuration` from the DevTools protocol over the drag, less the page's idle
// rate over the same time, divided by the moves. The page's own per-move timing (its
// `plan:drag-move` measures: building the drag layers and handing them to deck.gl) is reported
// beside it.

const MOVES = Number(process.env.BENCH_MOVES ?? 120);
/** One pointer move per frame, as a hand drags. */
const MOVE_GAP_MS = 16;
const ROOT = join(import.meta.dirname, '../..');

async function busySeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return metrics.find((m) => m.name === 'TaskDuration')!.value;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<void> {
  execFileSync('pnpm', ['--filter', '@gcc/web', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const server = await startServerProcess({ profile: 'stress', env: { SIMULATOR: 'off' } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS as string[],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/login`);
    await page.fill('input[autocomplete=username]', 'planner');
    await page.fill('input[type=password]', 'plan123');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/plan', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="plan-map"][data-loaded="true"]', { timeout: 180_000 });
    const map = (await page.locator('[data-testid="plan-map"]').boundingBox())!;

    // A grid in the middle of the city, selected and framed; its nodes become handles in move mode.
    const baseline = (await page.evaluate(`fetch('/trpc/plans.baseline').then((r) => r.json())`)) as {
      result: { data: { grids: { ids: number[] } } };
    };
    const ids = baseline.result.data.grids.ids;
    let handle: { node: number; x: number; y: number } | null = null;
    for (let k = 0; k < 40 && !handle; k++) {
      const grid = ids[Math.floor((ids.length * (k + 1)) / 41)]!;
      const at = (await page.evaluate(`window.gccPlan.gridPoint(${grid})`)) as [number, number] | null;
      if (!at) continue;
      await page.keyboard.press('v');
      await page.mouse.click(map.x + at[0], map.y + at[1]);
      await page.keyboard.press('f');
      await sleep(1500);
      await page.keyboard.press('n');
      await sleep(500);
      const handles = (await page.evaluate('window.gccPlan.handles()')) as {
        node: number;
        x: number;
        y: number;
        locked: boolean;
      }[];
      handle =
        handles.find(
          (h) => !h.locked && h.x > 200 && h.x < map.width - 200 && h.y > 200 && h.y < map.height - 200,
        ) ?? null;
    }
    if (!handle) throw new Error('no unlocked node on screen to drag');

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.evaluate('performance.clearMeasures()');
    // The page's idle rate once the framed view has settled (tiles, labels: two 2-second windows
    // within 20 % of each other, at most 40 s), then the drag.
    const rate = async (ms: number) => {
      const b = await busySeconds(cdp);
      const t = performance.now();
      await sleep(ms);
      return ((await busySeconds(cdp)) - b) / ((performance.now() - t) / 1000);
    };
    let idle = await rate(2000);
    for (let k = 0; k < 20; k++) {
      const next = await rate(2000);
      const flat = Math.abs(next - idle) <= 0.2 * Math.max(idle, 0.005);
      idle = next;
      if (flat) break;
    }
    const x0 = map.x + handle.x;
    const y0 = map.y + handle.y;
    await page.mouse.move(x0, y0);
    const b0 = await busySeconds(cdp);
    const t0 = performance.now();
    await page.mouse.down();
    for (let i = 1; i <= MOVES; i++) {
      // A small loop around the node's place, as a planner feels for the right spot.
      const a = (i / MOVES) * 2 * Math.PI;
      await page.mouse.move(x0 + 25 * Math.sin(a), y0 + 15 * (1 - Math.cos(a)));
      await sleep(MOVE_GAP_MS);
    }
    const busy = (await busySeconds(cdp)) - b0;
    const elapsed = (performance.now() - t0) / 1000;
    await page.mouse.up();
    const own = (await page.evaluate(
      `performance.getEntriesByName('plan:drag-move').map((e) => e.duration)`,
    )) as number[];
    own.sort((a, b) => a - b);
    const perMove = ((busy - idle * elapsed) / MOVES) * 1000;
    // A figure from a drag that did not happen, or from a page still settling, is no figure.
    if (own.length < MOVES / 2)
      throw new Error(`the drag did not run: ${own.length} of ${MOVES} moves drawn`);
    if (perMove < 0)
      throw new Error(`the page was busier before the drag than during it (idle ${idle * 1000} ms/s)`);
    report({
      bench: 'plan',
      metric: 'plan_drag_main_ms',
      value: perMove,
      unit: 'ms',
      goal: 4,
      note: `main-thread busy time per pointer move dragging a shared node on the stress city (${ids.length} grids), ${MOVES} moves ${MOVE_GAP_MS} ms apart, less the idle rate (${(idle * 1000).toFixed(2)} ms/s); the page's own draw step per move p50 ${own[Math.floor(own.length / 2)]?.toFixed(3)} ms, p95 ${own[Math.floor(own.length * 0.95)]?.toFixed(3)} ms over ${own.length}`,
    });
  } finally {
    await browser.close();
    await server.stop();
  }
}

// The boundary planner in a real browser against the real server (tiny city), as issue 16 walks
// it: a planner signs in, opens /plan from the header menu, picks an overloaded grid from the
// problem list, splits it with a line drawn across it, sees the two halves in the statistics and
// the band chart change, undoes and redoes, saves the plan, reloads and finds it. Screenshots at
// 1920×1080 go to test-results/e2e/plan-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artefacts, launchBrowser, signIn, startProduct } from './harness.mjs';

let product;
let browser;
let page;

const shot = (name) => page.screenshot({ path: join(artefacts, `plan-${name}.png`) });
const text = (sel) => page.locator(sel).first().textContent();
const chartAfter = () => page.locator('.plan-chart-box').getAttribute('data-after');
const statsColumns = () => page.locator('[data-testid="plan-stats-grid"]').count();

async function api(path) {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await fetch(`${product.url}/trpc/${path}`, { headers: { 'x-gcc-csrf': '1', cookie } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body.result.data;
}

before(async () => {
  product = await startProduct({ SIMULATOR: 'off' });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  // Sign in on another desk, so /plan is reached from the header menu as a planner would.
  await signIn(page, product.url, '/analytics', 'planner', 'plan123');
});

after(async () => {
  await page?.screenshot({ path: join(artefacts, 'plan-last.png') }).catch(() => {});
  await browser?.close();
  await product?.stop();
});

test('a planner reaches /plan from the header menu and sees the city', async () => {
  await page.click('[data-testid="nav-plan"]');
  await page.waitForURL(/\/plan$/);
  await page.waitForSelector('[data-testid="plan-map"][data-loaded="true"]', { timeout: 60_000 });
  assert.equal((await text('[data-testid="plan-steps"]')).trim(), '尚未修改');
  await shot('1-open');
});

test('selects an overloaded grid, splits it with a line; statistics and band chart change', async () => {
  // The most overloaded grid: the one with the most households for its band. (The generator keeps
  // every grid of the tiny city inside its band, so there it is the fullest one; a city with
  // breaches lists them in the problem list before anything is selected, worst first.)
  const { grids } = await api('plans.baseline');
  const load = grids.ids.map((id, i) => ({ id, h: grids.households[i], max: grids.urban[i] ? 500 : 600 }));
  load.sort((a, b) => b.h / b.max - a.h / a.max);
  const target = load[0];
  await page.waitForFunction((id) => window.gccPlan?.gridPoint(id) !== null, target.id);
  const [gx, gy] = await page.evaluate((id) => window.gccPlan.gridPoint(id), target.id);
  const map = await page.locator('[data-testid="plan-map"]').boundingBox();
  await page.mouse.click(map.x + gx, map.y + gy);
  await page.waitForSelector('[data-testid="plan-stats-grid"]');
  assert.equal(await statsColumns(), 1);
  assert.match(
    await text('[data-testid="plan-stats"] tr[data-stat="households"]'),
    new RegExp(String(target.h)),
    'the statistics show the selected grid',
  );
  const before = await chartAfter();
  assert.ok(before && before.split(',').length > 1, 'the community band chart shows its grids');
  // Frame the grid (F): it fills the map less 80 px of padding, so a line from 40 px inside
  // either side of the map through its middle crosses the grid's border exactly twice.
  await page.keyboard.press('f');
  await page.waitForTimeout(1200);
  await page.keyboard.press('l');
  const box = await page.locator('[data-testid="plan-map"]').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.click(box.x + 40, y);
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.click(box.x + box.width - 40, y);
  await shot('2-line');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="plan-stats-grid"]').length === 2);
  assert.equal((await text('[data-testid="plan-steps"]')).trim(), '已修改 1 步');
  // The new half is 待编码 until publish.
  assert.match(await text('[data-testid="plan-stats"] thead'), /待编码/);
  await page.waitForFunction((b) => document.querySelector('.plan-chart-box')?.dataset.after !== b, before);
  const after1 = await chartAfter();
  assert.equal(after1.split(',').length, before.split(',').length + 1, 'the chart has one grid more');
  await shot('3-split');
});

test("the halves' households are counted anew from the address points", async () => {
  const row = page.locator('[data-testid="plan-stats"] tr[data-stat="households"] td');
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid="plan-stats"] tr[data-stat="households"] td')]
        .slice(0, 2)
        .every((td) => /\d/.test(td.textContent ?? '')),
    null,
    { timeout: 30_000 },
  );
  const [kept, made, total] = (await row.allTextContents()).map((s) => s.trim());
  // "before → after" for the grid that keeps its code, a count for the new half, and a total.
  assert.match(kept, /→/);
  assert.match(made, /\d/);
  const n = (s) => Number(s.split('→').pop().replace(/[^\d]/g, ''));
  assert.equal(n(kept) + n(made), n(total), `halves add up: ${kept} | ${made} | ${total}`);
  // The band chart has a bar for both halves now.
  const bars = (await chartAfter()).split(',');
  assert.ok(bars.filter((v) => v !== '').length >= 2);
  await shot('3b-counted');
});

test('undo (Ctrl+Z) and redo (Ctrl+Y) the split', async () => {
  await page.keyboard.press('Control+z');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="plan-steps"]')?.textContent?.trim() === '尚未修改',
  );
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="plan-stats-grid"]').length === 1);
  await shot('4-undone');
  await page.keyboard.press('Control+y');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="plan-steps"]')?.textContent?.trim() === '已修改 1 步',
  );
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="plan-stats-grid"]').length === 2);
  await shot('5-redone');
});

test('saves the plan, reloads and finds it', async () => {
  await page.fill('[data-testid="plan-name"]', 'e2e 分割超载网格');
  await page.click('[data-testid="plan-save"]');
  await page.waitForSelector('[data-testid="plan-item"]:has-text("e2e 分割超载网格")');
  await page.reload();
  await page.waitForSelector('[data-testid="plan-map"][data-loaded="true"]', { timeout: 60_000 });
  await page.click('[data-testid="plan-item"]:has-text("e2e 分割超载网格")');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="plan-steps"]')?.textContent?.trim() === '已修改 1 步',
  );
  await shot('6-reloaded');
});

// The analytics page in a real browser against the real server (tiny city, its seeded history):
// a shift lead opens /analytics, the tiles show what indicators.summary answers for the same
// period, a breakdown and a sort change the table, an area row drills down one level, a reversed
// custom range is refused on the page, and the page speaks English on the switch.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artefacts, launchBrowser, signIn, startProduct } from './harness.mjs';

let product;
let browser;
let page;

async function api(path, input, cookie) {
  const res = await fetch(`${product.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { 'x-gcc-csrf': '1', cookie },
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body.result.data;
}

const state = () => page.evaluate(() => window.__gccAnalytics ?? null);
const waitFor = (predicate, arg) => page.waitForFunction(predicate, arg, { timeout: 30_000 });

before(async () => {
  product = await startProduct({ SIMULATOR: 'off' });
  browser = await launchBrowser();
  page = await (
    await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true })
  ).newPage();
  await signIn(page, product.url, '/analytics', 'shiftlead', 'shift123');
  await page.waitForSelector('[data-testid="an-table"]', { timeout: 60_000 });
});

after(async () => {
  await page?.screenshot({ path: join(artefacts, 'analytics.png') }).catch(() => {});
  await browser?.close();
  await product?.stop();
});

test("the tiles show the period's indicators as the API gives them", async () => {
  await waitFor(() => window.__gccAnalytics && !window.__gccAnalytics.fetching);
  const s = await state();
  assert.equal(s.groupBy, 'street');
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const summary = await api('indicators.summary', { from: s.from, to: s.to, groupBy: 'street' }, cookie);
  assert.ok(summary.total.registered > 0, 'the seeded history has cases in the last 30 days');
  assert.equal(
    await page.textContent('[data-testid="an-kpi-registered"]'),
    summary.total.registered.toLocaleString('zh-CN'),
  );
  const r = summary.total.onTimeClosureRate;
  const tile = page.locator('[data-testid="an-kpi-onTimeClosureRate"]');
  assert.match(await tile.textContent(), new RegExp(`${(r.rate * 100).toFixed(1)}%`));
  assert.match(
    await tile.getAttribute('title'),
    new RegExp(`${r.numerator.toLocaleString('zh-CN')} / ${r.denominator.toLocaleString('zh-CN')}`),
  );
  assert.deepEqual(
    s.rows,
    summary.groups.map((g) => g.key),
  );
});

test('the breakdown exports as CSV and Excel, and the page says what each indicator counts', async () => {
  await waitFor(() => window.__gccAnalytics && !window.__gccAnalytics.fetching);
  const rows = (await state()).rows.length;
  const take = async (kind) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`[data-testid="an-export-${kind}"]`),
    ]);
    const path = join(artefacts, download.suggestedFilename());
    await download.saveAs(path);
    return { name: download.suggestedFilename(), bytes: readFileSync(path) };
  };
  const csv = await take('csv');
  assert.match(csv.name, /^考核指标-按街道-\d{4}-\d{2}-\d{2}至\d{4}-\d{2}-\d{2}\.csv$/);
  // UTF-8 with a BOM, so Excel reads the Chinese; a header, the total, one line per row.
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = csv.bytes.toString('utf8').slice(1).trim().split('\r\n');
  assert.match(lines[0], /^"序号","名称",.*"按期结案率（%）","按期结案率分子","按期结案率分母"/);
  assert.match(lines[1], /^,"合计",/);
  assert.equal(lines.length, rows + 2);
  const xlsx = await take('xlsx');
  assert.match(xlsx.name, /\.xlsx$/);
  assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK');
  const defs = await page.textContent('[data-testid="an-defs"]');
  assert.match(defs, /指标口径/);
  assert.match(defs, /处置时限未到的在办案件不算超期/);
});

test('a breakdown, a sort and a drill-down change the table', async () => {
  await page.click('[data-testid="an-group-district"]');
  await waitFor(
    () =>
      window.__gccAnalytics?.groupBy === 'district' &&
      !window.__gccAnalytics.fetching &&
      window.__gccAnalytics.rows.length > 0,
  );
  const districts = (await state()).rows;
  await page.click('[data-testid="an-sort-reworkRate"]');
  await waitFor(
    () =>
      document
        .querySelector('[data-testid="an-sort-reworkRate"]')
        ?.closest('th')
        ?.getAttribute('aria-sort') === 'ascending',
  );
  await page.click('[data-testid="an-table"] tbody tr.drill >> nth=0');
  await waitFor(
    () =>
      window.__gccAnalytics?.groupBy === 'street' &&
      window.__gccAnalytics.unitId !== null &&
      !window.__gccAnalytics.fetching &&
      window.__gccAnalytics.rows.length > 0,
  );
  const s = await state();
  assert.ok(districts.includes(String(s.unitId)));
  assert.equal(await page.locator('.an-crumbs li').count(), 2);
});

test('by grid, the grids of a chosen boundary version group the cases', async () => {
  // Back to the whole city (the drill-down above left a district chosen).
  const all = page.locator('.an-crumbs li:first-child button');
  if (await all.isEnabled()) await all.click();
  await page.click('[data-testid="an-group-grid"]');
  await waitFor(
    () =>
      window.__gccAnalytics?.groupBy === 'grid' &&
      !window.__gccAnalytics.fetching &&
      window.__gccAnalytics.rows.length > 0,
  );
  const inForce = await state();
  // The picker is there only by grid; the one version of a fresh city, chosen by number.
  const picker = page.locator('.an-version select');
  await picker.waitFor({ timeout: 10_000 });
  const options = await picker.locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['', String(inForce.version)]);
  await picker.selectOption(String(inForce.version));
  await waitFor(() => !window.__gccAnalytics?.fetching);
  const chosen = await state();
  assert.equal(chosen.version, inForce.version);
  assert.equal(chosen.registered, inForce.registered);
  assert.deepEqual([...chosen.rows].sort(), [...inForce.rows].sort());
  await page.screenshot({ path: join(artefacts, 'analytics-by-grid-version.png') });
  await page.click('[data-testid="an-group-street"]');
  await page.locator('.an-version').waitFor({ state: 'detached', timeout: 10_000 });
});

test('a reversed custom range is refused on the page; the page speaks English', async () => {
  await page.click('[data-testid="an-range-custom"]');
  await page.fill('[data-testid="an-to"]', '2026-01-01');
  await page.fill('[data-testid="an-from"]', '2026-02-01');
  await page.waitForSelector('.an-invalid[role=alert]');
  assert.equal(await page.locator('.an-dates button[type=submit]').isDisabled(), true);
  await page.click('.dh-right button:has-text("English")');
  await page.waitForSelector('text=On-time closure rate');
});

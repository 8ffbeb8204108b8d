// The administrator's desk in a real browser against the real server (tiny city): the admin signs
// in at /admin, edits the handling limit of one subclass in the category table (事件分类与时限),
// sees it saved and marked as changed (the API agrees), is stopped by the form when a limit breaks
// its urgency's ceiling, then creates a work calendar and assigns it to a street (工作日历).
// Screenshots of both tabs go to test-results/e2e/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artefacts, launchBrowser, signIn, startProduct } from './harness.mjs';

let product;
let browser;
let page;

async function api(path, input) {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await fetch(`${product.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { 'x-gcc-csrf': '1', cookie },
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body.result.data;
}

before(async () => {
  product = await startProduct({ SIMULATOR: 'off' });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, product.url, '/admin', 'admin', 'admin123');
  await page.waitForSelector('[data-testid="ad-cat-table"] tr[data-code="S0101"]', { timeout: 60_000 });
});

after(async () => {
  await page?.screenshot({ path: join(artefacts, 'admin-last.png') }).catch(() => {});
  await browser?.close();
  await product?.stop();
});

test("edits one subclass's handling limit; the table marks it and the API has it", async () => {
  const row = page.locator('tr[data-code="S0101"]');
  assert.equal((await row.locator('td[data-step="handle"]').textContent()).trim(), '4');
  await page.click('[data-testid="ad-edit-S0101"]');
  await page.waitForSelector('[data-testid="ad-cat-form"]');
  const handle = page.locator('[data-testid="ad-cat-form"] input[name="limit-handle"]');
  // Over the yellow ceiling (24 h): the form says so and will not save.
  await handle.fill('30');
  await page.waitForSelector('[data-testid="ad-cat-form"] .ad-invalid');
  assert.equal(await page.locator('[data-testid="ad-cat-save"]').isDisabled(), true);
  await handle.fill('6');
  await page.click('[data-testid="ad-cat-save"]');
  await page.waitForSelector('[data-testid="ad-cat-notice"]:has-text("已保存")');
  await page.waitForFunction(
    () => document.querySelector('tr[data-code="S0101"] td[data-step="handle"]')?.textContent?.trim() === '6',
  );
  assert.match(await row.locator('td[data-step="handle"]').getAttribute('class'), /changed/);
  assert.match(await row.locator('td[data-step="handle"]').getAttribute('title'), /默认值：4/);
  const table = await api('categories.table');
  const s0101 = table.items.find((c) => c.code === 'S0101');
  assert.equal(s0101.limits.handle, 6);
  assert.deepEqual(s0101.overridden, ['limits.handle']);
  assert.match(await page.textContent('[data-testid="ad-cat-summary"]'), /已调整 1 个/);
  await page.screenshot({ path: join(artefacts, 'admin-categories.png') });
});

test('creates a work calendar and assigns it to a street', async () => {
  await page.click('[data-testid="ad-tab-calendars"]');
  await page.waitForURL(/tab=calendars/);
  await page.waitForSelector('[data-testid="ad-unit-table"] tr');
  await page.click('[data-testid="ad-cal-new"]');
  await page.fill('[data-testid="ad-cal-form"] input[name="nameZh"]', '街道夏季作息');
  await page.fill('[data-testid="ad-cal-form"] input[name="nameEn"]', 'Street summer hours');
  await page.fill('[data-testid="ad-cal-form"] input[name="period-1-from"]', '14:30');
  await page.fill('[data-testid="ad-cal-form"] input[name="period-1-to"]', '18:00');
  // An impossible date is named before anything is sent.
  await page.fill('[data-testid="ad-cal-form"] textarea[name="workdays"]', '2026-02-30');
  await page.waitForSelector('[data-testid="ad-cal-form"] .ad-invalid:has-text("日期无效")');
  await page.fill('[data-testid="ad-cal-form"] textarea[name="workdays"]', '2026-10-10');
  await page.click('[data-testid="ad-cal-save"]');
  await page.waitForSelector('[data-testid="ad-cal-list"] button:has-text("街道夏季作息")');
  const { calendars, units } = await api('calendars.list');
  const cal = calendars.find((c) => c.nameZh === '街道夏季作息');
  assert.deepEqual(cal.calendar.periods, [
    [510, 720],
    [870, 1080],
  ]);
  const street = units.find((u) => u.level === 'street');
  await page.selectOption(`tr[data-unit="${street.id}"] select`, cal.id);
  await page.waitForSelector('[data-testid="ad-unit-notice"]:has-text("已使用日历")');
  await page.waitForFunction(
    (id) => document.querySelector(`tr[data-unit="${id}"] td.own`) !== null,
    street.id,
  );
  const after = await api('calendars.list');
  assert.equal(after.units.find((u) => u.id === street.id).calendarId, cal.id);
  assert.equal(after.calendars.find((c) => c.id === cal.id).usedBy, 1);
  await page.screenshot({ path: join(artefacts, 'admin-calendars.png') });
});

test('the desk speaks English on the switch; a reset brings the default back', async () => {
  await page.click('.dh-right button:has-text("English")');
  await page.waitForSelector('[data-testid="ad-tab-categories"]:has-text("Categories and time limits")');
  await page.click('[data-testid="ad-tab-categories"]');
  await page.click('[data-testid="ad-edit-S0101"]');
  await page.click('[data-testid="ad-cat-reset"]');
  await page.waitForSelector('[data-testid="ad-cat-notice"]:has-text("Reset to default")');
  await page.waitForFunction(
    () => document.querySelector('tr[data-code="S0101"] td[data-step="handle"]')?.textContent?.trim() === '4',
  );
  assert.deepEqual((await api('categories.table')).items.find((c) => c.code === 'S0101').overridden, []);
  await page.screenshot({ path: join(artefacts, 'admin-categories-en.png') });
});

// The administrator's desk in a real browser against the real server (tiny city): the admin signs
// in at /admin (用户 first), creates a user whose one-time password signs in, issues a device
// credential for a worker and revokes it (设备), filters the audit log and opens an entry
// (审计日志); edits the handling limit of one subclass in the category table (事件分类与时限),
// sees it saved and marked as changed (the API agrees), is stopped by the form when a limit breaks
// its urgency's ceiling, then creates a work calendar and assigns it to a street (工作日历).
// It also changes that user's role and unit, disables the account (its password is refused) and
// enables it again, resets its password (the new one signs in, the old one no longer), and issues
// a kiosk token (大屏令牌) with which a wall signs itself in, then revokes it (the wall is refused).
// Screenshots of every tab go to test-results/e2e/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artefacts, launchBrowser, signIn, startProduct } from './harness.mjs';

let product;
let browser;
let page;
/** The one-time password of the user the first test creates. */
let zhouPassword;

/** Signs in through the API as another client would: the answer's status and message. */
async function login(username, password) {
  const res = await fetch(`${product.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  return { status: res.status, message: body.error?.message ?? '' };
}

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
  await page.waitForSelector('[data-testid="ad-users-table"] tr[data-username="admin"]', { timeout: 60_000 });
  // Confirmation dialogs (停用, 吊销) are answered yes.
  page.on('dialog', (d) => void d.accept());
});

after(async () => {
  await page?.screenshot({ path: join(artefacts, 'admin-last.png') }).catch(() => {});
  await browser?.close();
  await product?.stop();
});

test('creates a user whose one-time password signs in', async () => {
  await page.click('[data-testid="ad-users-new"]');
  const form = page.locator('[data-testid="ad-user-form"]');
  await form.locator('input[name="username"]').fill('zhou.min');
  await form.locator('input[name="displayName"]').fill('周敏');
  await form.locator('select[name="role"]').selectOption('dispatcher');
  const units = await api('admin.units');
  const street = units.find((u) => u.level === 'street');
  await page.selectOption('[data-testid="ad-user-unit"]', String(street.id));
  await page.click('[data-testid="ad-user-submit"]');
  await page.waitForSelector('[data-testid="ad-user-secret-value"]');
  const password = (await page.textContent('[data-testid="ad-user-secret-value"]')).trim();
  assert.match(password, /^[A-Za-z0-9]{12}$/);
  zhouPassword = password;
  const row = page.locator('tr[data-username="zhou.min"]');
  await row.waitFor();
  assert.match(await row.textContent(), /调度员/);
  assert.match(await row.textContent(), new RegExp(street.name));
  assert.match(await row.textContent(), /从未/);
  await page.screenshot({ path: join(artefacts, 'admin-users.png') });
  // The password works (a separate client, not this page's session).
  const res = await fetch(`${product.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1' },
    body: JSON.stringify({ username: 'zhou.min', password }),
  });
  assert.equal(res.status, 200);
  // Disabling one's own account is not offered.
  assert.equal(
    await page.locator('tr[data-username="admin"] [data-testid="ad-user-toggle"]').isDisabled(),
    true,
  );
});

test("changes a user's role and unit; the row and the API have them", async () => {
  const units = await api('admin.units');
  const community = units.find((u) => u.level === 'community');
  const row = page.locator('tr[data-username="zhou.min"]');
  await row.locator('[data-testid="ad-user-edit"]').click();
  const form = page.locator('[data-testid="ad-user-form"]');
  await form.waitFor();
  assert.match(await form.textContent(), /zhou\.min/);
  await form.locator('select[name="role"]').selectOption('intake');
  await page.selectOption('[data-testid="ad-user-unit"]', String(community.id));
  await page.click('[data-testid="ad-user-submit"]');
  await page.waitForSelector('[data-testid="ad-users-notice"]:has-text("已保存 zhou.min")');
  await page.waitForFunction((name) => {
    const r = document.querySelector('tr[data-username="zhou.min"]');
    return r && /受理员/.test(r.textContent) && r.textContent.includes(name);
  }, community.name);
  const user = (await api('admin.users')).find((u) => u.username === 'zhou.min');
  assert.equal(user.role, 'intake');
  assert.equal(user.unitId, community.id);
  await page.screenshot({ path: join(artefacts, 'admin-user-edited.png') });
});

test('disables an account (its password is refused) and enables it again', async () => {
  const row = page.locator('tr[data-username="zhou.min"]');
  await row.locator('[data-testid="ad-user-toggle"]').click();
  await page.waitForSelector('tr[data-username="zhou.min"] [data-testid="ad-user-state"]:has-text("已停用")');
  assert.equal((await row.locator('[data-testid="ad-user-toggle"]').textContent()).trim(), '启用');
  const refused = await login('zhou.min', zhouPassword);
  assert.notEqual(refused.status, 200);
  assert.match(refused.message, /该账号已停用/);
  await page.screenshot({ path: join(artefacts, 'admin-user-disabled.png') });
  await row.locator('[data-testid="ad-user-toggle"]').click();
  await page.waitForSelector('tr[data-username="zhou.min"] [data-testid="ad-user-state"]:has-text("正常")');
  assert.equal((await login('zhou.min', zhouPassword)).status, 200);
});

test('resets a password: the new one, shown once, signs in; the old one no longer', async () => {
  const row = page.locator('tr[data-username="zhou.min"]');
  await row.locator('[data-testid="ad-user-reset"]').click();
  await page.waitForSelector('[data-testid="ad-users-notice"]:has-text("zhou.min 的密码已重置")');
  const fresh = (await page.textContent('[data-testid="ad-user-secret-value"]')).trim();
  assert.match(fresh, /^[A-Za-z0-9]{12}$/);
  assert.notEqual(fresh, zhouPassword);
  await page.screenshot({ path: join(artefacts, 'admin-user-reset.png') });
  assert.notEqual((await login('zhou.min', zhouPassword)).status, 200);
  assert.equal((await login('zhou.min', fresh)).status, 200);
});

test('大屏令牌: issues a token, lists it, a wall signs in with it; revoked, the wall is refused', async () => {
  await page.click('[data-testid="ad-tab-kiosk"]');
  await page.waitForURL(/tab=kiosk/);
  await page.fill('[data-testid="ad-kiosk-label"]', '指挥大厅一号屏');
  await page.click('[data-testid="ad-kiosk-issue"]');
  await page.waitForSelector('[data-testid="ad-kiosk-secret-value"]');
  const address = (await page.textContent('[data-testid="ad-kiosk-secret-value"]')).trim();
  assert.match(address, /\/wall\?kiosk=/);
  const row = page.locator('[data-testid="ad-kiosk-table"] tr[data-label="指挥大厅一号屏"]');
  await row.waitFor();
  assert.match(await row.locator('[data-testid="ad-kiosk-state"]').textContent(), /有效/);
  assert.match(await row.textContent(), /从未/);
  await page.screenshot({ path: join(artefacts, 'admin-kiosk-issued.png') });
  // A wall opened at that address signs itself in (no sign-in form), and the row says it was used.
  const wall = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const wallPage = await wall.newPage();
  await wallPage.goto(address);
  await wallPage.waitForSelector('[data-testid="wall-city"]', { timeout: 60_000 });
  assert.doesNotMatch(wallPage.url(), /\/login/);
  await wall.close();
  await page.reload();
  await row.waitFor();
  await page.waitForFunction(
    () => !/从未/.test(document.querySelector('tr[data-label="指挥大厅一号屏"]')?.textContent ?? '从未'),
  );
  await row.locator('[data-testid="ad-kiosk-revoke"]').click();
  await page.waitForSelector('.ad-notice:has-text("已吊销：指挥大厅一号屏")');
  await page.waitForSelector(
    'tr[data-label="指挥大厅一号屏"] [data-testid="ad-kiosk-state"]:has-text("已吊销")',
  );
  await page.screenshot({ path: join(artefacts, 'admin-kiosk-revoked.png') });
  // The same address no longer signs a wall in.
  const again = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const againPage = await again.newPage();
  await againPage.goto(address);
  await againPage.waitForSelector('text=大屏令牌无效或已吊销', { timeout: 30_000 });
  await againPage.screenshot({ path: join(artefacts, 'admin-kiosk-refused.png') });
  await again.close();
});

test('issues a device credential for a worker, shown once, then revokes it', async () => {
  await page.click('[data-testid="ad-tab-devices"]');
  await page.waitForURL(/tab=devices/);
  const units = await api('admin.units');
  const community = units.find((u) => u.level === 'community');
  await page.selectOption('[data-testid="ad-dev-unit"]', String(community.id));
  await page.waitForSelector('[data-testid="ad-dev-worker"] option:nth-child(2)', { state: 'attached' });
  const workers = await api('admin.workers', { unitId: community.id });
  const worker = workers[0];
  await page.selectOption('[data-testid="ad-dev-worker"]', String(worker.id));
  await page.click('[data-testid="ad-dev-issue-one"]');
  await page.waitForSelector('[data-testid="ad-dev-secret"]');
  assert.match((await page.textContent('[data-testid="ad-dev-secret"]')).trim(), /^gcc-[a-z0-9]{16}$/);
  assert.match(await page.textContent('[data-testid="ad-dev-secrets"]'), /仅显示这一次/);
  await page.screenshot({ path: join(artefacts, 'admin-devices-issued.png') });
  await page.click('[data-testid="ad-dev-secrets-close"]');
  const row = page.locator(`[data-testid="ad-dev-table"] tr[data-worker="${worker.id}"]`);
  await row.waitFor();
  assert.match(await row.locator('[data-testid="ad-dev-state"]').textContent(), /有效/);
  await row.locator('[data-testid="ad-dev-revoke"]').click();
  await page.waitForSelector('[data-testid="ad-dev-notice"]:has-text("已吊销")');
  const devices = await api('admin.devices');
  assert.notEqual(devices.find((d) => d.workerId === worker.id).revokedAt, null);
  // Revoked ones are hidden until asked for.
  await row.waitFor({ state: 'detached' });
  await page.check('.ad-check:has-text("显示已吊销") input');
  await page.waitForSelector(
    `tr[data-worker="${worker.id}"] [data-testid="ad-dev-state"]:has-text("已吊销")`,
  );
  await page.screenshot({ path: join(artefacts, 'admin-devices.png') });
});

test('filters the audit log by user and action and opens an entry', async () => {
  await page.click('[data-testid="ad-tab-audit"]');
  await page.waitForURL(/tab=audit/);
  await page.waitForSelector('[data-testid="ad-audit-table"] tbody tr');
  await page.fill('[data-testid="ad-audit-user"]', 'admin');
  await page.fill('[data-testid="ad-audit-action"]', 'admin.revokeToken');
  await page.click('[data-testid="ad-audit-apply"]');
  await page.waitForURL(/action=admin.revokeToken/);
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="ad-audit-table"] tbody tr')];
    return rows.length > 0 && rows.every((r) => r.getAttribute('data-action') === 'admin.revokeToken');
  });
  const rows = page.locator('[data-testid="ad-audit-table"] tbody tr');
  // Two revokes so far: the kiosk token's and the device credential's.
  assert.equal(await rows.count(), 2);
  await rows.first().click();
  await page.waitForSelector('[data-testid="ad-audit-input"]');
  assert.match(await page.textContent('[data-testid="ad-audit-input"]'), /"id": \d+/);
  assert.match(await page.textContent('[data-testid="ad-audit-result"]'), /成功/);
  await page.screenshot({ path: join(artefacts, 'admin-audit.png') });
  // A user nobody has is named as such, not an empty page.
  await page.fill('[data-testid="ad-audit-user"]', 'nobody-here');
  await page.click('[data-testid="ad-audit-apply"]');
  await page.waitForSelector('[data-testid="ad-audit-error"]:has-text("账号不存在")');
});

test("edits one subclass's handling limit; the table marks it and the API has it", async () => {
  await page.click('[data-testid="ad-tab-categories"]');
  await page.waitForSelector('[data-testid="ad-cat-table"] tr[data-code="S0101"]');
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

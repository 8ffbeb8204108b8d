// The wall in a real browser against the real server: sign in, the map draws, workers move,
// the panel's numbers equal what cases.list returns, and a new report reaches the wall live.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { artefacts, launchBrowser, startProduct } from './harness.mjs';

const STATUSES = [
  'reported',
  'registered',
  'rejected',
  'dispatched',
  'accepted',
  'handling',
  'handled',
  'verified',
  'closed',
];
let product;
let browser;
let page;

// Plain HTTP calls as the tRPC wire format has them (GET ?input=…, POST with the CSRF header).
async function trpc(path, input, { cookie, method = 'GET' } = {}) {
  const url =
    method === 'GET'
      ? `${product.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input ?? {}))}`
      : `${product.url}/trpc/${path}`;
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1', ...(cookie ? { cookie } : {}) },
    body: method === 'POST' ? JSON.stringify(input) : undefined,
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return { data: body.result.data, res };
}

before(async () => {
  // No new cases and no simulated desk, so the panel and cases.list see the same set; workers still walk.
  product = await startProduct({ SIM_CASES_PER_DAY: '0', SIM_DESK: 'off', SIM_SPEED: '5' });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
});

after(async () => {
  await browser?.close();
  await product?.stop();
});

async function shot(name) {
  const path = join(artefacts, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

test('signs in and lands on the wall', async () => {
  await page.goto(`${product.url}/wall`);
  await page.waitForURL(/\/login/);
  await shot('01-login');
  await page.fill('input[name=username]', 'wall');
  await page.fill('input[name=password]', 'wrong');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=login-error]');
  await page.fill('input[name=password]', 'wall123');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/wall/);
  await page.waitForSelector('[data-testid=wall]');
});

test('draws the map: the canvas is not blank', async () => {
  await page.waitForFunction(() => window.__gccWall?.ready === true, null, { timeout: 60_000 });
  await page.waitForTimeout(3000);
  const png = PNG.sync.read(await page.screenshot({ clip: { x: 760, y: 340, width: 400, height: 400 } }));
  const colours = new Set();
  for (let i = 0; i < png.data.length; i += 4 * 7)
    colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  await shot('02-wall');
  assert.ok(colours.size > 20, `map area has only ${colours.size} colours: blank?`);
});

test('the clock shows China Standard Time to the second (its seconds run on the compositor)', async () => {
  const shown = await page.evaluate(() => {
    const label = document.querySelector('[data-testid=wall-clock] .clock-time').getAttribute('aria-label');
    const digit = (kind) => {
      const strip = document.querySelector(`.clock-strip-${kind}`);
      const ty = new DOMMatrix(getComputedStyle(strip).transform).m42;
      return Math.round(-ty / strip.firstElementChild.getBoundingClientRect().height);
    };
    return { label, seconds: digit('tens') * 10 + digit('ones'), at: Date.now() };
  });
  const cst = new Date(shown.at + 8 * 3600_000);
  const want = cst.getUTCSeconds();
  const diff = Math.min((shown.seconds - want + 60) % 60, (want - shown.seconds + 60) % 60);
  assert.ok(diff <= 1, `the clock shows second ${shown.seconds}, the time is ${want}`);
  // The label changes at the minute, a second may just have passed it.
  const hm = (d) =>
    `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  assert.ok(
    [hm(cst), hm(new Date(cst.getTime() - 2000))].includes(shown.label),
    `clock ${shown.label} vs ${hm(cst)}`,
  );
});

test('worker positions change over a few seconds', async () => {
  await page.waitForFunction(() => (window.__gccWall?.workerCount() ?? 0) > 0, null, { timeout: 30_000 });
  const first = await page.evaluate(() => window.__gccWall.samplePositions(50));
  await page.waitForTimeout(4000);
  const later = await page.evaluate(() => window.__gccWall.samplePositions(50));
  const byId = new Map(first.map(([id, lng, lat]) => [id, [lng, lat]]));
  const moved = later.filter(([id, lng, lat]) => {
    const p = byId.get(id);
    return p && (p[0] !== lng || p[1] !== lat);
  });
  assert.ok(first.length > 0, 'no worker positions on the wall');
  assert.ok(moved.length > 0, `none of ${later.length} sampled workers moved in 4 s`);
});

/** Duty colours that are drawn opaque (web/src/live/duty-colors.ts; off duty is translucent). */
const OPAQUE_DUTY_RGB = [
  [46, 230, 166],
  [255, 209, 102],
  [77, 184, 255],
  [255, 122, 69],
];

/** Share of sampled workers whose dot is on screen where the map puts them, in a duty colour. */
async function dotsWhereWorkersAre(p) {
  const sample = await p.evaluate(() => window.__gccWall.samplePositions(300));
  const points = await p.evaluate((s) => s.map(([, lng, lat]) => window.__gccWall.project(lng, lat)), sample);
  const png = PNG.sync.read(await p.screenshot());
  const inView = points.filter(([x, y]) => x >= 2 && y >= 2 && x < png.width - 2 && y < png.height - 2);
  const hit = inView.filter(([x, y]) => {
    const i = (Math.round(y) * png.width + Math.round(x)) * 4;
    const rgb = [png.data[i], png.data[i + 1], png.data[i + 2]];
    return OPAQUE_DUTY_RGB.some((c) => c.every((v, k) => Math.abs(v - rgb[k]) <= 40));
  });
  return { inView: inView.length, share: inView.length ? hit.length / inView.length : 0 };
}

test('the positions worker draws the workers into its own canvas, each dot where the map puts the worker', async () => {
  assert.equal(await page.evaluate(() => window.__gccWall.workersDrawnBy()), 'worker');
  assert.equal(await page.locator('canvas.wall-workers-canvas').count(), 1);
  const { inView, share } = await dotsWhereWorkersAre(page);
  assert.ok(inView >= 10, `only ${inView} sampled workers on screen`);
  // Incidents and labels are drawn over some workers; most dots show.
  assert.ok(share > 0.6, `only ${(share * 100).toFixed(0)}% of ${inView} workers have a dot where they are`);
});

test('where a canvas cannot be handed to a worker the main thread draws them, in the same places', async () => {
  const ctx = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    storageState: await page.context().storageState(),
  });
  const other = await ctx.newPage();
  try {
    await other.goto(`${product.url}/wall?workers=main`);
    await other.waitForFunction(() => window.__gccWall?.ready === true, null, { timeout: 60_000 });
    await other.waitForTimeout(1000);
    assert.equal(await other.evaluate(() => window.__gccWall.workersDrawnBy()), 'main');
    assert.equal(await other.locator('canvas.wall-workers-canvas').count(), 0);
    const { inView, share } = await dotsWhereWorkersAre(other);
    assert.ok(
      inView >= 10 && share > 0.6,
      `main-thread drawing: ${(share * 100).toFixed(0)}% of ${inView} workers have a dot`,
    );
  } finally {
    await ctx.close();
  }
});

async function panelNumbers() {
  return page.evaluate((statuses) => {
    const num = (sel) => {
      const t = document.querySelector(sel)?.textContent ?? '';
      const n = Number(t.replace(/[^\d]/g, ''));
      return t.trim() === '' || t.includes('—') ? null : n;
    };
    return {
      total: num('[data-testid=kpi-today-total]'),
      byStatus: Object.fromEntries(statuses.map((s) => [s, num(`[data-testid=status-count-${s}]`)])),
    };
  }, STATUSES);
}

test('the alert counts on the wall (workers, overdue cases) equal alerts.open', async () => {
  const { res } = await trpc(
    'auth.login',
    { username: 'dispatcher', password: 'dispatch123' },
    { method: 'POST' },
  );
  const cookie = res.headers.get('set-cookie').split(';')[0];
  for (let attempt = 0; ; attempt++) {
    const { data } = await trpc('alerts.open', undefined, { cookie });
    const want = { 'worker-left-grid': 0, 'worker-silent': 0, 'case-overdue': 0 };
    for (const a of data) if (a.kind in want) want[a.kind]++;
    const shown = await page.evaluate(() => ({
      ...Object.fromEntries(
        ['worker-left-grid', 'worker-silent'].map((k) => [
          k,
          Number(
            (document.querySelector(`[data-testid=alert-count-${k}]`)?.textContent ?? 'x').replace(
              /[^\d]/g,
              '',
            ) || NaN,
          ),
        ]),
      ),
      'case-overdue': Number(
        (document.querySelector('[data-testid=kpi-overdue]')?.textContent ?? 'x').replace(/[^\d]/g, '') ||
          NaN,
      ),
    }));
    if (JSON.stringify(shown) === JSON.stringify(want) || attempt >= 10) {
      assert.deepEqual(shown, want);
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
});

async function todayFromList(cookie) {
  const startOfDay = Math.floor((Date.now() + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000;
  const items = [];
  let cursor;
  do {
    const { data } = await trpc(
      'cases.list',
      { from: startOfDay, limit: 1000, ...(cursor ? { cursor } : {}) },
      { cookie },
    );
    items.push(...data.items);
    cursor = data.nextCursor;
  } while (cursor);
  return items;
}

test("the panel's numbers equal what cases.list returns, and a new report arrives live", async () => {
  const { res } = await trpc(
    'auth.login',
    { username: 'dispatcher', password: 'dispatch123' },
    { method: 'POST' },
  );
  const cookie = res.headers.get('set-cookie').split(';')[0];
  await page.waitForFunction(
    () => /\d/.test(document.querySelector('[data-testid=kpi-today-total]')?.textContent ?? ''),
    null,
    { timeout: 30_000 },
  );
  // The simulated workers still accept and handle today's open cases, so a step may land between
  // the two reads: compare until both have seen the same moment (as the alert counts above).
  let items;
  for (let attempt = 0; ; attempt++) {
    items = await todayFromList(cookie);
    const shown = await panelNumbers();
    const same =
      shown.total === items.length &&
      STATUSES.every((s) => (shown.byStatus[s] ?? 0) === items.filter((c) => c.status === s).length);
    if (same || attempt >= 10) {
      assert.equal(shown.total, items.length, 'today total');
      for (const s of STATUSES) {
        const n = items.filter((c) => c.status === s).length;
        if (shown.byStatus[s] !== null) assert.equal(shown.byStatus[s], n, `status ${s}`);
        else assert.equal(n, 0, `status ${s} not shown but has cases`);
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }

  // A hotline operator reports a case at a worker's position; the wall counts it within seconds.
  const [[, lng, lat]] = await page.evaluate(() => window.__gccWall.samplePositions(1));
  await trpc(
    'cases.report',
    { category: 'S0101', lng, lat, description: '端到端测试：暴露垃圾', source: 'hotline' },
    { cookie, method: 'POST' },
  );
  await page.waitForFunction(
    (n) =>
      Number(
        (document.querySelector('[data-testid=kpi-today-total]')?.textContent ?? '').replace(/[^\d]/g, ''),
      ) === n,
    items.length + 1,
    { timeout: 10_000 },
  );
  const after = await panelNumbers();
  const itemsAfter = await todayFromList(cookie);
  assert.equal(after.total, itemsAfter.length);
  assert.equal(after.byStatus.reported, itemsAfter.filter((c) => c.status === 'reported').length);
  await shot('03-wall-after-report');
  writeFileSync(join(artefacts, 'server.log'), product.output());
});

test('after a server crash and restart the wall reconnects and catches up without a page reload', async () => {
  await page.evaluate(() => {
    window.__notReloaded = true;
  });
  await product.restart();
  const live = () =>
    page.evaluate(() =>
      ['conn-events', 'conn-positions'].every(
        (id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-state') === 'live',
      ),
    );
  const deadline = Date.now() + 60_000;
  while (!(await live())) {
    assert.ok(Date.now() < deadline, 'the wall did not come back live within 60 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  // A report filed after the restart reaches the wall through the resumed stream.
  const { res } = await trpc(
    'auth.login',
    { username: 'dispatcher', password: 'dispatch123' },
    { method: 'POST' },
  );
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const before = (await panelNumbers()).total;
  const [[, lng, lat]] = await page.evaluate(() => window.__gccWall.samplePositions(1));
  await trpc(
    'cases.report',
    { category: 'S0101', lng, lat, description: '重启后上报', source: 'hotline' },
    { cookie, method: 'POST' },
  );
  await page.waitForFunction(
    (n) =>
      Number(
        (document.querySelector('[data-testid=kpi-today-total]')?.textContent ?? '').replace(/[^\d]/g, ''),
      ) > n,
    before,
    { timeout: 15_000 },
  );
  assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was reloaded');
  await shot('wall-after-restart');
});

test('a wall signs in with a kiosk token, signs itself in again after losing its session, and stops when revoked', async () => {
  const { res } = await trpc('auth.login', { username: 'admin', password: 'admin123' }, { method: 'POST' });
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { data: issued } = await trpc(
    'admin.issueKioskToken',
    { label: '端到端测试大屏' },
    { cookie, method: 'POST' },
  );
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const kiosk = await ctx.newPage();
  await kiosk.goto(`${product.url}/wall?kiosk=${issued.token}`);
  await kiosk.waitForSelector('[data-testid=wall]');
  assert.ok(!kiosk.url().includes('kiosk='), 'the token must leave the address bar');
  // The session cookie is lost (e.g. the server's database was replaced): the wall recovers alone.
  await ctx.clearCookies();
  await kiosk.reload();
  await kiosk.waitForSelector('[data-testid=wall]');
  await trpc('admin.revokeToken', { id: issued.id }, { cookie, method: 'POST' });
  await ctx.clearCookies();
  await kiosk.reload();
  await kiosk.waitForURL(/\/login/);
  await kiosk.screenshot({ path: join(artefacts, '04-kiosk-revoked.png') });
  await ctx.close();
});

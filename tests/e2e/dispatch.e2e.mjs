// The dispatcher console in a real browser against the real server: the dispatcher signs in,
// opens the most overdue case, assigns the first recommendation, and a wall (second browser
// context, signed in as `wall`) shows the assignment live (the time printed); a refused action shows its
// reason, an escalation arrives live with a toast, and a case dragged onto a worker is assigned.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  artefacts,
  launchBrowser,
  newDataDir,
  root,
  sessionCookie,
  signIn,
  startProduct,
} from './harness.mjs';

const HOURS = 3600_000;
let product;
let browser;
let desk;
let wall;
let wallCtx;
let dataDir;
let cookie;
/** The cases made overdue for the test, most overdue first. */
let overdue = [];

async function trpc(url, path, input, { cookie: c, method = 'GET' } = {}) {
  const u =
    method === 'GET'
      ? `${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input ?? {}))}`
      : `${url}/trpc/${path}`;
  const res = await fetch(u, {
    method,
    headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1', ...(c ? { cookie: c } : {}) },
    body: method === 'POST' ? JSON.stringify(input) : undefined,
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return { data: body.result.data, res };
}

/** Runs a case command as the session of `c`. */
const command = (caseId, cmd, c) =>
  trpc(product.url, 'cases.command', { caseId, command: cmd }, { cookie: c, method: 'POST' });

before(async () => {
  // Overdue cases without waiting hours: a first run with the server's clock 3 h behind takes the
  // reports and registers them; the real run then finds them overdue by about 2.5 h.
  dataDir = newDataDir();
  const past = await startProduct(
    { SIM_CASES_PER_DAY: '0', SIM_DESK: 'off', GCC_E2E_CLOCK_OFFSET_MS: String(-3 * HOURS) },
    { dataDir, preload: join(root, 'tests/e2e/clock-offset.mjs') },
  );
  try {
    const [intake, dispatcher] = await Promise.all([
      sessionCookie(past.url, 'intake', 'intake123'),
      sessionCookie(past.url, 'dispatcher', 'dispatch123'),
    ]);
    // Places where workers are: the simulator puts them on the map within seconds.
    let homes = [];
    for (let i = 0; i < 120 && homes.length < 40; i++) {
      const { data: snap } = await trpc(past.url, 'workers.snapshot', undefined, { cookie: dispatcher });
      homes = snap.workers.filter((w) => w.lng !== null).slice(0, 40);
      if (homes.length < 40) await new Promise((r) => setTimeout(r, 250));
    }
    // Red classes (their clock runs around the clock, 15 min to dispatch), at different workers' places.
    const made = [];
    for (const [i, category] of ['B0101', 'B0402', 'S0401', 'B0203'].entries()) {
      const w = homes[(i * 7) % homes.length];
      const { data: c } = await trpc(
        past.url,
        'cases.report',
        {
          category,
          lng: w.lng + 0.0003,
          lat: w.lat + 0.0002,
          description: `端到端测试：超期案件 ${i + 1}`,
          source: 'hotline',
        },
        { cookie: intake, method: 'POST' },
      );
      const { data: reg } = await trpc(
        past.url,
        'cases.command',
        { caseId: c.id, command: { type: 'register', tier: 'small', expectedVersion: c.version } },
        { cookie: intake, method: 'POST' },
      );
      made.push(reg.case);
    }
    overdue = made.sort((a, b) => a.deadlineAt - b.deadlineAt || a.id - b.id);
  } finally {
    await past.stop();
  }
  // No automatic escalation during the test: the escalation toast below comes from another desk.
  product = await startProduct(
    { SIM_CASES_PER_DAY: '0', SIM_DESK: 'off', SIM_SPEED: '5', OVERDUE_ESCALATE_MINUTES: '43200' },
    { dataDir },
  );
  cookie = await sessionCookie(product.url, 'dispatcher', 'dispatch123');
  browser = await launchBrowser();
  desk = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  desk.on('pageerror', (e) => console.error('[desk page error]', e.message));
  wallCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  wall = await wallCtx.newPage();
  wall.on('pageerror', (e) => console.error('[wall page error]', e.message));
});

after(async () => {
  if (product) writeFileSync(join(artefacts, 'dispatch-server.log'), product.output());
  await browser?.close();
  await product?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const shot = (page, name) => page.screenshot({ path: join(artefacts, `${name}.png`) });

test('the dispatcher signs in and the queue puts the most overdue case first', async () => {
  await signIn(desk, product.url, '/dispatch', 'dispatcher', 'dispatch123');
  await desk.waitForSelector('[data-testid=dispatch]');
  await desk.waitForSelector('[data-testid=conn-events][data-state=live]', { timeout: 30_000 });
  // Cases waiting for dispatch (立案), overdue only.
  await desk.selectOption('[data-testid=filter-status]', 'registered');
  await desk.check('[data-testid=filter-overdue]');
  const { data } = await trpc(
    product.url,
    'cases.list',
    { status: ['registered'], overdue: true, sort: 'deadline', limit: 300 },
    { cookie },
  );
  assert.equal(
    data.items[0]?.id,
    overdue[0].id,
    'the most overdue case waiting for dispatch is the first one reported',
  );
  await desk.waitForFunction(
    (ids) =>
      [...document.querySelectorAll('[data-testid=queue] li[data-case-id]')]
        .map((e) => e.dataset.caseId)
        .join() === ids.join(),
    data.items.map((c) => String(c.id)),
    { timeout: 10_000 },
  );
  const rows = await desk.$$eval('[data-testid=queue] li[data-case-id]', (els) =>
    els.map((e) => ({ id: Number(e.dataset.caseId), overdue: e.dataset.overdue })),
  );
  assert.ok(rows.length >= overdue.length, `queue has ${rows.length} overdue rows`);
  assert.ok(
    rows.every((r) => r.overdue === 'true'),
    'the overdue filter shows overdue cases only',
  );
  await shot(desk, '10-dispatch-queue-1920');
});

test('opens the most overdue case, assigns the first recommendation, and the wall shows it live', async () => {
  await signIn(wall, product.url, '/wall', 'wall', 'wall123');
  await wall.waitForFunction(() => window.__gccWall?.ready === true, null, { timeout: 60_000 });
  const target = overdue[0];
  await wall.waitForFunction((id) => window.__gccWall.caseOf(id)?.status === 'registered', target.id, {
    timeout: 10_000,
  });

  await desk.click(`[data-testid=queue] li[data-case-id="${target.id}"]`);
  await desk.waitForSelector(`[data-testid=case-header][data-case-id="${target.id}"]`);
  await desk.waitForSelector('[data-testid=recommendations] li', { timeout: 30_000 });
  const first = Number(
    await desk.getAttribute('[data-testid=recommendations] li:first-child', 'data-worker-id'),
  );
  await desk.waitForSelector('[data-testid=dispatch-map][data-loaded=true]', { timeout: 30_000 });
  await desk.waitForTimeout(800);
  // Framed with the streets around: never closer than zoom 15.
  const zoom = Number(await desk.getAttribute('[data-testid=dispatch-map]', 'data-zoom'));
  assert.ok(zoom > 0 && zoom <= 15, `map zoom ${zoom}`);
  await shot(desk, '11-dispatch-case-1920');

  const t0 = Date.now();
  await desk.click('[data-testid=assign]');
  await wall.waitForFunction(
    ({ id, worker }) => {
      const c = window.__gccWall.caseOf(id);
      // …and the recent-reports list, when the case is on it, shows it as dispatched (派遣).
      const row = document.querySelector(
        `[data-testid=recent-cases] li[data-case-id="${id}"] .recent-status`,
      );
      return (
        c?.status === 'dispatched' &&
        c.assigneeId === worker &&
        (!row || row.classList.contains('st-dispatched'))
      );
    },
    { id: target.id, worker: first },
    // The goal is 2 s; the time is printed. Timed asserts fail on a loaded shared machine,
    // not on a defect (CONVENTIONS: targets live in benchmarks), so the test waits longer.
    { timeout: 15_000, polling: 50 },
  );
  console.log(`# the wall showed the assignment ${Date.now() - t0} ms after the click`);

  await desk.waitForSelector(`[data-testid=case-header][data-status=dispatched]`, { timeout: 15_000 });
  await desk.waitForSelector('[data-testid=toast]');
  const { data } = await trpc(product.url, 'cases.get', { id: target.id }, { cookie });
  assert.equal(data.case.assigneeId, first);
  assert.equal(data.timeline.at(-1).type, 'case.dispatched');
  // After the dispatch the assignee is marked, and no dispatch is one Enter away.
  await desk.waitForSelector(`[data-testid=assigned-worker][data-worker-id="${first}"]`, { timeout: 15_000 });
  assert.equal(await desk.locator('[data-testid=assign]').count(), 0, 'no primary dispatch button');
  await desk.keyboard.press('Enter');
  await desk.waitForTimeout(800);
  const { data: again } = await trpc(product.url, 'cases.get', { id: target.id }, { cookie });
  assert.equal(
    again.timeline.filter((e) => e.type === 'case.dispatched').length,
    1,
    'Enter dispatched nothing',
  );
  await shot(desk, '12-dispatch-assigned-1920');
  await shot(wall, '13-wall-after-assign');
});

test('a refused action shows its reason from the message tables', async () => {
  const target = overdue[1];
  await desk.click(`[data-testid=queue] li[data-case-id="${target.id}"]`);
  await desk.waitForSelector(`[data-testid=case-header][data-case-id="${target.id}"]`);
  await desk.waitForSelector('[data-testid=actions] button[data-command=merge]:not([disabled])');
  // Keyboard shortcut M opens the merge form; merging a case into itself is refused by the engine.
  await desk.keyboard.press('m');
  await desk.fill('input[name=primary]', String(target.id));
  await desk.click('[data-testid=action-confirm]');
  const refusal = await desk.waitForSelector('[data-testid=refusal]');
  assert.equal(await refusal.getAttribute('data-reason'), 'same-case');
  assert.equal((await refusal.textContent()).trim(), '不能与自身合并');
  // The desk's own steps that the case does not allow now are disabled, not hidden; other posts' steps (核查 is the inspector's) are not shown.
  assert.equal(await desk.isDisabled('[data-testid=actions] button[data-command=unpark]'), true);
  assert.equal(await desk.locator('[data-testid=actions] button[data-command=verify]').count(), 0);
  await shot(desk, '14-dispatch-refused-1920');
});

test('an escalation by another desk arrives live with a toast', async () => {
  const target = overdue[2];
  const before = await desk.evaluate(() => window.__gccDispatch.notices);
  await trpc(
    product.url,
    'cases.command',
    {
      caseId: target.id,
      command: { type: 'escalate', reason: '端到端测试：需街道协调', expectedVersion: target.version },
    },
    { cookie, method: 'POST' },
  );
  await desk.waitForFunction((n) => window.__gccDispatch.notices > n, before, { timeout: 10_000 });
  await desk.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid=toast]')].some((t) => t.textContent.includes('上报升级')),
    null,
    { timeout: 15_000 },
  );
  await shot(desk, '15-dispatch-escalated-toast-1920');
});

test('a case dragged onto a recommended worker is assigned', async () => {
  const target = overdue[3];
  await desk.click(`[data-testid=queue] li[data-case-id="${target.id}"]`);
  await desk.waitForSelector(`[data-testid=case-header][data-case-id="${target.id}"]`);
  await desk.waitForSelector('[data-testid=recommendations] li:nth-child(2)', { timeout: 30_000 });
  const second = Number(
    await desk.getAttribute('[data-testid=recommendations] li:nth-child(2)', 'data-worker-id'),
  );
  await desk.dragAndDrop(
    `[data-testid=queue] li[data-case-id="${target.id}"]`,
    '[data-testid=recommendations] li:nth-child(2)',
  );
  await desk.waitForSelector(`[data-testid=case-header][data-status=dispatched]`, { timeout: 15_000 });
  const { data } = await trpc(product.url, 'cases.get', { id: target.id }, { cookie });
  assert.equal(data.case.assigneeId, second);
});

test('a case another desk dispatched while it was open: the view turns into 改派 naming the assignee', async () => {
  const intake = await sessionCookie(product.url, 'intake', 'intake123');
  // Another desk: a second session of a dispatcher (the simulated desk is off in this run).
  const other = await sessionCookie(product.url, 'dispatcher', 'dispatch123');
  const { data: snap } = await trpc(product.url, 'workers.snapshot', undefined, { cookie });
  const w = snap.workers.filter((x) => x.lng !== null)[11];
  const { data: c } = await trpc(
    product.url,
    'cases.report',
    {
      category: 'B0101',
      lng: w.lng + 0.0002,
      lat: w.lat + 0.0001,
      description: '端到端测试：两席同时派遣',
      source: 'hotline',
    },
    { cookie: intake, method: 'POST' },
  );
  await command(c.id, { type: 'register', tier: 'small', expectedVersion: c.version }, intake);
  await desk.uncheck('[data-testid=filter-overdue]');
  await desk.click(`[data-testid=queue] li[data-case-id="${c.id}"]`, { timeout: 10_000 });
  await desk.waitForSelector(`[data-testid=case-header][data-case-id="${c.id}"]`);
  await desk.waitForSelector('[data-testid=assign]:not([disabled])', { timeout: 30_000 });
  // The other desk dispatches it meanwhile.
  const { data: view } = await trpc(product.url, 'dispatch.recommend', { caseId: c.id }, { cookie: other });
  const taken = view.workers[0];
  await command(
    c.id,
    { type: 'dispatch', workerId: taken.workerId, department: null, expectedVersion: view.version },
    other,
  );
  // The open view follows: the assignee is marked, the primary dispatch is gone, Enter does nothing.
  await desk.waitForSelector(`[data-testid=assigned-worker][data-worker-id="${taken.workerId}"]`, {
    timeout: 10_000,
  });
  assert.equal(await desk.locator('[data-testid=assign]').count(), 0);
  await desk.keyboard.press('Enter');
  await desk.waitForTimeout(800);
  let { data } = await trpc(product.url, 'cases.get', { id: c.id }, { cookie });
  assert.equal(data.timeline.filter((e) => e.type === 'case.dispatched').length, 1, 'no second 派遣');
  const label = await desk.textContent('[data-testid=reassign]');
  assert.match(label, new RegExp(`改派给 .+（替换 ${taken.name}）`));
  await shot(desk, '16b-dispatch-reassign-offered-1920');
  // An explicit 改派 to the picked worker names whom it replaced on the timeline.
  const next = Number(
    await desk.getAttribute(
      '[data-testid=recommendations] li[data-worker-id]:not([data-testid]) >> nth=0',
      'data-worker-id',
    ),
  );
  await desk.click('[data-testid=reassign]');
  await desk.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid=timeline] li')].some((li) =>
        li.textContent.includes('改派'),
      ),
    null,
    { timeout: 15_000 },
  );
  ({ data } = await trpc(product.url, 'cases.get', { id: c.id }, { cookie }));
  assert.equal(data.case.assigneeId, next);
  assert.deepEqual(data.timeline.at(-1).payload.replaced, { workerId: taken.workerId, department: null });
  await shot(desk, '16c-dispatch-reassigned-1920');
});

test('待处理 holds what needs the dispatcher now: waiting for 派遣 first, then overdue to chase; tabs count; codes whole', async () => {
  await desk.click('[data-testid=tab-mine]');
  const { data } = await trpc(product.url, 'cases.list', { needsAction: true, limit: 300 }, { cookie });
  assert.ok(data.items.length > 0, 'the dispatcher has work');
  assert.ok(
    data.items.every((c) => !['handled', 'verified', 'closed', 'evaluated', 'rejected'].includes(c.status)),
    "nothing waiting for 核查 or 结案 is in the dispatcher's queue",
  );
  // The waiting ones are the cases without an assignee (派遣, or 改派 after a return); the rest are overdue.
  assert.ok(data.items.slice(0, data.waiting).every((c) => c.status === 'registered'));
  assert.ok(data.items.slice(data.waiting).every((c) => c.deadlineAt < Date.now()));
  await desk.waitForFunction(
    (ids) =>
      [...document.querySelectorAll('[data-testid=queue] li[data-case-id]')]
        .map((e) => e.dataset.caseId)
        .join() === ids.join(),
    data.items.map((c) => String(c.id)),
    { timeout: 10_000 },
  );
  const { data: counts } = await trpc(product.url, 'cases.queueCounts', {}, { cookie });
  await desk.waitForFunction(
    (n) =>
      document.querySelector('[data-testid=tab-mine-count]')?.textContent === String(n.needsAction) &&
      document.querySelector('[data-testid=tab-overdue-count]')?.textContent === String(n.overdue) &&
      document.querySelector('[data-testid=tab-open-count]')?.textContent === String(n.open),
    counts,
    { timeout: 10_000 },
  );
  if (data.waiting > 0) await desk.waitForSelector('[data-testid=section-waiting]');
  if (data.items.length > data.waiting) await desk.waitForSelector('[data-testid=section-chase]');
  // Months-old seeded history is not in it: everything listed was reported today or yesterday.
  assert.ok(
    data.items.every((c) => c.reportedAt > Date.now() - 3 * 24 * HOURS),
    'no old case in the queue',
  );
  await assertCodesWhole(desk);
  await shot(desk, '19-dispatch-needs-action-1920');
});

/** Every case code in the queue is shown whole (not cut by an ellipsis). */
async function assertCodesWhole(page) {
  const cut = await page.$$eval('[data-testid=case-code-cell]', (els) =>
    els
      .filter(
        (e) =>
          e.scrollWidth > e.clientWidth + 1 ||
          e.getBoundingClientRect().right > e.closest('li').getBoundingClientRect().right,
      )
      .map((e) => e.textContent),
  );
  assert.deepEqual(cut, [], 'case codes cut off');
}

test('bulk assignment: shift-click ticks a range, one action assigns them, each case says what happened', async () => {
  const intake = await sessionCookie(product.url, 'intake', 'intake123');
  const { data: snap } = await trpc(product.url, 'workers.snapshot', undefined, { cookie });
  const w = snap.workers.find((x) => x.lng !== null);
  const made = [];
  for (const [i, tier] of ['small', 'hard', 'small'].entries()) {
    const { data: c } = await trpc(
      product.url,
      'cases.report',
      {
        category: 'B0101',
        lng: w.lng + 0.0002 * i,
        lat: w.lat + 0.0002,
        description: `端到端测试：批量派遣 ${i + 1}`,
        source: 'hotline',
      },
      { cookie: intake, method: 'POST' },
    );
    const { data: reg } = await trpc(
      product.url,
      'cases.command',
      { caseId: c.id, command: { type: 'register', tier, expectedVersion: c.version } },
      { cookie: intake, method: 'POST' },
    );
    made.push(reg.case);
  }
  await desk.selectOption('[data-testid=filter-status]', 'registered');
  for (const c of made)
    await desk.waitForSelector(`[data-testid=queue] li[data-case-id="${c.id}"]`, { timeout: 10_000 });
  const order = await desk.$$eval('[data-testid=queue] li[data-case-id]', (els) =>
    els.map((e) => Number(e.dataset.caseId)),
  );
  const [a, c] = [made[0], made[2]].sort((x, y) => order.indexOf(x.id) - order.indexOf(y.id));
  const range = order.slice(order.indexOf(a.id), order.indexOf(c.id) + 1);
  await desk.click(`[data-testid=queue] li[data-case-id="${a.id}"] .dq-tick`);
  await desk.click(`[data-testid=queue] li[data-case-id="${c.id}"] .dq-tick`, { modifiers: ['Shift'] });
  const ticked = await desk.$$eval('[data-testid=queue] li[data-checked=true]', (els) =>
    els.map((e) => Number(e.dataset.caseId)),
  );
  assert.deepEqual(ticked, range, 'shift-click ticks the whole range');
  assert.ok(made.every((m) => ticked.includes(m.id)));
  await shot(desk, '20-dispatch-bulk-selected-1920');
  await desk.click('[data-testid=bulk-assign]');
  await desk.waitForSelector('[data-testid=bulk-results] li[data-case-id]', { timeout: 15_000 });
  const results = await desk.$$eval('[data-testid=bulk-results] li[data-case-id]', (els) =>
    els.map((e) => ({
      id: Number(e.dataset.caseId),
      ok: e.dataset.ok === 'true',
      reason: e.dataset.reason,
      text: e.textContent,
    })),
  );
  assert.equal(results.length, range.length);
  const hard = results.find((r) => r.id === made[1].id);
  // 难事联办 must be whistled first: refused with the engine's reason in the user's words.
  assert.equal(hard.ok, false);
  assert.equal(hard.reason, 'whistle-required');
  assert.ok(hard.text.includes('吹哨'), hard.text);
  for (const m of [made[0], made[2]]) {
    const r = results.find((x) => x.id === m.id);
    assert.equal(r.ok, true, `case ${m.id}: ${r.text}`);
    assert.ok(r.text.includes('已派遣给'), r.text);
    const { data: after } = await trpc(product.url, 'cases.get', { id: m.id }, { cookie });
    assert.equal(after.case.status, 'dispatched');
  }
  // The refused case stays ticked for another try; the assigned ones leave the queue.
  await desk.waitForFunction(
    (id) =>
      [...document.querySelectorAll('[data-testid=queue] li[data-checked=true]')]
        .map((e) => Number(e.dataset.caseId))
        .includes(id),
    made[1].id,
    { timeout: 10_000 },
  );
  await shot(desk, '21-dispatch-bulk-results-1920');
});

/** A 1×1 PNG: the server checks the type by its magic bytes. */
const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

test('a department desk (专业部门) works the case it was sent: 签收, 开始处置, 反馈 with a photo from the browser', async () => {
  const intake = await sessionCookie(product.url, 'intake', 'intake123');
  const { data: snap } = await trpc(product.url, 'workers.snapshot', undefined, { cookie });
  const w = snap.workers.find((x) => x.lng !== null);
  const { data: c } = await trpc(
    product.url,
    'cases.report',
    { category: 'S0101', lng: w.lng, lat: w.lat, description: '端到端测试：派城管处置', source: 'hotline' },
    { cookie: intake, method: 'POST' },
  );
  const { data: reg } = await trpc(
    product.url,
    'cases.command',
    { caseId: c.id, command: { type: 'register', tier: 'small', expectedVersion: c.version } },
    { cookie: intake, method: 'POST' },
  );
  await trpc(
    product.url,
    'cases.command',
    {
      caseId: c.id,
      command: {
        type: 'dispatch',
        workerId: null,
        department: 'urban-management',
        expectedVersion: reg.case.version,
      },
    },
    { cookie, method: 'POST' },
  );

  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const dept = await ctx.newPage();
    dept.on('pageerror', (e) => console.error('[department page error]', e.message));
    await signIn(dept, product.url, '/dispatch', 'chengguan', 'dept123');
    await dept.waitForFunction(() =>
      document.querySelector('.dh h1')?.textContent.includes('专业部门处置台'),
    );
    await dept.waitForSelector(`[data-testid=queue] li[data-case-id="${c.id}"]`, { timeout: 20_000 });
    await dept.click(`[data-testid=queue] li[data-case-id="${c.id}"]`);
    await dept.waitForSelector(`[data-testid=case-header][data-case-id="${c.id}"]`);
    // Only a department's steps are offered; the dispatcher's are not there.
    const buttons = await dept.$$eval('[data-testid=actions] button', (els) =>
      els.map((e) => e.dataset.command),
    );
    assert.deepEqual(buttons, ['checkIn', 'accept', 'start', 'feedback', 'return']);
    await dept.click('[data-testid=actions] button[data-command=accept]:not([disabled])');
    await dept.click('[data-testid=action-confirm]');
    await dept.waitForSelector(`[data-testid=case-header][data-status=accepted]`, { timeout: 10_000 });
    await dept.keyboard.press('h');
    await dept.click('[data-testid=action-confirm]');
    await dept.waitForSelector(`[data-testid=case-header][data-status=handling]`, { timeout: 10_000 });
    await dept.keyboard.press('f');
    // Without a photo the desk says what it needs and sends nothing.
    await dept.click('[data-testid=action-confirm]');
    await dept.waitForSelector('[data-testid=action-form] .refusal');
    await dept.setInputFiles('[data-testid=photos]', {
      name: 'site.png',
      mimeType: 'image/png',
      buffer: PNG_1PX,
    });
    await dept.fill('[data-testid=action-form] textarea', '已清理占道物品');
    await shot(dept, '22-department-feedback-1920');
    await dept.click('[data-testid=action-confirm]');
    await dept.waitForSelector(`[data-testid=case-header][data-status=handled]`, { timeout: 10_000 });
    const { data: after } = await trpc(product.url, 'cases.get', { id: c.id }, { cookie });
    const fb = after.timeline.find((e) => e.type === 'case.handled');
    assert.ok(fb, 'the timeline has the 反馈');
    assert.equal(fb.payload.photos.length, 1);
    // The dispatcher's desk gets the photo the department uploaded.
    const photo = await fetch(`${product.url}${fb.payload.photos[0]}`, { headers: { cookie } });
    assert.equal(photo.status, 200);
    await shot(dept, '23-department-handled-1920');
  } finally {
    await ctx.close();
  }
});

test('受理登记: intake takes a call on the map, a second call about the same place is flagged before it is made, the dispatcher merges it with one click', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => console.error('[intake page error]', e.message));
    await signIn(page, product.url, '/dispatch', 'intake', 'intake123');
    // A third page drawing maps in software while the desk and the wall draw theirs: its first
    // load has taken over 30 s on a busy 2-core machine.
    await page.waitForSelector('[data-testid=dispatch-map][data-loaded=true]', { timeout: 90_000 });
    const map = await (await page.$('[data-testid=dispatch-map]')).boundingBox();
    const centre = () => page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);

    let calls = 0;
    const take = async (description) => {
      await page.keyboard.press('n');
      await page.waitForSelector('[data-testid=intake-form]');
      await page.selectOption('[data-testid=intake-form] select[name=major]', 'S01');
      await page.selectOption('[data-testid=intake-form] select[name=category]', 'S0101');
      await page.fill('[data-testid=intake-form] textarea[name=description]', description);
      // A 12345 call: the caller's number and the hotline's ticket.
      calls++;
      await page.fill('[data-testid=intake-form] input[name=phone]', `1390000000${calls}`);
      await page.fill('[data-testid=intake-form] input[name=ticket]', `GD20261205DUP${calls}`);
    };
    // Nothing is sent without a place; the form says what it needs.
    await take('端到端测试：12345来电，小区门口垃圾堆积');
    await page.click('[data-testid=intake-submit]');
    assert.match(await page.textContent('[data-testid=intake-refusal]'), /地图上点击/);
    await centre();
    await page.waitForFunction(() =>
      /网格/.test(document.querySelector('[data-testid=intake-place]')?.textContent ?? ''),
    );
    const moves = Number((await page.getAttribute('[data-testid=dispatch-map]', 'data-moves')) ?? 0);
    await page.click('[data-testid=intake-submit]');
    await page.waitForSelector('[data-testid=case-header][data-status=reported]');
    const first = Number(await page.getAttribute('[data-testid=case-header]', 'data-case-id'));

    // The desk now frames the new case (once the map has moved there, it is in the centre): a
    // second call at the same place is flagged before it is made.
    await page.waitForFunction(
      (n) =>
        Number(document.querySelector('[data-testid=dispatch-map]')?.getAttribute('data-moves') ?? 0) > n,
      moves,
    );
    await take('端到端测试：同一处垃圾，第二位市民来电');
    await centre();
    await page.waitForSelector(
      `[data-testid=intake-form] [data-testid=duplicates] li[data-case-id="${first}"]`,
      { timeout: 10_000 },
    );
    await shot(page, '24-intake-duplicate-1920');
    await page.click('[data-testid=intake-submit]');
    await page.waitForFunction((id) => {
      const h = document.querySelector('[data-testid=case-header]');
      return h && Number(h.getAttribute('data-case-id')) !== id;
    }, first);
    const second = Number(await page.getAttribute('[data-testid=case-header]', 'data-case-id'));

    // The dispatcher sees the pair from both sides; the earlier case offers no merge the wrong way round.
    // 全部在办 by its tab: an earlier step may have left 仅超期 on, which hides new reports.
    await desk.click('[data-testid=tab-open]');
    await desk.click(`[data-testid=queue] li[data-case-id="${first}"]`);
    await desk.waitForSelector(`[data-testid=duplicates] li[data-case-id="${second}"]`, { timeout: 10_000 });
    assert.equal(await desk.$('[data-testid=merge-into]'), null);
    // It opens the later report and merges it into the earlier one.
    await desk.click(`[data-testid=queue] li[data-case-id="${second}"]`);
    await desk.waitForSelector(
      `[data-testid=duplicates] li[data-case-id="${first}"] [data-testid=merge-into]`,
      { timeout: 10_000 },
    );
    await shot(desk, '25-dispatch-duplicate-1920');
    await desk.click(`[data-testid=duplicates] li[data-case-id="${first}"] [data-testid=merge-into]`);
    await desk.waitForSelector(`[data-testid=case-header][data-case-id="${second}"][data-status=merged]`, {
      timeout: 10_000,
    });
    const { data: merged } = await trpc(product.url, 'cases.get', { id: second }, { cookie });
    assert.equal(merged.case.mergedInto, first);
  } finally {
    await desk.selectOption('[data-testid=filter-status]', 'mine');
    await ctx.close();
  }
});

test('受理登记 of a 12345 call: the address typed and chosen places the report and pans the map; caller and ticket stored; the wall lists the case with the phone masked, the dispatcher reads it whole', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => console.error('[intake page error]', e.message));
    const intakeCookie = await sessionCookie(product.url, 'intake', 'intake123');
    // A road of the city as the gazetteer has it (the tiny city has no 人民路): its name, typed.
    const { data: roads } = await trpc(
      product.url,
      'address.search',
      { q: '路', limit: 20 },
      { cookie: intakeCookie },
    );
    const road = roads.items.find((h) => h.kind === 'road')?.name;
    assert.ok(road, 'a road in the gazetteer');

    await signIn(page, product.url, '/dispatch', 'intake', 'intake123');
    // A third page drawing maps in software while the desk and the wall draw theirs: its first
    // load has taken over 30 s on a busy 2-core machine.
    await page.waitForSelector('[data-testid=dispatch-map][data-loaded=true]', { timeout: 90_000 });
    const form = '[data-testid=intake-form]';
    await page.keyboard.press('n');
    await page.waitForSelector(form);
    // A click on the map names the nearest address.
    const map = await (await page.$('[data-testid=dispatch-map]')).boundingBox();
    await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
    await page.waitForSelector('[data-testid=intake-nearest]', { timeout: 10_000 });
    assert.match(await page.textContent('[data-testid=intake-nearest]'), /最近地址|300 米内/);

    await page.selectOption(`${form} select[name=major]`, 'S01');
    await page.selectOption(`${form} select[name=category]`, 'S0101');
    await page.fill(`${form} input[name=callerName]`, '王建国');
    await page.fill(`${form} input[name=phone]`, '138 1234 5678');
    await page.fill(`${form} input[name=ticket]`, 'GD2026120500917');
    await page.fill(`${form} textarea[name=description]`, '端到端测试：12345来电，门口井盖缺失');

    const moves = Number((await page.getAttribute('[data-testid=dispatch-map]', 'data-moves')) ?? 0);
    await page.click(`${form} input[name=address]`);
    await page.keyboard.type(road, { delay: 40 });
    const addressHit = '[data-testid=address-hits] li:has(.addr-kind.k-address)';
    await page.waitForSelector(addressHit, { timeout: 10_000 });
    const firstKind = await page.getAttribute(
      '[data-testid=address-hits] li:first-child .addr-kind',
      'class',
    );
    assert.match(firstKind, /k-road/, 'the road itself first');
    await shot(page, '26-intake-address-search-1920');
    const chosen = (await page.textContent(`${addressHit} .addr-name`)).trim();
    await page.click(addressHit);
    await page.waitForFunction(
      (name) => document.querySelector('[data-testid=intake-place] .intake-address')?.textContent === name,
      chosen,
    );
    // The map pans to the address.
    await page.waitForFunction(
      (n) =>
        Number(document.querySelector('[data-testid=dispatch-map]')?.getAttribute('data-moves') ?? 0) > n,
      moves,
      { timeout: 10_000 },
    );
    assert.ok(Number(await page.getAttribute('[data-testid=dispatch-map]', 'data-zoom')) >= 16);
    await page.waitForTimeout(500);
    await shot(page, '27-intake-address-chosen-1920');

    // A wrong number is named before anything is sent.
    await page.fill(`${form} input[name=phone]`, '138 1234 567');
    await page.click('[data-testid=intake-submit]');
    assert.match(await page.textContent('[data-testid=intake-refusal]'), /11 位/);
    await page.fill(`${form} input[name=phone]`, '138 1234 5678');
    await page.click('[data-testid=intake-submit]');
    await page.waitForSelector('[data-testid=case-header][data-status=reported]');
    const id = Number(await page.getAttribute('[data-testid=case-header]', 'data-case-id'));
    const { data: taken } = await trpc(product.url, 'cases.get', { id }, { cookie: intakeCookie });
    assert.deepEqual(taken.contact, { name: '王建国', phone: '13812345678', ticket: 'GD2026120500917' });
    assert.equal(taken.case.caller.phone, '138****5678');
    // The address chosen is kept with the case, in its detail and on the 上报 line of its timeline.
    assert.equal(taken.case.address, chosen);
    await page.waitForSelector('[data-testid=case-address]');
    assert.equal((await page.textContent('[data-testid=case-address]')).trim(), chosen);
    assert.ok((await page.textContent('[data-testid=timeline] li.tl-reported')).includes(chosen));
    assert.equal(
      (await page.textContent('[data-testid=case-contact]')).includes('13812345678'),
      true,
      'intake reads the number it took',
    );

    // The wall lists the new report with the phone masked.
    if (!wall.url().includes('/wall')) await signIn(wall, product.url, '/wall', 'wall', 'wall123');
    await wall.waitForFunction(() => window.__gccWall?.ready === true, null, { timeout: 60_000 });
    const row = `[data-testid=recent-cases] li[data-case-id="${id}"] [data-testid=recent-caller]`;
    await wall.waitForSelector(row, { timeout: 15_000 });
    assert.equal((await wall.textContent(row)).trim(), '来电 138****5678');
    assert.ok(!(await wall.content()).includes('13812345678'), 'no full number on the wall');
    await shot(wall, '28-wall-recent-masked-phone');

    // The dispatcher's case detail has the number whole, for a call-back.
    // 全部在办, whatever filter an earlier step left (超期督办 with 仅超期 hides a new report).
    await desk.click('[data-testid=tab-open]');
    await desk.click(`[data-testid=queue] li[data-case-id="${id}"]`);
    await desk.waitForSelector('[data-testid=case-contact][data-full=true]', { timeout: 10_000 });
    assert.match(await desk.textContent('[data-testid=case-contact]'), /王建国\s*13812345678/);
    assert.equal(await desk.textContent('[data-testid=case-ticket]'), 'GD2026120500917');
    assert.equal((await desk.textContent('[data-testid=case-address]')).trim(), chosen);
    await shot(desk, '29-dispatch-caller-1920');
  } finally {
    // Back to the queue the other tests expect (never hiding this test's own failure).
    await desk.click('[data-testid=tab-mine]').catch(() => {});
    await ctx.close();
  }
});

test('after sign-in each role lands on its own desk, and the header links the desks it may use', async () => {
  const landing = [
    ['planner', 'plan123', '/plan'],
    ['wall', 'wall123', '/wall'],
    ['dispatcher', 'dispatch123', '/dispatch'],
    ['intake', 'intake123', '/dispatch'],
    ['admin', 'admin123', '/admin'],
  ];
  for (const [username, password, home] of landing) {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    await page.goto(`${product.url}/login`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForURL(new RegExp(`${home}$`), { timeout: 15_000 });
    if (username === 'dispatcher') {
      await page.waitForSelector('[data-testid=desk-nav] [data-testid=nav-wall]');
      const links = await page.$$eval('[data-testid=desk-nav] a', (as) =>
        as.map((a) => a.getAttribute('href')),
      );
      assert.deepEqual(links, ['/wall', '/analytics'], 'a dispatcher is linked to the wall and analytics');
      await page.screenshot({ path: join(artefacts, '21-dispatcher-landing.png') });
    }
    if (username === 'admin') {
      await page.waitForSelector('[data-testid=desk-nav] [data-testid=nav-plan]');
      const links = await page.$$eval('.dh-right a', (as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, ['/dispatch', '/wall', '/analytics', '/plan'], 'each desk linked once');
    }
    await ctx.close();
  }
});

test('the desk at 1366×768, and in English', async () => {
  await desk.setViewportSize({ width: 1366, height: 768 });
  await desk.click(`[data-testid=queue] li[data-case-id="${overdue[1].id}"]`);
  await desk.waitForSelector('[data-testid=recommendations] li', { timeout: 30_000 });
  await desk.waitForTimeout(800);
  await assertCodesWhole(desk);
  await shot(desk, '16-dispatch-1366');
  await desk.keyboard.press('?');
  await desk.waitForSelector('[data-testid=shortcuts]');
  await shot(desk, '17-dispatch-shortcuts-1366');
  await desk.keyboard.press('Escape');
  await desk.click('.dh-right .btn[lang=en]');
  await desk.waitForFunction(() => document.querySelector('.dh h1')?.textContent.includes('Dispatch'));
  await desk.waitForTimeout(500);
  await shot(desk, '18-dispatch-en-1366');
});

test('after a server crash and restart the desk reconnects and receives events without a page reload', async () => {
  await desk.evaluate(() => {
    window.__notReloaded = true;
  });
  await product.restart();
  await desk.waitForSelector('[data-testid=conn-events][data-state=live]', { timeout: 60_000 });
  // An escalation by another desk after the restart reaches this desk through the resumed stream.
  cookie = await sessionCookie(product.url, 'dispatcher', 'dispatch123');
  const { data } = await trpc(product.url, 'cases.get', { id: overdue[1].id }, { cookie });
  const before = await desk.evaluate(() => window.__gccDispatch.notices);
  await trpc(
    product.url,
    'cases.command',
    {
      caseId: data.case.id,
      command: { type: 'escalate', reason: '端到端测试：重启后上报升级', expectedVersion: data.case.version },
    },
    { cookie, method: 'POST' },
  );
  await desk.waitForFunction((n) => window.__gccDispatch.notices > n, before, { timeout: 15_000 });
  assert.equal(await desk.evaluate(() => window.__notReloaded), true, 'the page was reloaded');
  await shot(desk, '19-dispatch-after-restart');
});

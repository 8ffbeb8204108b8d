// `pnpm soak`: the wall left running, as a centre runs it for weeks. Starts the product on the demo
// city at a high simulator speed, opens /wall at 1920×1080 as the wall user in headless Chromium,
// and every minute forces a GC and records the JS heap, DOM nodes and event listeners through
// the DevTools protocol. One JSON line per minute, then a summary: heap growth between minute 5
// and the end (goal < 5 %) and the spread of DOM nodes (goal: flat). Exit code 1 when a goal is
// missed. Not part of `pnpm test` (it runs for SOAK_MINUTES, default 30).
//
//   SOAK_MINUTES      minutes to run (default 30; the growth is measured from minute 5)
//   SOAK_SPEED        simulator speed (default 60)
//   SOAK_PROFILE      city profile (default demo); SOAK_HISTORY_DAYS days of seeded history (default 7)
//   SOAK_HEAP_DIFF=1  also take heap snapshots at minute 5 and at the end and print what grew most
//
// Plain .mjs: page.evaluate breaks under tsx.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildWebIfStale } from '../../scripts/web-build.mjs';
import { launchBrowser, root, signIn, startProduct } from '../e2e/harness.mjs';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const FROM_MINUTE = 5;
const HEAP_GOAL = 0.05;
/**
 * DOM nodes count as flat when their trend (least-squares slope from minute 5) adds up to less
 * than this share of their median over the run: they swing by ±10 % with the pulse markers and
 * the recent list, which is not growth.
 */
const NODES_TREND = 0.1;
const out = join(root, 'test-results', 'soak');
mkdirSync(out, { recursive: true });

// The wall is served from the build: build first when the sources are newer (as `pnpm start` does).
buildWebIfStale(root);

/** Count and self size per constructor name of a V8 heap snapshot. */
function summarise(json) {
  const snap = JSON.parse(json);
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((k) => f.indexOf(k));
  const by = new Map();
  const n = snap.nodes;
  for (let i = 0; i < n.length; i += f.length) {
    const type = types[n[i + iType]];
    // Native nodes by name too (DOM wrappers, ArrayBuffers, WebGL objects): "(native)" alone hides what grew.
    const name =
      type === 'object' || type === 'closure'
        ? snap.strings[n[i + iName]]
        : type === 'native'
          ? `(native) ${String(snap.strings[n[i + iName]]).slice(0, 60)}`
          : `(${type})`;
    const e = by.get(name) ?? { count: 0, size: 0 };
    e.count++;
    e.size += n[i + iSize];
    by.set(name, e);
  }
  return by;
}

/** Least-squares slope of [x, y] points (0 for fewer than two). */
function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den ? num / den : 0;
}

async function heapSnapshot(cdp) {
  const chunks = [];
  const onChunk = (e) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  return summarise(chunks.join(''));
}

const product = await startProduct({
  CITY_PROFILE: process.env.SOAK_PROFILE ?? 'demo',
  SEED_HISTORY_DAYS: process.env.SOAK_HISTORY_DAYS ?? '7',
  SIM_SPEED: process.env.SOAK_SPEED ?? '60',
  ALERT_LEFT_GRID_MINUTES: String(15 / Number(process.env.SOAK_SPEED ?? 60)),
});
const browser = await launchBrowser();
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, product.url, '/wall', 'wall', 'wall123');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.enable');
  const t0 = Date.now();
  const rows = [];
  let baseline = null;
  for (let minute = 1; minute <= MINUTES; minute++) {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + minute * 60_000 - Date.now())));
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    const row = {
      minute,
      heapMB: +(m.JSHeapUsedSize / 2 ** 20).toFixed(2),
      nodes: m.Nodes,
      listeners: m.JSEventListeners,
      documents: m.Documents,
      pageErrors: errors.length,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    if (process.env.SOAK_HEAP_DIFF === '1' && minute === Math.min(FROM_MINUTE, MINUTES))
      baseline = await heapSnapshot(cdp);
  }
  if (baseline) {
    const end = await heapSnapshot(cdp);
    const grew = [...end]
      .map(([name, e]) => ({
        name,
        count: e.count - (baseline.get(name)?.count ?? 0),
        bytes: e.size - (baseline.get(name)?.size ?? 0),
      }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 15);
    console.log(JSON.stringify({ heapDiff: grew }));
  }
  await page.screenshot({ path: join(out, 'wall-end.png') });
  const from = rows.find((r) => r.minute === FROM_MINUTE) ?? rows[0];
  const last = rows.at(-1);
  const growth = (last.heapMB - from.heapMB) / from.heapMB;
  const tail = rows.filter((r) => r.minute >= FROM_MINUTE);
  const nodes = tail.map((r) => r.nodes).sort((a, b) => a - b);
  const median = nodes[Math.floor(nodes.length / 2)] ?? 0;
  const nodesPerMinute = slope(tail.map((r) => [r.minute, r.nodes]));
  const nodesTrend = tail.length > 1 ? (nodesPerMinute * (tail.at(-1).minute - tail[0].minute)) / median : 0;
  const nodesFlat = nodesTrend < NODES_TREND;
  const summary = {
    summary: 'wall-soak',
    minutes: MINUTES,
    heapFromMB: from.heapMB,
    heapEndMB: last.heapMB,
    heapGrowthPct: +(growth * 100).toFixed(2),
    heapOk: growth < HEAP_GOAL,
    nodesMin: nodes[0],
    nodesMax: nodes.at(-1),
    nodesTrendPct: +(nodesTrend * 100).toFixed(2),
    nodesFlat,
    listenersMin: Math.min(...rows.map((r) => r.listeners)),
    listenersMax: Math.max(...rows.map((r) => r.listeners)),
    pageErrors: errors.slice(0, 5),
    screenshot: join(out, 'wall-end.png'),
  };
  console.log(JSON.stringify(summary));
  failed = !summary.heapOk || !nodesFlat || errors.length > 0;
} finally {
  await browser.close();
  await product.stop();
}
process.exit(failed ? 1 : 0);

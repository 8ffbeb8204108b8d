// How many online workers carry an open 离岗 (worker-left-grid) alert while the demo runs: starts
// the product on the demo city at SIM_SPEED (default ×60) with the 离岗 threshold scaled to the
// simulated clock (15 simulated minutes), samples every 30 s over MEASURE_MINUTES real minutes
// and prints one JSON line per sample and a summary. Open alerts are counted from the event
// stream (raised − resolved), since `alerts.open` answers at most 500. Plain .mjs so that it
// also runs on an older checkout (it reads workers.away only where it exists).
//
//   MEASURE_MINUTES=4 node tests/soak/left-grid-share.mjs
import { startProduct } from '../e2e/harness.mjs';

const minutes = Number(process.env.MEASURE_MINUTES ?? 4);
const speed = Number(process.env.SIM_SPEED ?? 60);
const ONLINE_MS = 5 * 60_000; // the wall's online window (server/src/http/app.ts)

const product = await startProduct({
  CITY_PROFILE: process.env.CITY_PROFILE ?? 'demo',
  SEED_HISTORY_DAYS: process.env.SEED_HISTORY_DAYS ?? '1',
  SIM_SPEED: String(speed),
  ALERT_LEFT_GRID_MINUTES: String(15 / speed),
});
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => void product.stop().then(() => process.exit(1)));
let cookie = '';
const call = async (path, body) => {
  const res = await fetch(`${product.url}/trpc/${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1', cookie },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  for (const c of res.headers.getSetCookie()) cookie = c.split(';')[0];
  if (!res.ok) return null;
  return (await res.json()).result.data;
};

/** Open worker-left-grid alerts by alert id → worker, kept from the event stream. */
const open = new Map();
const abort = new AbortController();
async function follow(fromSeq) {
  const input = encodeURIComponent(JSON.stringify({ lastEventId: String(fromSeq) }));
  const res = await fetch(`${product.url}/trpc/events.stream?input=${input}`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  let buf = '';
  const dec = new TextDecoder();
  for await (const chunk of res.body) {
    buf += dec.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.startsWith('data:')) continue;
      let e;
      try {
        e = JSON.parse(line.slice(5));
      } catch {
        continue;
      }
      if (e?.kind !== 'alert' || e.alertKind !== 'worker-left-grid') continue;
      if (e.type === 'alert.raised') open.set(e.alertId, e.workerId);
      else open.delete(e.alertId);
    }
  }
}

try {
  await call('auth.login', { username: 'admin', password: 'admin123' });
  const head = await call('events.head');
  for (const a of await call('alerts.open')) if (a.kind === 'worker-left-grid') open.set(a.id, a.workerId);
  const following = follow(head.seq).catch(() => {});
  const t0 = Date.now();
  const samples = [];
  while (Date.now() - t0 < minutes * 60_000) {
    await new Promise((r) => setTimeout(r, 30_000));
    const [snap, away] = await Promise.all([call('workers.snapshot'), call('workers.away')]);
    const now = Date.now();
    const online = new Set(
      snap.workers
        .filter((w) => w.duty !== 'off' && w.at !== null && now - w.at <= ONLINE_MS)
        .map((w) => w.id),
    );
    const leftGrid = [...open.values()].filter((w) => online.has(w)).length;
    const sample = {
      simMinutes: Math.round(((now - t0) / 60_000) * speed),
      online: online.size,
      leftGrid,
      share: online.size ? +(leftGrid / online.size).toFixed(4) : 0,
      ...(away
        ? {
            outside: away.workers.length,
            onCase: away.workers.filter((w) => w.reason?.kind === 'case').length,
            returning: away.workers.filter((w) => w.reason?.kind === 'returning').length,
          }
        : {}),
    };
    samples.push(sample);
    console.log(JSON.stringify(sample));
  }
  abort.abort();
  await following;
  const tail = samples.slice(Math.floor(samples.length / 2));
  const mean = tail.reduce((s, x) => s + x.share, 0) / Math.max(1, tail.length);
  console.log(
    JSON.stringify({
      summary: 'left-grid-share',
      speed,
      minutes,
      lastShare: samples.at(-1)?.share,
      meanShareSecondHalf: +mean.toFixed(4),
      last: samples.at(-1),
    }),
  );
} finally {
  abort.abort();
  await product.stop();
}

import { generateCity } from '@gcc/data';
import { report } from './report.ts';
import { keepAliveLoad } from './support/keepalive-load.ts';
import { startBareServer, startServerProcess } from '../support/server-process.ts';

// `ingest`: accepted positions per second on one server process through the real batched HTTP
// API — POST /api/positions with a gateway token, batches of 500, 40,000 workers (the stress
// city) — including authentication, rate limit, validation, de-duplication (newest wins), grid
// assignment and hand-off to the fan-out. Every request carries fresh timestamps so every fix
// is accepted; the server's own counters confirm it. Baseline: a bare node:http server that
// only parses, validates and grid-assigns the same bodies, measured in the same run.

const PROFILE = 'stress';
const BATCH = 500;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 8;

/** Pre-split bodies: a batch is its fixed parts joined around one timestamp per request. */
function batchTemplates(points: { id: number; lng: number; lat: number }[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < points.length; i += BATCH) {
    const parts = points
      .slice(i, i + BATCH)
      .map(
        (p) =>
          `{"workerId":${p.id},"lng":${p.lng.toFixed(6)},"lat":${p.lat.toFixed(6)},"speed":1.2,"heading":90,"accuracy":8,"at":`,
      );
    out.push(parts);
  }
  return out;
}

async function load(
  url: string,
  path: string,
  headers: Record<string, string>,
  templates: string[][],
  durationMs = DURATION_S * 1000,
) {
  let n = 0;
  let lastAt = 0;
  const head = Object.entries({ host: '127.0.0.1', 'content-type': 'application/json', ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const res = await keepAliveLoad({
    port: Number(new URL(url).port),
    connections: CONNECTIONS,
    durationMs,
    request: () => {
      const parts = templates[n++ % templates.length]!;
      // One timestamp per request, strictly increasing: each worker's fix is newer than its last.
      lastAt = Math.max(Date.now(), lastAt + 1);
      const body = `[${parts.join(`${lastAt}},`)}${lastAt}}]`;
      return `POST ${path} HTTP/1.1\r\n${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    },
  });
  return { requests: res.requests, non2xx: res.non2xx, seconds: res.seconds, statuses: res.statuses };
}

export async function run(): Promise<void> {
  const city = generateCity({ profile: PROFILE, historyDays: 0 });
  let seed = 99;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  // Each worker near its home (±50 m), in roster order: the ids the server seeded.
  const points = city.staff.map((s) => ({
    id: s.id,
    lng: s.home[0] + (rnd() - 0.5) * 0.001,
    lat: s.home[1] + (rnd() - 0.5) * 0.001,
  }));
  const templates = batchTemplates(points);

  const bare = await startBareServer(PROFILE);
  await load(bare.url, '/', {}, templates, 1000);
  const base = await load(bare.url, '/', {}, templates);
  await bare.stop();
  const baseRate = (base.requests * BATCH) / base.seconds;

  const server = await startServerProcess({ profile: PROFILE });
  try {
    const { token } = await server.admin.trpc.admin.issueDeviceToken.mutate({
      kind: 'gateway',
      label: 'bench gateway',
    });
    const headers = { authorization: `Bearer ${token}` };
    const before = (await (await fetch(`${server.url}/healthz`)).json()) as { workersOnline: number };
    await load(server.url, '/api/positions', headers, templates, 1000);
    const cpu0 = server.cpuSeconds();
    const ours = await load(server.url, '/api/positions', headers, templates);
    const cpu = server.cpuSeconds() - cpu0;
    const after = (await (await fetch(`${server.url}/healthz`)).json()) as { workersOnline: number };
    const rate = ((ours.requests - ours.non2xx) * BATCH) / ours.seconds;
    report({
      bench: 'ingest',
      metric: 'ingest_rate',
      value: rate,
      unit: 'positions/s',
      baseline: baseRate,
      ratio: rate / baseRate,
      baselineName: 'bare node:http parse+validate+assign',
      goal: 200_000,
      batch: BATCH,
      workers: points.length,
      connections: CONNECTIONS,
      seconds: Number(ours.seconds.toFixed(2)),
      requests: ours.requests,
      non2xx: ours.non2xx,
      statuses: ours.statuses,
      workersOnlineBefore: before.workersOnline,
      workersOnlineAfter: after.workersOnline,
      server_cpu_pct: Math.round((cpu / ours.seconds) * 100),
      server_rss_mb: Math.round(server.rssMb()),
    });
  } finally {
    await server.stop();
  }
}

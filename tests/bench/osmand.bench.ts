import { generateCity } from '@gcc/data';
import { report } from './report.ts';
import { keepAliveLoad } from './support/keepalive-load.ts';
import { freePort, startBareServer, startServerProcess } from '../support/server-process.ts';

// `osmand`: single-report requests per second in the Traccar Client's form — one position per
// keep-alive HTTP request, query string (`GET /api/osmand?id=…&lat=…&lon=…&timestamp=…`) —
// through the real endpoint and the same checks as every device (credential lookup, per-device
// rate limit, validation, newest wins, grid assignment). 1,000 devices with their own
// identifiers, each report with a fresh millisecond timestamp. Baseline: a bare node:http
// server answering the same request (parse, validate, grid-assign), in the same run.

const PROFILE = 'stress';
const DEVICES = 1000;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;

type Device = { token: string; lng: number; lat: number; lastAt: number };

async function load(url: string, pathPrefix: string, devices: Device[], durationMs = DURATION_S * 1000) {
  let n = 0;
  const res = await keepAliveLoad({
    port: Number(new URL(url).port),
    connections: CONNECTIONS,
    durationMs,
    request: () => {
      const d = devices[n++ % devices.length]!;
      // Milliseconds (Traccar accepts both), strictly increasing per device: every report is new.
      d.lastAt = Math.max(Date.now(), d.lastAt + 1);
      return `GET ${pathPrefix}?id=${d.token}&lat=${d.lat}&lon=${d.lng}&timestamp=${d.lastAt}&speed=2.1&bearing=180&altitude=70&accuracy=6&batt=81 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: TraccarClient\r\n\r\n`;
    },
  });
  return {
    requests: res.requests,
    non2xx: res.non2xx,
    seconds: res.seconds,
    p99: res.p99Ms,
    statuses: res.statuses,
  };
}

export async function run(): Promise<void> {
  const city = generateCity({ profile: PROFILE, historyDays: 0 });
  const staff = city.staff.slice(0, DEVICES);

  const bare = await startBareServer(PROFILE);
  const fake: Device[] = staff.map((s) => ({
    token: `gcc-${s.id}`,
    lng: Number(s.home[0].toFixed(6)),
    lat: Number(s.home[1].toFixed(6)),
    lastAt: 0,
  }));
  await load(bare.url, '/', fake, 1000);
  const base = await load(bare.url, '/', fake);
  await bare.stop();
  const baseRate = (base.requests - base.non2xx) / base.seconds;

  // Devices may send up to 50 reports a second here: 1,000 devices carry the whole load.
  const osmandPort = await freePort();
  const server = await startServerProcess({
    profile: PROFILE,
    env: { DEVICE_RATE_PER_SECOND: '50', OSMAND_PORT: String(osmandPort) },
  });
  try {
    const issued = await server.admin.trpc.admin.issueDeviceTokens.mutate({
      workerIds: staff.map((s) => s.id),
    });
    const devices: Device[] = issued.map((d, i) => ({
      token: d.token,
      lng: Number(staff[i]!.home[0].toFixed(6)),
      lat: Number(staff[i]!.home[1].toFixed(6)),
      lastAt: 0,
    }));
    // The Traccar Client's port (OSMAND_PORT), then the same protocol on the app's port (/api/osmand).
    const targets = [
      { metric: 'osmand_rate', url: `http://127.0.0.1:${osmandPort}`, path: '/', endpoint: 'OSMAND_PORT' },
      { metric: 'osmand_rate_app_port', url: server.url, path: '/api/osmand', endpoint: 'PORT /api/osmand' },
    ];
    for (const t of targets) {
      await load(t.url, t.path, devices, 1000);
      const cpu0 = server.cpuSeconds();
      const ours = await load(t.url, t.path, devices);
      const cpu = server.cpuSeconds() - cpu0;
      const rate = (ours.requests - ours.non2xx) / ours.seconds;
      report({
        bench: 'osmand',
        metric: t.metric,
        value: rate,
        unit: 'requests/s',
        baseline: baseRate,
        ratio: rate / baseRate,
        endpoint: t.endpoint,
        baselineName: 'bare node:http parse+validate+assign',
        goal: 12_000,
        devices: DEVICES,
        connections: CONNECTIONS,
        seconds: Number(ours.seconds.toFixed(2)),
        requests: ours.requests,
        non2xx: ours.non2xx,
        statuses: ours.statuses,
        latency_p99_ms: Number(ours.p99.toFixed(2)),
        server_cpu_pct: Math.round((cpu / ours.seconds) * 100),
      });
    }
  } finally {
    await server.stop();
  }
}

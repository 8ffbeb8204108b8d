import { Agent, request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { createClient } from '../support/client.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

// The load generator behind `pnpm load` and the `fanout`/`wire` benchmarks: N devices report at
// R Hz through the real batched ingest API (a gateway credential, batches of ≤ 500), and M
// watching clients (socket.io-client, as walls) receive the binary position frames at their
// asked rate. Latency is measured from the device timestamp to receipt: each fix carries its
// sequence number in the low bits of its latitude (1e-7°, about a centimetre), so a received
// record is matched to the exact fix that produced it. Loopback only; stops by itself.

export interface LoadOptions {
  devices: number;
  hz: number;
  watchers: number;
  /** Frames per second the watchers ask for. */
  watcherHz: number;
  seconds: number;
  /** Ignored at the start (connections, JIT, first snapshot). */
  warmupSeconds: number;
  /** An already running server (loopback only); default: start one on the `stress` city. */
  url?: string;
  username?: string;
  password?: string;
  log?: (line: string) => void;
}

export interface LoadReport {
  devices: number;
  hz: number;
  watchers: number;
  watcherHz: number;
  seconds: number;
  acceptedPerSecond: number;
  refusedBatches: number;
  framesPerWatcherPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencySamples: number;
  fanoutP50Ms: number;
  fanoutP99Ms: number;
  /** Bytes on the WebSocket per worker update (payloads + frame headers). */
  wireBytesPerUpdate: number;
  /** The same updates as a naive JSON message would carry them. */
  jsonBytesPerUpdate: number;
  serverCpuPct: number | null;
  serverRssMb: number | null;
}

const BATCH = 500;
const SEQ_BITS = 3; // 8 fixes in flight per worker are told apart
const SEQ_MASK = (1 << SEQ_BITS) - 1;
/** Only every SAMPLE-th worker is matched for latency (keeps the generator's CPU for sending). */
const SAMPLE = 10;

function percentile(xs: Float64Array, n: number, p: number): number {
  if (n === 0) return Number.NaN;
  const s = xs.slice(0, n).sort();
  return s[Math.min(n - 1, Math.floor(n * p))]!;
}

function assertLoopback(url: string) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host))
    throw new Error(`the load generator targets loopback only, not ${host}`);
}

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const log = opts.log ?? (() => {});
  let server: ServerProcess | null = null;
  let url = opts.url;
  if (!url) {
    log('starting a server on the stress city (first run seeds .data/bench-stress)…');
    server = await startServerProcess({
      profile: 'stress',
      env: { POSITION_MAX_HZ: String(Math.max(opts.watcherHz, 2)) },
    });
    url = server.url;
  }
  assertLoopback(url);
  try {
    const admin = createClient(url);
    await admin.trpc.auth.login.mutate({
      username: opts.username ?? 'admin',
      password: opts.password ?? 'admin123',
    });
    const { token } = await admin.trpc.admin.issueDeviceToken.mutate({
      kind: 'gateway',
      label: `load ${new Date().toISOString()}`,
    });
    const info = await admin.trpc.city.info.query();
    const snap = await admin.trpc.workers.snapshot.query();
    const workers = snap.workers.slice(0, opts.devices);
    if (workers.length < opts.devices) log(`the city has ${workers.length} workers; simulating those`);
    const n = workers.length;
    const maxId = workers.reduce((m, w) => Math.max(m, w.id), 0);
    const [x0, y0, x1, y1] = info.bbox;
    let seed = 4242;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const lng = new Float64Array(n);
    const lat7 = new Int32Array(n);
    workers.forEach((w, i) => {
      lng[i] = w.lng ?? x0 + rnd() * (x1 - x0);
      lat7[i] = Math.round((w.lat ?? y0 + rnd() * (y1 - y0)) * 1e7) & ~SEQ_MASK;
    });
    const seq = new Uint32Array(n);
    const sentAt = new Float64Array((maxId + 1) << SEQ_BITS);

    // Watchers, signed in as the wall.
    const wall = createClient(url);
    await wall.trpc.auth.login.mutate({ username: 'wall', password: 'wall123' });
    let measuring = false;
    const lat = new Float64Array(4_000_000);
    let latN = 0;
    const fan = new Float64Array(1_000_000);
    let fanN = 0;
    let frames = 0;
    let records = 0;
    let wireBytes = 0;
    let jsonBytes = 0;
    const sockets: Socket[] = [];
    for (let c = 0; c < opts.watchers; c++) {
      const s = io(`${url}/positions`, {
        transports: ['websocket'],
        extraHeaders: { cookie: wall.cookieHeader() },
        auth: { hz: opts.watcherHz },
        reconnection: false,
      });
      const sample = c === 0; // one client also prices the JSON a naive server would send
      s.io.on('open', () => {
        const ws = (
          s.io.engine.transport as unknown as {
            ws?: { on(e: 'message', f: (d: Buffer | ArrayBuffer | Buffer[]) => void): void };
          }
        ).ws;
        ws?.on('message', (d) => {
          if (!measuring) return;
          const len = Array.isArray(d) ? d.reduce((a, b) => a + b.length, 0) : (d as Buffer).byteLength;
          wireBytes += len + (len < 126 ? 2 : len < 65_536 ? 4 : 10);
        });
      });
      s.on('frame', (buf: ArrayBuffer | Uint8Array) => {
        const now = Date.now();
        if (!measuring) return;
        // Node's socket.io client hands binary over as a Buffer, browsers as an ArrayBuffer.
        const u8 = buf instanceof ArrayBuffer ? new Uint8Array(buf) : buf;
        const v = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
        if (v.getUint8(2) !== 1) return; // snapshots are not deliveries
        const base = v.getFloat64(8, true);
        const count = v.getUint32(16, true);
        frames++;
        records += count;
        if (fanN < fan.length) fan[fanN++] = now - base;
        for (let k = 0, o = 20; k < count; k++, o += 16) {
          const id = v.getUint32(o, true);
          if (sample)
            jsonBytes +=
              JSON.stringify({
                id,
                lng: v.getInt32(o + 4, true) / 1e7,
                lat: v.getInt32(o + 8, true) / 1e7,
                speed: v.getUint8(o + 12) / 4,
                heading: Math.round(v.getUint8(o + 13) * 1.40625),
                duty: 'available',
                at: base,
              }).length + 1;
          if (id % SAMPLE !== 0) continue;
          const t = sentAt[(id << SEQ_BITS) | (v.getInt32(o + 8, true) & SEQ_MASK)]!;
          if (t > 0 && latN < lat.length) lat[latN++] = now - t;
        }
      });
      sockets.push(s);
    }
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            s.on('connect', () => resolve());
            s.on('connect_error', reject);
          }),
      ),
    );
    log(
      `${sockets.length} watchers connected; ${n} devices at ${opts.hz} Hz for ${opts.seconds} s (+${opts.warmupSeconds} s warm-up)`,
    );

    // Devices: every tick, the workers due send one fix each, in batches through the gateway.
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const target = new URL('/api/positions', url);
    let accepted = 0;
    let refused = 0;
    let inflight = 0;
    const post = (body: string) =>
      new Promise<void>((resolve) => {
        inflight++;
        const req = request(
          target,
          {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              inflight--;
              if (res.statusCode === 200) {
                if (measuring)
                  accepted += (JSON.parse(Buffer.concat(chunks).toString()) as { accepted: number }).accepted;
              } else refused++;
              resolve();
            });
          },
        );
        req.on('error', () => {
          inflight--;
          refused++;
          resolve();
        });
        req.end(body);
      });
    const TICK_MS = 50;
    const perTick = (n * opts.hz * TICK_MS) / 1000;
    let cursor = 0;
    let carry = 0;
    const t0 = Date.now();
    const end = t0 + (opts.warmupSeconds + opts.seconds) * 1000;
    let measureStart = 0;
    let cpuAtStart = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = Date.now();
        if (!measuring && now - t0 >= opts.warmupSeconds * 1000) {
          measuring = true;
          measureStart = now;
          cpuAtStart = server?.cpuSeconds() ?? 0;
        }
        if (now >= end) {
          clearInterval(timer);
          resolve();
          return;
        }
        carry += perTick;
        let due = Math.floor(carry);
        carry -= due;
        // Back-pressure: a server that cannot keep up is measured, not buried.
        if (inflight > 64) return;
        while (due > 0) {
          const k = Math.min(BATCH, due);
          due -= k;
          let body = '[';
          for (let j = 0; j < k; j++) {
            const i = cursor;
            cursor = (cursor + 1) % n;
            const w = workers[i]!;
            const s = ++seq[i]! & SEQ_MASK;
            const at = Date.now();
            sentAt[(w.id << SEQ_BITS) | s] = at;
            body += `${j ? ',' : ''}{"workerId":${w.id},"lng":${lng[i]!.toFixed(7)},"lat":${((lat7[i]! | s) / 1e7).toFixed(7)},"at":${at},"speed":1.2,"heading":90}`;
          }
          void post(`${body}]`);
        }
      }, TICK_MS);
    });
    const measuredS = (Date.now() - measureStart) / 1000;
    measuring = false;
    const cpuPct = server ? Math.round(((server.cpuSeconds() - cpuAtStart) / measuredS) * 100) : null;
    for (const s of sockets) s.close();
    agent.destroy();
    return {
      devices: n,
      hz: opts.hz,
      watchers: opts.watchers,
      watcherHz: opts.watcherHz,
      seconds: Number(measuredS.toFixed(1)),
      acceptedPerSecond: Math.round(accepted / measuredS),
      refusedBatches: refused,
      framesPerWatcherPerSecond: Number((frames / opts.watchers / measuredS).toFixed(2)),
      latencyP50Ms: percentile(lat, latN, 0.5),
      latencyP99Ms: percentile(lat, latN, 0.99),
      latencySamples: latN,
      fanoutP50Ms: percentile(fan, fanN, 0.5),
      fanoutP99Ms: percentile(fan, fanN, 0.99),
      wireBytesPerUpdate: records ? Number((wireBytes / records).toFixed(2)) : Number.NaN,
      jsonBytesPerUpdate: records ? Number((jsonBytes / (records / opts.watchers)).toFixed(2)) : Number.NaN,
      serverCpuPct: cpuPct,
      serverRssMb: server ? Math.round(server.rssMb()) : null,
    };
  } finally {
    await server?.stop();
  }
}

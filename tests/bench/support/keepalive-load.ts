import { connect, type Socket } from 'node:net';
import { pct } from '../report.ts';

// A lean HTTP/1.1 load client for single-report requests: N keep-alive connections, each with
// one request in flight (no pipelining — as a phone does), requests written as raw bytes and
// responses parsed just enough (status, Content-Length). autocannon's per-request overhead
// made the client, not the server, the bottleneck at 10,000+ requests/s on this 2-core machine.

export interface KeepAliveResult {
  requests: number;
  non2xx: number;
  seconds: number;
  statuses: Record<number, number>;
  p99Ms: number;
}

export function keepAliveLoad(opts: {
  port: number;
  connections: number;
  durationMs: number;
  request: () => string;
}): Promise<KeepAliveResult> {
  const statuses: Record<number, number> = {};
  const lat: number[] = [];
  let requests = 0;
  let non2xx = 0;
  const t0 = performance.now();
  const end = t0 + opts.durationMs;
  return new Promise((resolve, reject) => {
    let open = opts.connections;
    const done = () => {
      if (--open > 0) return;
      resolve({
        requests,
        non2xx,
        seconds: (performance.now() - t0) / 1000,
        statuses,
        p99Ms: pct(lat, 99),
      });
    };
    for (let c = 0; c < opts.connections; c++) {
      const sock: Socket = connect(opts.port, '127.0.0.1');
      sock.setNoDelay(true);
      let buf = '';
      let sentAt = 0;
      const send = () => {
        if (performance.now() >= end) {
          sock.end();
          return;
        }
        sentAt = performance.now();
        sock.write(opts.request());
      };
      sock.on('connect', send);
      sock.setEncoding('latin1');
      sock.on('data', (chunk: string) => {
        buf += chunk;
        for (;;) {
          const head = buf.indexOf('\r\n\r\n');
          if (head < 0) return;
          const m = /\r\ncontent-length: *(\d+)/i.exec(buf.slice(0, head));
          const len = m ? Number(m[1]) : 0;
          if (buf.length < head + 4 + len) return;
          const status = Number(buf.slice(9, 12));
          buf = buf.slice(head + 4 + len);
          requests++;
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status < 200 || status > 299) non2xx++;
          if (lat.length < 1_000_000) lat.push(performance.now() - sentAt);
          send();
        }
      });
      sock.on('error', reject);
      sock.on('close', done);
    }
  });
}

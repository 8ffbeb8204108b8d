import { createServer } from 'node:http';
import { generateCity } from '@gcc/data';
import { GridIndex } from '@gcc/shared/geo';

// The named baseline of the ingest benchmarks: a bare node:http server that only parses,
// validates and grid-assigns (the anchor, measured in the same run): no auth, no rate
// limit, no de-duplication, no live store, no framework. Run as a child process:
// `node --import tsx bare-ingest-server.ts PORT PROFILE`; prints "ready" when listening.

const port = Number(process.argv[2]);
const city = generateCity({ profile: (process.argv[3] ?? 'stress') as 'stress', historyDays: 0 });
const index = new GridIndex(city.grids.map((g, i) => ({ id: i + 1, polygon: g.polygon })));
let assigned = 0;

const ok = (v: unknown, lo: number, hi: number) => typeof v === 'number' && v >= lo && v <= hi;

createServer((req, res) => {
  if (req.method === 'GET') {
    // OsmAnd query form.
    const q = new URL(req.url!, 'http://x').searchParams;
    const lat = Number(q.get('lat'));
    const lon = Number(q.get('lon'));
    if (!q.get('id') || !ok(lat, -90, 90) || !ok(lon, -180, 180)) {
      res.statusCode = 400;
      res.end();
      return;
    }
    if (index.locate(lon, lat) !== null) assigned++;
    res.end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const batch = JSON.parse(Buffer.concat(chunks).toString()) as {
      workerId: number;
      lng: number;
      lat: number;
      at: number;
    }[];
    for (const p of batch) {
      if (!ok(p.lng, -180, 180) || !ok(p.lat, -90, 90) || !Number.isSafeInteger(p.at)) {
        res.statusCode = 400;
        res.end();
        return;
      }
      if (index.locate(p.lng, p.lat) !== null) assigned++;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ accepted: batch.length }));
  });
}).listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => {
  console.error(`assigned ${assigned}`);
  process.exit(0);
});

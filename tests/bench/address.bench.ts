import { generateCity } from '@gcc/data';
import type { GridId } from '@gcc/shared';
import { gridId } from '@gcc/shared/testing';
import {
  AddressIndex,
  matchScore,
  NATURAL,
  normalizeName,
  type GazetteerEntry,
} from '../../server/src/gazetteer/address-index.ts';
import { pct, report } from './report.ts';

// 地址搜索 on the `quzhou` city's gazetteer (address points, roads, places, units, grids; override
// with ADDRESS_BENCH_CITY): p95 of one search as an intake operator types — the characters of a
// road name one by one, road + house number, community and place names, single characters —
// with a street's jurisdiction filter, against the baseline of a linear scan that checks every
// name (`includes`) and ranks the same way; both top-20 lists compared on every query.

const LIMIT = 20;
/** The baseline: every name checked, ranked as the index ranks (exact, prefix, inside; kind; length; natural order). */
function linearScan(
  entries: readonly GazetteerEntry[],
  keys: readonly string[],
  query: string,
  allowed: (g: GridId) => boolean,
): string[] {
  const q = normalizeName(query);
  const found: { score: number; name: string }[] = [];
  keys.forEach((key, i) => {
    const at = key.indexOf(q);
    if (at < 0) return;
    const e = entries[i]!;
    if (!e.points.some((p) => allowed(p.gridId))) return;
    found.push({ score: matchScore(key, q, at, e.kind), name: e.name });
  });
  found.sort((a, b) => a.score - b.score || NATURAL.compare(a.name, b.name));
  return found.slice(0, LIMIT).map((f) => f.name);
}

export async function run(): Promise<void> {
  const profile = (process.env.ADDRESS_BENCH_CITY ?? 'quzhou') as 'quzhou';
  const city = generateCity({ profile, historyDays: 0 });
  const gridOf = new Map(city.grids.map((g, i) => [g.code, gridId(i + 1)]));
  const streetOfCommunity = new Map(
    city.units.filter((u) => u.level === 'community').map((u) => [u.code, u.parentCode]),
  );
  const entries: GazetteerEntry[] = [];
  const pts = city.addressPoints;
  for (let i = 0; i < pts.labels.length; i++)
    entries.push({
      kind: 'address',
      name: pts.labels[i]!,
      points: [{ lng: pts.lng[i]!, lat: pts.lat[i]!, gridId: gridId(pts.grid[i]! + 1) }],
    });
  const byRoad = new Map<string, GazetteerEntry['points'][number][]>();
  for (const r of city.roads) {
    const list = byRoad.get(r.name) ?? [];
    // A grid per vertex is what the server locates; here the nearest address point's grid stands in.
    for (const [lng, lat] of r.coords)
      list.push({
        lng,
        lat,
        gridId: gridId(1 + (Math.abs(Math.round(lng * 1e3 + lat * 1e3)) % city.grids.length)),
      });
    byRoad.set(r.name, list);
  }
  for (const [name, points] of byRoad) entries.push({ kind: 'road', name, points });
  for (const p of city.places)
    entries.push({
      kind: 'place',
      name: p.name,
      points: [{ lng: p.lng, lat: p.lat, gridId: gridOf.get(p.gridCode)! }],
    });
  city.grids.forEach((g, i) => {
    const [lng, lat] = g.polygon[0]![0]![0]!;
    entries.push({ kind: 'grid', name: g.name, points: [{ lng: lng!, lat: lat!, gridId: gridId(i + 1) }] });
  });
  for (const u of city.units) {
    if (u.level === 'city') continue;
    const grids = city.grids
      .map((g, i) => ({ g, id: gridId(i + 1) }))
      .filter(({ g }) => g.communityCode.startsWith(u.code));
    if (!grids.length) continue;
    const [lng, lat] = grids[0]!.g.polygon[0]![0]![0]!;
    entries.push({
      kind: u.level,
      name: u.name,
      points: grids.map(({ id }) => ({ lng: lng!, lat: lat!, gridId: id })),
    });
  }

  const t0 = performance.now();
  const index = new AddressIndex(entries, () => '');
  const buildMs = performance.now() - t0;
  const keys = entries.map((e) => normalizeName(e.name));

  // A street dispatcher's jurisdiction: the grids of the first street.
  const firstStreet = city.units.find((u) => u.level === 'street')!.code;
  const mine = new Set(
    city.grids.flatMap((g, i) =>
      streetOfCommunity.get(g.communityCode) === firstStreet ? [gridId(i + 1)] : [],
    ),
  );
  const jurisdictions: [string, (g: GridId) => boolean][] = [
    ['city', () => true],
    ['street', (g) => mine.has(g)],
  ];

  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const roadNames = [...byRoad.keys()];
  const queries: string[] = [];
  for (let i = 0; i < 150; i++) {
    const road = pick(roadNames);
    // Typed one character at a time, then a house number.
    for (let k = 1; k <= road.length; k++) queries.push(road.slice(0, k));
    queries.push(`${road} ${1 + Math.floor(rnd() * 60)} 号`);
    queries.push(pick(city.units).name.slice(0, 3));
    queries.push(pick(city.places).name.slice(1, 4));
    queries.push(pick(pts.labels).slice(0, 4));
  }

  const ours: number[] = [];
  const base: number[] = [];
  let differing = 0;
  /** Queries the scan finds nothing for, answered by reading them as a full address (units in front dropped). */
  let fullAddress = 0;
  for (const [, allowed] of jurisdictions) {
    for (const q of queries.slice(0, 50)) index.search(q, allowed, LIMIT); // warm-up
    for (const q of queries) {
      let s = performance.now();
      const hits = index.search(q, allowed, LIMIT);
      ours.push(performance.now() - s);
      s = performance.now();
      const expected = linearScan(entries, keys, q, allowed);
      base.push(performance.now() - s);
      // The index may add neighbours of a missing house number; the matches themselves must agree.
      const got = hits.filter((h) => !h.nearby).map((h) => h.name);
      if (expected.length === 0 && got.length > 0) {
        fullAddress++;
        continue;
      }
      if (
        got.join('|') !== expected.slice(0, got.length).join('|') ||
        (got.length < expected.length && got.length < LIMIT)
      ) {
        differing++;
        if (process.env.ADDRESS_BENCH_DEBUG)
          console.error('differs', q, got.slice(0, 5), expected.slice(0, 5));
      }
    }
  }
  const p95 = pct(ours, 95);
  const b95 = pct(base, 95);
  report({
    bench: 'address',
    metric: 'address_search_p95_ms',
    value: p95,
    unit: 'ms',
    baseline: b95,
    ratio: b95 / p95,
    city: profile,
    entries: entries.length,
    queries: ours.length,
    differing,
    fullAddress,
  });
  report({
    bench: 'address',
    metric: 'address_index_build_ms',
    value: buildMs,
    unit: 'ms',
    entries: entries.length,
  });
}

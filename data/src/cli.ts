// Command line: writes a generated city as JSON and a summary on stderr.
//   node --import tsx data/src/cli.ts --profile demo [--seed 20261122] [--outline FILE.geojson --crs gcj02|wgs84]
//     [--now ISO-or-ms] [--days N] [--out city.json]

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { City, Profile } from './city.ts';
import type { GenerateOptions, OutlineCrs, OutlineInput } from './index.ts';
import { DEFAULT_SEED, PROFILES, generateCity } from './index.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function summary(city: City, ms: number, bytes: number): string {
  const count = <T>(items: readonly T[], key: (t: T) => string): string => {
    const m = new Map<string, number>();
    for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
    return [...m.entries()].map(([k, v]) => `${k} ${v}`).join(', ');
  };
  const open = city.cases.filter((c) => c.closedAt === null && c.rejectedAt === null).length;
  return [
    `${city.name} (${city.code}), profile ${city.profile}, seed ${city.seed}: generated in ${(ms / 1000).toFixed(2)} s, ${(bytes / 1e6).toFixed(1)} MB`,
    `  units: ${count(city.units, (u) => u.level)}`,
    `  grids: ${city.grids.length} (${city.grids.filter((g) => g.urban).length} urban), households ${city.grids.reduce((a, g) => a + g.households, 0)}, population ${city.grids.reduce((a, g) => a + g.population, 0)}`,
    `  roads: ${city.roads.length} (${count(city.roads, (r) => r.class)}), water: ${city.water.map((w) => w.name).join(', ')}`,
    `  places: ${city.places.length} (${count(city.places, (p) => p.kind)})`,
    `  staff: ${city.staff.length} (${count(city.staff, (s) => s.role)})`,
    `  cases: ${city.cases.length} (${open} open)`,
    `  address points: ${city.addressPoints.lng.length} (buildings / 标准地址)`,
  ].join('\n');
}

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'demo' },
    seed: { type: 'string' },
    outline: { type: 'string' },
    crs: { type: 'string', default: 'wgs84' },
    now: { type: 'string' },
    days: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stderr.write(
    `usage: cli.ts --profile tiny|demo|quzhou|stress [--seed N, default ${DEFAULT_SEED} as the server's] [--outline FILE.geojson --crs gcj02|wgs84] [--now ISO|ms] [--days N] [--out FILE]\n`,
  );
  process.exit(0);
}
const profile = values.profile as Profile;
if (!(profile in PROFILES))
  fail(`unknown profile "${values.profile}" (one of ${Object.keys(PROFILES).join(', ')})`);
const crs = values.crs as OutlineCrs;
if (crs !== 'gcj02' && crs !== 'wgs84') fail(`--crs must be gcj02 or wgs84, not "${values.crs}"`);
const options: GenerateOptions = { profile, outlineCrs: crs };
if (values.seed !== undefined) {
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed must be an integer, not "${values.seed}"`);
  options.seed = seed;
}
if (values.now !== undefined) {
  const now = /^\d+$/.test(values.now) ? Number(values.now) : Date.parse(values.now);
  if (!Number.isFinite(now)) fail(`--now must be an ISO date or ms since epoch, not "${values.now}"`);
  options.now = now;
}
if (values.days !== undefined) {
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 0) fail(`--days must be a whole number, not "${values.days}"`);
  options.historyDays = days;
}
if (values.outline !== undefined) {
  try {
    options.outline = JSON.parse(readFileSync(values.outline, 'utf8')) as OutlineInput;
  } catch (e) {
    fail(`cannot read outline ${values.outline}: ${(e as Error).message}`);
  }
}

const t0 = performance.now();
const city = generateCity(options);
const ms = performance.now() - t0;
// Typed-array columns (address points) as plain arrays, not {"0": …} objects.
const json = JSON.stringify(city, (_k, v: unknown) =>
  ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v,
);
if (values.out) writeFileSync(values.out, json);
else process.stdout.write(json);
process.stderr.write(`${summary(city, ms, Buffer.byteLength(json))}\n`);

import { booleanPointInPolygon, multiPolygon, point } from '@turf/turf';
import { generateCity } from '@gcc/data';
import { GridIndex } from '@gcc/shared/geo';
import { report } from './report.ts';

// Point → grid assignment on the `stress` city (5,000 grids): the server's index (uniform bucket
// grid + exact ray casting over flat typed arrays) against the naive loop — turf's
// booleanPointInPolygon over every grid — timed on a sample, with identical answers checked.

const POINTS = 1_000_000;
const BASELINE_SAMPLE = 3_000;

export async function run(): Promise<void> {
  const t0 = performance.now();
  const city = generateCity({ profile: 'stress' });
  const genMs = performance.now() - t0;
  const grids = city.grids.map((g, i) => ({ id: i + 1, polygon: g.polygon }));
  const t1 = performance.now();
  const index = new GridIndex(grids);
  const buildMs = performance.now() - t1;

  let seed = 12345;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const [x0, y0, x1, y1] = city.bbox;
  const xs = new Float64Array(POINTS);
  const ys = new Float64Array(POINTS);
  for (let i = 0; i < POINTS; i++) {
    xs[i] = x0 + rnd() * (x1 - x0);
    ys[i] = y0 + rnd() * (y1 - y0);
  }

  // Warm up, then time the whole million.
  for (let i = 0; i < 20_000; i++) index.locate(xs[i]!, ys[i]!);
  const t2 = performance.now();
  let found = 0;
  for (let i = 0; i < POINTS; i++) if (index.locate(xs[i]!, ys[i]!) !== null) found++;
  const indexSec = (performance.now() - t2) / 1000;
  const indexRate = POINTS / indexSec;

  const turfGrids = grids.map((g) => ({ id: g.id, f: multiPolygon(g.polygon) }));
  const t3 = performance.now();
  let mismatches = 0;
  for (let i = 0; i < BASELINE_SAMPLE; i++) {
    const p = point([xs[i]!, ys[i]!]);
    const naive = turfGrids.find((g) => booleanPointInPolygon(p, g.f))?.id ?? null;
    if (naive !== index.locate(xs[i]!, ys[i]!)) mismatches++;
  }
  const baselineRate = BASELINE_SAMPLE / ((performance.now() - t3) / 1000);
  report({
    bench: 'assign',
    metric: 'assign_rate',
    value: indexRate,
    unit: 'points/s',
    baseline: baselineRate,
    ratio: indexRate / baselineRate,
    grids: grids.length,
    points: POINTS,
    inside: found,
    baselineSample: BASELINE_SAMPLE,
    mismatches,
    indexBuildMs: Math.round(buildMs),
    cityGenerateMs: Math.round(genMs),
  });
}

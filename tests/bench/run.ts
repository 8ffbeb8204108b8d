// `pnpm bench [NAME…]`: runs the benchmarks one after another (never two at once: the machine
// is shared) and prints one JSON object per line: { bench, metric, value, unit, baseline?, ratio? }.
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url);
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : available) {
  const mod = (await import(new URL(`./${name}.bench.ts`, dir).href)) as { run(): Promise<void> };
  await mod.run();
}

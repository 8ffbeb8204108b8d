// `pnpm bench [NAME…]`: runs the benchmarks one after another (never two at once: the machine
// is shared) and prints one JSON object per line: { bench, metric, value, unit, baseline?, ratio? }.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
  const mod = (await import(new URL(`./${name}.bench.ts`, dir).href)) as {
    run(): Promise<void>;
    /** V8 flags the bench must start with (they cannot be set once the process runs). */
    nodeFlags?: readonly string[];
  };
  const missing = (mod.nodeFlags ?? []).filter((f) => !process.execArgv.includes(f));
  if (missing.length) await inChild(name, missing);
  else await mod.run();
}

/** Runs one bench in a child process started with `flags` (its lines printed as its own). */
function inChild(name: string, flags: readonly string[]): Promise<void> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...flags, fileURLToPath(import.meta.url), name],
    {
      stdio: 'inherit',
    },
  );
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`bench ${name} exited with ${code}`)),
    ),
  );
}

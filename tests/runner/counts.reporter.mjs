// A node:test reporter that prints nothing and writes the run's own totals (the `tests`, `pass`,
// `fail`, `cancelled`, `skipped`, `todo` diagnostics that end every run) to
// test-results/browser-counts.json, for the summary line of `pnpm test`. It writes the file itself
// because a reporter destination must be an existing folder's file, and a fresh clone has no
// test-results/ until the harness makes it.
import { mkdirSync, writeFileSync } from 'node:fs';

const out = new URL('../../test-results/browser-counts.json', import.meta.url);
const KEYS = new Set(['tests', 'pass', 'fail', 'cancelled', 'skipped', 'todo']);

export default async function* countsReporter(source) {
  const counts = {};
  for await (const event of source) {
    if (event.type !== 'test:diagnostic' || event.data.nesting !== 0) continue;
    const [key, value] = event.data.message.split(' ');
    if (KEYS.has(key) && /^\d+$/.test(value ?? '')) counts[key] = Number(value);
  }
  mkdirSync(new URL('.', out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(counts)}\n`);
  yield '';
}

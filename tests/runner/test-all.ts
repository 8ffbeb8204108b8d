import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { prepare } from '../setup/prepare.ts';
import { parseSkip } from '../setup/requirements.ts';
import {
  countNode,
  countVitest,
  summaryLines,
  type Suite,
  type SuiteResult,
  type VitestReport,
} from './suite-counts.ts';

// `pnpm test`, the README's test command: set-up (find or install what the suites need), then
// typecheck, lint, unit + integration (vitest; integration on PGlite and on PostgreSQL) and the
// browser tests, stopping at the first failure as `a && b && c` would; and at the end, whatever
// happened, one line per suite and a total line `N passed, N failed` that names what did not run.

const root = new URL('../..', import.meta.url).pathname;
const unitReport = join(root, 'test-results', 'unit.json');
const browserReport = join(root, 'test-results', 'browser-counts.json');

const { skip, unknown } = parseSkip(process.env.TEST_SKIP);
if (unknown.length) {
  console.error(`[test] TEST_SKIP knows e2e, postgres, redis; not: ${unknown.join(', ')}`);
  process.exit(2);
}

const notes: string[] = [];
if (skip.size) notes.push(`skipped: ${[...skip].join(', ')} (TEST_SKIP)`);
const results: Record<Suite, SuiteResult | null> = {
  unit: null,
  pglite: null,
  postgres: null,
  browser: null,
};
if (skip.has('postgres')) results.postgres = { none: 'skipped', why: 'TEST_SKIP=postgres' };
if (skip.has('e2e')) results.browser = { none: 'skipped', why: 'TEST_SKIP=e2e' };

let failed: string | null = null;
// Stale reports from an earlier run must not be read as this run's.
rmSync(unitReport, { force: true });
rmSync(browserReport, { force: true });

const env: Record<string, string> = {};
const prepared = prepare(skip);
if (!prepared.ok) {
  console.error(prepared.message);
  failed = 'set-up';
} else if (prepared.found.chromium) {
  // Where the set-up found it is where the browser tests look (they default to /usr/bin/chromium).
  env.CHROMIUM_PATH = prepared.found.chromium;
}

function step(name: string, script: string): void {
  if (failed) return;
  console.log(`\n[test] ${name}: pnpm ${script}`);
  const r = spawnSync('pnpm', [script], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failed = name;
}

step('typecheck', 'typecheck');
step('lint', 'lint');
const unitStarted = !failed;
step('unit and integration', 'test:unit');
if (unitStarted) {
  if (existsSync(unitReport)) {
    const counts = countVitest(JSON.parse(readFileSync(unitReport, 'utf8')) as VitestReport, root);
    results.unit = { counts: counts.unit };
    results.pglite = { counts: counts.pglite };
    results.postgres ??= { counts: counts.postgres };
  } else {
    for (const s of ['unit', 'pglite', 'postgres'] as const)
      results[s] ??= { none: 'no report', why: 'vitest wrote no report; see its output above' };
  }
}
if (!skip.has('e2e')) {
  const browserStarted = !failed;
  step('browser', 'test:e2e');
  if (browserStarted)
    results.browser = existsSync(browserReport)
      ? { counts: countNode(JSON.parse(readFileSync(browserReport, 'utf8')) as Record<string, number>) }
      : { none: 'no report', why: 'the build or node --test stopped first; see the output above' };
}

if (failed) notes.push(`${failed} failed`);
const final = Object.fromEntries(
  Object.entries(results).map(([s, r]) => [s, r ?? { none: 'not run', why: `${failed} failed first` }]),
) as Record<Suite, SuiteResult>;
console.log('');
for (const line of summaryLines(final, notes)) console.log(line);
process.exit(failed ? 1 : 0);

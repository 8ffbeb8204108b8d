import { relative, sep } from 'node:path';

// Per-suite counts for the last line of `pnpm test`, from vitest's JSON report and from the
// totals of the browser run (counts.reporter.mjs). The four suites the README promises:
// unit, integration on PGlite, integration on PostgreSQL, browser.

export const SUITES = ['unit', 'pglite', 'postgres', 'browser'] as const;
export type Suite = (typeof SUITES)[number];

export const SUITE_LABEL: Record<Suite, string> = {
  unit: 'unit',
  pglite: 'integration on PGlite',
  postgres: 'integration on PostgreSQL',
  browser: 'browser',
};

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** A suite's outcome: its counts, or why it has none (opted out, not reached, no report). */
export type SuiteResult = { counts: Counts } | { none: 'skipped' | 'not run' | 'no report'; why: string };

/** The part of vitest's JSON report read here. */
export interface VitestReport {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string }[];
  }[];
}

const zero = (): Counts => ({ passed: 0, failed: 0, skipped: 0 });

// Integration tests name the database they run on (`describe.each(kinds)('… on %s')`,
// `it.each(kinds)('… (%s)')`, `… PostgreSQL + Redis`); whatever does not say PostgreSQL runs on
// PGlite, the server's embedded database.
const ON_POSTGRES = /\bpostgres(ql)?\b/i;

/** Splits vitest's tests into unit and the two integration runs. */
export function countVitest(
  report: VitestReport,
  root: string,
): Record<'unit' | 'pglite' | 'postgres', Counts> {
  const out = { unit: zero(), pglite: zero(), postgres: zero() };
  for (const file of report.testResults) {
    const integration = relative(root, file.name).split(sep).join('/').startsWith('tests/integration/');
    let failedHere = 0;
    for (const t of file.assertionResults) {
      const suite = !integration ? 'unit' : ON_POSTGRES.test(t.fullName) ? 'postgres' : 'pglite';
      if (t.status === 'passed') out[suite].passed++;
      else if (t.status === 'failed') {
        out[suite].failed++;
        failedHere++;
      } else out[suite].skipped++;
    }
    // A file that failed outside its tests (an import, a beforeAll hook) counts as one failure,
    // so that the summary never says 0 failed while vitest says otherwise.
    if (file.status === 'failed' && failedHere === 0) out[integration ? 'pglite' : 'unit'].failed++;
  }
  return out;
}

/** The browser run's totals as node:test reports them. */
export function countNode(totals: Partial<Record<string, number>>): Counts {
  return {
    passed: totals.pass ?? 0,
    failed: (totals.fail ?? 0) + (totals.cancelled ?? 0),
    skipped: (totals.skipped ?? 0) + (totals.todo ?? 0),
  };
}

function showCounts(c: Counts): string {
  return `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;
}

/** One line per suite, then the total line: `N passed, N failed` and what was left out and why. */
export function summaryLines(results: Record<Suite, SuiteResult>, notes: string[]): string[] {
  const total = zero();
  const parts: string[] = [];
  const lines: string[] = [];
  for (const s of SUITES) {
    const r = results[s];
    if ('counts' in r) {
      total.passed += r.counts.passed;
      total.failed += r.counts.failed;
      total.skipped += r.counts.skipped;
      lines.push(`[test] ${SUITE_LABEL[s]}: ${showCounts(r.counts)}`);
      parts.push(`${SUITE_LABEL[s]} ${r.counts.passed + r.counts.failed}`);
    } else {
      lines.push(`[test] ${SUITE_LABEL[s]}: ${r.none} (${r.why})`);
      parts.push(`${SUITE_LABEL[s]} ${r.none}`);
    }
  }
  const tail = notes.length ? `; ${notes.join('; ')}` : '';
  lines.push(`[test] tests: ${showCounts(total)} (${parts.join(', ')})${tail}`);
  return lines;
}

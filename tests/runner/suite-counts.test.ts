import { describe, expect, it } from 'vitest';
import { countNode, countVitest, summaryLines, type VitestReport } from './suite-counts.ts';

const root = '/repo';
const report: VitestReport = {
  testResults: [
    {
      name: '/repo/shared/src/case/case-machine.test.ts',
      status: 'passed',
      assertionResults: [
        { fullName: 'case machine registers', status: 'passed' },
        { fullName: 'case machine refuses', status: 'passed' },
      ],
    },
    {
      name: '/repo/tests/integration/server.test.ts',
      status: 'failed',
      assertionResults: [
        { fullName: 'server on pglite logs in', status: 'passed' },
        { fullName: 'server on postgres logs in', status: 'passed' },
        { fullName: 'server on postgres lists cases', status: 'failed' },
      ],
    },
    {
      name: '/repo/tests/integration/crash.test.ts',
      status: 'passed',
      assertionResults: [
        { fullName: 'kill -9 during a burst keeps every report (pglite)', status: 'passed' },
        { fullName: 'kill -9 during a burst keeps every report (postgres)', status: 'passed' },
      ],
    },
    {
      name: '/repo/tests/integration/scale-out.test.ts',
      status: 'passed',
      assertionResults: [
        { fullName: 'scale-out: three processes, PostgreSQL + Redis a device', status: 'skipped' },
      ],
    },
    // A file whose import failed has no tests, but it failed.
    {
      name: '/repo/tests/integration/broken.test.ts',
      status: 'failed',
      message: 'boom',
      assertionResults: [],
    },
  ],
};

describe('per-suite counts', () => {
  it('splits vitest into unit and integration by folder, and the integration runs by the database named', () => {
    expect(countVitest(report, root)).toEqual({
      unit: { passed: 2, failed: 0, skipped: 0 },
      pglite: { passed: 2, failed: 1, skipped: 0 },
      postgres: { passed: 2, failed: 1, skipped: 1 },
    });
  });

  it('takes node:test totals, counting cancelled as failed', () => {
    expect(countNode({ tests: 30, pass: 27, fail: 1, cancelled: 1, skipped: 1, todo: 0 })).toEqual({
      passed: 27,
      failed: 2,
      skipped: 1,
    });
  });

  it('ends with one line: N passed, N failed, per suite, and what did not run and why', () => {
    const lines = summaryLines(
      {
        unit: { counts: { passed: 900, failed: 0, skipped: 0 } },
        pglite: { counts: { passed: 150, failed: 0, skipped: 0 } },
        postgres: { none: 'skipped', why: 'TEST_SKIP=postgres' },
        browser: { counts: { passed: 27, failed: 1, skipped: 0 } },
      },
      ['skipped: postgres (TEST_SKIP)'],
    );
    expect(lines).toEqual([
      '[test] unit: 900 passed, 0 failed',
      '[test] integration on PGlite: 150 passed, 0 failed',
      '[test] integration on PostgreSQL: skipped (TEST_SKIP=postgres)',
      '[test] browser: 27 passed, 1 failed',
      '[test] tests: 1077 passed, 1 failed (unit 900, integration on PGlite 150, integration on PostgreSQL skipped, browser 28); skipped: postgres (TEST_SKIP)',
    ]);
  });
});

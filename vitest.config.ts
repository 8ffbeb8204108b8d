import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,server,data,web,tests}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Vitest's default (one core less than the machine's) ran the files one at a time on the
    // 2-core CI machine: 584 s, of which 247 s with no test running — each integration file
    // waiting on its server's start. Two at once: 342 s for the same 755 tests.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['tests/setup/postgres.ts', 'tests/setup/redis.ts'],
    // The JSON report feeds the per-suite counts at the end of `pnpm test` (tests/runner).
    reporters: ['default', ['json', { outputFile: 'test-results/unit.json' }]],
  },
});

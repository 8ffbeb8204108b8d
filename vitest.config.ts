import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,server,data,web,tests}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['tests/setup/postgres.ts', 'tests/setup/redis.ts'],
    // The JSON report feeds the per-suite counts at the end of `pnpm test` (tests/runner).
    reporters: ['default', ['json', { outputFile: 'test-results/unit.json' }]],
  },
});

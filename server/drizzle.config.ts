import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @gcc/server db:generate` writes SQL migrations from the schema; the server
// applies them at start on PGlite and on PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});

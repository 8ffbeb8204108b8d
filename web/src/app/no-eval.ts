import { config } from 'zod';

// The pages' Content-Security-Policy allows no eval (server/src/http/security-headers.ts). zod
// compiles its object parsers with `new Function` when it may, and probes for that when each
// schema is built: set to jitless, it never tries, and a page load reports no CSP violation.
// Imported first by main.tsx, before any schema of @gcc/shared is built.
config({ jitless: true });

// `pnpm boundary import|export …`: boundary files in and out of a running server, for scripted
// migrations. It signs in as a planner or administrator (the password from BOUNDARY_PASSWORD or
// --password) and uses the same HTTP routes a page does: an import streams its progress to
// stderr and prints the report (JSON) to stdout, exit 0 when a plan was made (or a dry run
// passed), 1 when the file was refused, 2 on bad usage or a failed call.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `usage:
  pnpm boundary import FILE.geojson [--as grids|parents] [--crs wgs84|gcj02] [--tolerance METRES]
                       [--name NAME] [--within UNIT_ID] [--dry-run] [--url URL] [--user NAME]
  pnpm boundary export [--version N] [--format geojson|topojson] [--crs wgs84|gcj02] [--out FILE]
                       [--url URL] [--user NAME]
  --url defaults to http://127.0.0.1:8080, --user to planner; the password comes from
  BOUNDARY_PASSWORD (or --password).`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    as: { type: 'string', default: 'grids' },
    crs: { type: 'string', default: 'wgs84' },
    tolerance: { type: 'string', default: '1' },
    name: { type: 'string' },
    within: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    version: { type: 'string' },
    format: { type: 'string', default: 'geojson' },
    out: { type: 'string' },
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    user: { type: 'string', default: 'planner' },
    password: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
const [command, file] = positionals;
if (values.help || (command !== 'import' && command !== 'export')) fail(USAGE, values.help ? 0 : 2);
const base = values.url.replace(/\/+$/, '');
const password = values.password ?? process.env.BOUNDARY_PASSWORD;
if (!password) fail('no password: set BOUNDARY_PASSWORD (or --password)');

/** Signs in and returns the session cookie. */
async function signIn(): Promise<string> {
  const res = await fetch(`${base}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1' },
    body: JSON.stringify({ username: values.user, password }),
  });
  if (!res.ok) fail(`sign-in as ${values.user} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  if (!cookie) fail('sign-in answered without a session');
  return cookie;
}

async function runImport(cookie: string): Promise<number> {
  if (!file) fail(USAGE);
  let body: string;
  try {
    body = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read ${file}: ${(e as Error).message}`);
  }
  const query = new URLSearchParams({
    name: values.name ?? file.replace(/^.*\//, '').replace(/\.[^.]*$/, ''),
    level: values.as,
    crs: values.crs,
    toleranceM: values.tolerance,
    ...(values.within ? { within: values.within } : {}),
    ...(values['dry-run'] ? { dryRun: 'true' } : {}),
  });
  const res = await fetch(`${base}/api/boundaries/import?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gcc-csrf': '1', cookie },
    body,
  });
  if (!res.ok || !res.body) fail(`import failed: ${res.status} ${await res.text()}`);
  let report: { ok: boolean; planId: number | null } | null = null;
  let rest = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    rest += decoder.decode(chunk as Uint8Array, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = JSON.parse(rest.slice(0, nl)) as {
        progress?: { phase: string; fraction: number };
        report?: typeof report;
      };
      rest = rest.slice(nl + 1);
      if (line.progress)
        process.stderr.write(`${line.progress.phase} ${Math.round(line.progress.fraction * 100)}%\n`);
      if (line.report) report = line.report;
    }
  }
  if (!report) fail('the server ended without a report');
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.ok ? 0 : 1;
}

async function runExport(cookie: string): Promise<number> {
  const query = new URLSearchParams({
    format: values.format,
    crs: values.crs,
    ...(values.version ? { version: values.version } : {}),
  });
  const res = await fetch(`${base}/api/boundaries/export?${query}`, { headers: { cookie } });
  if (!res.ok) fail(`export failed: ${res.status} ${await res.text()}`);
  const text = await res.text();
  if (values.out) {
    writeFileSync(values.out, text);
    process.stderr.write(`wrote ${values.out} (${text.length} bytes)\n`);
  } else process.stdout.write(text);
  return 0;
}

const cookie = await signIn();
process.exitCode = command === 'import' ? await runImport(cookie) : await runExport(cookie);

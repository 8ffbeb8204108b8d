import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

// A PGlite database made from nothing runs initdb in WebAssembly first: 2.7 s measured on the
// shared 2-core machine, against 0.2 s for all the migrations after it. Loading a dump of a
// migrated empty database takes 0.6 s. So the first fresh database on a machine leaves such a
// dump behind (in the OS temp folder unless configured), and every later one — each test server, each benchmark's,
// a second data folder — starts from it. The dump's name is a hash of the PGlite build and of the
// migrations, so another PGlite or another migration set never loads it; the migrator still runs
// after (nothing left to apply) and is the check that the schema is whole.

/** Where the dumps live unless configured (`PGLITE_TEMPLATES`): one per PGlite build and migration set. */
export const defaultTemplateDir = (): string => join(tmpdir(), 'gcc-pglite-templates');

const require = createRequire(import.meta.url);

const keys = new Map<string, string>();

/** The hash naming the dump for this PGlite build and the migrations in `migrationsFolder` (once per process). */
export function templateKey(migrationsFolder: string): string {
  let key = keys.get(migrationsFolder);
  if (key === undefined) keys.set(migrationsFolder, (key = hashOf(migrationsFolder)));
  return key;
}

function hashOf(migrationsFolder: string): string {
  const hash = createHash('sha256');
  const entry = require.resolve('@electric-sql/pglite');
  hash.update(entry);
  hash.update(readFileSync(entry));
  const files = readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.sql') || f.endsWith('_journal.json'))
    .sort();
  for (const f of files) {
    hash.update(f);
    hash.update(readFileSync(join(migrationsFolder, f)));
  }
  return hash.digest('hex').slice(0, 24);
}

/** A data folder with no database in it yet (or an in-memory one): initdb would run. */
export function isFresh(dataDir: string): boolean {
  return dataDir.startsWith('memory://') || !existsSync(join(dataDir, 'PG_VERSION'));
}

/** The dump of a migrated empty database at `at`, if this machine has one. */
export function readTemplate(at: string): Blob | null {
  try {
    return new Blob([readFileSync(at)]);
  } catch {
    return null;
  }
}

/** Removes the dump at `at` (one PGlite could not load). */
export function dropTemplate(at: string): void {
  rmSync(at, { force: true });
}

/**
 * Leaves the dump of `client` (just migrated, empty) for the next fresh database. Written to a
 * file of its own and renamed into place, so that a process reading it never sees half of one
 * however many write it at once. A machine where it cannot be written only loses the head start.
 */
export async function writeTemplate(client: PGlite, at: string): Promise<void> {
  const part = `${at}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    const dump = await client.dumpDataDir('none');
    mkdirSync(dirname(at), { recursive: true });
    writeFileSync(part, new Uint8Array(await dump.arrayBuffer()));
    renameSync(part, at);
  } catch {
    rmSync(part, { force: true });
  }
}

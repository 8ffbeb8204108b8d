import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import {
  defaultTemplateDir,
  dropTemplate,
  isFresh,
  readTemplate,
  templateKey,
  writeTemplate,
} from './pglite-template.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The same Drizzle API over PGlite and over node-postgres. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens the record: PostgreSQL when `databaseUrl` is given, else PGlite in `dataDir`
 * (`memory://` for an in-memory database), and applies the migrations.
 */
export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** The folder of dumps of migrated empty databases (pglite-template.ts); null: none used. */
  templates?: string | null | undefined;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder });
    return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
  }
  if (!opts.dataDir.startsWith('memory://')) mkdirSync(opts.dataDir, { recursive: true });
  // A fresh database starts from this machine's dump of a migrated empty one, when there is one
  // (pglite-template.ts), and leaves one behind when there is not.
  const templates = opts.templates === undefined ? defaultTemplateDir() : opts.templates;
  const at =
    templates && isFresh(opts.dataDir) ? join(templates, `${templateKey(migrationsFolder)}.tar`) : null;
  const template = at ? readTemplate(at) : null;
  const { client, loaded } = template
    ? await fromTemplate(opts.dataDir, template, at!)
    : { client: await PGlite.create(opts.dataDir), loaded: false };
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  if (at && !loaded) await writeTemplate(client, at);
  return { db: db as unknown as Db, kind: 'pglite', close: () => client.close() };
}

/**
 * A fresh database from the template; a template PGlite cannot load (cut short by a full disk,
 * say) is removed and the database made from nothing, in the folder as it was before.
 */
async function fromTemplate(
  dataDir: string,
  template: Blob,
  at: string,
): Promise<{ client: PGlite; loaded: boolean }> {
  const before = dataDir.startsWith('memory://') ? null : new Set(readdirSync(dataDir));
  try {
    return { client: await PGlite.create(dataDir, { loadDataDir: template }), loaded: true };
  } catch {
    dropTemplate(at);
    if (before)
      for (const name of readdirSync(dataDir))
        if (!before.has(name)) rmSync(join(dataDir, name), { recursive: true, force: true });
    return { client: await PGlite.create(dataDir), loaded: false };
  }
}

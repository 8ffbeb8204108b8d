import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './connect.ts';
import { readTemplate, templateKey } from './pglite-template.ts';

const migrations = fileURLToPath(new URL('../../drizzle', import.meta.url));
const journal = (await import('../../drizzle/meta/_journal.json', { with: { type: 'json' } })).default;
const scratch = mkdtempSync(join(tmpdir(), 'gcc-template-test-'));
// Dumps of its own: the other test files' databases share the machine's folder meanwhile.
const templates = join(scratch, 'templates');
const dumpAt = () => join(templates, `${templateKey(migrations)}.tar`);
const open = (dataDir: string) => openDatabase({ dataDir, templates });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function migrationsApplied(db: Awaited<ReturnType<typeof openDatabase>>['db']): Promise<number> {
  const r = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return (r as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

describe('fresh PGlite databases start from a dump of a migrated empty one', () => {
  it('a fresh database leaves the dump, the next loads it; both are whole and writable', async () => {
    const first = await open('memory://');
    expect(readTemplate(dumpAt())).not.toBeNull();
    const second = await open(join(scratch, 'second'));
    for (const d of [first, second]) {
      expect(await migrationsApplied(d.db)).toBe(journal.entries.length);
    }
    // A write to one is not in the other, nor in the dump: each is a database of its own.
    await second.db.execute(sql`create table probe (n int)`);
    await second.db.execute(sql`insert into probe values (7)`);
    await second.close();
    await first.close();
    const reopened = await open(join(scratch, 'second'));
    const kept = await reopened.db.execute(sql`select n from probe`);
    expect((kept as unknown as { rows: { n: number }[] }).rows).toEqual([{ n: 7 }]);
    await reopened.close();
    const third = await open('memory://');
    await expect(third.db.execute(sql`select n from probe`)).rejects.toThrow();
    await third.close();
  });

  it('with dumps turned off (PGLITE_TEMPLATES=off), none is read or written', async () => {
    writeFileSync(dumpAt(), 'not a tar archive');
    const d = await openDatabase({ dataDir: 'memory://', templates: null });
    expect(await migrationsApplied(d.db)).toBe(journal.entries.length);
    await d.close();
    expect(readFileSync(dumpAt(), 'utf8')).toBe('not a tar archive');
  });

  it('another migration set has another dump', () => {
    const same = join(scratch, 'drizzle-same');
    const more = join(scratch, 'drizzle-more');
    cpSync(migrations, same, { recursive: true });
    cpSync(migrations, more, { recursive: true });
    writeFileSync(join(more, '9999_extra.sql'), 'select 1;');
    expect(templateKey(same)).toBe(templateKey(migrations));
    expect(templateKey(more)).not.toBe(templateKey(migrations));
  });

  it('a dump PGlite cannot load is dropped, and the database is made from nothing', async () => {
    writeFileSync(dumpAt(), 'not a tar archive');
    const dir = join(scratch, 'broken');
    const d = await open(dir);
    expect(await migrationsApplied(d.db)).toBe(journal.entries.length);
    await d.close();
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    // …and the good dump is back for the next one.
    expect(readTemplate(dumpAt())!.size).toBeGreaterThan(1_000_000);
  });
});

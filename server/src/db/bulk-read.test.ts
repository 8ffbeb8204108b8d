import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { readRows } from './bulk-read.ts';

// The bulk read on PGlite goes through COPY … TO '/dev/blob' with the query's parameters written
// in as literals: the rows must be exactly those of the plain select, whatever the values.

const client = new PGlite();
const db = drizzle(client);
afterAll(() => client.close());

describe('readRows', () => {
  it('gives the rows of the plain select, parameters included, numbers exact', async () => {
    await db.execute(sql`create table t (id integer, code text, x double precision)`);
    await db.execute(sql`insert into t values
      (1, '330802001001001', 118.87654321098765), (2, '330802001001002', -0.1),
      (3, 'it''s', 1e-7), (4, '330802001001001', 28.5)`);
    const query = sql`select id, code, x from t where code in (${'330802001001001'}, ${"it's"}) and id >= ${1} order by id`;
    const rows = await readRows(db, query, ['number', 'text', 'number'] as const);
    expect(rows).toEqual([
      [1, '330802001001001', 118.87654321098765],
      [3, "it's", 1e-7],
      [4, '330802001001001', 28.5],
    ]);
    expect(await readRows(db, sql`select id from t where id > ${9}`, ['number'] as const)).toEqual([]);
  });

  it('reads a text with a comma or a quote the plain way', async () => {
    await db.execute(sql`create table u (id integer, label text)`);
    await db.execute(sql`insert into u values (1, '人民路, 25 号'), (2, 'say "hi"')`);
    expect(await readRows(db, sql`select id, label from u order by id`, ['number', 'text'] as const)).toEqual(
      [
        [1, '人民路, 25 号'],
        [2, 'say "hi"'],
      ],
    );
  });
});

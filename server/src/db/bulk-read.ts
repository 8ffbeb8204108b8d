import { is, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { PgliteDatabase, PgliteTransaction } from 'drizzle-orm/pglite';
import type { Db } from './connect.ts';

// Many rows of numbers and codes at once (a city's address points: hundreds of thousands). PGlite
// hands a select's rows through its wire-protocol parser at about 10 µs a row; the same rows as
// CSV from `COPY (…) TO '/dev/blob'` cost a tenth of that. PostgreSQL's driver is fast enough with
// a plain select (and COPY TO a file is not for a client to ask of it).

export type ColumnKind = 'number' | 'text';
type Value<K extends ColumnKind> = K extends 'number' ? number : string;
export type BulkRow<K extends readonly ColumnKind[]> = { [I in keyof K]: Value<K[I]> };

type Executor = Pick<Db, 'execute'>;

/**
 * The rows of `query` as arrays, each column a number or a text as `kinds` says (no nulls: select
 * only NOT NULL columns).
 */
export async function readRows<K extends readonly ColumnKind[]>(
  db: Executor,
  query: SQL,
  kinds: K,
): Promise<BulkRow<K>[]> {
  if (is(db, PgliteTransaction) || is(db, PgliteDatabase)) {
    // COPY takes no bind parameters: the query's are written into it as literals.
    const copy = `copy (${inlined(query)}) to '/dev/blob' with (format csv)`;
    const result = (await db.execute(sql.raw(copy))) as unknown as { blob?: Blob };
    const text = result.blob ? await result.blob.text() : '';
    // A quoted field (a text with a comma, quote or line break) needs a real CSV reader: such
    // rows are read the plain way instead.
    if (!text.includes('"')) return parseCsv(text, kinds);
  }
  const { rows } = (await db.execute(query)) as unknown as { rows: Record<string, unknown>[] };
  return rows.map((r) => {
    const values = Object.values(r);
    return kinds.map((k, i) => (k === 'number' ? Number(values[i]) : String(values[i]))) as BulkRow<K>;
  });
}

const dialect = new PgDialect();

/** The query's SQL with its parameters as literals (numbers, and texts quoted with '' doubled). */
function inlined(query: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
    throw new Error(`bulk read: a parameter of type ${typeof v} cannot be written into COPY`);
  });
}

function parseCsv<K extends readonly ColumnKind[]>(text: string, kinds: K): BulkRow<K>[] {
  const out: BulkRow<K>[] = [];
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const fields = text.slice(at, end).split(',');
    if (fields.length !== kinds.length)
      throw new Error(`bulk read: a row of ${fields.length} fields, ${kinds.length} expected`);
    out.push(kinds.map((k, i) => (k === 'number' ? Number(fields[i]) : fields[i]!)) as BulkRow<K>);
    at = end + 1;
  }
  return out;
}

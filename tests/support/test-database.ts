import pg from 'pg';

/** A fresh, empty database on the test PostgreSQL server; returns its URL. */
export async function createTestDatabase(pgUrl: string, prefix = 'gcc_t'): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

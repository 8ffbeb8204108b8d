import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Role, UserId } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { auditLog } from '../db/schema.ts';

// PostgreSQL's jsonb refuses the NUL character and lone UTF-16 surrogates, which JSON (and so a
// hostile client) allows: in the recorded input they become U+FFFD, or a refused call's audit row
// would fail and turn its clean 400 into a 500. JSON.stringify writes both as \u escapes (and
// every backslash as \\), so they are found in its text.
const UNSTORABLE = /(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/gi;

/** The input as jsonb can hold it. */
export function storableInput(input: unknown): unknown {
  if (input === undefined || input === null) return null;
  const text = JSON.stringify(input);
  const clean = text.replace(UNSTORABLE, '$1\\ufffd');
  return clean === text ? input : JSON.parse(clean);
}

/** What the log keeps in place of a secret an administrator typed (a new account's or a reset password). */
export const HIDDEN_SECRET = '[已隐藏 hidden]';

/** The input without the passwords in it: the audit log records that one was set, never which. */
export function withoutSecrets(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  if (!('password' in record)) return input;
  return { ...record, password: HIDDEN_SECRET };
}

/** Who called what, from where: one audit row without its outcome. */
export interface AuditEntry {
  userId: UserId | null;
  role: Role | null;
  action: string;
  input: unknown;
  ip: string;
}

/**
 * A state-changing call in flight. `pending` until a transaction that changed data carries its
 * row (`claimed` while that transaction commits, `written` once it has), `closed` when the call
 * is over: a transaction after that (a timer the call started) no longer carries it.
 */
interface AuditedCall {
  entry: AuditEntry;
  state: 'pending' | 'claimed' | 'written' | 'closed';
}

type Target = Pick<Db, 'insert'>;
type Transaction = Db['transaction'];

/**
 * Append-only audit of state-changing calls: who, what, when, from where, and whether it worked.
 *
 * A call's row is written in the transaction of the change it makes, so a committed change always
 * has its row and a row that cannot be written rolls the change back (`carry`). A call that
 * changes nothing — refused, failed — is recorded after it, with `ok: false`.
 */
export class AuditLog {
  private readonly calls = new AsyncLocalStorage<AuditedCall>();

  constructor(private readonly db: Db) {}

  /** Records a call that ran outside `during` (refused before it could start). */
  async record(
    entry: AuditEntry & { ok: boolean; outcome?: string | null },
    target: Target = this.db,
  ): Promise<void> {
    await target.insert(auditLog).values({ at: Date.now(), ...entry, input: storableInput(entry.input) });
  }

  /**
   * Runs a state-changing call under audit: its row goes into the first transaction of the call
   * that changes data (`ok: true`, committed with the change). A call that committed nothing is
   * recorded after it with its outcome; one that committed and then failed gets a second row
   * saying so (`ok: false`).
   */
  async during<T>(
    entry: AuditEntry,
    run: () => Promise<T>,
    succeeded: (result: T) => boolean = () => true,
    /** Why a call that did not succeed failed (`FORBIDDEN last-admin`), kept with its row. */
    outcomeOf: (result: T) => string | null = () => null,
  ): Promise<T> {
    const call: AuditedCall = { entry, state: 'pending' };
    let ok = false;
    let outcome: string | null = 'INTERNAL_SERVER_ERROR';
    try {
      const result = await this.calls.run(call, run);
      ok = succeeded(result);
      outcome = ok ? null : outcomeOf(result);
      return result;
    } finally {
      const written = call.state === 'written';
      call.state = 'closed';
      if (!written || !ok) await this.record({ ...entry, ok, outcome: ok ? null : outcome });
    }
  }

  /**
   * Makes every transaction of `db` carry the audit row of the call it runs in: the row is
   * inserted just before commit when the transaction changed data (a read-only transaction of a
   * mutation carries nothing). Transactions outside an audited call are untouched.
   */
  carry(db: Db): void {
    const begin: Transaction = db.transaction.bind(db);
    const carrying: Transaction = async (work, config) => {
      const call = this.calls.getStore();
      if (!call || call.state !== 'pending') return begin(work, config);
      let mine = false;
      try {
        const result = await begin(async (tx) => {
          const out = await work(tx);
          if (call.state === 'pending' && (await changedData(tx)) && call.state === 'pending') {
            call.state = 'claimed';
            mine = true;
            await this.record({ ...call.entry, ok: true }, tx);
          }
          return out;
        }, config);
        if (mine) call.state = 'written';
        return result;
      } catch (e) {
        if (mine) call.state = 'pending';
        throw e;
      }
    };
    db.transaction = carrying;
  }
}

/** Whether the transaction has written anything (PostgreSQL assigns a transaction id on the first write). */
async function changedData(tx: Pick<Db, 'execute'>): Promise<boolean> {
  const res = (await tx.execute(
    sql`select pg_current_xact_id_if_assigned() is not null as changed`,
  )) as unknown as { rows: { changed: boolean }[] };
  return res.rows[0]?.changed === true;
}

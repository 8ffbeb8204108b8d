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

/** Append-only audit of state-changing calls: who, what, when, from where, and whether it worked. */
export class AuditLog {
  constructor(private readonly db: Db) {}

  async record(entry: {
    userId: UserId | null;
    role: Role | null;
    action: string;
    input: unknown;
    ip: string;
    ok: boolean;
  }): Promise<void> {
    await this.db.insert(auditLog).values({ at: Date.now(), ...entry, input: storableInput(entry.input) });
  }
}

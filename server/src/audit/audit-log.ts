import type { Role, UserId } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { auditLog } from '../db/schema.ts';

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
    await this.db.insert(auditLog).values({ at: Date.now(), ...entry, input: entry.input ?? null });
  }
}

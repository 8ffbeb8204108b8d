import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { AuditQueryInput, Role, SessionUser, UserId } from '@gcc/shared';
import { auditLog, users } from '../db/schema.ts';
import type { Services } from '../services.ts';

// Reading the audit log at the administration desk (审计日志). An administrator reads the calls
// of the users of its jurisdiction; an administrator of the city reads every row, those of no
// user (refused sign-ins, unknown devices) included. Newest first, paged by the id of the last
// row shown, so a page stays put while new calls are written above it.

/** A filter naming a user the administrator cannot see. */
export class AuditQueryError extends Error {
  readonly reason = 'unknown-user';
  constructor() {
    super('unknown-user');
  }
}

export interface AuditRow {
  id: number;
  at: number;
  userId: UserId | null;
  username: string | null;
  displayName: string | null;
  role: Role | null;
  action: string;
  ip: string | null;
  ok: boolean;
  outcome: string | null;
}

type AuditServices = Pick<Services, 'database' | 'boundary'>;

const rowColumns = {
  id: auditLog.id,
  at: auditLog.at,
  userId: auditLog.userId,
  username: users.username,
  displayName: users.displayName,
  role: auditLog.role,
  action: auditLog.action,
  ip: auditLog.ip,
  ok: auditLog.ok,
  outcome: auditLog.outcome,
};

/** Ids of the users the administrator's jurisdiction covers, or null for the whole city. */
async function visibleUsers(services: AuditServices, admin: SessionUser): Promise<UserId[] | null> {
  const b = services.boundary();
  if (b.isRoot(admin.unitId)) return null;
  const all = await services.database.db.select({ id: users.id, unitId: users.unitId }).from(users);
  return all.filter((u) => b.unitWithin(u.unitId, admin.unitId)).map((u) => u.id);
}

function scope(visible: UserId[] | null): SQL | undefined {
  if (visible === null) return undefined;
  return visible.length ? inArray(auditLog.userId, visible) : sql`false`;
}

/** One page of the audit log, newest first; `nextCursor` continues with older rows. */
export async function auditPage(
  services: AuditServices,
  admin: SessionUser,
  q: AuditQueryInput,
): Promise<{ rows: AuditRow[]; nextCursor: number | null }> {
  const db = services.database.db;
  const visible = await visibleUsers(services, admin);
  const where: (SQL | undefined)[] = [scope(visible)];
  if (q.username) {
    const [user] = await db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${q.username})`);
    if (!user || (visible !== null && !visible.includes(user.id))) throw new AuditQueryError();
    where.push(eq(auditLog.userId, user.id));
  }
  if (q.action) {
    // A prefix (`admin.` → every admin call); LIKE's own wildcards in it are taken literally.
    const escaped = q.action.replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(sql`${auditLog.action} like ${`${escaped}%`}`);
  }
  if (q.from !== undefined) where.push(gte(auditLog.at, q.from));
  if (q.to !== undefined) where.push(lt(auditLog.at, q.to));
  if (q.failedOnly) where.push(eq(auditLog.ok, false));
  if (q.cursor !== undefined) where.push(lt(auditLog.id, q.cursor));
  const rows = await db
    .select(rowColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { rows: page, nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

/** One row with its input as stored, if the administrator may read it. */
export async function auditEntry(
  services: AuditServices,
  admin: SessionUser,
  id: number,
): Promise<(AuditRow & { input: unknown }) | null> {
  const visible = await visibleUsers(services, admin);
  const [row] = await services.database.db
    .select({ ...rowColumns, input: auditLog.input })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(and(eq(auditLog.id, id), scope(visible)));
  return row ?? null;
}

import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Role, SessionUser, UnitId, UserId } from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { accessTokens, departments, sessions, units, users } from '../db/schema.ts';
import { hashPassword, hashToken, newToken, verifyPassword } from './passwords.ts';
import { SignInBackoff } from './sign-in-backoff.ts';

// Users log in with a password and get a session token in an httpOnly cookie; a wall display
// logs in with a kiosk token from its URL and gets a read-only `wall` session. Only hashes of
// tokens are stored.

const SESSION_TTL_MS = 12 * 3600_000;
/** Kiosk sessions live long: a wall runs for weeks unattended and re-logs in with its token. */
const KIOSK_SESSION_TTL_MS = 30 * 24 * 3600_000;

/** Demo users created by `pnpm start` in demo mode; the README lists them. */
export const DEMO_USERS: readonly {
  username: string;
  password: string;
  role: Role;
  displayName: string;
  department?: string;
}[] = [
  { username: 'admin', password: 'admin123', role: 'admin', displayName: '系统管理员' },
  { username: 'dispatcher', password: 'dispatch123', role: 'dispatcher', displayName: '市指挥中心调度员' },
  { username: 'planner', password: 'plan123', role: 'planner', displayName: '网格规划员' },
  { username: 'wall', password: 'wall123', role: 'wall', displayName: '指挥大屏' },
  // The supervising center's posts (GB/T 30428): they report/verify, register, close.
  { username: 'inspector', password: 'inspect123', role: 'inspector', displayName: '监督员' },
  { username: 'intake', password: 'intake123', role: 'intake', displayName: '受理员' },
  { username: 'shiftlead', password: 'shift123', role: 'shift-lead', displayName: '值班长' },
  // A handling department's desk (专业部门): reports in (报到) when called, handles what it is sent.
  {
    username: 'chengguan',
    password: 'dept123',
    role: 'department',
    displayName: '城管执法局值班员',
    department: 'urban-management',
  },
];

/** The right password of a disabled account (停用): sign-in refused with `account-disabled`. */
export class AccountDisabledError extends Error {
  readonly reason = 'account-disabled';
  constructor() {
    super('account-disabled');
  }
}

export class AuthService {
  /** Per-account back-off of wrong passwords, whatever the address (sign-in-backoff.ts). */
  readonly signIns = new SignInBackoff();

  constructor(
    private readonly db: Db,
    private readonly secret: string,
  ) {}

  /** Creates the demo users when absent (demo mode only). */
  async ensureDemoUsers(now = Date.now()): Promise<void> {
    const [root] = await this.db.select({ id: units.id }).from(units).where(isNull(units.parentId)).limit(1);
    if (!root) throw new Error('no city in the database: seed first');
    const missing: { user: (typeof DEMO_USERS)[number]; departmentId: number | null }[] = [];
    for (const u of DEMO_USERS) {
      // Names are one account whatever their case (users_username_lower_idx): 'Wall' made at the desk is taken.
      const [existing] = await this.db
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.username}) = ${u.username.toLowerCase()}`);
      if (existing) continue;
      const [dept] = u.department
        ? await this.db
            .select({ id: departments.id })
            .from(departments)
            .where(eq(departments.code, u.department))
        : [];
      // A department user without its department row would act for nobody: skip it.
      if (u.department && !dept) continue;
      missing.push({ user: u, departmentId: dept?.id ?? null });
    }
    // scrypt runs on libuv's threads: the hashes of a first start are made side by side.
    const hashes = await Promise.all(missing.map((m) => hashPassword(m.user.password)));
    for (const [i, { user: u, departmentId }] of missing.entries())
      await this.db.insert(users).values({
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        unitId: root.id,
        departmentId,
        passwordHash: hashes[i]!,
        demo: true,
        createdAt: now,
      });
  }

  /** Demo accounts that still have their documented password (production refuses to start). */
  async demoAccountsWithDemoPasswords(): Promise<string[]> {
    const found: string[] = [];
    for (const u of DEMO_USERS) {
      const [row] = await this.db.select().from(users).where(eq(users.username, u.username));
      if (row && (await verifyPassword(u.password, row.passwordHash))) found.push(u.username);
    }
    return found;
  }

  /** Checks credentials; returns a new session token or null. */
  async login(
    username: string,
    password: string,
    now = Date.now(),
  ): Promise<{ token: string; user: SessionUser } | null> {
    const [row] = await this.db.select().from(users).where(eq(users.username, username));
    // Hash even for an unknown user so response time does not reveal which usernames exist.
    const ok = row ? await verifyPassword(password, row.passwordHash) : (await hashPassword(password), false);
    if (!row || !ok) return null;
    // The right password of a disabled account says so (the wrong one says nothing more).
    if (row.disabledAt !== null) throw new AccountDisabledError();
    const token = await this.db.transaction(async (tx) => {
      await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, row.id));
      return this.createSession(row.id, now, SESSION_TTL_MS, tx);
    });
    return { token, user: this.toSessionUser(row) };
  }

  /** Exchanges a kiosk token for a read-only wall session. */
  async loginWithKioskToken(
    kioskToken: string,
    now = Date.now(),
  ): Promise<{ token: string; user: SessionUser } | null> {
    const [tok] = await this.db
      .select()
      .from(accessTokens)
      .where(
        and(
          eq(accessTokens.tokenHash, hashToken(kioskToken, this.secret)),
          eq(accessTokens.kind, 'kiosk'),
          isNull(accessTokens.revokedAt),
        ),
      );
    if (!tok) return null;
    const username = `kiosk:${tok.id}`;
    return this.db.transaction(async (tx) => {
      await tx.update(accessTokens).set({ lastUsedAt: now }).where(eq(accessTokens.id, tok.id));
      let [row] = await tx.select().from(users).where(eq(users.username, username));
      if (!row) {
        // Two walls with the same token may sign in at once: insert-or-ignore, then read.
        await tx
          .insert(users)
          .values({
            username,
            displayName: tok.label,
            role: 'wall',
            unitId: tok.unitId,
            passwordHash: '!',
            demo: false,
            createdAt: now,
          })
          .onConflictDoNothing({ target: users.username });
        [row] = await tx.select().from(users).where(eq(users.username, username));
      }
      const token = await this.createSession(row!.id, now, KIOSK_SESSION_TTL_MS, tx);
      return { token, user: this.toSessionUser(row!) };
    });
  }

  /** Issues a kiosk token for a wall display; the token is shown once. */
  async issueKioskToken(
    label: string,
    unitId: UnitId,
    now = Date.now(),
  ): Promise<{ id: number; token: string }> {
    const token = newToken();
    // Writes run in a transaction so that an audited call's row commits with them (audit-log.ts).
    const [row] = await this.db.transaction((tx) =>
      tx
        .insert(accessTokens)
        .values({ tokenHash: hashToken(token, this.secret), kind: 'kiosk', label, unitId, createdAt: now })
        .returning({ id: accessTokens.id }),
    );
    return { id: row!.id, token };
  }

  /** Revokes a kiosk or device token and ends the sessions made from it; returns the kiosk's user, if any. */
  async revokeToken(id: number, now = Date.now()): Promise<{ revoked: boolean; kioskUserId: UserId | null }> {
    return this.db.transaction(async (tx) => {
      const res = await tx
        .update(accessTokens)
        .set({ revokedAt: now })
        .where(and(eq(accessTokens.id, id), isNull(accessTokens.revokedAt)))
        .returning({ id: accessTokens.id });
      const [kioskUser] = await tx
        .select({ id: users.id })
        .from(users)
        .where(eq(users.username, `kiosk:${id}`));
      if (kioskUser) await tx.delete(sessions).where(eq(sessions.userId, kioskUser.id));
      return { revoked: res.length > 0, kioskUserId: kioskUser?.id ?? null };
    });
  }

  /** The user of a live session token, or null. */
  async userForSession(token: string | undefined, now = Date.now()): Promise<SessionUser | null> {
    if (!token) return null;
    const [row] = await this.db
      .select({ user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.tokenHash, hashToken(token, this.secret)),
          gt(sessions.expiresAt, now),
          isNull(users.disabledAt),
        ),
      );
    return row ? this.toSessionUser(row.user) : null;
  }

  /** Ends a session. */
  async logout(token: string | undefined): Promise<void> {
    if (token)
      await this.db.transaction((tx) =>
        tx.delete(sessions).where(eq(sessions.tokenHash, hashToken(token, this.secret))),
      );
  }

  private async createSession(
    userId: UserId,
    now: number,
    ttl: number,
    tx?: Pick<Db, 'insert' | 'update'>,
  ): Promise<string> {
    const token = newToken();
    const row = { tokenHash: hashToken(token, this.secret), userId, createdAt: now, expiresAt: now + ttl };
    if (tx) await tx.insert(sessions).values(row);
    else await this.db.transaction((t) => t.insert(sessions).values(row));
    return token;
  }

  private toSessionUser(row: typeof users.$inferSelect): SessionUser {
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role as Role,
      unitId: row.unitId,
      departmentId: row.departmentId,
    };
  }
}

import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, isNull, ne, notLike, sql } from 'drizzle-orm';
import {
  USER_REFUSALS,
  type AccountRole,
  type CreateUserInput,
  type Role,
  type SessionUser,
  type UnitId,
  type UpdateUserInput,
  type UserId,
  type UserRefusal,
} from '@gcc/shared';
import type { Db } from '../db/connect.ts';
import { sessions, users } from '../db/schema.ts';
import type { Boundary } from '../spatial/boundary.ts';
import { hashPassword } from './passwords.ts';

// 用户管理: the accounts of people who sign in, managed by administrators of their jurisdiction
// (属地: a user whose unit lies outside the administrator's does not exist for it). The machine's
// own users — kiosk walls (`kiosk:N`) and the simulated desk (`sim:…`) — are not accounts here.
// Three changes are refused whatever the form says: the one that would leave the city without an
// enabled administrator of the city unit, an administrator's change of its own role, unit or
// state (it would lock itself out mid-sentence), and a unit that is unknown or outside.

/** A refused change of an account, with the reason the desk names (`refusal.<reason>`). */
export class UserAdminError extends Error {
  constructor(readonly reason: UserRefusal) {
    super(reason);
  }
}

/** An account as the administration desk lists it. */
export interface AccountRow extends SessionUser {
  demo: boolean;
  createdAt: number;
  lastSignInAt: number | null;
  disabledAt: number | null;
}

const MACHINE_USER = (column: typeof users.username) =>
  and(notLike(column, 'kiosk:%'), notLike(column, 'sim:%'));

/** A password an administrator hands over once: 12 characters, no look-alikes (0/O, 1/l/I). */
export function newInitialPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export class UserAdmin {
  constructor(
    private readonly db: Db,
    private readonly boundary: () => Boundary,
    private readonly departmentExists: (id: number) => boolean,
  ) {}

  /** Accounts inside the administrator's jurisdiction, newest first (at most 5,000). */
  async list(admin: SessionUser): Promise<AccountRow[]> {
    // 属地 in the query, before the limit: a district's own accounts are never crowded out by others'.
    const within = this.boundary().unitsWithin(admin.unitId);
    return this.db
      .select(columns)
      .from(users)
      .where(and(MACHINE_USER(users.username), within ? inArray(users.unitId, within) : undefined))
      .orderBy(desc(users.id))
      .limit(5000);
  }

  /** Creates an account; without a password one is made and returned (shown once). */
  async create(admin: SessionUser, input: CreateUserInput, now = Date.now()) {
    this.checkUnit(admin, input.unitId);
    const departmentId = this.checkDepartment(input.role, input.departmentId);
    const password = input.password ?? newInitialPassword();
    const passwordHash = await hashPassword(password);
    const row = await this.db.transaction(async (tx) => {
      const [taken] = await tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.username}) = lower(${input.username})`);
      if (taken) throw new UserAdminError(USER_REFUSALS.usernameTaken);
      const [created] = await tx
        .insert(users)
        .values({
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          unitId: input.unitId,
          departmentId,
          passwordHash,
          demo: false,
          createdAt: now,
        })
        // Another desk's account of the same name in any case, committed meanwhile (users_username_lower_idx).
        .onConflictDoNothing()
        .returning(columns);
      if (!created) throw new UserAdminError(USER_REFUSALS.usernameTaken);
      return created;
    });
    return { user: row, password: input.password === undefined ? password : null };
  }

  /** Changes an account's name, role, unit or department; returns it and whether its sessions were ended. */
  async update(
    admin: SessionUser,
    input: UpdateUserInput,
  ): Promise<{ user: AccountRow; endSessions: boolean }> {
    return this.db.transaction(async (tx) => {
      const before = await this.visible(tx, admin, input.id);
      const role = input.role ?? before.role;
      const unitId = input.unitId ?? before.unitId;
      const own = before.id === admin.id;
      if (own && (role !== before.role || unitId !== before.unitId))
        throw new UserAdminError(USER_REFUSALS.ownAccount);
      if (input.unitId !== undefined) this.checkUnit(admin, input.unitId);
      const departmentId = this.checkDepartment(
        role as AccountRole,
        input.departmentId !== undefined
          ? input.departmentId
          : role === 'department'
            ? before.departmentId
            : null,
      );
      await this.keepAnAdministrator(tx, before, { role, unitId, disabled: before.disabledAt !== null });
      const [after] = await tx
        .update(users)
        .set({
          displayName: input.displayName ?? before.displayName,
          role,
          unitId,
          departmentId,
        })
        .where(eq(users.id, before.id))
        .returning(columns);
      // A new role or jurisdiction starts from a fresh sign-in: the streams opened under the old
      // one would keep showing what the account may no longer see.
      const endSessions = role !== before.role || unitId !== before.unitId;
      if (endSessions) await tx.delete(sessions).where(eq(sessions.userId, before.id));
      return { user: after!, endSessions };
    });
  }

  /** Disables (停用: no sign-in, sessions ended) or enables an account. */
  async setDisabled(
    admin: SessionUser,
    id: UserId,
    disabled: boolean,
    now = Date.now(),
  ): Promise<AccountRow> {
    return this.db.transaction(async (tx) => {
      const before = await this.visible(tx, admin, id);
      if (before.id === admin.id) throw new UserAdminError(USER_REFUSALS.ownAccount);
      if (disabled === (before.disabledAt !== null)) return before;
      await this.keepAnAdministrator(tx, before, { role: before.role, unitId: before.unitId, disabled });
      const [after] = await tx
        .update(users)
        .set({ disabledAt: disabled ? now : null })
        .where(eq(users.id, id))
        .returning(columns);
      if (disabled) await tx.delete(sessions).where(eq(sessions.userId, id));
      return after!;
    });
  }

  /** Sets a new password (made here when none is given, and returned once); the account's sessions end. */
  async resetPassword(admin: SessionUser, id: UserId, password?: string) {
    const next = password ?? newInitialPassword();
    const passwordHash = await hashPassword(next);
    const user = await this.db.transaction(async (tx) => {
      const row = await this.visible(tx, admin, id);
      // The demo flag marks an account that still has its documented password; a reset clears it.
      await tx.update(users).set({ passwordHash, demo: false }).where(eq(users.id, id));
      await tx.delete(sessions).where(eq(sessions.userId, id));
      return row;
    });
    return { user: { ...user, demo: false }, password: password === undefined ? next : null };
  }

  /** The account if it is a person's inside the administrator's jurisdiction, else `unknown-user`. */
  private async visible(tx: Tx, admin: SessionUser, id: UserId): Promise<AccountRow> {
    const [row] = await tx
      .select(columns)
      .from(users)
      .where(and(eq(users.id, id), MACHINE_USER(users.username)))
      .for('update');
    if (!row || !this.boundary().unitWithin(row.unitId, admin.unitId))
      throw new UserAdminError(USER_REFUSALS.unknownUser);
    return row;
  }

  private checkUnit(admin: SessionUser, unitId: UnitId): void {
    const b = this.boundary();
    if (!b.unitById.has(unitId) || !b.unitWithin(unitId, admin.unitId))
      throw new UserAdminError(USER_REFUSALS.unknownUnit);
  }

  /** A department desk works for one department; every other role for none. */
  private checkDepartment(role: AccountRole, departmentId: number | null): number | null {
    if (role !== 'department') return null;
    if (departmentId === null || !this.departmentExists(departmentId))
      throw new UserAdminError(USER_REFUSALS.departmentRequired);
    return departmentId;
  }

  /**
   * Refuses a change that takes the last enabled administrator of the city unit away (a demotion,
   * a move down the tree, a disable): nobody could then edit the city's tables or its accounts.
   */
  private async keepAnAdministrator(
    tx: Tx,
    before: AccountRow,
    after: { role: Role; unitId: UnitId; disabled: boolean },
  ): Promise<void> {
    const b = this.boundary();
    const cityAdmin = (role: Role, unitId: UnitId, disabled: boolean) =>
      role === 'admin' && !disabled && b.isRoot(unitId);
    if (!cityAdmin(before.role, before.unitId, before.disabledAt !== null)) return;
    if (cityAdmin(after.role, after.unitId, after.disabled)) return;
    // Lock the other administrators' rows: two desks demoting the last two at once cannot both pass.
    const others = await tx
      .select({ unitId: users.unitId })
      .from(users)
      .where(
        and(
          eq(users.role, 'admin'),
          isNull(users.disabledAt),
          ne(users.id, before.id),
          notLike(users.username, 'sim:%'),
        ),
      )
      .for('update');
    if (!others.some((o) => b.isRoot(o.unitId))) throw new UserAdminError(USER_REFUSALS.lastAdmin);
  }
}

const columns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  unitId: users.unitId,
  departmentId: users.departmentId,
  demo: users.demo,
  createdAt: users.createdAt,
  lastSignInAt: users.lastSignInAt,
  disabledAt: users.disabledAt,
};

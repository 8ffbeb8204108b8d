import { z } from 'zod';
import { ROLES, UnitIdSchema, UserIdSchema, type Role } from '../domain/schemas.ts';

// The administration desk's inputs (系统管理: users, credentials, audit log), bounded at the wire.

/** Roles a person's account may hold: a `device` is a credential, never a person who signs in. */
export const ACCOUNT_ROLES = ROLES.filter((r): r is Exclude<Role, 'device'> => r !== 'device');
export const AccountRoleSchema = z.enum(
  ACCOUNT_ROLES as [Exclude<Role, 'device'>, ...Exclude<Role, 'device'>[]],
);
export type AccountRole = z.infer<typeof AccountRoleSchema>;

/** Sign-in names: letters, digits, `.`, `_` and `-` (never `sim:` or `kiosk:`, which name the machine's own users). */
export const UsernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, . _ - only');

/** A password an administrator sets: 8 to 128 characters. */
export const NewPasswordSchema = z.string().min(8).max(128);

export const CreateUserInputSchema = z.object({
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(40),
  role: AccountRoleSchema,
  unitId: UnitIdSchema,
  /** The department a `department` user works for (required for that role only). */
  departmentId: z.number().int().positive().max(2_147_483_647).nullable().default(null),
  /** The initial password; absent, the server makes one and shows it once. */
  password: NewPasswordSchema.optional(),
});
export type CreateUserInput = z.infer<typeof CreateUserInputSchema>;

export const UpdateUserInputSchema = z.object({
  id: UserIdSchema,
  displayName: z.string().trim().min(1).max(40).optional(),
  role: AccountRoleSchema.optional(),
  unitId: UnitIdSchema.optional(),
  departmentId: z.number().int().positive().max(2_147_483_647).nullable().optional(),
});
export type UpdateUserInput = z.infer<typeof UpdateUserInputSchema>;

export const SetUserDisabledInputSchema = z.object({ id: UserIdSchema, disabled: z.boolean() });
export const ResetPasswordInputSchema = z.object({
  id: UserIdSchema,
  password: NewPasswordSchema.optional(),
});

/** Why the desk refuses a change to an account (message keys `refusal.<reason>`). */
export const USER_REFUSALS = {
  lastAdmin: 'last-admin',
  ownAccount: 'own-account',
  unknownUnit: 'unknown-unit',
  unknownUser: 'unknown-user',
  usernameTaken: 'username-taken',
  departmentRequired: 'department-required',
} as const;
export type UserRefusal = (typeof USER_REFUSALS)[keyof typeof USER_REFUSALS];

/** The audit log's filters: a user by sign-in name, an action by its name or prefix (`admin.`), a time range; paged by cursor. */
export const AuditQueryInputSchema = z.object({
  username: z.string().trim().max(64).optional(),
  action: z
    .string()
    .trim()
    .max(80)
    .regex(/^[A-Za-z0-9._/:-]*$/, 'letters, digits, . _ / : - only')
    .optional(),
  from: z.number().int().min(0).max(8.64e15).optional(),
  to: z.number().int().min(0).max(8.64e15).optional(),
  /** Only refused or failed calls. */
  failedOnly: z.boolean().default(false),
  /** The id of the last row of the previous page (rows older than it follow). */
  cursor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditQueryInput = z.infer<typeof AuditQueryInputSchema>;

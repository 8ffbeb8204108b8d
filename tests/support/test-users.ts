import type { Role, UnitId } from '@gcc/shared';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { users } from '../../server/src/db/schema.ts';
import type { RunningServer } from '@gcc/server';
import { sessionClient, type Client } from './client.ts';

/** A user added to the test server's record (a role in a unit), signed in. */
export async function addUser(
  server: RunningServer,
  username: string,
  role: Role,
  unitId: UnitId,
  password = 'test-user-1',
): Promise<Client> {
  await server.services.database.db.insert(users).values({
    username,
    displayName: username,
    role,
    unitId,
    passwordHash: await hashPassword(password),
    createdAt: Date.now(),
  });
  return sessionClient(server, username, password);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';

// Guessing one account's password from many addresses: the per-address budget does not see it,
// the per-account back-off does. After five wrong passwords in a row the name is locked for
// 30 s, the right password included, whatever the address; other accounts are not touched.

describe('sign-in back-off per account', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let address = 0;
  /** auth.login from a new address each time (the test server trusts one proxy hop). */
  const login = async (username: string, password: string) => {
    address += 1;
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gcc-csrf': '1',
        'x-forwarded-for': `198.51.100.${address}`,
      },
      body: JSON.stringify({ username, password }),
    });
    const body = (await res.json()) as {
      error?: { message: string; data: { code: string; retryAfter?: number } };
    };
    return { status: res.status, error: body.error };
  };

  beforeAll(async () => {
    server = await startTestServer({ db: 'pglite', env: { TRUST_PROXY_HOPS: '1' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('locks a name after five wrong passwords from five addresses, and only that name', async () => {
    for (let i = 0; i < 4; i++) expect((await login('planner', `guess${i}`)).status).toBe(401);
    // A person who mistyped four times still gets in.
    expect((await login('planner', 'plan123')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login('planner', `guess${i}`)).status).toBe(401);
    const locked = await login('planner', 'plan123');
    expect(locked.status).toBe(429);
    expect(locked.error?.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfter: 30 });
    expect(locked.error?.message).toContain('30');
    // An unknown name is counted the same way (answers do not tell which names exist).
    for (let i = 0; i < 5; i++) expect((await login('nobody', `guess${i}`)).status).toBe(401);
    expect((await login('nobody', 'guess')).status).toBe(429);
    expect((await login('dispatcher', 'dispatch123')).status).toBe(200);
  });
});

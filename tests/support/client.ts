import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import type { AppRouter } from '@gcc/server';
import { EventSource } from 'eventsource';
import { SESSION_COOKIE } from '../../server/src/http/cookies.ts';

// A tRPC client in Node with its own cookie jar (one signed-in user per client), as the web app
// and the load generator use the API: batched HTTP for queries/mutations, SSE for subscriptions.

export function createClient(baseUrl: string) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const fetchWithJar: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size) headers.set('cookie', cookieHeader());
    const res = await fetch(input, { ...init, headers });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${baseUrl}/trpc`,
          EventSource: class extends EventSource {
            constructor(url: string | URL, init?: ConstructorParameters<typeof EventSource>[1]) {
              super(url, { ...init, fetch: (u, i) => fetchWithJar(u, i as RequestInit) });
            }
          } as unknown as typeof globalThis.EventSource,
        }),
        false: httpBatchLink({ url: `${baseUrl}/trpc`, fetch: fetchWithJar, headers: { 'x-gcc-csrf': '1' } }),
      }),
    ],
  });
  return { trpc, fetch: fetchWithJar, cookies: jar, cookieHeader };
}

export type Client = ReturnType<typeof createClient>;

/** A client signed in as a user (the demo users are in the README). */
export async function signedIn(baseUrl: string, username: string, password: string): Promise<Client> {
  const c = createClient(baseUrl);
  await c.trpc.auth.login.mutate({ username, password });
  return c;
}

/**
 * A client holding a session made by the auth service directly: for tests that need several
 * users, whose HTTP sign-ins would run into the per-address sign-in budget (a test of its own).
 */
export async function sessionClient(
  server: {
    url: string;
    services: { auth: { login(u: string, p: string): Promise<{ token: string } | null> } };
  },
  username: string,
  password: string,
): Promise<Client> {
  const session = await server.services.auth.login(username, password);
  if (!session) throw new Error(`cannot sign ${username} in`);
  const c = createClient(server.url);
  c.cookies.set(SESSION_COOKIE, session.token);
  return c;
}

/** The tRPC error code and data of a failed call (throws if the call did not fail). */
export async function failure(
  p: Promise<unknown>,
): Promise<{ code: string; message: string; httpStatus: number }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError) {
      const data = e.data as { code: string; httpStatus: number };
      return { code: data.code, message: e.message, httpStatus: data.httpStatus };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

/**
 * A deliberately ill-typed input, for tests of what the server refuses: the typed client would
 * not let such a value through, a hostile one sends it anyway.
 */
export function illTyped<T>(value: unknown): T {
  return value as T;
}

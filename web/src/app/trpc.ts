import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@gcc/server/router';

/** Every mutation must carry this header (the server's CSRF check); we send it on every request. */
export const CSRF_HEADERS = { 'x-gcc-csrf': '1' } as const;

/**
 * One client for the whole app: queries and mutations batched over HTTP, subscriptions over SSE
 * (`httpSubscriptionLink` resumes a dropped stream with the last `tracked()` id it saw).
 * Cookies are same-origin: the session is the httpOnly `gcc_session` cookie.
 */
export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc' }),
      false: httpBatchLink({
        url: '/trpc',
        headers: () => CSRF_HEADERS,
        fetch: (url, init) => fetch(url, { ...(init as RequestInit), credentials: 'same-origin' }),
      }),
    }),
  ],
});

export type TrpcClient = typeof trpcClient;

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** What a query or mutation of the client resolves to: the server's answer, inferred from its router. */
export type ResultOf<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

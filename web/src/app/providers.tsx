import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { LocaleProvider } from './i18n.tsx';
import { TRPCProvider, trpcClient } from './trpc.ts';

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() => {
    const client: QueryClient = new QueryClient({
      // A session that ends (expired, revoked) sends the user back through auth.me → /login.
      queryCache: new QueryCache({
        onError: (error, query) => {
          const path = query.queryKey[0];
          const isMe = Array.isArray(path) && path[0] === 'auth' && path[1] === 'me';
          if (isAuthError(error) && !isMe) void client.invalidateQueries({ queryKey: [['auth', 'me']] });
        },
      }),
      defaultOptions: {
        queries: {
          // A wall runs for weeks: keep retrying through outages, never show a stale error forever.
          retry: (failures, error) => !isAuthError(error) && failures < 1000,
          retryDelay: (attempt) => Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)),
          refetchOnWindowFocus: false,
          staleTime: 30_000,
        },
      },
    });
    return client;
  });
  return (
    <LocaleProvider>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          {children}
        </TRPCProvider>
      </QueryClientProvider>
    </LocaleProvider>
  );
}

/** True for a tRPC UNAUTHORIZED/FORBIDDEN error (retrying would not help). */
export function isAuthError(error: unknown): boolean {
  const code = (error as { data?: { code?: string } } | null)?.data?.code;
  return code === 'UNAUTHORIZED' || code === 'FORBIDDEN';
}

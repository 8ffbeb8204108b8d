import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useT } from './i18n.tsx';
import { useTRPC } from './trpc.ts';

// A first start serves the wall and the desks on the recent cases while months of older history
// are written behind (server/src/seed/history-loader.ts). Every desk's header and the wall say so
// (历史案件载入中 42%) until it is done, then the notice goes by itself; analytics also names the
// periods whose figures still lack cases.

const POLL_MS = 3_000;

/** The load as last seen on a page (its query client): whether it was still running. */
const loadingSeen = new WeakMap<QueryClient, boolean>();

/** The history load as the server reports it; polled while it runs, not after. */
export function useHistoryLoad() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(
    trpc.city.history.queryOptions(undefined, {
      refetchInterval: (query) => (query.state.data && !query.state.data.loading ? false : POLL_MS),
      staleTime: POLL_MS - 500,
    }),
  );
  const loading = q.data?.loading ?? false;
  useEffect(() => {
    // Figures read while history was short are asked again once it is complete — once per page,
    // however many parts of it watch the load (the state is the query client's, not the hook's).
    if (loadingSeen.get(queryClient) && !loading)
      void queryClient.invalidateQueries({ queryKey: trpc.indicators.pathKey() });
    loadingSeen.set(queryClient, loading);
  }, [loading, queryClient, trpc]);
  return q.data ?? null;
}

/** Counts the history loads seen to finish on this page: a snapshot taken before reloads on each. */
export function useHistoryCompletions(): number {
  const h = useHistoryLoad();
  const loading = h?.loading ?? false;
  const [seen, setSeen] = useState({ loading, done: 0 });
  // React's "state from the previous render": the count moves in the render that sees the change.
  if (seen.loading !== loading) setSeen({ loading, done: seen.done + (seen.loading ? 1 : 0) });
  return seen.done;
}

/** The header notice while older history loads (or after its load stopped). */
export function HistoryLoadingNotice({ className }: { className?: string }) {
  const t = useT();
  const h = useHistoryLoad();
  if (!h || (!h.loading && !h.failed)) return null;
  const text = h.failed
    ? t('history.failed')
    : t('history.loading', { percent: Math.min(99, Math.floor(h.fraction * 100)) });
  return (
    <span
      className={`history-loading ${className ?? ''}`}
      role="status"
      title={t('history.hint')}
      data-testid="history-loading"
    >
      {text}
    </span>
  );
}

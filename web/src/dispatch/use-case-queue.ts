import { useQuery } from '@tanstack/react-query';
import { OPEN_STATUSES } from '@gcc/shared';
import { useCallback, useMemo, useState } from 'react';
import { useTRPC } from '../app/trpc.ts';
import { DEFAULT_FILTER, type QueueFilter } from './CaseQueue.tsx';

const QUEUE_LIMIT = 300;

/**
 * The queue: the cases the filter asks for, most urgent deadline first (待处理: waiting for this
 * desk's step first, then overdue to chase), the tabs' counts, and the ones ticked for a bulk action. Without the event stream (supervising desks) it is polled more often.
 */
export function useCaseQueue(live: boolean) {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<QueueFilter>(DEFAULT_FILTER);
  const [checked, setChecked] = useState<ReadonlySet<number>>(() => new Set());

  // The filters every tab shares (the tabs' counts follow them too).
  const shared = useMemo(
    () => ({
      ...(filter.tier ? { tier: [filter.tier] } : {}),
      ...(filter.urgency ? { urgency: [filter.urgency] } : {}),
      ...(filter.category ? { category: [filter.category] } : {}),
      ...(filter.unitId ? { unitId: filter.unitId } : {}),
    }),
    [filter.tier, filter.urgency, filter.category, filter.unitId],
  );
  const listInput = useMemo(
    () => ({
      // 待处理: what needs this desk's action now (its step first, then overdue to chase), decided on the server by the engine's rules.
      ...(filter.status === 'mine'
        ? { needsAction: true }
        : { status: filter.status === 'open' ? [...OPEN_STATUSES] : [filter.status] }),
      ...shared,
      ...(filter.overdue ? { overdue: true } : {}),
      sort: 'deadline' as const,
      limit: QUEUE_LIMIT,
    }),
    [filter.status, filter.overdue, shared],
  );
  const refetchInterval = live ? 60_000 : 15_000;
  const queue = useQuery({
    ...trpc.cases.list.queryOptions(listInput),
    staleTime: 0,
    refetchInterval,
    placeholderData: (prev) => prev,
  });
  const counts = useQuery({
    ...trpc.cases.queueCounts.queryOptions(shared),
    staleTime: 0,
    refetchInterval,
    placeholderData: (prev) => prev,
  });
  const items = queue.data?.items ?? null;
  // In 待处理, the first `waiting` cases wait for this desk's step; the rest are overdue to chase.
  const data = queue.data;
  const waiting = data && 'waiting' in data && typeof data.waiting === 'number' ? data.waiting : null;

  const check = useCallback((ids: readonly number[], on: boolean) => {
    setChecked((prev) => {
      const next = new Set(prev);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  }, []);
  const tickOnly = useCallback((ids: Iterable<number> = []) => setChecked(new Set(ids)), []);
  // Ticks follow the queue: a case that left it (assigned elsewhere, filtered out) is no longer ticked.
  const ticked = useMemo(() => (items ?? []).filter((c) => checked.has(c.id)), [items, checked]);

  return {
    filter,
    setFilter,
    items,
    /** In 待处理: how many of `items` (the first ones) wait for this desk's step; null in other views. */
    waiting,
    /** The tabs' counts (null until known). */
    counts: counts.data ?? null,
    /** False while the previous filter's list is kept on screen and the new one loads. */
    settled: !queue.isPlaceholderData,
    checked,
    check,
    /** Ticks exactly these cases (none with no argument). */
    tickOnly,
    ticked,
  };
}

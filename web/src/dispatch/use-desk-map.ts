import type { GridId } from '@gcc/shared';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTRPC } from '../app/trpc.ts';
import { decodeGrids, gridIndexOf, gridNameOf } from '../map/grid-geometry.ts';
import type { DeskPosts } from './desk-posts.ts';

/**
 * The city the desk works in: its extent and units, the grid layer (decoded once, with the
 * point-in-grid index intake places reports with) and the roster's names. What a desk may not
 * read is not asked for.
 */
export function useDeskMap({ live, mapped }: Pick<DeskPosts, 'live' | 'mapped'>) {
  const trpc = useTRPC();
  const city = useQuery({ ...trpc.city.info.queryOptions(), staleTime: Infinity, enabled: mapped });
  const gridsQuery = useQuery({ ...trpc.grids.layer.queryOptions(), staleTime: Infinity, enabled: mapped });
  const roster = useQuery({ ...trpc.workers.snapshot.queryOptions(), staleTime: 5 * 60_000, enabled: live });
  const grids = useMemo(() => (gridsQuery.data ? decodeGrids(gridsQuery.data) : null), [gridsQuery.data]);
  const gridName = useCallback((id: GridId) => gridNameOf(grids, id), [grids]);
  const gridIndex = useMemo(() => (grids ? gridIndexOf(grids) : null), [grids]);
  const rosterNames = useMemo(
    () => new Map((roster.data?.workers ?? []).map((w) => [w.id, w.name])),
    [roster.data],
  );
  return { city: city.data ?? null, grids, gridName, gridIndex, rosterNames };
}

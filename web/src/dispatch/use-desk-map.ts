import type { BoundaryVersion, GridId } from '@gcc/shared';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTRPC } from '../app/trpc.ts';
import { gridIndexOf, gridNameOf } from '../map/grid-geometry.ts';
import { useGridLayer } from '../map/use-grid-layer.ts';
import type { DeskPosts } from './desk-posts.ts';

/**
 * The city the desk works in: its extent and units, the grid layer (decoded once, with the
 * point-in-grid index intake places reports with) and the roster's names. What a desk may not
 * read is not asked for. `shown` is the version the map draws when the dispatcher picked another
 * (history, a scheduled version); intake and names always use the version in force.
 */
export function useDeskMap(
  { live, mapped }: Pick<DeskPosts, 'live' | 'mapped'>,
  shown: BoundaryVersion | null = null,
) {
  const trpc = useTRPC();
  const city = useQuery({ ...trpc.city.info.queryOptions(), staleTime: Infinity, enabled: mapped });
  const { grids } = useGridLayer(null, mapped);
  // Another version than the one in force only: the one in force is the query above.
  const other = useGridLayer(shown, mapped && shown !== null && shown !== grids?.version);
  const roster = useQuery({ ...trpc.workers.snapshot.queryOptions(), staleTime: 5 * 60_000, enabled: live });
  const gridName = useCallback((id: GridId) => gridNameOf(grids, id), [grids]);
  const gridIndex = useMemo(() => (grids ? gridIndexOf(grids) : null), [grids]);
  const rosterNames = useMemo(
    () => new Map((roster.data?.workers ?? []).map((w) => [w.id, w.name])),
    [roster.data],
  );
  const shownGrids = shown === null || shown === grids?.version ? grids : other.grids;
  return { city: city.data ?? null, grids, shownGrids, gridName, gridIndex, rosterNames };
}

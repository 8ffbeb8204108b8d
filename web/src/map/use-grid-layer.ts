import type { BoundaryVersion } from '@gcc/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useTRPC } from '../app/trpc.ts';
import { decodeGrids, type GridGeometry, type GridLayerColumns } from './grid-geometry.ts';

/**
 * The grid layer of a boundary version, decoded once: the version in force when `version` is
 * null (refetched on a boundary event), else that version as it was (history is read-only, so
 * it is never refetched). While another version loads the one shown stays.
 */
export function useGridLayer(
  version: BoundaryVersion | null,
  enabled = true,
): { grids: GridGeometry | null; columns: GridLayerColumns | null; loading: boolean; failed: boolean } {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.grids.layer.queryOptions(version === null ? undefined : { version }),
    staleTime: Infinity,
    enabled,
    placeholderData: keepPreviousData,
  });
  const grids = useMemo(() => (query.data ? decodeGrids(query.data) : null), [query.data]);
  return { grids, columns: query.data ?? null, loading: query.isFetching, failed: query.isError };
}

/** The boundary version a map is asked to show (`?version=N` in the address), null for the version in force. */
export function useVersionParam(): [BoundaryVersion | null, (v: BoundaryVersion | null) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('version');
  const n = raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
  const version = n !== null && n > 0 ? (n as BoundaryVersion) : null;
  const set = (v: BoundaryVersion | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (v === null) next.delete('version');
        else next.set('version', String(v));
        return next;
      },
      { replace: true },
    );
  return [version, set];
}

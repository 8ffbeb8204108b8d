import { useQuery } from '@tanstack/react-query';
import { OPEN_STATUSES, type Case } from '@gcc/shared';
import { useCallback } from 'react';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';

/**
 * What the desk reads of the open case: the case with its timeline, the commands this user may
 * run on it now (and the version they apply to), the recommended workers when it can be
 * dispatched, and its suspected duplicates while it is open. Answers for a case other than the
 * open one (still loading after a switch) are not shown as the open case's.
 */
export function useOpenCase({
  selectedId,
  items,
  surge,
  live,
  rosterNames,
}: {
  selectedId: number | null;
  items: readonly Case[] | null;
  surge: boolean;
  live: boolean;
  rosterNames: ReadonlyMap<number, string>;
}) {
  const t = useT();
  const trpc = useTRPC();
  const detail = useQuery({
    ...trpc.cases.get.queryOptions({ id: selectedId ?? 1 }),
    enabled: selectedId !== null,
    staleTime: 0,
  });
  const allowed = useQuery({
    ...trpc.cases.allowed.queryOptions({ caseId: selectedId ?? 1 }),
    enabled: selectedId !== null,
    staleTime: 0,
  });
  // Worker names: the open case's (resolved by the server, for every desk) first, then the roster's.
  const caseWorkers = detail.data?.workers;
  const workerName = useCallback(
    (id: number) => caseWorkers?.[id] ?? rosterNames.get(id) ?? t('timeline.worker', { id }),
    [caseWorkers, rosterNames, t],
  );
  const current: Case | null =
    (selectedId !== null && detail.data?.case.id === selectedId ? detail.data.case : null) ??
    items?.find((c) => c.id === selectedId) ??
    null;
  const canDispatch = !!allowed.data?.commands.includes('dispatch') && allowed.data.caseId === selectedId;
  const recommend = useQuery({
    ...trpc.dispatch.recommend.queryOptions({ caseId: selectedId ?? 1, surge }),
    enabled: selectedId !== null && canDispatch,
    staleTime: 10_000,
  });
  // The dispatch view: the ranked workers with the version and assignee they were ranked at. A
  // dispatch from it sends these, never a version read later behind the dispatcher's back.
  const view = canDispatch && recommend.data?.caseId === selectedId ? recommend.data : null;
  const workers = view?.workers ?? null;
  // 疑似重复 of the open case.
  const caseOpen = !!current && OPEN_STATUSES.includes(current.status);
  const duplicates = useQuery({
    ...trpc.cases.duplicates.queryOptions({ caseId: selectedId ?? 1 }),
    enabled: live && selectedId !== null && caseOpen,
    staleTime: 10_000,
  });

  return {
    current,
    caseOpen,
    /** The timeline of `current` (empty until its own answer is in). */
    timeline: current && detail.data?.case.id === current.id ? detail.data.timeline : [],
    /** The caller in full, for a call-back (the server sends it only to the posts that call back). */
    contact: current && detail.data?.case.id === current.id ? detail.data.contact : null,
    /** `cases.allowed` as last answered: its `caseId` may still be the previous case's. */
    allowed: allowed.data,
    /** The commands allowed on the open case now; null until they are known for it. */
    commands: allowed.data?.caseId === selectedId ? allowed.data.commands : null,
    canDispatch,
    workers,
    view,
    duplicates: caseOpen ? (duplicates.data?.items ?? null) : null,
    workerName,
  };
}

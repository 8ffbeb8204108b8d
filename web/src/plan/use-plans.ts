import type { GridId } from '@gcc/shared';
import type { HouseholdBands } from '@gcc/shared/planning';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTRPC } from '../app/trpc.ts';
import { keptPrefix } from './save-delta.ts';

// The saved plans (网格调整方案) of the planner and of the others, through plans.list / get /
// create / save / rename / discard. Every write names the revision it was read at; the server
// refuses a stale one, or an edit that does not replay, with its reason (and, for a refused
// edit, which one and where: data.step, data.at).

export interface PlanSummary {
  id: number;
  name: string;
  author: string;
  mine: boolean;
  /** Whether this planner may write it (their own draft). */
  editable: boolean;
  updatedAt: number;
  /** Grids the plan touches (outlined on the map for others' plans). */
  grids: GridId[];
  problems: number;
}

/** The plan open in the editor: which one, at which revision, and whether this planner may write it. */
export interface OpenPlan {
  id: number;
  revision: number;
  name: string;
  editable: boolean;
  /** The plan's own household bands; null: the defaults. */
  bands: HouseholdBands | null;
  /** The edits stored at `revision` (a save sends only what follows those the editor still has). */
  saved: readonly unknown[];
}

/** A refused write as the page shows it: the server's sentence, and where when an edit was refused. */
export interface SaveRefusal {
  message: string;
  at: [number, number] | null;
}

export interface PlansApi {
  /** False while the plans API is not served. */
  available: boolean;
  list: PlanSummary[];
  /** Grids the other planners' drafts touch. */
  othersTouch: ReadonlySet<number>;
  busy: boolean;
  /** Saves the editor's history and bands into `open` (a new plan is created first). */
  saveAs(
    open: OpenPlan | null,
    name: string,
    history: { edits: unknown[]; cursor: number },
    bands: HouseholdBands | null,
  ): Promise<{ ok: true; plan: OpenPlan } | { ok: false; refusal: SaveRefusal }>;
  discardPlan(open: OpenPlan): Promise<SaveRefusal | null>;
  /** One plan's edits and cursor, to open it. */
  open(id: number): Promise<{ plan: OpenPlan; edits: unknown[]; cursor: number }>;
}

function refusalOf(e: unknown): SaveRefusal {
  const err = e as { message?: string; data?: { at?: [number, number] } | null };
  return { message: err.message ?? String(e), at: err.data?.at ?? null };
}

export function usePlans(): PlansApi {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery({ ...trpc.plans.list.queryOptions(), staleTime: 15_000, refetchInterval: 30_000 });
  const refresh = useCallback(
    () => qc.invalidateQueries({ queryKey: trpc.plans.list.queryKey() }),
    [qc, trpc],
  );
  const create = useMutation(trpc.plans.create.mutationOptions());
  const save = useMutation(trpc.plans.save.mutationOptions());
  const rename = useMutation(trpc.plans.rename.mutationOptions());
  const discard = useMutation(trpc.plans.discard.mutationOptions());

  const summaries = useMemo(
    (): PlanSummary[] =>
      (list.data ?? [])
        .filter((p) => p.status === 'draft')
        .map((p) => ({
          id: p.id,
          name: p.name,
          author: p.authorName,
          mine: p.mine,
          editable: p.editable,
          updatedAt: p.updatedAt,
          grids: p.touched,
          problems: p.problems,
        })),
    [list.data],
  );
  const othersTouch = useMemo(
    () => new Set<number>(summaries.filter((p) => !p.mine).flatMap((p) => p.grids)),
    [summaries],
  );

  const saveAs = useCallback<PlansApi['saveAs']>(
    async (open, name, history, bands) => {
      try {
        const target = open ?? { ...(await create.mutateAsync({ name })), saved: [] };
        const keep = keptPrefix(target.saved, history.edits);
        const saved = await save.mutateAsync({
          id: target.id,
          revision: target.revision,
          keep,
          // Made by the worker's engine from TopologyEditSchema-shaped edits; the server parses them again.
          edits: history.edits.slice(keep) as Parameters<typeof save.mutateAsync>[0]['edits'],
          cursor: history.cursor,
          bands,
        });
        let plan: OpenPlan = {
          id: saved.id,
          revision: saved.revision,
          name: saved.name,
          editable: true,
          bands: saved.bands,
          saved: history.edits,
        };
        if (name !== saved.name) {
          const renamed = await rename.mutateAsync({ id: plan.id, revision: plan.revision, name });
          plan = { ...plan, revision: renamed.revision, name: renamed.name };
        }
        void refresh();
        return { ok: true, plan };
      } catch (e) {
        return { ok: false, refusal: refusalOf(e) };
      }
    },
    [create, save, rename, refresh],
  );

  const discardPlan = useCallback<PlansApi['discardPlan']>(
    async (open) => {
      try {
        await discard.mutateAsync({ id: open.id, revision: open.revision });
        void refresh();
        return null;
      } catch (e) {
        return refusalOf(e);
      }
    },
    [discard, refresh],
  );

  const openPlan = useCallback<PlansApi['open']>(
    async (id) => {
      const d = await qc.fetchQuery({ ...trpc.plans.get.queryOptions({ id }), staleTime: 0 });
      return {
        plan: {
          id: d.id,
          revision: d.revision,
          name: d.name,
          editable: d.editable,
          bands: d.bands,
          saved: d.edits,
        },
        edits: d.edits,
        cursor: d.cursor,
      };
    },
    [qc, trpc],
  );

  return {
    available: !list.isError,
    list: summaries,
    othersTouch,
    busy: create.isPending || save.isPending || rename.isPending || discard.isPending,
    saveAs,
    discardPlan,
    open: openPlan,
  };
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Case, CaseReportInput } from '@gcc/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../app/i18n.tsx';
import { useTRPC, useTRPCClient, type ResultOf, type TrpcClient } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';
import type { ActionInput } from './CaseActions.tsx';
import type { ShowToast } from './Toasts.tsx';
import type { BulkResult, DispatchView } from './types.ts';
import { uploadPhoto } from './upload-photo.ts';

type Allowed = ResultOf<TrpcClient['cases']['allowed']['query']>;
type WireCommand = Parameters<TrpcClient['cases']['command']['mutate']>[0]['command'];

interface Refusal {
  reason: string | null;
  text: string;
}

/**
 * The desk's writes: the case commands with the version the desk saw (cases.command), merging a
 * duplicate (cases.merge), bulk assignment of the ticked cases (dispatch.assignBulk) and a report
 * taken at intake (cases.report). Each says how it went in a toast; a refusal is also kept beside
 * the open case in the server's reason, until another case opens. The case queries are read again
 * after every write, whatever came of it.
 */
export function useCaseCommands({
  selectedId,
  allowed,
  view,
  surge,
  items,
  ticked,
  departmentCode,
  toast,
  select,
  closeAction,
  tickOnly,
  intake,
}: {
  selectedId: number | null;
  allowed: Allowed | undefined;
  /** The open case's dispatch view: recommendations, version and assignee (null while it cannot be dispatched). */
  view: DispatchView | null;
  surge: boolean;
  items: readonly Case[] | null;
  ticked: readonly Case[];
  /** The signed-in department desk's own department, for 报到. */
  departmentCode: string | undefined;
  toast: ShowToast;
  select(id: number | null): void;
  closeAction(): void;
  tickOnly(ids?: Iterable<number>): void;
  intake: { toggle(on: boolean): void; setRefusal(text: string | null): void };
}) {
  const t = useT();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { toggle: toggleIntake, setRefusal: setIntakeRefusal } = intake;
  const command = useMutation(trpc.cases.command.mutationOptions());
  const merge = useMutation(trpc.cases.merge.mutationOptions());
  const bulk = useMutation(trpc.dispatch.assignBulk.mutationOptions());
  const report = useMutation(trpc.cases.report.mutationOptions());
  const busy = command.isPending || merge.isPending || bulk.isPending || report.isPending;
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  useEffect(() => setRefusal(null), [selectedId]);
  const [bulkResults, setBulkResults] = useState<BulkResult[] | null>(null);
  /** Cases the last bulk action touched, kept for its results' words after they leave the queue. */
  const bulkCases = useRef(new Map<number, Case>());

  const refreshCase = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.cases.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.dispatch.recommend.pathKey() });
  }, [queryClient, trpc]);

  const fail = useCallback(
    (label: string, e: unknown) => {
      const r = explainError(e, t);
      setRefusal(r);
      toast('danger', t('dispatch.refused', { command: label, reason: r.text }), { reason: r.reason });
      refreshCase();
    },
    [t, toast, refreshCase],
  );

  const run = useCallback(
    async (caseId: number, cmd: WireCommand, label: string, done: string) => {
      setRefusal(null);
      try {
        await command.mutateAsync({ caseId, command: cmd });
        toast('ok', done);
        closeAction();
      } catch (e) {
        fail(label, e);
      } finally {
        refreshCase();
      }
    },
    [command, toast, closeAction, fail, refreshCase],
  );

  /**
   * Assigns a case to its `index`-th recommended worker with the version and the assignee of the
   * view the dispatcher acted on (the open case's, or one read now for a case dragged in). A first
   * dispatch names nobody it replaces, so the server refuses it once someone else dispatched the
   * case meanwhile; `reassign` (改派) names the assignee the view showed.
   */
  const assign = useCallback(
    async (caseId: number, index: number, reassign = false) => {
      const label = t(reassign ? 'command.reassign' : 'command.dispatch');
      let shown = caseId === selectedId ? view : null;
      if (!shown) {
        // A case dragged in from the queue: its own recommendations, version and assignee.
        try {
          shown = await client.dispatch.recommend.query({ caseId, surge });
        } catch (e) {
          fail(label, e);
          return;
        }
      }
      const w = shown.workers[index];
      if (!w) return;
      if (shown.assignee && !reassign) {
        // Dragged onto a worker or Enter on a view that already shows an assignee: 改派 is its own, explicit action.
        const text = t('dispatch.alreadyAssigned', { name: shown.assignee.name || '—' });
        setRefusal({ reason: 'assignee-changed', text });
        toast('warn', text);
        return;
      }
      const replaces =
        reassign && shown.assignee
          ? { workerId: shown.assignee.workerId, department: shown.assignee.department }
          : null;
      await run(
        caseId,
        {
          type: 'dispatch',
          workerId: w.workerId,
          department: null,
          replaces,
          expectedVersion: shown.version,
        },
        label,
        t(reassign ? 'dispatch.reassigned' : 'dispatch.assigned', { name: w.name }),
      );
    },
    [t, selectedId, view, client, surge, fail, run, toast],
  );

  // A worker dropped from another case's recommendation list is not this case's: drop onto the
  // visible list always means the open case's recommendations, whichever case was dragged.
  const dropOnWorker = useCallback(
    (caseId: number, index: number) => {
      if (caseId !== selectedId) select(caseId);
      void assign(caseId, index);
    },
    [assign, selectedId, select],
  );

  /** Merges the open case into `primary` (合并): they share one timeline and close together. */
  const mergeInto = useCallback(
    async (primary: Case, done = t('dispatch.dup.merged', { code: primary.code })) => {
      if (selectedId === null || !allowed) return;
      setRefusal(null);
      try {
        await merge.mutateAsync({
          duplicateId: selectedId,
          primaryId: primary.id,
          duplicateVersion: allowed.version,
          primaryVersion: primary.version,
        });
        toast('ok', done);
        closeAction();
      } catch (e) {
        fail(t('command.merge'), e);
      } finally {
        refreshCase();
      }
    },
    [selectedId, allowed, merge, toast, closeAction, fail, refreshCase, t],
  );

  /** 批量派遣: the refused cases stay ticked, to be looked at or tried again. */
  const assignTicked = useCallback(async () => {
    if (ticked.length === 0) return;
    bulkCases.current = new Map(ticked.map((c) => [c.id, c]));
    try {
      const { results } = await bulk.mutateAsync({ caseIds: ticked.map((c) => c.id), surge });
      setBulkResults(results);
      tickOnly(results.filter((r) => !r.ok).map((r) => r.caseId));
      const ok = results.filter((r) => r.ok).length;
      toast(
        ok === results.length ? 'ok' : 'warn',
        t('dispatch.bulk.summary', { ok, refused: results.length - ok }),
      );
    } catch (e) {
      const r = explainError(e, t);
      toast('danger', t('dispatch.refused', { command: t('dispatch.bulk.assign'), reason: r.text }), {
        reason: r.reason,
      });
    } finally {
      refreshCase();
    }
  }, [ticked, bulk, surge, tickOnly, toast, t, refreshCase]);

  const submitReport = useCallback(
    async (input: CaseReportInput) => {
      setIntakeRefusal(null);
      try {
        const c = await report.mutateAsync(input);
        toast('ok', t('intake.done', { code: c.code }));
        toggleIntake(false);
        select(c.id);
      } catch (e) {
        const r = explainError(e, t);
        setIntakeRefusal(r.text);
        toast('danger', t('dispatch.refused', { command: t('intake.open'), reason: r.text }), {
          reason: r.reason,
        });
      } finally {
        refreshCase();
      }
    },
    [report, toast, t, setIntakeRefusal, toggleIntake, select, refreshCase],
  );

  /** An action form's input as the command it stands for, with the open case's version. */
  const submitAction = useCallback(
    async (input: ActionInput) => {
      if (selectedId === null || !allowed) return;
      const v = allowed.version;
      const label = t(`command.${input.command}`);
      const done = t('dispatch.done', { command: label });
      switch (input.command) {
        case 'escalate':
        case 'park':
        case 'return':
        case 'reject':
          return run(
            selectedId,
            { type: input.command, reason: input.reason, expectedVersion: v },
            label,
            done,
          );
        case 'evaluate':
          return run(
            selectedId,
            { type: 'evaluate', rating: input.rating, note: input.note, expectedVersion: v },
            label,
            done,
          );
        case 'accept':
        case 'start':
          return run(selectedId, { type: input.command, expectedVersion: v }, label, done);
        case 'checkIn': {
          if (departmentCode)
            return run(
              selectedId,
              { type: 'checkIn', department: departmentCode, expectedVersion: v },
              label,
              done,
            );
          return;
        }
        case 'feedback': {
          setRefusal(null);
          let photos: string[];
          try {
            photos = await Promise.all(input.files.map(uploadPhoto));
          } catch (e) {
            fail(label, e);
            return;
          }
          return run(
            selectedId,
            { type: 'feedback', onSite: input.onSite, note: input.note, photos, expectedVersion: v },
            label,
            done,
          );
        }
        case 'whistle':
          return run(
            selectedId,
            { type: 'whistle', departments: input.departments, reason: input.reason, expectedVersion: v },
            label,
            done,
          );
        case 'verify':
          return run(
            selectedId,
            { type: 'verify', passed: input.passed, note: input.note, expectedVersion: v },
            label,
            done,
          );
        case 'register':
          return run(selectedId, { type: 'register', tier: input.tier, expectedVersion: v }, label, done);
        case 'unpark':
        case 'close':
          return run(selectedId, { type: input.command, expectedVersion: v }, label, done);
        case 'merge': {
          // The primary as the dispatcher typed it: a case code, or an id with or without '#'.
          setRefusal(null);
          const key = input.primary.replace(/^#/, '');
          let primary = items?.find((c) => c.code === key || String(c.id) === key) ?? null;
          if (!primary && /^\d{1,9}$/.test(key))
            primary = await client.cases.get.query({ id: Number(key) }).then(
              (r) => r.case,
              () => null,
            );
          if (!primary) {
            const text = t('dispatch.mergeUnknown');
            setRefusal({ reason: null, text });
            toast('danger', t('dispatch.refused', { command: label, reason: text }));
            return;
          }
          return mergeInto(primary, done);
        }
      }
    },
    [selectedId, allowed, t, run, items, client, toast, fail, departmentCode, mergeInto],
  );

  return {
    busy,
    refusal,
    assign,
    dropOnWorker,
    mergeInto,
    submitAction,
    submitReport,
    assignTicked,
    bulkResults,
    closeBulkResults: useCallback(() => setBulkResults(null), []),
    /** A case of the last bulk action, from the queue or as it was when ticked. */
    bulkCaseOf: useCallback(
      (id: number) => items?.find((c) => c.id === id) ?? bulkCases.current.get(id),
      [items],
    ),
  };
}

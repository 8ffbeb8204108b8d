import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  commandsOfPosts,
  OPEN_STATUSES,
  POSTS_OF_ROLE,
  type Case,
  type CaseTier,
  type RuledCommand,
} from '@gcc/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Splash, useMe } from '../app/auth.tsx';
import { DeskHeader } from '../app/DeskHeader.tsx';
import { useT } from '../app/i18n.tsx';
import { useTRPC, useTRPCClient } from '../app/trpc.ts';
import { useCategoryName } from '../directory/category-name.ts';
import { decodeGrids, gridIndexOf, gridNameOf } from '../map/grid-geometry.ts';
import { baseMapStyleUrl } from '../map/base-map.ts';
import { beep } from './beep.ts';
import { ACTIONS, CaseActions, type ActionInput } from './CaseActions.tsx';
import { BulkAssign } from './BulkAssign.tsx';
import { CaseDetail, CaseHeader } from './CaseDetail.tsx';
import { CaseQueue, DEFAULT_FILTER, type QueueFilter } from './CaseQueue.tsx';
import { Duplicates } from './Duplicates.tsx';
import { IntakeForm, type PickedPoint } from './IntakeForm.tsx';
import { explainError } from '../format/refusal.ts';
import { useDepartments } from '../directory/departments.ts';
import { DispatchMap } from './DispatchMap.tsx';
import { useCategoryOf } from '../directory/categories.ts';
import type { BulkResult } from './types.ts';
import { Recommendations } from './Recommendations.tsx';
import { uploadPhoto } from './upload-photo.ts';
import { useDispatchLive, type Notice } from './use-dispatch-live.ts';
import '../app/desk.css';
import './dispatch.css';

const CONN_KEY = { live: 'conn.online', connecting: 'conn.connecting', offline: 'conn.offline' } as const;
/** Roles that read the city, grids, workers and the event stream (the supervising desks read cases only). */
/** Posts that see the command-center picture (map, workers, live streams): the server's ALL_READERS. */
const LIVE_ROLES = new Set(['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead']);
/** Posts that take reports at the desk (cases.report): hotline intake, inspectors, dispatchers. */
const REPORTERS = new Set(['admin', 'dispatcher', 'inspector', 'intake']);
const TOAST_MS = 8000;
const QUEUE_LIMIT = 300;

interface Toast {
  id: number;
  tone: 'ok' | 'warn' | 'danger';
  text: string;
  reason?: string | null;
  caseId?: number;
}

/** Read-only hook for end-to-end tests: the open case and the queue's order. */
declare global {
  interface Window {
    __gccDispatch?: { selectedId: number | null; queue: number[]; notices: number };
  }
}

/**
 * The dispatcher's desk: a queue of cases needing action (overdue first), the open case with its
 * timeline, the five recommended workers on the map with routes and reasons, and one action to
 * assign; escalate, whistle, merge, park and verify as the rules allow. Overdue and escalated
 * cases arrive live with a tone and a toast.
 */
export default function DispatchPage() {
  const t = useT();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const me = useMe();
  const category = useCategoryName();
  const categoryOf = useCategoryOf();
  const role = me.data?.role;
  const live = LIVE_ROLES.has(role ?? '');
  // A department desk (专业部门) reads the map and its own cases, polled; it has no live streams.
  const department = role === 'department';
  const mapped = live || department;
  const desk = useMemo(() => new Set(role ? commandsOfPosts(POSTS_OF_ROLE[role]) : []), [role]);
  const canReport = REPORTERS.has(role ?? '');

  const [filter, setFilter] = useState<QueueFilter>(DEFAULT_FILTER);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [picked, setPicked] = useState(0);
  const [surge, setSurge] = useState(false);
  const [openAction, setOpenAction] = useState<RuledCommand | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [sound, setSound] = useState(true);
  const [help, setHelp] = useState(false);
  const [checked, setChecked] = useState<ReadonlySet<number>>(() => new Set());
  const [bulkResults, setBulkResults] = useState<BulkResult[] | null>(null);
  /** Cases the last bulk action touched, kept for its results' words after they leave the queue. */
  const bulkCases = useRef(new Map<number, Case>());
  const [now, setNow] = useState(() => Date.now());
  // 受理登记: the form replaces the case panel; a map click places the report.
  const [intake, setIntake] = useState(false);
  const [placed, setPlaced] = useState<PickedPoint | null>(null);
  const [draft, setDraft] = useState<{ category: string } | null>(null);
  const [intakeRefusal, setIntakeRefusal] = useState<string | null>(null);
  const toastId = useRef(0);
  const notices = useRef(0);

  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);

  const city = useQuery({ ...trpc.city.info.queryOptions(), staleTime: Infinity, enabled: mapped });
  const gridsQuery = useQuery({ ...trpc.grids.layer.queryOptions(), staleTime: Infinity, enabled: mapped });
  const roster = useQuery({ ...trpc.workers.snapshot.queryOptions(), staleTime: 5 * 60_000, enabled: live });
  const grids = useMemo(() => (gridsQuery.data ? decodeGrids(gridsQuery.data) : null), [gridsQuery.data]);
  const gridName = useCallback((id: number) => gridNameOf(grids, id), [grids]);
  const departments = useDepartments();
  const names = useMemo(
    () => new Map((roster.data?.workers ?? []).map((w) => [w.id, w.name])),
    [roster.data],
  );

  const listInput = useMemo(
    () => ({
      // 待处理: what this desk can act on now, decided on the server by the engine's rules.
      ...(filter.status === 'mine'
        ? { actionable: true }
        : { status: filter.status === 'open' ? [...OPEN_STATUSES] : [filter.status] }),
      ...(filter.tier ? { tier: [filter.tier] } : {}),
      ...(filter.urgency ? { urgency: [filter.urgency] } : {}),
      ...(filter.category ? { category: [filter.category] } : {}),
      ...(filter.unitId ? { unitId: filter.unitId } : {}),
      ...(filter.overdue ? { overdue: true } : {}),
      sort: 'deadline' as const,
      limit: QUEUE_LIMIT,
    }),
    [filter],
  );
  // Without the event stream (supervising desks) the queue is polled.
  const queue = useQuery({
    ...trpc.cases.list.queryOptions(listInput),
    staleTime: 0,
    refetchInterval: live ? 60_000 : 15_000,
    placeholderData: (prev) => prev,
  });
  const items = queue.data?.items ?? null;

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
    (id: number) => caseWorkers?.[id] ?? names.get(id) ?? t('timeline.worker', { id }),
    [caseWorkers, names, t],
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
  const workers = canDispatch && recommend.data?.caseId === selectedId ? recommend.data.workers : null;
  // 疑似重复 of the open case, and of the report being taken once its subclass and place are known.
  const caseOpen = !!current && OPEN_STATUSES.includes(current.status);
  const caseDuplicates = useQuery({
    ...trpc.cases.duplicates.queryOptions({ caseId: selectedId ?? 1 }),
    enabled: live && selectedId !== null && caseOpen,
    staleTime: 10_000,
  });
  const draftInput =
    draft && placed && placed.gridName !== null
      ? { category: draft.category, lng: placed.lng, lat: placed.lat }
      : null;
  const draftDuplicates = useQuery({
    ...trpc.cases.duplicates.queryOptions(draftInput ?? { caseId: 1 }),
    enabled: intake && draftInput !== null,
    staleTime: 10_000,
  });

  useEffect(() => {
    window.__gccDispatch = { selectedId, queue: (items ?? []).map((c) => c.id), notices: notices.current };
  }, [selectedId, items]);
  useEffect(() => () => void delete window.__gccDispatch, []);

  const toast = useCallback((tone: Toast['tone'], text: string, extra: Partial<Toast> = {}) => {
    const id = ++toastId.current;
    setToasts((ts) => [{ id, tone, text, ...extra }, ...ts].slice(0, 5));
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), TOAST_MS);
  }, []);

  const soundRef = useRef(sound);
  useEffect(() => {
    soundRef.current = sound;
  });
  const onNotice = useCallback(
    (n: Notice) => {
      notices.current++;
      if (window.__gccDispatch) window.__gccDispatch.notices = notices.current;
      const c = n.case ?? items?.find((x) => x.id === n.caseId) ?? null;
      const what = c ? `${category(c.category)} · ${c.code}` : `#${n.caseId}`;
      toast(
        n.kind === 'overdue' ? 'danger' : 'warn',
        t(n.kind === 'overdue' ? 'dispatch.toast.overdue' : 'dispatch.toast.escalated', { what }),
        { caseId: n.caseId },
      );
      if (soundRef.current) beep();
    },
    [items, category, t, toast],
  );
  const conn = useDispatchLive(onNotice, live);

  const select = useCallback((id: number | null) => {
    setSelectedId(id);
    setPicked(0);
    setOpenAction(null);
  }, []);

  // The first case of the queue opens by itself, so the desk is never empty.
  // Not from the previous filter's list kept on screen while the new one loads.
  const settled = !queue.isPlaceholderData;
  useEffect(() => {
    if (selectedId === null && settled && items?.length) select(items[0]!.id);
  }, [items, selectedId, select, settled]);

  const refreshCase = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.cases.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.dispatch.recommend.pathKey() });
  }, [queryClient, trpc]);

  const check = useCallback((ids: readonly number[], on: boolean) => {
    setChecked((prev) => {
      const next = new Set(prev);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  }, []);
  // Ticks follow the queue: a case that left it (assigned elsewhere, filtered out) is no longer ticked.
  const ticked = useMemo(() => (items ?? []).filter((c) => checked.has(c.id)), [items, checked]);

  const command = useMutation(trpc.cases.command.mutationOptions());
  const merge = useMutation(trpc.cases.merge.mutationOptions());
  const bulk = useMutation(trpc.dispatch.assignBulk.mutationOptions());
  const report = useMutation(trpc.cases.report.mutationOptions());
  const busy = command.isPending || merge.isPending || bulk.isPending || report.isPending;
  const [refusal, setRefusal] = useState<{ reason: string | null; text: string } | null>(null);
  useEffect(() => setRefusal(null), [selectedId]);

  const assignTicked = useCallback(async () => {
    if (ticked.length === 0) return;
    bulkCases.current = new Map(ticked.map((c) => [c.id, c]));
    try {
      const { results } = await bulk.mutateAsync({ caseIds: ticked.map((c) => c.id), surge });
      setBulkResults(results);
      setChecked(new Set(results.filter((r) => !r.ok).map((r) => r.caseId)));
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
  }, [ticked, bulk, surge, toast, t, refreshCase]);

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
    async (
      caseId: number,
      cmd: Parameters<typeof command.mutateAsync>[0]['command'],
      label: string,
      done: string,
    ) => {
      setRefusal(null);
      try {
        await command.mutateAsync({ caseId, command: cmd });
        toast('ok', done);
        setOpenAction(null);
      } catch (e) {
        fail(label, e);
      } finally {
        refreshCase();
      }
    },
    [command, toast, fail, refreshCase],
  );

  const assign = useCallback(
    async (caseId: number, index: number) => {
      const label = t('command.dispatch');
      let version = caseId === selectedId ? allowed.data?.version : undefined;
      let list = caseId === selectedId ? workers : null;
      if (caseId !== selectedId || !list || version === undefined) {
        // A case dragged in from the queue: its own recommendations and version.
        try {
          const rec = await client.dispatch.recommend.query({ caseId, surge });
          list = rec.workers;
          version = rec.version;
        } catch (e) {
          fail(label, e);
          return;
        }
      }
      const w = list?.[index];
      if (!w || version === undefined) return;
      await run(
        caseId,
        { type: 'dispatch', workerId: w.workerId, department: null, expectedVersion: version },
        label,
        t('dispatch.assigned', { name: w.name }),
      );
    },
    [t, selectedId, allowed.data, workers, client, surge, fail, run],
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
      if (selectedId === null || !allowed.data) return;
      setRefusal(null);
      try {
        await merge.mutateAsync({
          duplicateId: selectedId,
          primaryId: primary.id,
          duplicateVersion: allowed.data.version,
          primaryVersion: primary.version,
        });
        toast('ok', done);
        setOpenAction(null);
      } catch (e) {
        fail(t('command.merge'), e);
      } finally {
        refreshCase();
      }
    },
    [selectedId, allowed.data, merge, toast, fail, refreshCase, t],
  );

  const openIntake = useCallback((on: boolean) => {
    setIntake(on);
    setPlaced(null);
    setIntakeRefusal(null);
    if (on) setOpenAction(null);
  }, []);

  const submitReport = useCallback(
    async (input: Parameters<typeof report.mutateAsync>[0]) => {
      setIntakeRefusal(null);
      try {
        const c = await report.mutateAsync(input);
        toast('ok', t('intake.done', { code: c.code }));
        openIntake(false);
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
    [report, toast, t, openIntake, select, refreshCase],
  );

  // The grid a clicked place falls in, found as the server will find it (same index, same polygons).
  const gridIndex = useMemo(() => (grids ? gridIndexOf(grids) : null), [grids]);
  const place = useCallback(
    (lng: number, lat: number) => {
      const id = gridIndex?.locate(lng, lat) ?? null;
      setPlaced({ lng, lat, gridName: id === null ? null : gridName(id) });
    },
    [gridIndex, gridName],
  );

  const submitAction = useCallback(
    async (input: ActionInput) => {
      if (selectedId === null || !allowed.data) return;
      const v = allowed.data.version;
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
          const code = departments.codeOf(me.data?.departmentId ?? null);
          if (code)
            return run(selectedId, { type: 'checkIn', department: code, expectedVersion: v }, label, done);
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
    [selectedId, allowed.data, t, run, items, client, toast, fail, departments, me.data, mergeInto],
  );

  // Keyboard: the frequent actions without the mouse (ignored while typing in a form).
  const keyState = useRef({
    items,
    selectedId,
    workers,
    picked,
    allowed: allowed.data?.commands ?? [],
    assign,
    select,
    desk,
    canReport,
    openIntake,
  });
  useEffect(() => {
    keyState.current = {
      items,
      selectedId,
      workers,
      picked,
      allowed: allowed.data?.commands ?? [],
      assign,
      select,
      desk,
      canReport,
      openIntake,
    };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (
        el &&
        (el.tagName === 'INPUT' ||
          el.tagName === 'TEXTAREA' ||
          el.tagName === 'SELECT' ||
          el.isContentEditable)
      )
        return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const s = keyState.current;
      const list = s.items ?? [];
      const at = list.findIndex((c) => c.id === s.selectedId);
      const k = e.key;
      if (k === 'ArrowDown' || k === 'j') {
        const next = list[Math.min(list.length - 1, at + 1)];
        if (next) s.select(next.id);
      } else if (k === 'ArrowUp' || k === 'k') {
        const prev = list[Math.max(0, at - 1)];
        if (prev) s.select(prev.id);
      } else if (/^[1-5]$/.test(k) && s.workers && Number(k) <= s.workers.length) {
        setPicked(Number(k) - 1);
      } else if (
        (k === 'Enter' || k === 'a' || k === 'A') &&
        s.selectedId !== null &&
        s.allowed.includes('dispatch') &&
        s.workers?.length
      ) {
        void s.assign(s.selectedId, s.picked);
      } else if (k === 's' || k === 'S') {
        setSurge((x) => !x);
      } else if (k === '?') {
        setHelp((x) => !x);
      } else if ((k === 'n' || k === 'N') && s.canReport) {
        s.openIntake(true);
      } else if (k === 'Escape') {
        setOpenAction(null);
        setHelp(false);
        s.openIntake(false);
      } else {
        const action = ACTIONS.find(
          (a) => a.key === k.toUpperCase() && a.command !== 'dispatch' && s.desk.has(a.command),
        );
        if (action && s.allowed.includes(action.command)) setOpenAction(action.command);
        else return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    document.body.classList.add('dispatch-body');
    return () => document.body.classList.remove('dispatch-body');
  }, []);

  if (mapped && !city.data) return <Splash text={t('dispatch.loading')} />;
  const units = (city.data?.units ?? []).filter((u) => u.level === 'district' || u.level === 'street');
  const defaultTier: CaseTier = (current && categoryOf(current.category)?.tier) || 'small';

  return (
    <div className="dispatch desk" data-testid="dispatch">
      <DeskHeader
        title={
          department
            ? t('dispatch.titleDepartment', {
                name: departments.name(departments.codeOf(me.data?.departmentId ?? null) ?? ''),
              })
            : t('dispatch.title')
        }
        sub={city.data ? <span className="dh-city">{city.data.name}</span> : null}
      >
        {live ? (
          <div className={`conn conn-${conn}`} data-testid="conn-events" data-state={conn}>
            <span className="conn-dot" aria-hidden="true" />
            <span className="conn-label">{t('wall.streamEvents')}</span>
            <span className="conn-state">{t(CONN_KEY[conn])}</span>
          </div>
        ) : null}
        {canReport ? (
          <button
            type="button"
            className={`btn ${intake ? 'primary' : 'ghost'}`}
            data-testid="intake-open"
            onClick={() => openIntake(!intake)}
          >
            {t('intake.open')} <kbd>N</kbd>
          </button>
        ) : null}
        <button
          type="button"
          className="btn ghost"
          onClick={() => {
            setSound((x) => !x);
            if (!sound) beep();
          }}
          data-testid="sound"
        >
          {t(sound ? 'dispatch.soundOn' : 'dispatch.soundOff')}
        </button>
        <button type="button" className="btn ghost" onClick={() => setHelp((x) => !x)}>
          {t('dispatch.shortcuts')} <kbd>?</kbd>
        </button>
        <Link className="btn ghost" to="/wall">
          {t('nav.wall')}
        </Link>
      </DeskHeader>
      {help ? (
        <div className="dkeys" data-testid="shortcuts" onClick={() => setHelp(false)}>
          <span>{t('dispatch.key.nav')}</span>
          {canReport ? <span>{t('dispatch.key.intake')}</span> : null}
          {desk.has('dispatch') ? <span>{t('dispatch.key.pick')}</span> : null}
          {desk.has('dispatch') ? <span>{t('dispatch.key.assign')}</span> : null}
          {ACTIONS.filter((a) => a.command !== 'dispatch' && desk.has(a.command)).map((a) => (
            <span key={a.command}>
              <kbd>{a.key}</kbd> {t(`command.${a.command}`)}
            </span>
          ))}
          {desk.has('dispatch') ? (
            <span>
              <kbd>S</kbd> {t('dispatch.surge')}
            </span>
          ) : null}
          <span>
            <kbd>Esc</kbd> {t('dispatch.cancel')}
          </span>
        </div>
      ) : null}
      <main className="db">
        <CaseQueue
          filter={filter}
          onFilter={(f) => {
            setFilter(f);
            select(null);
            setChecked(new Set());
          }}
          units={units}
          items={items}
          selectedId={selectedId}
          onSelect={select}
          gridName={gridName}
          checked={checked}
          // 批量派遣 is the dispatcher's (dispatch.assignBulk); other desks get no ticks.
          onCheck={me.data?.role === 'dispatcher' ? check : undefined}
          bulk={
            <BulkAssign
              count={ticked.length}
              busy={busy}
              surge={surge}
              results={bulkResults}
              caseOf={(id) => items?.find((c) => c.id === id) ?? bulkCases.current.get(id)}
              workerName={workerName}
              onAssign={() => void assignTicked()}
              onClear={() => setChecked(new Set())}
              onCloseResults={() => setBulkResults(null)}
              onSelect={select}
            />
          }
        />
        <section className="dm">
          {city.data ? (
            <DispatchMap
              styleUrl={baseMapStyleUrl(city.data)}
              bbox={city.data.bbox}
              grids={grids}
              queue={items ?? []}
              selected={current}
              workers={workers ?? []}
              picked={picked}
              categoryOf={categoryOf}
              onPickCase={select}
              onPickWorker={setPicked}
              onDropOnWorker={dropOnWorker}
              placing={intake ? { point: placed ? [placed.lng, placed.lat] : null, onPlace: place } : null}
            />
          ) : null}
          <div className="dm-legend">
            <span>
              <i className="lg-case" />
              {t('dispatch.map.case')}
            </span>
            {desk.has('dispatch') ? (
              <span>
                <i className="lg-worker" />
                {t('dispatch.map.worker')}
              </span>
            ) : null}
            {desk.has('dispatch') ? (
              <span>
                <i className="lg-route" />
                {t('dispatch.map.route')}
              </span>
            ) : null}
            <span>
              <i className="lg-queue" />
              {t('dispatch.map.queue')}
            </span>
          </div>
        </section>
        <section className="dp" data-testid="case-panel">
          {intake ? (
            <IntakeForm
              point={placed}
              duplicates={draftInput && draftDuplicates.data ? draftDuplicates.data.items : []}
              gridName={gridName}
              busy={busy}
              refusal={intakeRefusal}
              onDraft={setDraft}
              onSubmit={(i) => void submitReport(i)}
              onCancel={() => openIntake(false)}
              onOpenCase={(id) => {
                openIntake(false);
                select(id);
              }}
            />
          ) : current ? (
            <>
              <CaseHeader c={current} now={now} />
              <CaseActions
                desk={desk}
                allowed={allowed.data?.caseId === selectedId ? allowed.data.commands : null}
                open={openAction}
                busy={busy}
                defaultTier={defaultTier}
                departments={departments.options}
                onOpen={setOpenAction}
                onSubmit={(i) => void submitAction(i)}
              />
              {refusal ? (
                <div
                  className="refusal"
                  role="alert"
                  data-testid="refusal"
                  data-reason={refusal.reason ?? ''}
                >
                  {refusal.text}
                </div>
              ) : null}
              {caseOpen && caseDuplicates.data ? (
                <Duplicates
                  items={caseDuplicates.data.items}
                  gridName={gridName}
                  busy={busy}
                  onOpen={select}
                  // The later report merges into the earlier one; the earlier case only lists its duplicates.
                  onMerge={
                    allowed.data?.caseId === selectedId && allowed.data.commands.includes('merge')
                      ? (p) => void mergeInto(p)
                      : undefined
                  }
                  mergeable={(p) =>
                    p.reportedAt < current.reportedAt ||
                    (p.reportedAt === current.reportedAt && p.id < current.id)
                  }
                />
              ) : null}
              {desk.has('dispatch') ? (
                <Recommendations
                  workers={workers}
                  enabled={canDispatch}
                  picked={picked}
                  surge={surge}
                  busy={busy}
                  onSurge={setSurge}
                  onPick={setPicked}
                  onAssign={(i) => void assign(current.id, i)}
                  onDropCase={dropOnWorker}
                />
              ) : null}
              <CaseDetail
                c={current}
                timeline={detail.data?.case.id === current.id ? detail.data.timeline : []}
                gridName={gridName}
                workerName={workerName}
                departmentName={departments.name}
                now={now}
              />
            </>
          ) : (
            <p className="dp-empty">{t('dispatch.selectCase')}</p>
          )}
        </section>
      </main>
      <div className="toasts" aria-live="polite">
        {toasts.map((x) => (
          <div
            key={x.id}
            className={`toast ${x.tone}`}
            data-testid="toast"
            data-reason={x.reason ?? ''}
            onClick={() => x.caseId && select(x.caseId)}
          >
            {x.text}
          </div>
        ))}
      </div>
    </div>
  );
}

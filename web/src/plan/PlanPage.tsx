import type { Layer } from '@deck.gl/core';
import type { GridId } from '@gcc/shared';
import { PROVISIONAL_GRID_ID_MIN } from '@gcc/shared/topology';
import type { MessageKey } from '@gcc/shared/messages';
import type { BoundaryChangeReport } from '@gcc/shared/planning';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMe } from '../app/auth.tsx';
import { DeskHeader } from '../app/DeskHeader.tsx';
import { CJK_FONT_STACK } from '../app/fonts.ts';
import { useLocale, useT } from '../app/i18n.tsx';
import { centreTimeFormat } from '../format/time.ts';
import { useTRPC } from '../app/trpc.ts';
import { useBoundaryEvents } from '../live/use-boundary-events.ts';
import { baseMapStyleUrl } from '../map/base-map.ts';
import type { RGBA } from '../map/palette.ts';
import { bandOf, HOUSEHOLD_BANDS, type HouseholdBands } from './band.ts';
import { sameBands } from './BandsEditor.tsx';
import type { BandRow } from './band-chart.ts';
import {
  PLAN_COLORS,
  edgeLayer,
  fillLayer,
  handleLayers,
  outlineLayer,
  pointsLayer,
  problemLayers,
  type FacePart,
} from './plan.layers.ts';
import { cutOutGesture, mergeGesture, nextSelection, redrawGesture, splitGesture } from './plan-gestures.ts';
import { isTyping, planCommandOf, type PlanCommand, type PlanMode } from './plan-keys.ts';
import type { Handles, PlanGesture, PlanGrid, PlanProblem } from './plan.protocol.ts';
import { PlanMap, type PlanMapHandle } from './PlanMap.tsx';
import { ChangeReport } from './ChangeReport.tsx';
import { CompareVersions } from './CompareVersions.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { PlanPanel } from './PlanPanel.tsx';
import { PublishDialog, type Published } from './PublishDialog.tsx';
import { PlanShortcutHelp, PlanToolbar } from './PlanToolbar.tsx';
import {
  BandChart,
  ProblemList,
  StatsTable,
  gridLabel,
  problemText,
  refusalText as refusalOf,
} from './SidePanel.tsx';
import { usePlanSession } from './use-plan-session.ts';
import { usePlans, type OpenPlan, type SaveRefusal } from './use-plans.ts';
import '../app/desk.css';
import './plan.css';

// 网格规划: the boundary planner's desk. The topology lives in a worker (use-plan-session);
// this page keeps what the planner looks at — mode, selection, the line being drawn — and asks
// the worker for numbers and problems after every change.

const TRANSPARENT: RGBA = [0, 0, 0, 0];
/** How many of the city's worst grids the problem list offers before anything is selected. */
const WORST_LISTED = 30;

interface Panel {
  selected: PlanGrid[];
  community: { rows: BandRow[]; urban: boolean; count: number } | null;
  problems: PlanProblem[];
  gridsById: Map<number, PlanGrid>;
  planColors: Map<number, RGBA>;
}

const colorOfCount = (households: number | null | undefined, urban: boolean, bands: HouseholdBands): RGBA =>
  households === null || households === undefined
    ? PLAN_COLORS.uncounted
    : PLAN_COLORS[bandOf({ households }, urban, bands)];

export default function PlanPage() {
  const t = useT();
  const { locale } = useLocale();
  const trpc = useTRPC();
  const me = useMe();
  const [params] = useSearchParams();
  const showStats = params.get('stats') === '1';
  const allowed = me.data?.role === 'planner' || me.data?.role === 'admin';
  const city = useQuery({ ...trpc.city.info.queryOptions(), staleTime: Infinity });
  const baseline = useQuery({ ...trpc.plans.baseline.queryOptions(), staleTime: Infinity, enabled: allowed });
  const session = usePlanSession(baseline.data);
  const { client, base, plan, history } = session;
  const plans = usePlans();

  const [mode, setMode] = useState<PlanMode>('select');
  const [selection, setSelection] = useState<GridId[]>([]);
  const [sketch, setSketch] = useState<[number, number][]>([]);
  const [mergeFirst, setMergeFirst] = useState<GridId | null>(null);
  const [help, setHelp] = useState(false);
  /** Parent borders unlocked by a planner who may move them (issue 16: explicitly, never by default). */
  const [unlocked, setUnlocked] = useState(false);
  const mayUnlock = (baseline.data?.unlockable?.length ?? 0) > 0;
  const [name, setName] = useState('');
  /** The saved plan open in the editor (null: a new, unsaved one). */
  const [open, setOpen] = useState<OpenPlan | null>(null);
  const [notice, setNotice] = useState<{ text: string; at: [number, number] | null; bad: boolean } | null>(
    null,
  );
  const readOnly = open !== null && !open.editable;
  /** The household bands the plan is held to (null: the defaults), saved with it. */
  const [bands, setBands] = useState<HouseholdBands | null>(null);
  const judgedBy = bands ?? HOUSEHOLD_BANDS;
  const bandsDirty = !sameBands(bands, open?.bands ?? null);
  const [handles, setHandles] = useState<Handles | null>(null);
  const [panel, setPanel] = useState<Panel | null>(null);
  const mapRef = useRef<PlanMapHandle>(null);
  /** Whether the worker counts statistics from the points (planning.context) yet. */
  const [counting, setCounting] = useState(false);
  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.call('counting').then((ok) => live && setCounting(ok));
    return () => {
      live = false;
    };
  }, [client]);
  // Before the panel asks for problems: the worker answers messages in order.
  useEffect(() => {
    if (client) void client.call('setBands', bands);
  }, [client, bands]);

  const baseColors = useMemo(() => {
    const m = new Map<number, RGBA>();
    const g = baseline.data?.grids;
    g?.ids.forEach((id, i) => m.set(id, colorOfCount(g.households[i], g.urban[i] ?? true, judgedBy)));
    return m;
  }, [baseline.data, judgedBy]);

  // Grabbable points of the selection, in the modes that drag them.
  const wantHandles = (mode === 'move' || mode === 'vertex') && selection.length > 0;
  useEffect(() => {
    if (!client || !wantHandles) return;
    let live = true;
    void client.call('handles', selection).then((h) => live && setHandles(h));
    return () => {
      live = false;
    };
  }, [client, wantHandles, selection, plan?.revision]);

  // The numbers: the selection before → after, its community against the band, the problems.
  useEffect(() => {
    if (!client) return;
    let live = true;
    void (async () => {
      const changed = plan
        ? [...plan.parts.map((p) => p.grid), ...[...plan.hiddenGrids].map((g) => g as GridId)]
        : [];
      const selected = await client.call('grids', selection);
      const first = selection[0];
      const comm = first === undefined ? null : await client.call('community', first);
      const ids = comm ? [...new Set([...comm.before, ...comm.current])].sort((a, b) => a - b) : [];
      const scope = [...new Set([...(comm?.current ?? []), ...changed])];
      // With nothing selected the list shows the plan's problems and the worst grids of the city.
      const [commGrids, planGrids, problems, worst] = await Promise.all([
        client.call('grids', ids),
        client.call('grids', [...new Set(changed)]),
        client.call('problems', scope),
        first === undefined ? client.call('worstBand', WORST_LISTED) : Promise.resolve([]),
      ]);
      const worstGrids = await client.call(
        'grids',
        worst.map((p) => p.grids[0]!),
      );
      if (!live) return;
      const gridsById = new Map<number, PlanGrid>();
      for (const g of [...commGrids, ...planGrids, ...selected, ...worstGrids]) gridsById.set(g.id, g);
      const planColors = new Map<number, RGBA>();
      for (const g of planGrids) planColors.set(g.id, colorOfCount(g.after?.households, g.urban, judgedBy));
      const sel = new Set(selection);
      setPanel({
        selected,
        community: comm
          ? {
              rows: commGrids.map((g) => ({
                grid: g.id,
                label: gridLabel(g, t),
                before: g.before?.households ?? null,
                after: g.after?.households ?? null,
                selected: sel.has(g.id),
              })),
              urban: commGrids[0]?.urban ?? true,
              count: comm.current.length,
            }
          : null,
        problems: [...problems, ...worst],
        gridsById,
        planColors,
      });
    })();
    return () => {
      live = false;
    };
  }, [client, selection, plan, counting, judgedBy, t]);

  const apply = useCallback(
    async (g: PlanGesture) => {
      // Another planner's plan is shown, never changed.
      if (readOnly) return;
      const touched = await session.apply(g);
      if (!touched) return;
      if (g.type === 'split') setSelection(touched.slice(0, 2));
      else if (g.type === 'cutOut')
        setSelection(touched.filter((id) => id >= PROVISIONAL_GRID_ID_MIN).slice(-1));
      else if (g.type === 'merge') {
        setSelection([g.into]);
        setMergeFirst(null);
      }
    },
    [session, readOnly],
  );

  const showRefusal = useCallback(
    (r: SaveRefusal) => {
      setNotice({ text: t('plan.saveFailed', { message: r.message }), at: r.at, bad: true });
      if (r.at) mapRef.current?.flyTo(r.at);
    },
    [t],
  );

  const save = useCallback(async (): Promise<OpenPlan | null> => {
    if (!client || readOnly || !plans.available) return null;
    const history = await client.call('history');
    const r = await plans.saveAs(open, name.trim() || t('plan.namePlaceholder'), history, bands);
    if (!r.ok) {
      showRefusal(r.refusal);
      return null;
    }
    setOpen(r.plan);
    setName(r.plan.name);
    setBands(r.plan.bands);
    setNotice({ text: t('plan.saved', { name: r.plan.name }), at: null, bad: false });
    return r.plan;
  }, [client, readOnly, plans, open, name, bands, t, showRefusal]);

  const startNew = useCallback(() => {
    setOpen(null);
    setName('');
    setBands(null);
    setSelection([]);
    void session.load([], 0);
  }, [session]);

  const openPlan = useCallback(
    async (id: number) => {
      const p = await plans.open(id);
      const touched = await session.load(p.edits, p.cursor);
      setOpen(p.plan);
      setName(p.plan.name);
      setBands(p.plan.bands);
      setSelection([]);
      if (touched === null)
        setNotice({ text: t('plan.openFailed', { name: p.plan.name }), at: null, bad: true });
    },
    [plans, session, t],
  );

  const qc = useQueryClient();
  /** The saved plan the publish dialog is open for, and the change report on show. */
  const [publishing, setPublishing] = useState<OpenPlan | null>(null);
  const [report, setReport] = useState<BoundaryChangeReport | null>(null);
  const [comparing, setComparing] = useState(false);
  const [importing, setImporting] = useState(false);
  const publishPlan = useCallback(async () => {
    // What is published is the saved plan: save what is on screen first.
    const saved = await save();
    if (saved) setPublishing(saved);
  }, [save]);
  const showReport = useCallback(
    async (version: number) => {
      try {
        const r = await qc.fetchQuery({
          ...trpc.boundaries.report.queryOptions({ version }),
          staleTime: 60_000,
        });
        if (r) setReport(r);
      } catch (e) {
        setNotice({ text: e instanceof Error ? e.message : String(e), at: null, bad: true });
      }
    },
    [qc, trpc],
  );
  // A version published here or anywhere: the grids, the plans and the versions are read again
  // (the worker starts afresh on the new baseline).
  useBoundaryEvents(() => {
    void qc.invalidateQueries({ queryKey: trpc.plans.baseline.queryKey() });
    void qc.invalidateQueries({ queryKey: trpc.plans.list.queryKey() });
    void qc.invalidateQueries({ queryKey: trpc.boundaries.list.queryKey() });
  }, allowed);

  const discard = useCallback(async () => {
    if (open && !readOnly) {
      const r = await plans.discardPlan(open);
      if (r) return showRefusal(r);
    }
    startNew();
  }, [open, readOnly, plans, showRefusal, startNew]);

  const finishSketch = useCallback(
    (last?: [number, number]) => {
      const points = last ? [...sketch, last] : sketch;
      const g =
        mode === 'split'
          ? splitGesture(points, selection.length === 1 ? selection[0]! : null)
          : mode === 'cutout'
            ? cutOutGesture(points)
            : mode === 'redraw'
              ? redrawGesture(points, mapRef.current?.tolerance() ?? 0)
              : null;
      setSketch([]);
      if (g) void apply(g);
    },
    [mode, sketch, selection, apply],
  );

  const toggleUnlock = useCallback(() => {
    if (mayUnlock) setUnlocked((on) => !on);
  }, [mayUnlock]);
  // The worker follows the switch, also a worker started afresh (a new baseline) while it is on.
  useEffect(() => {
    if (client) void client.call('setUnlock', unlocked);
  }, [client, unlocked]);

  const selectCommunity = useCallback(async () => {
    const first = selection[0];
    if (!client || first === undefined) return;
    const comm = await client.call('community', first);
    if (comm) setSelection(comm.current);
  }, [client, selection]);

  const fit = useCallback(async () => {
    if (!client || selection.length === 0) return;
    const b = await client.call('boundsOf', selection);
    if (b) mapRef.current?.fitBounds(b);
  }, [client, selection]);

  const changeMode = useCallback((m: PlanMode) => {
    setMode(m);
    setSketch([]);
    setMergeFirst(null);
  }, []);

  const onCommand = useCallback(
    (c: PlanCommand) => {
      switch (c.type) {
        case 'mode':
          changeMode(c.mode);
          return;
        case 'undo':
          void session.undo();
          return;
        case 'redo':
          void session.redo();
          return;
        case 'save':
          void save();
          return;
        case 'community':
          void selectCommunity();
          return;
        case 'fit':
          void fit();
          return;
        case 'unlock':
          toggleUnlock();
          return;
        case 'help':
          setHelp((h) => !h);
          return;
        case 'cancel':
          if (sketch.length) setSketch([]);
          else if (mergeFirst !== null) setMergeFirst(null);
          else if (help) setHelp(false);
          else setSelection([]);
          return;
        case 'finish':
          finishSketch();
          return;
        case 'back':
          setSketch((s) => s.slice(0, -1));
          return;
      }
    },
    [
      changeMode,
      session,
      save,
      selectCommunity,
      fit,
      toggleUnlock,
      sketch.length,
      mergeFirst,
      help,
      finishSketch,
    ],
  );

  const commandRef = useRef(onCommand);
  useEffect(() => {
    commandRef.current = onCommand;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const c = planCommandOf(e);
      if (!c) return;
      e.preventDefault();
      commandRef.current(c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onPick = useCallback(
    (grid: GridId | null, add: boolean) => {
      if (mode === 'merge') {
        if (grid === null) return;
        const g = mergeGesture(mergeFirst, grid);
        if (g === 'first') {
          setMergeFirst(grid);
          setSelection([grid]);
        } else if (g) void apply(g);
        return;
      }
      setSelection((s) => nextSelection(s, grid, add));
    },
    [mode, mergeFirst, apply],
  );

  const onBox = useCallback(
    async (box: [number, number, number, number]) => {
      if (!client) return;
      const found = await client.call('inBox', box);
      setSelection((s) => [...new Set([...s, ...found])]);
    },
    [client],
  );

  // Layers: the baseline once, the plan over it, then selection, problems and handles.
  const layers = useMemo(() => {
    if (!base) return [];
    const hiddenGrids = plan?.hiddenGrids ?? new Set<number>();
    const hiddenEdges = plan?.hiddenEdges ?? new Set<number>();
    const key = plan?.revision ?? 0;
    const out: Layer[] = [
      fillLayer(
        'fills',
        base.parts,
        (g) => (hiddenGrids.has(g) ? TRANSPARENT : (baseColors.get(g) ?? PLAN_COLORS.uncounted)),
        key,
      ),
    ];
    if (plan) {
      const colors = panel?.planColors;
      out.push(
        fillLayer('fills-plan', plan.parts, (g) => colors?.get(g) ?? PLAN_COLORS.uncounted, [key, colors]),
      );
    }
    const sel = new Set<number>(selection);
    const selParts: FacePart[] = [
      ...base.parts.filter((p) => sel.has(p.grid) && !hiddenGrids.has(p.grid)),
      ...(plan?.parts.filter((p) => sel.has(p.grid)) ?? []),
    ];
    if (selParts.length) out.push(fillLayer('selected-fill', selParts, () => PLAN_COLORS.selectedFill, 0));
    out.push(edgeLayer('edges', base.edges, hiddenEdges, key, false));
    if (plan && plan.edges.ids.length) out.push(edgeLayer('edges-plan', plan.edges, new Set(), key, true));
    // The grids other planners' drafts touch, so two plans do not redraw the same border unawares.
    const others = plans.othersTouch;
    if (others.size)
      out.push(
        outlineLayer(
          'others',
          base.parts.filter((p) => others.has(p.grid)),
          PLAN_COLORS.others,
          2,
        ),
      );
    if (selParts.length) out.push(outlineLayer('selected', selParts, PLAN_COLORS.selected, 3));
    if (panel?.problems.length)
      out.push(
        ...problemLayers(
          panel.problems.map((p) => ({
            at: p.at,
            text: problemText(p, panel.gridsById.get(p.grids[0] ?? 0), t, judgedBy),
          })),
          CJK_FONT_STACK,
        ),
      );
    if (session.refusal?.at) out.push(pointsLayer('refusal', [session.refusal.at], PLAN_COLORS.refused, 14));
    if (handles && wantHandles && (mode === 'move' || mode === 'vertex'))
      out.push(...handleLayers(handles, mode));
    return out;
  }, [
    base,
    plan,
    baseColors,
    panel,
    selection,
    handles,
    wantHandles,
    mode,
    session.refusal,
    plans.othersTouch,
    judgedBy,
    t,
  ]);

  // A point inside a baseline grid: the middle of its first part's widest horizontal chord.
  const gridPoint = useCallback(
    (grid: GridId): [number, number] | null => {
      const part = base?.parts.find((p) => p.grid === grid);
      return part ? insidePoint(part.rings[0]!) : null;
    },
    [base],
  );

  const hint = useMemo(() => {
    if ((mode === 'move' || mode === 'vertex') && selection.length === 0) return t('plan.hint.needSelection');
    if (mode === 'merge' && mergeFirst !== null) {
      const g = panel?.gridsById.get(mergeFirst);
      return t('plan.hint.mergeSecond', { name: g ? gridLabel(g, t) : `#${mergeFirst}` });
    }
    return t(`plan.hint.${mode}` as MessageKey);
  }, [mode, selection.length, mergeFirst, panel, t]);

  const refusalText = session.refusal
    ? t('plan.refused', { reason: refusalOf(session.refusal.reason, t) })
    : null;

  const styleUrl = city.data ? baseMapStyleUrl(city.data) : null;
  const bbox = city.data?.bbox ?? base?.bbox ?? null;

  return (
    <div className="plan desk" data-testid="plan">
      <DeskHeader title={t('nav.plan')}>
        <button type="button" className="btn ghost" onClick={() => setHelp((x) => !x)}>
          {t('plan.shortcuts')} <kbd>?</kbd>
        </button>
      </DeskHeader>
      {help ? <PlanShortcutHelp onClose={() => setHelp(false)} /> : null}
      <main className="plan-body">
        <PlanPanel
          name={name}
          onName={setName}
          history={history}
          plans={plans}
          currentId={open?.id ?? null}
          readOnly={readOnly}
          bands={bands}
          onBands={setBands}
          dirty={bandsDirty}
          onNew={startNew}
          onSave={() => void save()}
          onDiscard={() => void discard()}
          onOpen={(id) => void openPlan(id)}
          onPublish={() => void publishPlan()}
          onReport={(v) => void showReport(v)}
          onCompare={() => setComparing(true)}
          onImport={() => setImporting(true)}
        />
        {publishing ? (
          <PublishDialog
            plan={publishing}
            problems={plans.list.find((p) => p.id === publishing.id)?.problems ?? 0}
            onClose={() => setPublishing(null)}
            onPublished={(p: Published) => {
              setPublishing(null);
              setReport(p.report);
              startNew();
              setNotice({
                text:
                  p.state === 'scheduled'
                    ? t('boundary.scheduled', {
                        n: p.version,
                        name: p.name,
                        at: centreTimeFormat(locale).format(p.report.effectiveAt),
                      })
                    : t('boundary.published', { n: p.version, name: p.name }),
                at: null,
                bad: false,
              });
            }}
          />
        ) : null}
        {report ? <ChangeReport report={report} onClose={() => setReport(null)} /> : null}
        {importing ? (
          <ImportDialog
            onClose={() => setImporting(false)}
            onImported={(id) => {
              setImporting(false);
              void qc.invalidateQueries({ queryKey: trpc.plans.list.queryKey() });
              void openPlan(id);
            }}
          />
        ) : null}
        {comparing && styleUrl && bbox ? (
          <CompareVersions styleUrl={styleUrl} bbox={bbox} onClose={() => setComparing(false)} />
        ) : null}
        <section className="plan-center">
          <PlanToolbar
            mode={mode}
            onMode={changeMode}
            history={history}
            onUndo={() => void session.undo()}
            onRedo={() => void session.redo()}
            onCommunity={() => void selectCommunity()}
            onFit={() => void fit()}
            hasSelection={selection.length > 0}
            unlock={mayUnlock ? { on: unlocked, toggle: toggleUnlock } : null}
            hint={unlocked ? `${t('plan.unlockedNote')} · ${hint}` : hint}
          />
          {!allowed && me.data ? (
            <p className="plan-error" role="alert">
              {t('plan.forbidden')}
            </p>
          ) : baseline.isError ? (
            <p className="plan-error" role="alert">
              {t('plan.loadFailed', { message: baseline.error.message })}
            </p>
          ) : styleUrl && bbox && base ? (
            <PlanMap
              ref={mapRef}
              styleUrl={styleUrl}
              bbox={bbox}
              layers={layers}
              mode={mode}
              client={client}
              handles={wantHandles ? handles : null}
              sketch={sketch}
              unlocked={unlocked}
              stats={showStats}
              gridPoint={gridPoint}
              onPick={onPick}
              onBox={(b) => void onBox(b)}
              onSketchPoint={(p) => setSketch((s) => [...s, p])}
              onSketchFinish={(last) => finishSketch(last)}
              onGesture={(g) => void apply(g)}
            />
          ) : (
            <p className="plan-loading" role="status">
              {t('plan.loading')}
            </p>
          )}
          {refusalText ? (
            <div className="plan-toast" role="alert" data-testid="plan-refusal" onClick={session.dismiss}>
              {refusalText}
            </div>
          ) : null}
          {notice ? (
            <div
              className={`plan-toast${notice.bad ? '' : ' ok'}`}
              role={notice.bad ? 'alert' : 'status'}
              data-testid="plan-notice"
              onClick={() => setNotice(null)}
            >
              {notice.text}
            </div>
          ) : null}
          {session.error ? (
            <div className="plan-toast" role="alert">
              {t('plan.workerError', { message: session.error })}
            </div>
          ) : null}
        </section>
        <aside className="plan-right" data-testid="plan-side">
          <section className="plan-selected">
            <h3>
              {selection.length ? t('plan.selectedCount', { n: selection.length }) : t('plan.selected')}
            </h3>
            <StatsTable grids={panel?.selected ?? []} />
          </section>
          <BandChart
            rows={panel?.community?.rows ?? null}
            urban={panel?.community?.urban ?? true}
            count={panel?.community?.count ?? 0}
            bands={judgedBy}
          />
          <ProblemList
            problems={panel?.problems ?? []}
            gridsById={panel?.gridsById ?? new Map()}
            bands={judgedBy}
            whole={selection.length === 0}
            onFly={(p) => {
              mapRef.current?.flyTo(p.at);
              setSelection(p.grids);
            }}
          />
        </aside>
      </main>
    </div>
  );
}

/** A point inside a closed ring (flat lng, lat): the middle of its chord at mid-height. */
function insidePoint(ring: Float64Array): [number, number] {
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 1; i < ring.length; i += 2) {
    minY = Math.min(minY, ring[i]!);
    maxY = Math.max(maxY, ring[i]!);
  }
  const y = (minY + maxY) / 2;
  const xs: number[] = [];
  for (let i = 0; i + 3 < ring.length; i += 2) {
    const [x1, y1, x2, y2] = [ring[i]!, ring[i + 1]!, ring[i + 2]!, ring[i + 3]!];
    if (y1 <= y !== y2 <= y) xs.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1));
  }
  xs.sort((a, b) => a - b);
  return [((xs[0] ?? ring[0]!) + (xs[1] ?? ring[0]!)) / 2, y];
}

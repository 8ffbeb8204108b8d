import type { CaseStatus } from '@gcc/shared';
import { useEffect, useRef, useState } from 'react';
import { startPositions, type PositionsClient } from '../live/positions.client.ts';
import type { CaseBoard } from './case-board.ts';
import { gridLayer } from '../map/grid.layer.ts';
import type { GridGeometry } from '../map/grid-geometry.ts';
import { heatLayer } from './layers/heat.layer.ts';
import { incidentsLayer, packIncidents } from './layers/incidents.layer.ts';
import { PulseMarkers } from './layers/pulse.markers.ts';
import type { UrgencyOf } from '../directory/categories.ts';
import { labelsLayer, type UnitLabel } from './layers/labels.layer.ts';
import { WorkersLayer } from './layers/workers.layer.ts';
import { liveStatus } from './live-status.ts';
import { gridLoadBreaks, loadClass, loadFill } from './load-colors.ts';
import { WallScene, type Padding } from './scene.ts';

/** Cases reported within this window pulse on the map. */
const PULSE_WINDOW_MS = 10 * 60_000;
const MAX_PULSES = 60;
/** The week's heat is redrawn at most this often: one report more does not show, a re-aggregation costs. */
const HEAT_REDRAW_MS = 10_000;
/** The heat waits for the first full draw (see below), but never longer than this. */
const HEAT_AT_THE_LATEST_MS = 30_000;

/**
 * Read-only debug hook of the wall, for end-to-end tests and the stats overlay:
 * `ready` turns true once the base map loaded, the grids are drawn and the first position
 * update was drawn; `positionsVersion` and `frameCount` grow as frames arrive;
 * `workerCount()` is the number of workers on the map, `samplePositions(n)` resolves to
 * `[workerId, lng, lat]` of up to n of them; `caseOf(id)` is the case as the wall shows it.
 */
export interface GccWallDebug {
  ready: boolean;
  workerCount(): number;
  samplePositions(n: number): Promise<[number, number, number][]>;
  positionsVersion: number;
  frameCount: number;
  /** The wall's current view of a case (incident marker or recent list): status and assignee, or null. */
  caseOf(id: number): { status: CaseStatus; assigneeId: number | null; version: number } | null;
  /** Where a place is on the page, CSS px. */
  project(lng: number, lat: number): [number, number];
  /** Which thread draws the workers: the positions worker (its canvas) or the main thread (deck.gl). */
  workersDrawnBy(): 'worker' | 'main';
}

declare global {
  interface Window {
    __gccWall?: GccWallDebug;
  }
}

interface Props {
  styleUrl: string;
  bbox: [number, number, number, number];
  labels: UnitLabel[];
  grids: GridGeometry | null;
  openByGrid: Record<string, number> | null;
  board: CaseBoard;
  /** UI scale (1 on a 1920×1080 panel): sizes of dots and labels follow it. */
  scale: number;
  padding: () => Padding;
  onBreaks(breaks: number[]): void;
  /** Urgency by subclass in the category table in force (incident colours). */
  urgencyOf: UrgencyOf;
}

export function WallMap({
  styleUrl,
  bbox,
  labels,
  grids,
  openByGrid,
  board,
  scale,
  padding,
  onBreaks,
  urgencyOf,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [scene, setScene] = useState<WallScene | null>(null);
  const [loaded, setLoaded] = useState(false);
  const paddingRef = useRef(padding);
  paddingRef.current = padding;
  const onBreaksRef = useRef(onBreaks);
  onBreaksRef.current = onBreaks;
  const scaleRef = useRef(scale);
  scaleRef.current = scale;

  // The map and deck.gl are made once per style.
  useEffect(() => {
    if (!container.current) return;
    const s = new WallScene(container.current, styleUrl, bbox, paddingRef.current());
    s.onLoad(() => setLoaded(true));
    setScene(s);
    const onResize = () => s.fit(paddingRef.current());
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      s.destroy();
      setScene(null);
      setLoaded(false);
    };
    // bbox changes are handled below without rebuilding the map
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [styleUrl]);

  useEffect(() => {
    scene?.fit(paddingRef.current(), bbox);
  }, [scene, bbox]);

  // Grid polygons: geometry once per boundary version, colour by open-case count.
  const gridsDrawn = useRef(false);
  useEffect(() => {
    if (!scene || !grids) return;
    const counts = grids.ids.map((id) => openByGrid?.[String(id)] ?? 0);
    const breaks = gridLoadBreaks(counts);
    const classes = new Uint8Array(counts.map((n) => loadClass(n, breaks)));
    onBreaksRef.current(breaks);
    scene.setLayer('grids', gridLayer(grids, loadFill(classes)));
    gridsDrawn.current = true;
  }, [scene, grids, openByGrid]);

  useEffect(() => {
    scene?.setLayer('labels', labels.length ? labelsLayer(labels, scale) : null);
  }, [scene, labels, scale]);

  // Incidents follow the case board; fresh reports pulse.
  useEffect(() => {
    if (!scene) return;
    let lastOpen = -1;
    const pulses = new PulseMarkers(scene, urgencyOf);
    const refreshPulse = () => pulses.show(board.reportedWithin(PULSE_WINDOW_MS).slice(0, MAX_PULSES));
    const sync = () => {
      if (board.openVersion === lastOpen) return;
      lastOpen = board.openVersion;
      const open = packIncidents(board.open.values(), board.open.size, urgencyOf);
      scene.setLayer('incidents', incidentsLayer(open, lastOpen, scale));
      refreshPulse();
    };
    sync();
    const unsubscribe = board.subscribe(sync);
    const timer = setInterval(refreshPulse, 5000);
    return () => {
      unsubscribe();
      clearInterval(timer);
      pulses.clear();
    };
  }, [scene, board, scale, urgencyOf]);

  // The week's heat follows the board too, but only once the wall has drawn everything else: its
  // set-up (aggregation textures, framebuffers, three shader programs) is the largest of the
  // wall's layers — 2.8 s of a software-rendered wall's main thread, measured — and a wall that
  // shows grids, cases and workers first is a wall people can read.
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (!scene || !settled) return;
    let lastHeat = -1;
    let heatAt = 0;
    let heatTimer: ReturnType<typeof setTimeout> | undefined;
    const sync = () => {
      if (board.heatVersion === lastHeat || heatTimer !== undefined) return;
      const wait = heatAt + HEAT_REDRAW_MS - Date.now();
      if (wait > 0) {
        heatTimer = setTimeout(() => {
          heatTimer = undefined;
          sync();
        }, wait);
        return;
      }
      lastHeat = board.heatVersion;
      heatAt = board.heat.length ? Date.now() : 0;
      scene.setLayer('heat', board.heat.length ? heatLayer(board.heat, scale) : null);
    };
    sync();
    const unsubscribe = board.subscribe(sync);
    return () => {
      unsubscribe();
      clearTimeout(heatTimer);
    };
  }, [scene, board, scale, settled]);

  useEffect(() => {
    scene?.workersCanvas?.setDotScale(scale);
  }, [scene, scale]);

  // Live workers: the worker thread decodes and, where the browser lets it, draws them into the
  // scene's workers canvas; else we hand its arrays to deck.gl once per frame.
  useEffect(() => {
    if (!scene) return;
    let present = 0;
    let firstDrawn = false;
    let drawnBy: 'worker' | 'main' = 'main';
    const debug: GccWallDebug = {
      ready: false,
      caseOf: (id) => {
        const c = board.open.get(id) ?? board.recent.find((r) => r.id === id);
        return c ? { status: c.status, assigneeId: c.assigneeId, version: c.version } : null;
      },
      positionsVersion: 0,
      frameCount: 0,
      workerCount: () => present,
      samplePositions: (n) => client?.sample(n) ?? Promise.resolve([]),
      project: (lng, lat) => {
        const p = scene.map.project([lng, lat]);
        const box = scene.map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
      },
      workersDrawnBy: () => drawnBy,
    };
    window.__gccWall = debug;
    const checkReady = () => {
      debug.ready = scene.isLoaded && gridsDrawn.current && firstDrawn;
      if (debug.ready) setSettled(true);
      else setTimeout(checkReady, 250);
    };
    // A wall without a position stream (none reachable yet) still gets its heat.
    const settleAnyway = setTimeout(() => setSettled(true), HEAT_AT_THE_LATEST_MS);
    liveStatus.set((s) => ({ ...s, positions: 'connecting' }));
    const workers = new WorkersLayer(scene);
    // The positions worker starts once the map and the deck.gl panes are up: its own GPU set-up
    // then does not run beside theirs (in headless software rendering, a page reloaded while both
    // were setting up could hang).
    let client: PositionsClient | null = null;
    let stopped = false;
    scene.onDrawn(() => {
      if (stopped) return;
      client = startPositions({
        canvas: scene.workersCanvas?.transfer() ?? null,
        onUpdate: (update) => {
          drawnBy = update.type === 'summary' ? 'worker' : 'main';
          if (update.type === 'positions') {
            workers.show(update, scaleRef.current);
            present = 0;
            for (let i = 0; i < update.count; i++) present += update.present[i]!;
          } else {
            present = update.present;
          }
          debug.positionsVersion = update.version;
          debug.frameCount = update.stats.frames;
          liveStatus.set((s) => ({
            ...s,
            online: update.online,
            present,
            byDuty: update.byDuty,
            stats: update.stats,
            drawnAt: performance.now(),
          }));
          if (!firstDrawn) {
            firstDrawn = true;
            checkReady();
          }
        },
        onState: (state) => liveStatus.set((s) => (s.positions === state ? s : { ...s, positions: state })),
      });
      const c = client;
      scene.workersCanvas?.onCamera((camera) => c.setCamera(camera));
    });
    return () => {
      stopped = true;
      clearTimeout(settleAnyway);
      client?.stop();
      workers.destroy();
      if (window.__gccWall === debug) delete window.__gccWall;
    };
  }, [scene, board]);

  return <div ref={container} className="wall-map" data-loaded={loaded ? 'true' : 'false'} />;
}

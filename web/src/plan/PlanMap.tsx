import type { Layer } from '@deck.gl/core';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import type { GridId } from '@gcc/shared';
import type { EdgeId, NodeId } from '@gcc/shared/topology';
import type maplibregl from 'maplibre-gl';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { createBaseMap } from '../map/base-map.ts';
import type { PlanClient } from './plan.client.ts';
import { handleAt } from './plan-handles.ts';
import { labelWidth, placeLabels } from './label-declutter.ts';
import {
  PLAN_COLORS,
  PROBLEM_TEXT_LAYER,
  PROBLEM_TEXT_OFFSET,
  PROBLEM_TEXT_SIZE,
  draggedPaths,
  type ProblemMark,
} from './plan.layers.ts';
import { LiveCanvas, type LiveScene } from './live-canvas.ts';
import { boxOf, boxRing, toleranceDeg } from './plan-gestures.ts';
import type { PlanMode } from './plan-keys.ts';
import type { DragInfo, Handles, PlanGesture, SnapKind } from './plan.protocol.ts';

/** The modes that draw a line or ring point by point. */
const sketching = (mode: PlanMode) => mode === 'split' || mode === 'cutout' || mode === 'redraw';

/** Snap within this many screen pixels (issue 16: "within a few pixels"). */
const SNAP_PX = 10;
/** How near a handle the pointer must be to grab it (the dots are 6 px in radius). */
const HANDLE_PX = 7;
/** How many pointer-move timings the stats readout keeps. */
const TIMINGS = 240;

/**
 * What the map exposes as `window.gccPlan` for benchmarks and end-to-end tests (read-only): where
 * the handles and a grid are on screen (CSS pixels from the map's top left).
 */
export interface PlanDebug {
  handles(): { node: number; x: number; y: number; locked: boolean }[];
  project(lng: number, lat: number): [number, number];
  /** A point inside a grid of the baseline, on screen; null for a grid it does not hold. */
  gridPoint(grid: number): [number, number] | null;
}

declare global {
  interface Window {
    gccPlan?: PlanDebug;
  }
}

export interface PlanMapHandle {
  fitBounds(b: [number, number, number, number], maxZoom?: number): void;
  flyTo(at: [number, number]): void;
  /** The snapping distance at the present zoom, in degrees of longitude. */
  tolerance(): number;
}

interface Props {
  styleUrl: string;
  bbox: [number, number, number, number];
  /** Everything but what moves with the pointer (parent-built, memoised). */
  layers: readonly Layer[];
  mode: PlanMode;
  client: PlanClient | null;
  handles: Handles | null;
  /** Points of the line or ring being drawn. */
  sketch: readonly [number, number][];
  /** Parent borders unlocked: their handles can be grabbed. */
  unlocked: boolean;
  stats: boolean;
  /** A point inside a baseline grid (lng, lat), for the debug hook. */
  gridPoint(grid: GridId): [number, number] | null;
  onPick(grid: GridId | null, add: boolean): void;
  onBox(box: [number, number, number, number]): void;
  onSketchPoint(at: [number, number]): void;
  /** `last`: a point that ends the line with it (a redraw ending on a node). */
  onSketchFinish(last?: [number, number]): void;
  onGesture(g: PlanGesture): void;
}

type DragTarget = { node: NodeId } | { edge: EdgeId; index: number; add: boolean };

interface DragState {
  target: DragTarget;
  info: DragInfo | null;
  at: [number, number];
  snapped: SnapKind | null;
  refused: boolean;
  moved: boolean;
}

/**
 * The planner's map: MapLibre below, a deck.gl overlay with the layers of the plan above it, and
 * over them a 2D canvas with what follows the pointer (a dragged border, a line being drawn, the
 * selection box, the snap target; live-canvas.ts), so a pointer move strokes a few paths rather
 * than redrawing the city. Clicks select, Shift-drag draws a selection box, handles are dragged
 * with snapping, lines and rings are drawn point by point. What follows the pointer is kept in
 * refs and drawn at most once per animation frame: a pointer move never re-renders React.
 */
export const PlanMap = forwardRef<PlanMapHandle, Props>(function PlanMap(props, ref) {
  const container = useRef<HTMLDivElement>(null);
  const liveCanvas = useRef<HTMLCanvasElement>(null);
  const readout = useRef<HTMLDivElement>(null);
  const [scene, setScene] = useState<{
    map: maplibregl.Map;
    overlay: MapLibreOverlay;
    live: LiveCanvas;
  } | null>(null);
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });
  const drag = useRef<DragState | null>(null);
  const box = useRef<{ from: [number, number]; to: [number, number] } | null>(null);
  const hover = useRef<{ at: [number, number]; snapped: SnapKind | null } | null>(null);
  const frame = useRef(0);
  const timings = useRef<number[]>([]);
  const snapBusy = useRef(false);
  const snapNext = useRef<[number, number] | null>(null);

  useImperativeHandle(
    ref,
    () => ({
      fitBounds(b, maxZoom = 17) {
        scene?.map.fitBounds(b, { padding: 80, maxZoom, duration: 500 });
      },
      flyTo(at) {
        scene?.map.flyTo({ center: at, zoom: Math.max(scene.map.getZoom(), 16), duration: 600 });
      },
      tolerance() {
        return scene ? toleranceDeg(SNAP_PX, scene.map.getZoom(), scene.map.getCenter().lat) : 0;
      },
    }),
    [scene],
  );

  useEffect(() => {
    if (!container.current) return;
    const map = createBaseMap({
      container: container.current,
      styleUrl: props.styleUrl,
      bbox: props.bbox,
      padding: 24,
    });
    map.boxZoom.disable();
    map.doubleClickZoom.disable();
    const overlay = new MapLibreOverlay({ interleaved: false, layers: [] });
    map.addControl(overlay);
    const live = new LiveCanvas(liveCanvas.current!);
    const fit = () => {
      const c = map.getContainer();
      live.resize(c.clientWidth, c.clientHeight);
    };
    fit();
    map.on('resize', fit);
    map.on('load', () => container.current?.setAttribute('data-loaded', 'true'));
    let moves = 0;
    map.on('moveend', () => container.current?.setAttribute('data-moves', String(++moves)));
    setScene({ map, overlay, live });
    return () => {
      map.off('resize', fit);
      map.removeControl(overlay);
      overlay.finalize();
      map.remove();
      setScene(null);
    };
    // the map is made once per style; bbox is only the first view
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.styleUrl]);

  /** The plan's layers as last handed to the lower overlay. */
  const shown = useRef<readonly Layer[]>([]);
  /** The problem labels that fit, per labels layer and zoom (placement depends on nothing else). */
  const placed = useRef<{ data: unknown; zoom: number; layer: Layer } | null>(null);
  const declutter = (layer: Layer): Layer => {
    if (layer.id !== PROBLEM_TEXT_LAYER || !scene) return layer;
    const zoom = Math.round(scene.map.getZoom() * 50) / 50;
    const data = layer.props.data as ProblemMark[];
    const c = placed.current;
    if (c && c.data === data && c.zoom === zoom) return c.layer;
    const keep = placeLabels(
      data.map((m) => {
        const at = scene.map.project(m.at);
        return { x: at.x, y: at.y, width: labelWidth(m.text, PROBLEM_TEXT_SIZE, 4) };
      }),
      PROBLEM_TEXT_SIZE + 5,
      PROBLEM_TEXT_OFFSET,
    );
    const out = layer.clone({ data: data.filter((_, i) => keep[i]) });
    placed.current = { data, zoom, layer: out };
    return out;
  };

  /** Draws the static layers and whatever follows the pointer now. */
  const draw = () => {
    frame.current = 0;
    if (!scene) return;
    const t0 = performance.now();
    const p = latest.current;
    const live: LiveScene = { paths: [], points: [] };
    const d = drag.current;
    if (d && d.info) {
      live.paths.push({
        positions: draggedPaths(d.info.paths, d.at),
        color: d.refused ? PLAN_COLORS.refused : PLAN_COLORS.drag,
        width: 3,
      });
      if (d.snapped) live.points.push({ at: [d.at], color: PLAN_COLORS.snap, radius: 9 });
    }
    const b = box.current;
    if (b)
      live.paths.push({ positions: [boxRing(boxOf(b.from, b.to))], color: PLAN_COLORS.selected, width: 1.5 });
    const h = hover.current;
    if (sketching(p.mode) && (p.sketch.length || h)) {
      const pts = [...p.sketch, ...(h ? [h.at] : [])];
      if (p.mode === 'cutout' && pts.length > 2) pts.push(pts[0]!);
      if (pts.length > 1)
        live.paths.push({
          positions: [Float64Array.from(pts.flat())],
          color: PLAN_COLORS.sketch,
          width: 2.5,
        });
      live.points.push({ at: p.sketch, color: PLAN_COLORS.sketch, radius: 4 });
      if (h?.snapped) live.points.push({ at: [h.at], color: PLAN_COLORS.snap, radius: 9 });
    }
    // The plan's layers only when they (or the placed labels) changed: deck.gl redraws a canvas
    // whenever its layers are set.
    const still = p.layers.map(declutter);
    if (still.length !== shown.current.length || still.some((l, i) => l !== shown.current[i])) {
      shown.current = still;
      scene.overlay.setProps({ layers: still });
    }
    scene.live.draw(live, (lng, lat) => scene.map.project([lng, lat]));
    if (d) {
      const ms = performance.now() - t0;
      performance.measure('plan:drag-move', { start: t0, duration: ms });
      const list = timings.current;
      list.push(ms);
      if (list.length > TIMINGS) list.shift();
      if (readout.current) {
        const sorted = [...list].sort((x, y) => x - y);
        const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
        readout.current.textContent = `drag move: ${ms.toFixed(2)} ms · p95 ${p95.toFixed(2)} ms · n ${list.length}`;
        readout.current.dataset.p95 = p95.toFixed(3);
      }
    }
  };
  const schedule = () => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  };

  useEffect(() => {
    if (!scene) return;
    const { map } = scene;
    window.gccPlan = {
      handles() {
        const h = latest.current.handles;
        if (!h) return [];
        return [...h.nodeIds].map((node, i) => {
          const p = map.project([h.nodes[2 * i]!, h.nodes[2 * i + 1]!]);
          return { node, x: p.x, y: p.y, locked: h.nodeLocked[i] === 1 };
        });
      },
      project(lng, lat) {
        const p = map.project([lng, lat]);
        return [p.x, p.y];
      },
      gridPoint(grid) {
        const at = latest.current.gridPoint(grid as GridId);
        if (!at) return null;
        const p = map.project(at);
        return [p.x, p.y];
      },
    };
    return () => {
      delete window.gccPlan;
    };
  }, [scene]);

  // The problem labels are placed again once a zoom ends (what overlaps depends on the zoom); the
  // live canvas follows every move.
  useEffect(() => {
    if (!scene) return;
    const { map } = scene;
    const onZoom = () => schedule();
    // What follows the pointer is drawn in screen pixels: it follows the map as it pans and zooms.
    const onMove = () => {
      if (drag.current || box.current || hover.current || latest.current.sketch.length) schedule();
    };
    map.on('zoomend', onZoom);
    map.on('move', onMove);
    return () => {
      map.off('zoomend', onZoom);
      map.off('move', onMove);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scene]);

  // New static layers (an edit, a selection) are drawn at once.
  useEffect(() => {
    if (!scene) return;
    schedule();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scene, props.layers, props.sketch, props.mode]);

  useEffect(() => {
    if (!scene || !container.current) return;
    const { map } = scene;
    const el = container.current;
    const lngLatOf = (e: PointerEvent): [number, number] => {
      const r = el.getBoundingClientRect();
      const ll = map.unproject([e.clientX - r.left, e.clientY - r.top]);
      return [ll.lng, ll.lat];
    };
    const tolerance = () => toleranceDeg(SNAP_PX, map.getZoom(), map.getCenter().lat);
    const project = (lng: number, lat: number) => map.project([lng, lat]);

    /** Newest-wins snapping: one request in flight, the latest position waits for it. */
    const requestSnap = (at: [number, number]) => {
      const client = latest.current.client;
      if (!client) return;
      if (snapBusy.current) {
        snapNext.current = at;
        return;
      }
      snapBusy.current = true;
      const skip = drag.current && 'node' in drag.current.target ? drag.current.target.node : null;
      void client
        .call('snap', at, tolerance(), skip)
        .then((s) => {
          const d = drag.current;
          // A frame only when the answer changes what is drawn: most answers off a snap target
          // give back the very place the pointer move already drew.
          if (d) {
            const same = d.snapped === s.kind && d.at[0] === s.at[0] && d.at[1] === s.at[1];
            d.at = s.at;
            d.snapped = s.kind;
            if ('node' in d.target)
              void client.call('check', { type: 'moveNode', node: d.target.node, to: s.at }).then((c) => {
                if (drag.current === d && d.refused === c.ok) {
                  d.refused = !c.ok;
                  schedule();
                }
              });
            if (!same) schedule();
          } else if (hover.current) {
            hover.current = { at: s.at, snapped: s.kind };
            schedule();
          }
        })
        .finally(() => {
          snapBusy.current = false;
          const n = snapNext.current;
          snapNext.current = null;
          if (n) requestSnap(n);
        });
    };

    const onDown = (e: PointerEvent) => {
      if (e.button !== 0) return;
      const p = latest.current;
      const r = el.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      if (p.mode === 'select' && e.shiftKey) {
        map.dragPan.disable();
        const at = lngLatOf(e);
        box.current = { from: at, to: at };
        el.setPointerCapture(e.pointerId);
        return;
      }
      if ((p.mode !== 'move' && p.mode !== 'vertex') || !p.handles || !p.client) return;
      const h = p.handles;
      const hit = handleAt(h, p.mode, project, x, y, HANDLE_PX);
      if (!hit) return;
      let target: DragTarget;
      if (hit.kind === 'nodes') {
        if (h.nodeLocked[hit.index] && !p.unlocked) return;
        target = { node: h.nodeIds[hit.index]! as NodeId };
      } else if (hit.kind === 'mids') {
        if (h.midLocked[hit.index] && !p.unlocked) return;
        target = { edge: h.midEdges[hit.index]! as EdgeId, index: h.midIndex[hit.index]!, add: true };
      } else {
        // A click on an inner vertex in vertex mode deletes it; a drag moves it.
        target = { edge: h.vertexEdges[hit.index]! as EdgeId, index: h.vertexIndex[hit.index]!, add: false };
      }
      map.dragPan.disable();
      el.setPointerCapture(e.pointerId);
      const d: DragState = {
        target,
        info: null,
        at: lngLatOf(e),
        snapped: null,
        refused: false,
        moved: false,
      };
      drag.current = d;
      timings.current = [];
      if ('node' in target) void p.client.call('drag', { node: target.node }).then((info) => (d.info = info));
      else if (target.add) {
        // A new vertex in the middle of the segment: the two halves follow the pointer.
        const edge = target.edge;
        const seg = target.index;
        void p.client.call('drag', { edge, index: seg - 1 }).then((info) => {
          const path = info.paths[0];
          if (!path) return;
          const pos = path.positions;
          const a = 2 * seg;
          const mid = [(pos[a]! + pos[a + 2]!) / 2, (pos[a + 1]! + pos[a + 3]!) / 2];
          const inserted = new Float64Array(pos.length + 2);
          inserted.set(pos.subarray(0, a + 2));
          inserted.set(mid, a + 2);
          inserted.set(pos.subarray(a + 2), a + 4);
          d.info = { paths: [{ positions: inserted, moving: [seg + 1] }] };
        });
      } else
        void p.client
          .call('drag', { edge: target.edge, index: target.index })
          .then((info) => (d.info = info));
    };

    const onMove = (e: PointerEvent) => {
      const p = latest.current;
      if (box.current) {
        box.current.to = lngLatOf(e);
        schedule();
        return;
      }
      const d = drag.current;
      if (d) {
        d.at = lngLatOf(e);
        d.moved = true;
        d.snapped = null;
        schedule();
        requestSnap(d.at);
        return;
      }
      if (sketching(p.mode)) {
        const at = lngLatOf(e);
        hover.current = { at, snapped: null };
        schedule();
        requestSnap(at);
      } else if (hover.current) {
        hover.current = null;
        schedule();
      }
    };

    const onUp = (e: PointerEvent) => {
      const p = latest.current;
      if (box.current) {
        const b = boxOf(box.current.from, lngLatOf(e));
        box.current = null;
        map.dragPan.enable();
        schedule();
        p.onBox(b);
        return;
      }
      const d = drag.current;
      if (!d) return;
      drag.current = null;
      map.dragPan.enable();
      schedule();
      const t = d.target;
      if (!d.moved) {
        if ('edge' in t && !t.add) p.onGesture({ type: 'deleteVertex', edge: t.edge, index: t.index });
        return;
      }
      if ('node' in t) p.onGesture({ type: 'moveNode', node: t.node, to: d.at });
      else if (t.add) p.onGesture({ type: 'addVertex', edge: t.edge, segment: t.index, at: d.at });
      else p.onGesture({ type: 'moveVertex', edge: t.edge, index: t.index, to: d.at });
    };

    const onLeave = () => {
      if (hover.current) {
        hover.current = null;
        schedule();
      }
    };

    const onClick = (e: maplibregl.MapMouseEvent) => {
      const p = latest.current;
      if (sketching(p.mode)) {
        const at = hover.current?.at ?? [e.lngLat.lng, e.lngLat.lat];
        // A redraw that reaches a node is finished: that is where a border ends.
        if (p.mode === 'redraw' && p.sketch.length && hover.current?.snapped === 'node') p.onSketchFinish(at);
        else p.onSketchPoint(at);
        return;
      }
      if (p.mode === 'move' || p.mode === 'vertex') {
        // Clicking away from the handles picks another grid to work on.
        if (p.handles && handleAt(p.handles, p.mode, project, e.point.x, e.point.y, HANDLE_PX)) return;
      }
      // The grid under the click, from the topology in the worker rather than a GPU pick.
      const add = e.originalEvent.shiftKey || e.originalEvent.ctrlKey || e.originalEvent.metaKey;
      if (p.client)
        void p.client.call('gridAt', [e.lngLat.lng, e.lngLat.lat]).then((grid) => p.onPick(grid, add));
    };
    const onDblClick = (e: maplibregl.MapMouseEvent) => {
      const p = latest.current;
      if (sketching(p.mode)) {
        e.preventDefault();
        p.onSketchFinish();
      }
    };

    el.addEventListener('pointerdown', onDown, true);
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('pointerleave', onLeave);
    map.on('click', onClick);
    map.on('dblclick', onDblClick);
    return () => {
      el.removeEventListener('pointerdown', onDown, true);
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerup', onUp);
      el.removeEventListener('pointerleave', onLeave);
      map.off('click', onClick);
      map.off('dblclick', onDblClick);
    };
    // the listeners read the newest props through `latest`
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scene]);

  const cursor = sketching(props.mode) ? 'crosshair' : props.mode === 'select' ? 'pointer' : 'default';
  return (
    <div className="plan-map-wrap">
      <div ref={container} className="plan-map" data-testid="plan-map" style={{ cursor }} />
      <canvas ref={liveCanvas} className="plan-live" aria-hidden="true" />
      {props.stats ? <div ref={readout} className="plan-stats" data-testid="plan-drag-stats" /> : null}
    </div>
  );
});

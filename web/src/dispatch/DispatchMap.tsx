import type { Layer } from '@deck.gl/core';
import { PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Case } from '@gcc/shared';
import { useEffect, useMemo, useRef } from 'react';
import type { EffectiveCategory } from '../directory/categories.ts';
import { useOverlayMap } from '../map/use-overlay-map.ts';
import { gridLayer } from '../map/grid.layer.ts';
import type { GridGeometry } from '../map/grid-geometry.ts';
import { URGENCY_COLORS, type RGBA } from '../map/palette.ts';
import { LABEL_FONT_SETTINGS } from '../map/label-font.ts';
import { CJK_FONT_STACK } from '../app/fonts.ts';
import type { Recommended } from './types.ts';

interface Props {
  styleUrl: string;
  bbox: [number, number, number, number];
  grids: GridGeometry | null;
  queue: readonly Case[];
  selected: Case | null;
  workers: readonly Recommended[];
  picked: number;
  /** The category table in force (urgency colours). */
  categoryOf(code: string): EffectiveCategory | undefined;
  onPickCase(id: number): void;
  onPickWorker(index: number): void;
  /** A case row dropped onto a recommended worker on the map. */
  onDropOnWorker(caseId: number, index: number): void;
  /** Street and district names at their centres (labels for bearings). */
  places: readonly { name: string; lng: number; lat: number }[];
  /** Intake (受理登记): a click places the report instead of picking. */
  placing?: {
    point: [number, number] | null;
    /** An address chosen in the search: the map pans there (a new object each time). */
    pan?: { lng: number; lat: number } | null;
    onPlace(lng: number, lat: number): void;
  } | null;
}

const ROUTE: RGBA = [54, 197, 240, 220];
const ROUTE_PICKED: RGBA = [46, 230, 166, 255];
/** The open case's grid stands out from the others; outlines a little fainter than the wall's. */
const GRID_SELECTED: RGBA = [54, 197, 240, 60];
const GRID_OTHER: RGBA = [18, 44, 78, 60];
const GRID_LINE: RGBA = [92, 178, 255, 110];
/** The open case's grid, outlined. */
const GRID_OUTLINE: RGBA = [255, 214, 102, 255];
const LABEL_GRID: RGBA = [200, 226, 255, 230];
const LABEL_PLACE: RGBA = [255, 236, 190, 240];
const LABEL_HALO: RGBA = [4, 10, 20, 230];
/** Grid names are drawn around the open case, within this distance (degrees, about 2 km). */
const LABEL_RADIUS_DEG = 0.02;
/** A CJK font stack the users' machines have (deck.gl builds its atlas from it in the browser). */
/** The case and its workers framed with this margin (degrees, about 600 m), never closer than MAX_ZOOM: streets around stay in view. */
const FRAME_PAD_DEG = 0.006;
const MAX_ZOOM = 15;
/** An address chosen at intake is shown at least this close (a few streets around it). */
const ADDRESS_ZOOM = 16;

/** A label point per grid: the vertex mean of its largest part's outer ring. */
function gridLabelPoints(grids: GridGeometry): ([number, number] | null)[] {
  const best: { n: number; at: [number, number] | null }[] = grids.ids.map(() => ({ n: 0, at: null }));
  for (const part of grids.parts) {
    const ring = part.rings[0];
    if (!ring || ring.length <= best[part.grid]!.n) continue;
    let x = 0;
    let y = 0;
    for (const [lng, lat] of ring) {
      x += lng!;
      y += lat!;
    }
    best[part.grid] = { n: ring.length, at: [x / ring.length, y / ring.length] };
  }
  return best.map((b) => b.at);
}

/**
 * The desk's map: the offline base map, grid outlines, the queue's cases by urgency, and for the
 * open case its recommended workers with their road routes. Picking a marker selects it; a case
 * dragged from the queue onto a worker marker assigns it.
 */
export function DispatchMap({
  styleUrl,
  bbox,
  grids,
  queue,
  selected,
  workers,
  picked,
  categoryOf,
  onPickCase,
  onPickWorker,
  onDropOnWorker,
  places,
  placing = null,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const handlers = useRef({ onPickCase, onPickWorker, onDropOnWorker, onPlace: placing?.onPlace });
  useEffect(() => {
    handlers.current = { onPickCase, onPickWorker, onDropOnWorker, onPlace: placing?.onPlace };
  });
  const isPlacing = placing !== null;
  const point = placing?.point ?? null;

  const scene = useOverlayMap(container, { styleUrl, bbox, padding: 24 }, (map) => {
    // For tests and tools: how many moves the map finished (a framed case is where it will stay).
    let moves = 0;
    map.on('moveend', () => {
      container.current?.setAttribute('data-moves', String(++moves));
      container.current?.setAttribute('data-zoom', map.getZoom().toFixed(2));
    });
  });

  // Frame the open case, its grid (outlined: the dispatcher sees where it lies) and its
  // recommended workers; not while a report is being placed (a live update of the open case would
  // pull the map away from the address just chosen).
  useEffect(() => {
    if (!scene || !selected || isPlacing) return;
    const pts: [number, number][] = [
      [selected.lng, selected.lat],
      ...workers.map((w): [number, number] => [w.lng, w.lat]),
    ];
    const own = grids?.indexById.get(selected.gridId);
    for (const part of grids?.parts ?? []) if (part.grid === own) pts.push(...(part.rings[0] ?? []));
    const lngs = pts.map((p) => p[0]);
    const lats = pts.map((p) => p[1]);
    const pad = FRAME_PAD_DEG;
    scene.map.fitBounds(
      [Math.min(...lngs) - pad, Math.min(...lats) - pad, Math.max(...lngs) + pad, Math.max(...lats) + pad],
      { padding: 48, maxZoom: MAX_ZOOM, duration: 400 },
    );
  }, [scene, selected, workers, isPlacing, grids]);

  // An address chosen at intake: pan there, close enough to see the houses around it.
  const pan = placing?.pan ?? null;
  useEffect(() => {
    if (!scene || !pan) return;
    scene.map.easeTo({
      center: [pan.lng, pan.lat],
      zoom: Math.max(scene.map.getZoom(), ADDRESS_ZOOM),
      duration: 400,
    });
  }, [scene, pan]);

  const labelPoints = useMemo(() => (grids ? gridLabelPoints(grids) : []), [grids]);

  useEffect(() => {
    if (!scene) return;
    const layers: Layer[] = [];
    if (grids) {
      layers.push(
        gridLayer(grids, {
          color: (grid) => (selected && grids.ids[grid] === selected.gridId ? GRID_SELECTED : GRID_OTHER),
          key: selected?.gridId ?? 0,
          lineColor: GRID_LINE,
        }),
      );
      if (selected) {
        // The open case's grid outlined, and the names of the grids around it.
        const own = grids.parts.filter((p) => grids.ids[p.grid] === selected.gridId);
        layers.push(
          new PathLayer<(typeof own)[number]['rings'][number]>({
            id: `case-grid-${selected.gridId}`,
            data: own.flatMap((p) => p.rings),
            getPath: (ring) => ring as [number, number][],
            getColor: GRID_OUTLINE,
            getWidth: 3,
            widthUnits: 'pixels',
          }),
        );
        const near = labelPoints.flatMap((at, grid) =>
          at &&
          Math.abs(at[0] - selected.lng) < LABEL_RADIUS_DEG &&
          Math.abs(at[1] - selected.lat) < LABEL_RADIUS_DEG
            ? [{ at, name: grids.names[grid] ?? '', own: grids.ids[grid] === selected.gridId }]
            : [],
        );
        layers.push(
          new TextLayer<(typeof near)[number]>({
            id: 'grid-labels',
            data: near,
            getPosition: (d) => d.at,
            getText: (d) => d.name,
            // At 11 px and normal weight the halo swallowed thin strokes (区 read as ×): a size and
            // weight whose strokes survive the SDF's edge, a thinner halo.
            getSize: (d) => (d.own ? 15 : 12),
            getColor: (d) => (d.own ? GRID_OUTLINE : LABEL_GRID),
            characterSet: 'auto',
            fontFamily: CJK_FONT_STACK,
            fontWeight: 600,
            outlineWidth: 2,
            outlineColor: LABEL_HALO,
            fontSettings: LABEL_FONT_SETTINGS,
          }),
        );
      }
    }
    layers.push(
      new TextLayer<(typeof places)[number]>({
        id: 'place-labels',
        data: places as (typeof places)[number][],
        getPosition: (d) => [d.lng, d.lat],
        getText: (d) => d.name,
        getSize: 16,
        getColor: LABEL_PLACE,
        characterSet: 'auto',
        fontFamily: CJK_FONT_STACK,
        fontWeight: 700,
        outlineWidth: 3,
        outlineColor: LABEL_HALO,
        fontSettings: LABEL_FONT_SETTINGS,
      }),
    );
    layers.push(
      new ScatterplotLayer<Case>({
        id: 'queue',
        data: queue as Case[],
        getPosition: (c) => [c.lng, c.lat],
        radiusUnits: 'pixels',
        getRadius: 5,
        getFillColor: (c) => URGENCY_COLORS[categoryOf(c.category)?.urgency ?? 'blue'],
        stroked: true,
        getLineColor: [4, 10, 20, 255],
        lineWidthMinPixels: 1,
        updateTriggers: { getFillColor: categoryOf },
        pickable: !isPlacing,
        onClick: (info) => info.object && handlers.current.onPickCase(info.object.id),
      }),
    );
    if (point) {
      layers.push(
        new ScatterplotLayer<[number, number]>({
          id: 'report-point',
          data: [point],
          getPosition: (p) => p,
          radiusUnits: 'pixels',
          getRadius: 9,
          getFillColor: [255, 196, 61, 235],
          stroked: true,
          getLineColor: [255, 255, 255, 255],
          lineWidthMinPixels: 2,
        }),
      );
    }
    if (selected && !isPlacing) {
      layers.push(
        new PathLayer<Recommended>({
          id: 'routes',
          data: workers as Recommended[],
          getPath: (w) => w.eta.path as [number, number][],
          getColor: (w) => (workers[picked] === w ? ROUTE_PICKED : ROUTE),
          getWidth: (w) => (workers[picked] === w ? 5 : 3),
          widthUnits: 'pixels',
          capRounded: true,
          jointRounded: true,
          updateTriggers: { getColor: picked, getWidth: picked },
        }),
      );
      layers.push(
        new ScatterplotLayer<Case>({
          id: 'selected',
          data: [selected],
          getPosition: (c) => [c.lng, c.lat],
          radiusUnits: 'pixels',
          getRadius: 11,
          getFillColor: [255, 77, 79, 230],
          stroked: true,
          getLineColor: [255, 255, 255, 255],
          lineWidthMinPixels: 2,
        }),
      );
      layers.push(
        new ScatterplotLayer<Recommended>({
          id: 'rec-workers',
          data: workers as Recommended[],
          getPosition: (w) => [w.lng, w.lat],
          radiusUnits: 'pixels',
          getRadius: 11,
          getFillColor: (w) => (workers[picked] === w ? [46, 230, 166, 255] : [47, 124, 246, 255]),
          stroked: true,
          getLineColor: [230, 241, 255, 255],
          lineWidthMinPixels: 2,
          pickable: true,
          onClick: (info) => info.index >= 0 && handlers.current.onPickWorker(info.index),
          updateTriggers: { getFillColor: picked },
        }),
      );
      layers.push(
        new TextLayer<Recommended>({
          id: 'rec-labels',
          data: workers as Recommended[],
          getPosition: (w) => [w.lng, w.lat],
          getText: (w) => String(workers.indexOf(w) + 1),
          getSize: 13,
          getColor: [4, 10, 20, 255],
          fontWeight: 700,
          characterSet: '123456789',
          fontFamily: 'Roboto Mono, DejaVu Sans Mono, monospace',
        }),
      );
    }
    scene.overlay.setProps({
      layers,
      getCursor: ({ isDragging, isHovering }) =>
        isPlacing ? 'crosshair' : isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab',
      onClick: isPlacing
        ? (info) => {
            if (info.coordinate) handlers.current.onPlace?.(info.coordinate[0]!, info.coordinate[1]!);
          }
        : undefined,
    });
  }, [scene, grids, labelPoints, places, queue, selected, workers, picked, categoryOf, isPlacing, point]);

  const workerAt = (e: React.DragEvent): number | null => {
    const box = container.current?.getBoundingClientRect();
    if (!scene || !box) return null;
    const hit = scene.overlay.pickObject({
      x: e.clientX - box.left,
      y: e.clientY - box.top,
      radius: 14,
      layerIds: ['rec-workers'],
    });
    return hit && hit.index >= 0 ? hit.index : null;
  };

  return (
    <div
      ref={container}
      className="dispatch-map"
      data-testid="dispatch-map"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('application/x-gcc-case')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = workerAt(e) === null ? 'none' : 'move';
      }}
      onDrop={(e) => {
        const caseId = Number(e.dataTransfer.getData('application/x-gcc-case'));
        const index = workerAt(e);
        if (caseId && index !== null) {
          e.preventDefault();
          handlers.current.onDropOnWorker(caseId, index);
        }
      }}
    />
  );
}

import type { Layer } from '@deck.gl/core';
import { PathLayer, ScatterplotLayer, SolidPolygonLayer, TextLayer } from '@deck.gl/layers';
import type { GridId } from '@gcc/shared';
import type { RGBA } from '../map/palette.ts';
import type { EdgeBuffers, FaceBuffers, Handles } from './plan.protocol.ts';

// The planner's deck.gl layers. The baseline is drawn once (its buffers as they came from the
// worker); the plan's changes are small layers on top, and the baseline records they replace are
// faded out by a colour update, never a rebuild. While a point is dragged only the `drag` layer
// (a handful of paths) changes per pointer move.

export interface FacePart {
  grid: GridId;
  polygon: { positions: Float64Array; holeIndices: number[] };
  /** Each ring as a flat path, for outlines. */
  rings: Float64Array[];
}

/** The worker's face buffers as one drawable part per polygon (views into the buffers, no copies). */
export function faceParts(f: FaceBuffers): FacePart[] {
  const parts: FacePart[] = [];
  for (let p = 0; p < f.grids.length; p++) {
    const r0 = f.partRings[p]!;
    const r1 = f.partRings[p + 1]!;
    const v0 = f.ringStarts[r0]!;
    const holeIndices: number[] = [];
    const rings: Float64Array[] = [];
    for (let r = r0; r < r1; r++) {
      if (r > r0) holeIndices.push((f.ringStarts[r]! - v0) * 2);
      rings.push(f.positions.subarray(f.ringStarts[r]! * 2, f.ringStarts[r + 1]! * 2));
    }
    parts.push({
      grid: f.grids[p]! as GridId,
      polygon: { positions: f.positions.subarray(v0 * 2, f.ringStarts[r1]! * 2), holeIndices },
      rings,
    });
  }
  return parts;
}

type EdgePathData = {
  length: number;
  startIndices: Uint32Array;
  attributes: { getPath: { value: Float64Array; size: 2 } };
};
const pathData = new WeakMap<EdgeBuffers, EdgePathData>();

/**
 * Edge buffers as deck.gl binary path data: one object per buffers, so a layer rebuilt for another
 * reason (a selection) sees the same data and keeps its attributes instead of re-tessellating.
 */
export function edgePathData(e: EdgeBuffers): EdgePathData {
  let d = pathData.get(e);
  if (!d) {
    d = {
      length: e.ids.length,
      startIndices: e.starts,
      attributes: { getPath: { value: e.positions, size: 2 } },
    };
    pathData.set(e, d);
  }
  return d;
}

/** Paths of a point being dragged: the incident paths with the dragged indices moved to `to`. */
export function draggedPaths(
  paths: readonly { positions: Float64Array; moving: readonly number[] }[],
  to: readonly [number, number],
): Float64Array[] {
  return paths.map((p) => {
    const out = p.positions.slice();
    for (const i of p.moving) {
      out[2 * i] = to[0];
      out[2 * i + 1] = to[1];
    }
    return out;
  });
}

export const PLAN_COLORS = {
  under: [64, 158, 255, 70] as RGBA,
  within: [46, 230, 166, 34] as RGBA,
  over: [255, 112, 67, 96] as RGBA,
  /** An edited grid whose counts are not known yet. */
  uncounted: [170, 178, 196, 60] as RGBA,
  edge: [92, 178, 255, 150] as RGBA,
  locked: [255, 196, 61, 235] as RGBA,
  planEdge: [240, 246, 255, 240] as RGBA,
  selected: [54, 229, 255, 255] as RGBA,
  selectedFill: [54, 229, 255, 46] as RGBA,
  others: [190, 120, 255, 220] as RGBA,
  problem: [255, 77, 79, 255] as RGBA,
  handle: [255, 255, 255, 255] as RGBA,
  handleLocked: [120, 130, 150, 200] as RGBA,
  mid: [255, 196, 61, 255] as RGBA,
  drag: [255, 230, 90, 255] as RGBA,
  refused: [255, 77, 79, 255] as RGBA,
  snap: [46, 230, 166, 255] as RGBA,
  sketch: [255, 230, 90, 255] as RGBA,
};

const TRANSPARENT: RGBA = [0, 0, 0, 0];

export function fillLayer(
  id: string,
  parts: readonly FacePart[],
  color: (grid: GridId) => RGBA,
  key: unknown,
): Layer {
  // Nothing on the planner's map is pickable: a GPU pick waits for every queued frame, so the
  // page finds grids and handles itself (gridAt in the worker, plan-handles.ts).
  return new SolidPolygonLayer<FacePart>({
    id,
    data: parts as FacePart[],
    getPolygon: (d) => d.polygon,
    positionFormat: 'XY',
    getFillColor: (d) => color(d.grid),
    updateTriggers: { getFillColor: key },
    // The polygons come closed and oriented from the topology.
    _normalize: true,
  });
}

export function edgeLayer(
  id: string,
  edges: EdgeBuffers,
  hidden: ReadonlySet<number>,
  key: unknown,
  plan: boolean,
): Layer {
  return new PathLayer({
    id,
    data: edgePathData(edges),
    positionFormat: 'XY',
    _pathType: 'open',
    getColor: (_: unknown, { index }: { index: number }) =>
      hidden.has(edges.ids[index]!)
        ? TRANSPARENT
        : edges.locked[index]
          ? PLAN_COLORS.locked
          : plan
            ? PLAN_COLORS.planEdge
            : PLAN_COLORS.edge,
    getWidth: (_: unknown, { index }: { index: number }) => (edges.locked[index] ? 2.5 : plan ? 2 : 1),
    widthUnits: 'pixels',
    updateTriggers: { getColor: key },
  });
}

export function outlineLayer(id: string, parts: readonly FacePart[], color: RGBA, width: number): Layer {
  const rings = parts.flatMap((p) => p.rings);
  return new PathLayer<Float64Array>({
    id,
    data: rings,
    getPath: (r) => r,
    positionFormat: 'XY',
    getColor: color,
    getWidth: width,
    widthUnits: 'pixels',
    jointRounded: true,
  });
}

/** Round handles at binary positions; `locked[i]` greys one out. */
function handleDots(
  id: string,
  positions: Float64Array,
  locked: Uint8Array | null,
  color: RGBA,
  radius: number,
): Layer {
  return new ScatterplotLayer({
    id,
    data: { length: positions.length / 2, attributes: { getPosition: { value: positions, size: 2 } } },
    getFillColor: (_: unknown, { index }: { index: number }) =>
      locked?.[index] ? PLAN_COLORS.handleLocked : color,
    getRadius: radius,
    radiusUnits: 'pixels',
    stroked: true,
    getLineColor: [4, 10, 20, 255],
    lineWidthMinPixels: radius > 4 ? 2 : 1,
  });
}

export function handleLayers(h: Handles, mode: 'move' | 'vertex'): Layer[] {
  const nodes = handleDots('nodes', h.nodes, h.nodeLocked, PLAN_COLORS.handle, 6);
  if (mode === 'move') return [nodes];
  return [
    handleDots('mids', h.midpoints, h.midLocked, PLAN_COLORS.mid, 4),
    handleDots('vertices', h.vertices, null, PLAN_COLORS.handle, 4),
    nodes,
  ];
}

export function pointsLayer(
  id: string,
  points: readonly [number, number][],
  color: RGBA,
  radius: number,
): Layer {
  return new ScatterplotLayer<[number, number]>({
    id,
    data: points as [number, number][],
    getPosition: (p) => p,
    getFillColor: [0, 0, 0, 0],
    stroked: true,
    getLineColor: color,
    lineWidthMinPixels: 2.5,
    getRadius: radius,
    radiusUnits: 'pixels',
  });
}

export interface ProblemMark {
  at: [number, number];
  text: string;
}

/** Problems where they are: a red ring and the reason beside it. */
/** The problem labels' layer id, size and offset from their dot (PlanMap places them). */
export const PROBLEM_TEXT_LAYER = 'problem-text';
export const PROBLEM_TEXT_SIZE = 13;
export const PROBLEM_TEXT_OFFSET = 12;

export function problemLayers(marks: readonly ProblemMark[], fontFamily: string): Layer[] {
  return [
    new ScatterplotLayer<ProblemMark>({
      id: 'problems',
      data: marks as ProblemMark[],
      getPosition: (m) => m.at,
      getFillColor: [255, 77, 79, 90],
      stroked: true,
      getLineColor: PLAN_COLORS.problem,
      lineWidthMinPixels: 2,
      getRadius: 9,
      radiusUnits: 'pixels',
    }),
    new TextLayer<ProblemMark>({
      id: PROBLEM_TEXT_LAYER,
      data: marks as ProblemMark[],
      getPosition: (m) => m.at,
      getText: (m) => m.text,
      getSize: PROBLEM_TEXT_SIZE,
      getColor: [255, 220, 220, 255],
      getPixelOffset: [PROBLEM_TEXT_OFFSET, 0],
      getTextAnchor: 'start',
      getAlignmentBaseline: 'center',
      characterSet: 'auto',
      fontFamily,
      background: true,
      getBackgroundColor: [40, 6, 10, 210],
      backgroundPadding: [4, 2],
    }),
  ];
}

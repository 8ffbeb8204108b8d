import type { GridFill } from '../map/grid.layer.ts';
import type { RGBA } from '../map/palette.ts';

/**
 * Sequential ramp for a grid's open-case load: empty grids stay near the base map, busy grids
 * glow. Class 0 = no open case; classes 1–5 follow `gridLoadBreaks`.
 */
export const GRID_LOAD_RAMP: readonly RGBA[] = [
  [18, 44, 78, 70],
  [22, 78, 128, 125],
  [26, 112, 170, 145],
  [40, 150, 205, 160],
  [84, 192, 235, 175],
  [170, 232, 255, 195],
];

/** Lower bounds of load classes 1–5, chosen so the busiest grids stand out at any city size. */
export function gridLoadBreaks(counts: Iterable<number>): number[] {
  const nonzero = [...counts].filter((n) => n > 0).sort((a, b) => a - b);
  const p95 = nonzero.length ? nonzero[Math.min(nonzero.length - 1, Math.floor(nonzero.length * 0.95))]! : 1;
  const step = Math.max(1, Math.ceil(p95 / 5));
  return [1, 1 + step, 1 + 2 * step, 1 + 3 * step, 1 + 4 * step];
}

/** Load class 0–5 of a count. */
export function loadClass(count: number, breaks: readonly number[]): number {
  let c = 0;
  for (let i = 0; i < breaks.length; i++) if (count >= breaks[i]!) c = i + 1;
  return c;
}

/** Heat of the last 7 days' cases: dark-transparent → amber → red → white-hot. */
export const HEAT_RANGE: RGBA[] = [
  [255, 214, 102, 0],
  [255, 186, 73, 90],
  [255, 138, 52, 150],
  [243, 86, 52, 190],
  [220, 38, 64, 215],
  [255, 235, 220, 235],
];

/** The grids filled by load class (0–5 per grid); recoloured only when a class changed. */
export function loadFill(classes: Uint8Array): GridFill {
  return {
    color: (grid) => GRID_LOAD_RAMP[classes[grid] ?? 0] ?? GRID_LOAD_RAMP[0]!,
    key: classesKey(classes),
    transitionMs: 600,
  };
}

/** A cheap fingerprint of the class array, so recolouring runs only when a class changed. */
function classesKey(classes: Uint8Array): number {
  let h = 2166136261;
  for (let i = 0; i < classes.length; i++) h = Math.imul(h ^ classes[i]!, 16777619);
  return h >>> 0;
}

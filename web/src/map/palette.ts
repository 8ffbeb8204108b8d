import type { Urgency } from '@gcc/shared';

export type RGBA = [number, number, number, number];

/** Incident colour by category urgency (red 2 h / yellow 24 h / blue 72 h). */
export const URGENCY_COLORS: Record<Urgency, RGBA> = {
  red: [255, 77, 79, 255],
  yellow: [255, 196, 38, 255],
  blue: [64, 158, 255, 255],
};

/** An RGBA colour (alpha 0–255) as CSS, for what HTML draws beside the map (legends, lists). */
export function css([r, g, b, a]: readonly number[]): string {
  return `rgba(${r}, ${g}, ${b}, ${((a ?? 255) / 255).toFixed(2)})`;
}

import { DUTY_STATES, type DutyState } from '@gcc/shared';

/** Worker dot colour by duty state (RGBA); off-duty workers are drawn dim. */
export const DUTY_COLORS: Record<DutyState, [number, number, number, number]> = {
  off: [110, 128, 152, 150],
  available: [46, 230, 166, 255],
  enroute: [255, 209, 102, 255],
  onsite: [77, 184, 255, 255],
  busy: [255, 122, 69, 255],
};

/** Colours indexed like the frame's duty field. */
export const DUTY_COLOR_TABLE: readonly (readonly [number, number, number, number])[] = DUTY_STATES.map(
  (d) => DUTY_COLORS[d],
);

/** CSS colour of a duty state (legend). */
export function dutyCss(duty: DutyState): string {
  const [r, g, b] = DUTY_COLORS[duty];
  return `rgb(${r}, ${g}, ${b})`;
}

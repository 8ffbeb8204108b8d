// The planner's keys, as pure mapping from a key press to a command, so the table is tested and
// the help overlay lists exactly what the keys do.

export const PLAN_MODES = ['select', 'move', 'vertex', 'redraw', 'split', 'merge', 'cutout'] as const;
export type PlanMode = (typeof PLAN_MODES)[number];

/** The letter that picks each mode (shown on the toolbar and in the help). */
export const MODE_KEYS: Record<PlanMode, string> = {
  select: 'V',
  move: 'N',
  vertex: 'A',
  redraw: 'R',
  split: 'L',
  merge: 'M',
  cutout: 'C',
};

export type PlanCommand =
  | { type: 'mode'; mode: PlanMode }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'save' }
  | { type: 'community' }
  | { type: 'fit' }
  | { type: 'unlock' }
  | { type: 'help' }
  | { type: 'cancel' }
  | { type: 'finish' }
  | { type: 'back' };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The command a key press gives, or null (then the browser keeps the key). */
export function planCommandOf(e: KeyPress): PlanCommand | null {
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.ctrlKey || e.metaKey) {
    if (e.altKey) return null;
    // Ctrl+Z undoes; Ctrl+Y and Ctrl+Shift+Z redo (Windows and macOS habits).
    if (k === 'z') return e.shiftKey ? { type: 'redo' } : { type: 'undo' };
    if (k === 'y' && !e.shiftKey) return { type: 'redo' };
    if (k === 's' && !e.shiftKey) return { type: 'save' };
    return null;
  }
  if (e.altKey) return null;
  for (const mode of Object.keys(MODE_KEYS) as PlanMode[])
    if (k === MODE_KEYS[mode].toLowerCase() && !e.shiftKey) return { type: 'mode', mode };
  if (k === 'g' && !e.shiftKey) return { type: 'community' };
  if (k === 'f' && !e.shiftKey) return { type: 'fit' };
  if (k === 'u' && !e.shiftKey) return { type: 'unlock' };
  if (e.key === '?') return { type: 'help' };
  if (k === 'Escape') return { type: 'cancel' };
  if (k === 'Enter') return { type: 'finish' };
  if (k === 'Backspace') return { type: 'back' };
  return null;
}

/** Whether a key event belongs to a text field (the planner's keys stay out of it). */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  return (
    el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable
  );
}

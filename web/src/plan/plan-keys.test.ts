import { describe, expect, it } from 'vitest';
import { isTyping, planCommandOf, type KeyPress } from './plan-keys.ts';

const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('planner keys', () => {
  it('undo is Ctrl+Z; redo is Ctrl+Y or Ctrl+Shift+Z (and Cmd on macOS)', () => {
    expect(planCommandOf(key('z', { ctrlKey: true }))).toEqual({ type: 'undo' });
    expect(planCommandOf(key('y', { ctrlKey: true }))).toEqual({ type: 'redo' });
    expect(planCommandOf(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
    expect(planCommandOf(key('z', { metaKey: true }))).toEqual({ type: 'undo' });
    expect(planCommandOf(key('s', { ctrlKey: true }))).toEqual({ type: 'save' });
    expect(planCommandOf(key('c', { ctrlKey: true }))).toBeNull();
  });

  it('letters pick the modes, the others act', () => {
    expect(planCommandOf(key('v'))).toEqual({ type: 'mode', mode: 'select' });
    expect(planCommandOf(key('N'))).toEqual({ type: 'mode', mode: 'move' });
    expect(planCommandOf(key('a'))).toEqual({ type: 'mode', mode: 'vertex' });
    expect(planCommandOf(key('r'))).toEqual({ type: 'mode', mode: 'redraw' });
    expect(planCommandOf(key('l'))).toEqual({ type: 'mode', mode: 'split' });
    expect(planCommandOf(key('m'))).toEqual({ type: 'mode', mode: 'merge' });
    expect(planCommandOf(key('c'))).toEqual({ type: 'mode', mode: 'cutout' });
    expect(planCommandOf(key('g'))).toEqual({ type: 'community' });
    expect(planCommandOf(key('u'))).toEqual({ type: 'unlock' });
    expect(planCommandOf(key('?', { shiftKey: true }))).toEqual({ type: 'help' });
    expect(planCommandOf(key('Escape'))).toEqual({ type: 'cancel' });
    expect(planCommandOf(key('Enter'))).toEqual({ type: 'finish' });
    expect(planCommandOf(key('Backspace'))).toEqual({ type: 'back' });
    expect(planCommandOf(key('q'))).toBeNull();
    expect(planCommandOf(key('v', { altKey: true }))).toBeNull();
  });

  it('keeps out of text fields', () => {
    expect(isTyping({ tagName: 'INPUT', isContentEditable: false } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'DIV', isContentEditable: false } as unknown as EventTarget)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

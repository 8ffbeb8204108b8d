import { describe, expect, it } from 'vitest';
import { keptPrefix } from './save-delta.ts';

const move = (node: number, x: number) => ({ type: 'moveNode', node, to: [x, 0] });

describe('keptPrefix', () => {
  it('keeps the stored edits the editor still has, equal by value, up to the first change', () => {
    const saved = [move(1, 1), move(2, 2), move(3, 3)];
    // The editor's copies came back from the worker: equal, not the same objects.
    const edits = [move(1, 1), move(2, 2), move(3, 4), move(4, 4)];
    expect(keptPrefix(saved, edits)).toBe(2);
  });

  it('keeps all of them when edits were only added, none after an undo changed the first', () => {
    const saved = [move(1, 1), move(2, 2)];
    expect(keptPrefix(saved, [...saved, move(3, 3)])).toBe(2);
    expect(keptPrefix(saved, [move(1, 9)])).toBe(0);
    expect(keptPrefix([], [move(1, 1)])).toBe(0);
    // Fewer edits than stored (undone and cut): only the common part is kept.
    expect(keptPrefix(saved, [move(1, 1)])).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { parseTopologyEdit } from './topology-edit.schema.ts';

describe('TopologyEditSchema', () => {
  it('accepts the edits the engine decides', () => {
    for (const edit of [
      { type: 'moveNode', node: 3, to: [118.9, 28.9] },
      { type: 'moveNode', node: 3, to: [118.9, 28.9], unlockParents: true },
      { type: 'mergeGrids', into: 1, from: 2 },
      {
        type: 'splitGrid',
        grid: 1,
        newGrid: 9,
        line: [
          [118.9, 28.9],
          [118.91, 28.91],
        ],
      },
    ])
      expect(parseTopologyEdit(edit).success, JSON.stringify(edit)).toBe(true);
  });

  it('refuses what no edit is, with the field it is about', () => {
    const refused = (edit: unknown) => {
      const r = parseTopologyEdit(edit);
      return r.success ? null : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(refused({ type: 'teleport', node: 3 })).toEqual(['type']);
    expect(refused({ type: 'moveNode', node: 3, to: [200, 28.9] })).toEqual(['to.0']);
    expect(refused({ type: 'moveNode', node: 2 ** 31, to: [118, 28] })).toEqual(['node']);
    expect(refused({ type: 'splitGrid', grid: 1, newGrid: 9, line: [[118.9, 28.9]] })).toEqual(['line']);
    expect(refused({ type: 'mergeGrids', into: 1, from: 2, extra: 'x' })).toEqual(['']);
  });
});

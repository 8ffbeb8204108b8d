import { describe, expect, it } from 'vitest';
import type { UnitId } from '@gcc/shared';
import { unitTree, type AdminUnit } from './unit-tree.ts';

const unit = (id: number, parentId: number | null, level: AdminUnit['level'], code: string): AdminUnit => ({
  id: id as UnitId,
  parentId: parentId as UnitId | null,
  level,
  code,
  name: `u${id}`,
});

describe('unit picker order', () => {
  it('lists each unit under its parent, by code, with its depth below the jurisdiction', () => {
    // A street administrator's jurisdiction: its street is the top (its district is not in the list).
    const { ordered, byId } = unitTree([
      unit(12, 2, 'community', '330802001002'),
      unit(2, 1, 'street', '330802001'),
      unit(11, 2, 'community', '330802001001'),
    ]);
    expect(ordered.map((o) => [o.unit.id, o.depth])).toEqual([
      [2, 0],
      [11, 1],
      [12, 1],
    ]);
    expect(byId.get(11 as UnitId)?.code).toBe('330802001001');
  });
});

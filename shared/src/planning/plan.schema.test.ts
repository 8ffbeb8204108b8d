import { describe, expect, it } from 'vitest';
import { MAX_PLAN_EDITS, PlanNameSchema, PlanSaveSchema } from './plan.schema.ts';

describe('plan schemas', () => {
  it('a name is trimmed, 1–60 characters, without control characters', () => {
    expect(PlanNameSchema.parse('  柯城区网格调整 ')).toBe('柯城区网格调整');
    expect(PlanNameSchema.safeParse('   ').success).toBe(false);
    expect(PlanNameSchema.safeParse('格'.repeat(60)).success).toBe(true);
    expect(PlanNameSchema.safeParse('格'.repeat(61)).success).toBe(false);
    expect(PlanNameSchema.safeParse('方案\u0000').success).toBe(false);
    expect(PlanNameSchema.safeParse('方案\n二').success).toBe(false);
    expect(PlanNameSchema.safeParse('\u202Eabc').success).toBe(false);
    expect(PlanNameSchema.safeParse('方案\uD800').success).toBe(false);
    expect(PlanNameSchema.safeParse('方案😀').success).toBe(true);
  });

  it('a save holds at most MAX_PLAN_EDITS edits and a cursor within them', () => {
    const move = { type: 'moveNode', node: 1, to: [118.87, 28.93] };
    const save = (edits: unknown[], cursor: number) =>
      PlanSaveSchema.safeParse({ id: 1, revision: 1, edits, cursor }).success;
    expect(save([move, move], 2)).toBe(true);
    expect(save([move, move], 3)).toBe(false);
    expect(save([{ ...move, node: 0 }], 1)).toBe(false);
    expect(
      save(
        Array.from({ length: MAX_PLAN_EDITS + 1 }, () => move),
        0,
      ),
    ).toBe(false);
  });
});

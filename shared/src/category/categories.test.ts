import { describe, expect, it } from 'vitest';
import { CATEGORIES, findCategory, MAJOR_CATEGORIES, URGENCY_HOURS } from './categories.ts';
import {
  applyCategoryOverrides,
  CategoryOverrideSchema,
  overriddenFields,
} from './category-override.schema.ts';

describe('category table', () => {
  it('has the GB/T 30428 classes and at least 40 subclasses', () => {
    expect(CATEGORIES.length).toBeGreaterThanOrEqual(40);
    const names = (kind: string) => MAJOR_CATEGORIES.filter((m) => m.kind === kind).map((m) => m.zh);
    for (const n of ['市容环境', '宣传广告', '施工管理', '街面秩序', '突发事件', '其他'])
      expect(names('event').some((z) => z.startsWith(n))).toBe(true);
    for (const n of ['公用设施', '道路交通', '市容环境', '园林绿化', '其他'])
      expect(names('component').some((z) => z.startsWith(n))).toBe(true);
    expect(new Set(CATEGORIES.map((c) => c.code)).size).toBe(CATEGORIES.length);
    for (const c of CATEGORIES) {
      expect(
        MAJOR_CATEGORIES.map((m) => m.code),
        c.code,
      ).toContain(c.major);
      expect(c.limits.handle, c.code).toBe(c.limitWorkingHours);
      // The handling limit fits the urgency's ceiling (red 2 h, yellow 24 h, blue 72 h).
      expect(c.limits.handle, c.code).toBeLessThanOrEqual(URGENCY_HOURS[c.urgency]);
      for (const v of Object.values(c.limits)) expect(v).toBeGreaterThan(0);
    }
  });

  it('uses the published local limits', () => {
    expect(findCategory('S0101')!.limits.handle).toBe(4); // 暴露垃圾 4 working hours
    expect(findCategory('S0102')!.limits.handle).toBe(2); // 道路保洁 2
    expect(findCategory('S0301')!.limits.handle).toBe(4); // 私搭乱建 stopped in 4
    expect(findCategory('S0103')!.limits.handle).toBe(16); // 渣土 2 working days
    expect(findCategory('B0401')!.limits.handle).toBe(40); // 绿地养护 5 working days
  });

  it('keeps a realistic case mix for the generator', () => {
    const total = CATEGORIES.reduce((a, c) => a + c.weight, 0);
    expect(total).toBeGreaterThan(0.95);
    expect(total).toBeLessThan(1.15);
    expect(findCategory('S0101')!.weight).toBe(Math.max(...CATEGORIES.map((c) => c.weight)));
  });

  it('validates and applies admin overrides', () => {
    expect(CategoryOverrideSchema.safeParse({ code: 'S0101', limits: { handle: 6 } }).success).toBe(true);
    expect(CategoryOverrideSchema.safeParse({ code: 'X9999' }).success).toBe(false);
    expect(CategoryOverrideSchema.safeParse({ code: 'S0101', limits: { handle: -1 } }).success).toBe(false);
    expect(CategoryOverrideSchema.safeParse({ code: 'S0101', colour: 'red' }).success).toBe(false);
    const r = applyCategoryOverrides(CATEGORIES, [{ code: 'S0101', tier: 'small', limits: { handle: 6 } }]);
    if (!r.ok) throw new Error(r.reason);
    expect(r.categories.find((c) => c.code === 'S0101')).toMatchObject({
      tier: 'small',
      limitWorkingHours: 6,
      limits: { handle: 6, verify: 2 },
    });
    expect(applyCategoryOverrides(CATEGORIES, [{ code: 'S0402', limits: { handle: 3 } }])).toEqual({
      ok: false,
      reason: 'handle-over-urgency',
      code: 'S0402',
    });
  });

  it('names the fields an override changes, not those it sets to the default', () => {
    const rubbish = findCategory('S0101')!;
    expect(overriddenFields(rubbish, undefined)).toEqual([]);
    expect(
      overriddenFields(rubbish, {
        code: 'S0101',
        tier: rubbish.tier,
        urgency: 'blue',
        limits: { handle: 4, verify: 3 },
      }),
    ).toEqual(['urgency', 'limits.verify']);
  });
});

import { describe, expect, it } from 'vitest';
import { loadDivisions, shortCommunityName } from './divisions.ts';
import { fitToGrids, selectUnits } from './selection.ts';

describe('loadDivisions', () => {
  const qz = loadDivisions('3308');

  it('reads Quzhou: 6 county-level units, 100 townships, 1,664 villages and communities', () => {
    expect(qz.name).toBe('衢州市');
    expect(qz.code).toBe('330800');
    expect(qz.districts.map((d) => `${d.code} ${d.name}`)).toEqual([
      '330802 柯城区',
      '330803 衢江区',
      '330822 常山县',
      '330824 开化县',
      '330825 龙游县',
      '330881 江山市',
    ]);
    const streets = qz.districts.flatMap((d) => d.streets);
    expect(streets).toHaveLength(100);
    expect(streets.flatMap((s) => s.communities)).toHaveLength(1664);
    for (const s of streets) {
      expect(s.code).toMatch(/^3308\d{5}$/);
      for (const c of s.communities) expect(c.code.startsWith(s.code) && c.code.length === 12).toBe(true);
    }
  });

  it('names communities as residents do, 村 rural and 社区 urban', () => {
    const all = qz.districts.flatMap((d) => d.streets.flatMap((s) => s.communities));
    expect(all.some((c) => /委员会|委会$/.test(c.name))).toBe(false);
    expect(all.find((c) => c.code === '330802005001')).toEqual({
      code: '330802005001',
      name: '金桂社区',
      urban: true,
    });
    expect(all.find((c) => c.code === '330802005200')?.name).toBe('童村碓村');
    expect(all.filter((c) => c.name.endsWith('村')).every((c) => !c.urban)).toBe(true);
    expect(all.filter((c) => c.name.endsWith('社区')).every((c) => c.urban)).toBe(true);
  });

  it('shortens registered names', () => {
    expect(shortCommunityName('书香社区居委会')).toBe('书香社区');
    expect(shortCommunityName('新桥头村村民委员会')).toBe('新桥头村');
    expect(shortCommunityName('星新社区居民委员会')).toBe('星新社区');
    expect(shortCommunityName('戴家村委会')).toBe('戴家村');
    expect(shortCommunityName('宝石街居委会')).toBe('宝石街社区');
  });

  it('selects subsets that leave every community room for grids', () => {
    const picked = selectUnits(qz.districts.slice(0, 1), {
      maxStreetsPerDistrict: 2,
      maxCommunitiesPerStreet: 5,
    });
    expect(picked[0]!.streets).toHaveLength(2);
    expect(picked[0]!.streets.every((s) => s.communities.length <= 5)).toBe(true);
    const fitted = fitToGrids(qz.districts, 40);
    const n = fitted.reduce((a, d) => a + d.streets.reduce((b, s) => b + s.communities.length, 0), 0);
    expect(n).toBeLessThanOrEqual(20);
    expect(fitted.every((d) => d.streets.length >= 1)).toBe(true);
  });
});

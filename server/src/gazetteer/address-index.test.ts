import { describe, expect, it } from 'vitest';
import { gridId } from '@gcc/shared/testing';
import { AddressIndex, normalizeName, type GazetteerEntry } from './address-index.ts';

// What an intake operator types, and what the list under the field must offer.

const A = gridId(1);
const B = gridId(2);
const everywhere = () => true;
const onlyA = (g: number) => g === A;

/** 人民路 runs east through grid A into grid B; houses on it every ~20 m, number 4 missing. */
function entries(): GazetteerEntry[] {
  const out: GazetteerEntry[] = [
    { kind: 'street', name: '府山街道', points: [{ lng: 118.87, lat: 28.94, gridId: A }] },
    { kind: 'community', name: '金桂社区', points: [{ lng: 118.871, lat: 28.941, gridId: A }] },
    {
      kind: 'road',
      name: '人民路',
      // Middle first, as the gazetteer orders a road's points.
      points: [
        { lng: 118.88, lat: 28.94, gridId: B },
        { lng: 118.87, lat: 28.94, gridId: A },
      ],
    },
    { kind: 'road', name: '新人民大道', points: [{ lng: 118.9, lat: 28.95, gridId: B }] },
    { kind: 'place', name: '衢州市人民医院', points: [{ lng: 118.872, lat: 28.942, gridId: A }] },
    { kind: 'address', name: '金桂小区3栋', points: [{ lng: 118.8712, lat: 28.9411, gridId: A }] },
    // Across the border from 25号: in grid B.
    { kind: 'address', name: '人民路27号', points: [{ lng: 118.8754, lat: 28.94, gridId: B }] },
  ];
  for (const n of [1, 2, 3, 5, 6, 20, 21, 25, 200]) {
    // Numbers 1–25 in grid A, 200 in grid B.
    out.push({
      kind: 'address',
      name: `人民路${n}号`,
      points: [{ lng: 118.87 + n * 0.0002, lat: 28.94, gridId: n < 100 ? A : B }],
    });
  }
  return out;
}

const index = () =>
  new AddressIndex(entries(), (g) => (g === A ? '府山街道 · 金桂社区' : '府山街道 · 花园社区'));
const names = (hits: { name: string }[]) => hits.map((h) => h.name);

describe('address search', () => {
  it('finds a house number typed with spaces or full-width digits, that point first', () => {
    const ix = index();
    for (const q of ['人民路 25 号', '人民路２５号', ' 人民路25号 ']) {
      const [first] = ix.search(q, everywhere, 10);
      expect(first).toMatchObject({ kind: 'address', name: '人民路25号', gridId: A, nearby: false });
      expect(first!.lng).toBeCloseTo(118.875, 6);
      expect(first!.area).toBe('府山街道 · 金桂社区');
    }
  });

  it('offers the names that go on from partial input, in house-number order', () => {
    expect(names(index().search('人民路2', everywhere, 10))).toEqual([
      '人民路2号',
      '人民路20号',
      '人民路21号',
      '人民路25号',
      '人民路27号',
      '人民路200号',
    ]);
  });

  it('puts the road itself before the houses on it, and other names holding the words after', () => {
    const hits = index().search('人民路', everywhere, 20);
    expect(hits[0]).toMatchObject({ kind: 'road', name: '人民路' });
    expect(names(hits)).not.toContain('新人民大道');
    expect(names(index().search('人民', everywhere, 20)).slice(-2)).toEqual(['新人民大道', '衢州市人民医院']);
  });

  it('finds streets, communities and places by a part of their name', () => {
    const ix = index();
    expect(ix.search('金桂', everywhere, 5)[0]).toMatchObject({ kind: 'community', name: '金桂社区' });
    expect(ix.search('府山', everywhere, 5)[0]).toMatchObject({ kind: 'street', name: '府山街道' });
    expect(ix.search('人民医院', everywhere, 5)[0]).toMatchObject({ kind: 'place', name: '衢州市人民医院' });
    expect(ix.search('医', everywhere, 5).map((h) => h.kind)).toEqual(['place']);
  });

  it('offers the numbers either side of one that does not exist, marked as such', () => {
    const hits = index().search('人民路4号', everywhere, 10);
    expect(hits.map((h) => [h.name, h.nearby])).toEqual([
      ['人民路3号', true],
      ['人民路5号', true],
    ]);
  });

  it('reads a full address with the units in front', () => {
    expect(index().search('衢州市柯城区府山街道人民路25号', everywhere, 5)[0]?.name).toBe('人民路25号');
  });

  it('finds nothing outside the jurisdiction, and a road at a point inside it', () => {
    const ix = index();
    expect(ix.search('人民路200号', onlyA, 10).map((h) => h.name)).not.toContain('人民路200号');
    expect(ix.search('新人民大道', onlyA, 10)).toEqual([]);
    const road = ix.search('人民路', onlyA, 1)[0]!;
    expect(road).toMatchObject({ kind: 'road', gridId: A, lng: 118.87 });
    // Everywhere, the road stands at its middle.
    expect(ix.search('人民路', everywhere, 1)[0]).toMatchObject({ gridId: B, lng: 118.88 });
  });

  it('keeps to the limit and returns nothing for text that is no name', () => {
    const ix = index();
    expect(ix.search('人', everywhere, 3)).toHaveLength(3);
    expect(ix.search('不存在的地址', everywhere, 10)).toEqual([]);
    expect(ix.search('   ', everywhere, 10)).toEqual([]);
    expect(ix.search('！？', everywhere, 10)).toEqual([]);
  });

  it('names the address nearest to a clicked place, within 300 m and the jurisdiction', () => {
    const ix = index();
    const near = ix.nearest(118.87502, 28.94003, everywhere);
    expect(near).toMatchObject({ name: '人民路25号', gridId: A });
    expect(near!.distanceM).toBeLessThan(10);
    expect(ix.nearest(118.95, 28.94, everywhere)).toBeNull();
    // 人民路27号 (grid B) is nearest, but a user of grid A is offered the nearest of A's.
    expect(ix.nearest(118.8753, 28.94, everywhere)?.name).toBe('人民路27号');
    expect(ix.nearest(118.8753, 28.94, onlyA)?.name).toBe('人民路25号');
    expect(ix.nearest(118.91, 28.94, onlyA)).toBeNull();
  });

  it('compares names without spaces, punctuation or width', () => {
    expect(normalizeName(' 人民路 ２５号（东）')).toBe('人民路25号东');
  });
});

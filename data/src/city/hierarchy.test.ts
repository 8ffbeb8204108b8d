import * as turf from '@turf/turf';
import { GridCodeSchema, parseGridCode } from '@gcc/shared';
import { HOUSEHOLD_BANDS } from '@gcc/shared/planning';
import { describe, expect, it } from 'vitest';
import { generateCity } from '../index.ts';
import { NEW_ESTATE_HOUSEHOLDS, NEW_ESTATE_SHARE } from './hierarchy.ts';

describe('units and grids', () => {
  const city = generateCity({ profile: 'tiny' });
  const units = new Map(city.units.map((u) => [u.code, u]));

  it('carry real statistical codes in a consistent hierarchy', () => {
    expect(city.units[0]).toMatchObject({ level: 'city', code: '330800', parentCode: null });
    for (const u of city.units.slice(1)) {
      const parent = units.get(u.parentCode ?? '');
      expect(parent, u.name).toBeDefined();
      const len = { district: 6, street: 9, community: 12, city: 6 }[u.level];
      expect(u.code).toMatch(new RegExp(`^\\d{${len}}$`));
      if (u.level !== 'district') expect(u.code.startsWith(parent!.code)).toBe(true);
      expect({ district: 'city', street: 'district', community: 'street' }[u.level as 'district']).toBe(
        parent!.level,
      );
      if (u.level === 'community') expect(u.urban).toBe(!u.name.endsWith('村'));
    }
    expect(new Set(city.units.map((u) => u.code)).size).toBe(city.units.length);
  });

  it('give grids 15-digit codes: community code + serial, named after the community', () => {
    const codes = new Set<string>();
    for (const g of city.grids) {
      expect(GridCodeSchema.safeParse(g.code).success).toBe(true);
      const parts = parseGridCode(g.code);
      expect(parts.valid).toBe(true);
      expect(g.code.slice(0, 12)).toBe(g.communityCode);
      const community = units.get(g.communityCode)!;
      expect(community.level).toBe('community');
      expect(g.name).toBe(`${community.name}第${Number(g.code.slice(12))}网格`);
      expect(g.urban).toBe(community.urban);
      codes.add(g.code);
    }
    expect(codes.size).toBe(city.grids.length);
    expect([...codes]).toEqual([...codes].sort());
  });

  it('number grids west→east, north→south inside a community (DB11/T 2157)', () => {
    const byCommunity = new Map<string, typeof city.grids>();
    for (const g of city.grids)
      byCommunity.set(g.communityCode, [...(byCommunity.get(g.communityCode) ?? []), g]);
    for (const grids of byCommunity.values()) {
      const serials = grids.map((g) => Number(g.code.slice(12)));
      expect(serials).toEqual(serials.map((_, i) => i + 1));
      const c = grids.map((g) => turf.centroid(turf.multiPolygon(g.polygon)).geometry.coordinates);
      // Reading order: each next grid lies east in the same row, or in a row further south.
      for (let i = 1; i < c.length; i++)
        expect(c[i]![0]! > c[i - 1]![0]! || c[i]![1]! < c[i - 1]![1]!).toBe(true);
    }
  });

  it('give households and population in the published ranges, with a few new estates over the band', () => {
    const over = city.grids.filter((g) => g.urban && g.households > HOUSEHOLD_BANDS.urban[1]);
    const urbanCount = city.grids.filter((g) => g.urban).length;
    // New housing estates (新建小区): at least one, about NEW_ESTATE_SHARE of the urban grids.
    expect(over.length).toBeGreaterThanOrEqual(1);
    expect(over.length).toBe(Math.max(1, Math.round(NEW_ESTATE_SHARE * urbanCount)));
    for (const g of city.grids) {
      const [lo, hi] = over.includes(g)
        ? NEW_ESTATE_HOUSEHOLDS
        : g.urban
          ? HOUSEHOLD_BANDS.urban
          : HOUSEHOLD_BANDS.rural;
      expect(g.households >= lo && g.households <= hi, `${g.code}: ${g.households}`).toBe(true);
      expect(g.population).toBeGreaterThanOrEqual(Math.floor(g.households * 2.4));
      expect(g.population).toBeLessThanOrEqual(Math.ceil(g.households * 3.0));
      expect(g.areaKm2).toBeGreaterThan(0);
    }
    const urban = city.grids.filter((g) => g.urban);
    const rural = city.grids.filter((g) => !g.urban);
    const median = (xs: typeof city.grids): number =>
      xs.map((g) => g.areaKm2).sort((a, b) => a - b)[xs.length >> 1]!;
    // Rural grids follow villages and are much larger.
    expect(median(rural)).toBeGreaterThan(2 * median(urban));
  });
});

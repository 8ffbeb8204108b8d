import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import { gcj02ToWgs84 } from '@gcc/shared/geo';
import { describe, expect, it } from 'vitest';
import type { OutlineFeatureCollection } from './index.ts';
import { DEFAULT_NOW, PROFILES, generateCity } from './index.ts';
import { planarDistance } from './geo/plane.ts';

describe('generateCity', () => {
  it('is deterministic: the same options give byte-identical JSON', () => {
    const a = JSON.stringify(generateCity({ profile: 'tiny', seed: 7 }));
    const b = JSON.stringify(generateCity({ profile: 'tiny', seed: 7 }));
    expect(a).toBe(b);
    expect(JSON.stringify(generateCity({ profile: 'tiny', seed: 8 }))).not.toBe(a);
  });

  it('generates the tiny profile quickly, at Quzhou, with every part filled', () => {
    const t = performance.now();
    const city = generateCity({ profile: 'tiny' });
    expect(performance.now() - t).toBeLessThan(2000 * 3); // 2 s target; slack for a busy CI box
    expect(city.name).toBe('衢州市');
    expect(city.code).toBe('330800');
    expect(city.grids.length).toBe(PROFILES.tiny.grids);
    const [x0, y0, x1, y1] = city.bbox;
    expect(x0 < 118.87 && x1 > 118.87 && y0 < 28.94 && y1 > 28.94).toBe(true);
    for (const part of [city.roads, city.water, city.places, city.staff, city.cases])
      expect(part.length).toBeGreaterThan(0);
    expect(city.water.some((w) => w.name === '衢江' && w.kind === 'river')).toBe(true);
    expect(city.cases.every((c) => c.reportedAt <= DEFAULT_NOW)).toBe(true);
    // Every coordinate is rounded to 6 decimals (no number anywhere has more).
    expect(JSON.stringify(city)).not.toMatch(/\d\.\d{7,}/);
  });

  it('places every place in the grid that contains it', () => {
    const city = generateCity({ profile: 'tiny' });
    const byCode = new Map(city.grids.map((g) => [g.code, g]));
    const kinds = new Set<string>(city.places.map((p) => p.kind));
    for (const k of ['school', 'market', 'hospital', 'hazard', 'elderly-care', 'government'])
      expect(kinds.has(k)).toBe(true);
    for (const p of city.places) {
      const g = byCode.get(p.gridCode);
      expect(g, p.name).toBeDefined();
      expect(turf.booleanPointInPolygon([p.lng, p.lat], turf.multiPolygon(g!.polygon))).toBe(true);
    }
    expect(new Set(city.places.map((p) => p.name)).size).toBe(city.places.length);
  });

  it(
    'generates inside a GCJ-02 district file: 6 real districts, all grids inside, ~4,191 grids',
    { timeout: 120_000 },
    () => {
      const file = new URL('../../../shared/data/quzhou/districts_gcj02.geojson', import.meta.url);
      const outline = JSON.parse(readFileSync(file, 'utf8')) as OutlineFeatureCollection;
      const city = generateCity({ profile: 'quzhou', outline, outlineCrs: 'gcj02', historyDays: 1 });
      const districts = city.units.filter((u) => u.level === 'district');
      expect(districts.map((d) => d.name).sort()).toEqual(
        ['常山县', '开化县', '柯城区', '江山市', '衢江区', '龙游县'].sort(),
      );
      expect(districts.map((d) => d.code).sort()).toEqual([
        '330802',
        '330803',
        '330822',
        '330824',
        '330825',
        '330881',
      ]);
      expect(Math.abs(city.grids.length - 4191) / 4191).toBeLessThan(0.01);
      expect(city.units.filter((u) => u.level === 'street').length).toBe(100);
      expect(city.units.filter((u) => u.level === 'community').length).toBeGreaterThan(1600);

      // The same boundary converted to WGS-84 here, independently of the generator.
      const converted = turf.featureCollection(
        outline.features.map((f) => {
          const g = f.geometry as { type: 'MultiPolygon'; coordinates: number[][][][] };
          return turf.multiPolygon(
            g.coordinates.map((poly) =>
              poly.map((ring) => ring.map(([lng, lat]) => gcj02ToWgs84(lng!, lat!))),
            ),
            {
              adcode: String(f.properties?.['adcode']),
            },
          );
        }),
      );
      const byCode = new Map(converted.features.map((f) => [f.properties.adcode, f]));
      // Rounding to 6 decimals may move a boundary vertex by up to ~0.07 m.
      const tolerance = 1e-6;
      let checked = 0;
      for (const g of city.grids) {
        const district = byCode.get(g.code.slice(0, 6))!;
        for (const poly of g.polygon)
          for (const p of poly[0]!) {
            if (turf.booleanPointInPolygon(p, district)) continue;
            expect(
              planarDistance(p, district.geometry.coordinates),
              `${g.code} vertex ${p.join(',')}`,
            ).toBeLessThan(tolerance);
          }
        checked++;
      }
      expect(checked).toBe(city.grids.length);
      // And together they cover the districts: the areas agree.
      const gridArea = city.grids.reduce((a, g) => a + turf.area(turf.multiPolygon(g.polygon)), 0);
      const fileArea = converted.features.reduce((a, f) => a + turf.area(f), 0);
      expect(Math.abs(gridArea - fileArea) / fileArea).toBeLessThan(1e-5);
    },
  );
});

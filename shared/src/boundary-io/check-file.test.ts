import { describe, expect, it } from 'vitest';
import type { GridId, UnitId } from '../ids.ts';
import { buildTopology, decideEdit, encodeImportedRing, type TopologyEdit } from '../topology/index.ts';
import { checkBoundaryFile } from './check-file.ts';

// The file checks on small hand-made layers: a 2 × 2 block of squares (100 m sides near Quzhou).

const D = 100 / 111_320;
const X0 = 118.87;
const Y0 = 28.94;
const square = (i: number, j: number, code: string, dx = 0) => ({
  type: 'Feature',
  properties: { code },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [X0 + i * D + dx, Y0 + j * D],
        [X0 + (i + 1) * D + dx, Y0 + j * D],
        [X0 + (i + 1) * D + dx, Y0 + (j + 1) * D],
        [X0 + i * D + dx, Y0 + (j + 1) * D],
        [X0 + i * D + dx, Y0 + j * D],
      ],
    ],
  },
});
const block = () => [square(0, 0, 'a'), square(1, 0, 'b'), square(0, 1, 'c'), square(1, 1, 'd')];
const opts = { level: 'grids', crs: 'wgs84', toleranceM: 1 } as const;

describe('checkBoundaryFile', () => {
  it('builds one topology of a clean block: each shared border once', async () => {
    const r = await checkBoundaryFile({ type: 'FeatureCollection', features: block() }, opts);
    expect(r.problems.errors).toBe(0);
    // Four inner borders from the centre, four outline pieces between the mid-side nodes.
    expect(r.layer.topology!.faces.size).toBe(4);
    expect(r.counts.edges).toBe(8);
  });

  it('finds a hole between neighbours beyond the tolerance, with its place and area', async () => {
    // A ring of 8 squares around a missing middle one.
    const ring = [];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) if (i !== 1 || j !== 1) ring.push(square(i, j, `g${i}${j}`));
    const r = await checkBoundaryFile(ring, opts);
    const gap = r.problems.listed.find((p) => p.reason === 'gap')!;
    expect(gap.severity).toBe('error');
    expect(gap.at![0]).toBeCloseTo(X0 + 1.5 * D, 6);
    expect(gap.at![1]).toBeCloseTo(Y0 + 1.5 * D, 6);
    // 100 m north–south by 100 m × cos(29°) east–west: D is a degree share of latitude.
    expect(gap.metres).toBeGreaterThan(8_500);
    expect(gap.metres).toBeLessThan(9_000);
  });

  it('snaps a T-junction and a 0.5 m seam into shared points, and lists them', async () => {
    // One tall square on the left of two small ones: their common corner lies on its side.
    const tall = {
      type: 'Feature',
      properties: { code: 't' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [X0, Y0],
            [X0 + D, Y0],
            [X0 + D, Y0 + 2 * D],
            [X0, Y0 + 2 * D],
            [X0, Y0],
          ],
        ],
      },
    };
    const seam = 0.5 / 111_320;
    const r = await checkBoundaryFile([tall, square(1, 0, 'b', seam), square(1, 1, 'd', seam)], opts);
    expect(r.problems.errors).toBe(0);
    expect(r.problems.byReason.snapped).toBeGreaterThan(0);
    // The tall square now runs through the small ones' common corner: it is a node of three faces.
    expect(r.layer.topology!.faces.size).toBe(3);
  });

  it('refuses a hole of 5 m as a gap at a tolerance of 1 m and closes it at 10 m', async () => {
    const shifted = [square(0, 0, 'a'), square(1, 0, 'b', 5 / 111_320)];
    const tight = await checkBoundaryFile(shifted, opts);
    expect(tight.problems.byReason.gap).toBe(undefined);
    // Two squares 5 m apart touch nowhere: no gap between them (nothing closes a ring), but no shared border either.
    expect(tight.layer.topology!.edges.size).toBe(2);
    const loose = await checkBoundaryFile(shifted, { ...opts, toleranceM: 10 });
    expect(loose.problems.byReason.snapped).toBeGreaterThan(0);
    expect(loose.layer.topology!.edges.size).toBe(3);
  });
});

describe('importLayer edit', () => {
  const grids = block().map((f, i) => ({
    id: (i + 1) as GridId,
    parentId: 1 as UnitId,
    polygon: [f.geometry.coordinates],
  }));
  const base = buildTopology(grids).topology;

  it('replaces two grids by one covering the same ground', () => {
    const merged = [
      [
        [X0, Y0],
        [X0 + D, Y0],
        [X0 + 2 * D, Y0],
        [X0 + 2 * D, Y0 + D],
        [X0 + D, Y0 + D],
        [X0, Y0 + D],
        [X0, Y0],
      ],
    ];
    const edit: TopologyEdit = {
      type: 'importLayer',
      replaces: [1, 2] as GridId[],
      grids: [{ grid: 1 as GridId, parentId: 1 as UnitId, rings: [merged.map(encodeImportedRing)] }],
    };
    const d = decideEdit(base, edit);
    expect(d.ok ? 'ok' : d.reason).toBe('ok');
    if (d.ok) expect(d.touched).toEqual([1, 2]);
  });

  it('refuses an import whose outline does not fit the grids kept beside it', () => {
    const wider = square(0, 0, 'a', 10 / 111_320).geometry.coordinates;
    const edit: TopologyEdit = {
      type: 'importLayer',
      replaces: [1] as GridId[],
      grids: [{ grid: 1 as GridId, parentId: 1 as UnitId, rings: [wider.map(encodeImportedRing)] }],
    };
    const d = decideEdit(base, edit);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toBe('import-outline');
  });
});

describe('import problem messages', () => {
  it('every reason has a sentence in Chinese and in English', async () => {
    const { IMPORT_PROBLEMS } = await import('./import-report.ts');
    const { MESSAGES } = await import('../i18n/index.ts');
    for (const r of IMPORT_PROBLEMS)
      for (const locale of ['zh-CN', 'en'] as const)
        expect(MESSAGES[locale][`boundaryImport.problem.${r}` as keyof (typeof MESSAGES)['en']]).toBeTruthy();
  });
});

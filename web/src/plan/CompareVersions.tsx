import type { Layer } from '@deck.gl/core';
import { PolygonLayer } from '@deck.gl/layers';
import type { BoundaryVersion } from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocale, useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { useOverlayMap } from '../map/use-overlay-map.ts';
import { VersionOptions } from '../map/VersionPicker.tsx';
import type { GridGeometry, GridPart } from '../map/grid-geometry.ts';
import { useGridLayer } from '../map/use-grid-layer.ts';
import type { RGBA } from '../map/palette.ts';
import { ReportTable } from './ChangeReport.tsx';
import { Modal } from './Modal.tsx';
import { diffVersions, type GridChange, type VersionDiff, type VersionFigures } from './version-diff.ts';

// 版本对比: two boundary versions side by side — on the map the newer one's grids coloured by
// what changed (added, reshaped; retired ones outlined from the older), beside it the figures of
// both (grids, households, residents, households per grid) and every changed grid by code.

const FILL: Record<GridChange, RGBA> = {
  added: [46, 230, 166, 120],
  reshaped: [255, 176, 32, 120],
  retired: [255, 77, 79, 90],
  same: [120, 150, 190, 22],
};
const LINE_B: RGBA = [92, 178, 255, 110];
const LINE_A: RGBA = [255, 77, 79, 230];

const FIGURES: readonly [MessageKey, keyof VersionFigures, number][] = [
  ['plan.compare.grids', 'grids', 0],
  ['boundary.report.households', 'households', 0],
  ['boundary.report.residents', 'population', 0],
  ['plan.compare.meanHouseholds', 'meanHouseholds', 1],
  ['plan.compare.medianHouseholds', 'medianHouseholds', 0],
  ['plan.compare.maxHouseholds', 'maxHouseholds', 0],
];

/** The map of a comparison: B's grids filled by change, A's retired and reshaped grids outlined. */
function CompareMap({
  styleUrl,
  bbox,
  a,
  b,
  diff,
}: {
  styleUrl: string;
  bbox: [number, number, number, number];
  a: GridGeometry;
  b: GridGeometry;
  diff: VersionDiff;
}) {
  const container = useRef<HTMLDivElement>(null);
  const scene = useOverlayMap(container, { styleUrl, bbox, padding: 16 });

  useEffect(() => {
    if (!scene) return;
    const layers: Layer[] = [
      new PolygonLayer<GridPart>({
        id: `compare-b-${b.version}-${a.version}`,
        data: b.parts,
        getPolygon: (d) => d.rings,
        getFillColor: (d) => FILL[diff.changeB[d.grid]!],
        getLineColor: LINE_B,
        lineWidthUnits: 'pixels',
        getLineWidth: 1,
      }),
      new PolygonLayer<GridPart>({
        id: `compare-a-${a.version}-${b.version}`,
        data: a.parts.filter((p) => diff.changeA[p.grid] !== 'same'),
        getPolygon: (d) => d.rings,
        filled: false,
        getLineColor: LINE_A,
        lineWidthUnits: 'pixels',
        getLineWidth: 2,
      }),
    ];
    scene.overlay.setProps({ layers });
    // Frame what changed (both sides' changed grids), or the city when nothing did.
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    const grow = (parts: readonly GridPart[], changes: readonly GridChange[]) => {
      for (const p of parts) {
        if (changes[p.grid] === 'same') continue;
        for (const [x, y] of p.rings[0] ?? []) {
          w = Math.min(w, x!);
          e = Math.max(e, x!);
          s = Math.min(s, y!);
          n = Math.max(n, y!);
        }
      }
    };
    grow(b.parts, diff.changeB);
    grow(a.parts, diff.changeA);
    if (w <= e) scene.map.fitBounds([w, s, e, n], { padding: 60, maxZoom: 16, duration: 0 });
    else scene.map.fitBounds(bbox, { padding: 16, duration: 0 });
  }, [scene, a, b, diff, bbox]);

  return <div ref={container} className="plan-compare-map" data-testid="plan-compare-map" />;
}

export function CompareVersions({
  styleUrl,
  bbox,
  onClose,
}: {
  styleUrl: string;
  bbox: [number, number, number, number];
  onClose(): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const trpc = useTRPC();
  const list = useQuery(trpc.boundaries.list.queryOptions());
  const versions = list.data ?? [];
  // At first: the version in force against the one before it (or the first against itself).
  const inForce = versions.find((v) => v.state === 'in-force')?.version ?? null;
  const [picked, setPicked] = useState<{ a: BoundaryVersion | null; b: BoundaryVersion | null }>({
    a: null,
    b: null,
  });
  const b = picked.b ?? inForce;
  const a = picked.a ?? versions.find((v) => b !== null && v.version < b)?.version ?? b;
  // A version in the list is never null once the list is read; until then nothing is asked.
  const la = useGridLayer(a, a !== null);
  const lb = useGridLayer(b, b !== null);
  const diff = useMemo(
    () => (la.columns && lb.columns ? diffVersions(la.columns, lb.columns) : null),
    [la.columns, lb.columns],
  );
  const select = (side: 'a' | 'b', value: BoundaryVersion | null) =>
    setPicked((p) => ({ ...p, [side]: value }));
  const picker = (side: 'a' | 'b', value: BoundaryVersion | null) => (
    <label>
      <span>{t(side === 'a' ? 'plan.compare.from' : 'plan.compare.to')}</span>
      <select
        value={value === null ? '' : String(value)}
        onChange={(e) => select(side, Number(e.target.value) as BoundaryVersion)}
        data-testid={`plan-compare-${side}`}
      >
        <VersionOptions versions={versions} />
      </select>
    </label>
  );
  const fmt = (n: number, digits: number) =>
    n.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return (
    <Modal
      label={t('plan.compare.title')}
      className="plan-report plan-compare"
      testId="plan-compare"
      onClose={onClose}
    >
      <header className="plan-compare-head">
        <h3>{t('plan.compare.title')}</h3>
        {picker('a', a)}
        {picker('b', b)}
      </header>
      {diff ? (
        <ul className="plan-report-summary" data-testid="plan-compare-summary">
          {(['added', 'reshaped', 'retired'] as const).map((k) => (
            <li key={k} className={`plan-compare-${k}`} data-kind={k} data-n={diff.counts[k]}>
              <i aria-hidden="true" />
              {t(`boundary.report.${k}`)} <b>{diff.counts[k]}</b>
            </li>
          ))}
        </ul>
      ) : (
        <p className="plan-empty">{t('plan.compare.loading')}</p>
      )}
      <div className="plan-compare-body">
        {la.grids && lb.grids && diff ? (
          <CompareMap styleUrl={styleUrl} bbox={bbox} a={la.grids} b={lb.grids} diff={diff} />
        ) : (
          <div className="plan-compare-map" />
        )}
        <div className="plan-report-body">
          {diff ? (
            <>
              <table className="plan-report-table" data-testid="plan-compare-figures">
                <thead>
                  <tr>
                    <th className="name" />
                    <th>{t('boundary.version', { n: a ?? '' })}</th>
                    <th>{t('boundary.version', { n: b ?? '' })}</th>
                    <th>{t('plan.compare.delta')}</th>
                  </tr>
                </thead>
                <tbody>
                  {FIGURES.map(([label, key, digits]) => {
                    const x = diff.figures.a[key];
                    const y = diff.figures.b[key];
                    const d = y - x;
                    return (
                      <tr key={key} data-figure={key}>
                        <td className="name">{t(label)}</td>
                        <td>{fmt(x, digits)}</td>
                        <td>{fmt(y, digits)}</td>
                        <td className={d === 0 ? 'same' : undefined}>
                          {d > 0 ? '+' : ''}
                          {fmt(d, digits)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <ReportTable
                title={t('plan.compare.changed')}
                head={[
                  'boundary.report.kind',
                  'boundary.report.grid',
                  'plan.compare.householdsFrom',
                  'plan.compare.householdsTo',
                ]}
                names={2}
                testId="plan-compare-grids"
                rows={diff.changed.map((g) => ({
                  key: `${g.change}-${g.code}`,
                  cells: [
                    t(`boundary.report.${g.change}`),
                    `${g.name}（${g.code}）`,
                    g.householdsA ?? '—',
                    g.householdsB ?? '—',
                  ],
                }))}
              />
            </>
          ) : null}
        </div>
      </div>
      <footer>
        <button type="button" className="btn" onClick={onClose}>
          {t('plan.compare.close')}
        </button>
      </footer>
    </Modal>
  );
}

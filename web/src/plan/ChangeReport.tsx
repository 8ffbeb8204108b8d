import type { MessageKey } from '@gcc/shared/messages';
import type { BoundaryChangeReport, ReportGrid, ReportWarning } from '@gcc/shared/planning';
import { useLocale, useT, type Translate } from '../app/i18n.tsx';
import { CSV_TYPE, download, toCsv } from '../export/table-export.ts';
import { centreTimeFormat } from '../format/time.ts';
import { Modal } from './Modal.tsx';

// 变更清单: what one publish changed — grids added, reshaped and retired with what they hold,
// households, residents, open cases and staff moved from which grid to which, and the rows
// re-keyed. Readable here and exported as CSV (Excel opens it; the BOM keeps Chinese intact).

const gridCell = (g: { code: string; name: string }) => `${g.name}（${g.code}）`;

/** One section of the report: a titled table of figures (the first columns name grids). */
export function ReportTable({
  title,
  head,
  rows,
  testId,
  names = 1,
}: {
  title: string;
  head: readonly MessageKey[];
  /** How many leading columns name grids (left-aligned; the rest are figures). */
  names?: number;
  rows: readonly { key: string; cells: readonly (string | number)[] }[];
  testId?: string;
}) {
  const t = useT();
  if (!rows.length) return null;
  return (
    <section>
      <h4>
        {title}（{rows.length}）
      </h4>
      <table className="plan-report-table" data-testid={testId}>
        <thead>
          <tr>
            {head.map((k, i) => (
              <th key={k} className={i < names ? 'name' : undefined}>
                {t(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              {r.cells.map((c, i) => (
                <td key={i} className={i < names ? 'name' : undefined}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const GRID_HEAD: readonly MessageKey[] = [
  'boundary.report.grid',
  'boundary.report.area',
  'boundary.report.households',
  'boundary.report.residents',
  'boundary.report.openCases',
  'boundary.report.staff',
];
const MOVE_HEAD: readonly MessageKey[] = [
  'boundary.report.from',
  'boundary.report.to',
  'boundary.report.households',
  'boundary.report.residents',
  'boundary.report.openCases',
  'boundary.report.staff',
];
const gridRow = (g: ReportGrid) => ({
  key: String(g.id),
  cells: [gridCell(g), g.areaKm2.toFixed(2), g.households, g.residents, g.openCases, g.staff],
});

function warningText(w: ReportWarning, t: Translate): string {
  if (w.reason === 'households-over')
    return t('boundary.warning.households-over', { code: w.code, n: w.households, max: w.band[1] });
  if (w.reason === 'households-under')
    return t('boundary.warning.households-under', { code: w.code, n: w.households, min: w.band[0] });
  return t('boundary.warning.no-staff', { code: w.code });
}

/** The report as CSV rows: one section per kind, every figure a column. */
export function reportCsv(r: BoundaryChangeReport, t: Translate): string {
  const rows: (string | number)[][] = [];
  const gridHead = [
    t('boundary.report.kind'),
    t('boundary.report.code'),
    t('boundary.report.grid'),
    t('boundary.report.area'),
    t('boundary.report.households'),
    t('boundary.report.residents'),
    t('boundary.report.openCases'),
    t('boundary.report.staff'),
  ];
  rows.push(gridHead);
  const grid = (kind: string, g: ReportGrid) => [
    kind,
    g.code,
    g.name,
    g.areaKm2,
    g.households,
    g.residents,
    g.openCases,
    g.staff,
  ];
  for (const g of r.added) rows.push(grid(t('boundary.report.added'), g));
  for (const g of r.reshaped) rows.push(grid(t('boundary.report.reshaped'), g.after));
  for (const g of r.retired) rows.push(grid(t('boundary.report.retired'), g));
  rows.push([]);
  rows.push([
    t('boundary.report.from'),
    t('boundary.report.to'),
    t('boundary.report.households'),
    t('boundary.report.residents'),
    t('boundary.report.addressPoints'),
    t('boundary.report.openCases'),
    t('boundary.report.staff'),
    t('boundary.report.places'),
  ]);
  for (const m of r.moves)
    rows.push([
      gridCell(m.from),
      gridCell(m.to),
      m.households,
      m.residents,
      m.addressPoints,
      m.openCases,
      m.staff,
      m.places,
    ]);
  return toCsv(rows);
}

export function ChangeReport({ report, onClose }: { report: BoundaryChangeReport; onClose(): void }) {
  const t = useT();
  const { locale } = useLocale();
  const at = centreTimeFormat(locale);
  const saveCsv = () =>
    download(`${t('boundary.report.title')}-v${report.version}.csv`, reportCsv(report, t), CSV_TYPE);
  // What a reader calls a move: rows that changed grid code and hold something (a reshaped grid's
  // rows also pass to its new record under the same code).
  const moves = report.moves.filter(
    (m) => m.from.code !== m.to.code && m.households + m.addressPoints + m.openCases + m.staff + m.places > 0,
  );
  const reshaped = report.reshaped.filter((r) => !r.nodesOnly);
  const moved = moves.reduce(
    (s, m) => ({
      households: s.households + m.households,
      openCases: s.openCases + m.openCases,
      staff: s.staff + m.staff,
    }),
    { households: 0, openCases: 0, staff: 0 },
  );
  return (
    <Modal label={t('boundary.report.title')} className="plan-report" testId="plan-report" onClose={onClose}>
      <header>
        <h3>
          {t('boundary.report.title')} · {t('boundary.version', { n: report.version })} “{report.name}”
        </h3>
        <p className="meta">
          {t('boundary.report.effective', { at: at.format(report.effectiveAt) })}
          {report.final ? null : <em> · {t('boundary.report.forecast')}</em>}
        </p>
      </header>
      <ul className="plan-report-summary" data-testid="plan-report-summary">
        <li>
          <b>{report.added.length}</b> {t('boundary.report.added')}
        </li>
        <li>
          <b>{reshaped.length}</b> {t('boundary.report.reshaped')}
        </li>
        <li>
          <b>{report.retired.length}</b> {t('boundary.report.retired')}
        </li>
        <li>
          <b>{moved.households}</b> {t('boundary.report.householdsMoved')}
        </li>
        <li>
          <b>{moved.openCases}</b> {t('boundary.report.casesMoved')}
        </li>
        <li>
          <b>{moved.staff}</b> {t('boundary.report.staffMoved')}
        </li>
      </ul>
      {report.units?.length ? (
        <section className="plan-report-warnings" data-testid="plan-report-units">
          <h4>{t('boundary.report.units')}</h4>
          <p>{report.units.map((u) => `${t(`level.${u.level}`)} ${u.name}（${u.code}）`).join('、')}</p>
        </section>
      ) : null}
      {report.warnings.length ? (
        <section className="plan-report-warnings">
          <h4>{t('boundary.report.warnings')}</h4>
          <ul>
            {report.warnings.map((w) => (
              <li key={`${w.reason}-${w.gridId}`}>{warningText(w, t)}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="plan-report-body">
        <ReportTable title={t('boundary.report.added')} head={GRID_HEAD} rows={report.added.map(gridRow)} />
        <ReportTable
          title={t('boundary.report.reshaped')}
          head={GRID_HEAD}
          rows={reshaped.map((r) => gridRow(r.after))}
        />
        <ReportTable
          title={t('boundary.report.retired')}
          head={GRID_HEAD}
          rows={report.retired.map(gridRow)}
        />
        <ReportTable
          title={t('boundary.report.moves')}
          head={MOVE_HEAD}
          testId="plan-report-moves"
          names={2}
          rows={moves.map((m) => ({
            key: `${m.from.id}-${m.to.id}`,
            cells: [gridCell(m.from), gridCell(m.to), m.households, m.residents, m.openCases, m.staff],
          }))}
        />
      </div>
      <footer>
        <button type="button" className="btn ghost" onClick={saveCsv} data-testid="plan-report-csv">
          {t('boundary.report.export')}
        </button>
        <button type="button" className="btn primary" onClick={onClose}>
          {t('boundary.report.close')}
        </button>
      </footer>
    </Modal>
  );
}

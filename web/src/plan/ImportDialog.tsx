import {
  IMPORT_CRS,
  IMPORT_LEVELS,
  type ImportCrs,
  type ImportLevel,
  type ImportProblemReason,
  type ImportReport,
} from '@gcc/shared/boundary-io';
import type { MessageKey } from '@gcc/shared/messages';
import { useState } from 'react';
import { useT } from '../app/i18n.tsx';
import { CSRF_HEADERS } from '../app/trpc.ts';
import { Modal } from './Modal.tsx';

// 导入边界: a boundary file (GeoJSON: a FeatureCollection or a bare array of features) read by the
// server into a plan — grids, or a parent level the grids are checked against — with the file's
// coordinate system and a snapping tolerance. 检查 only checks; 导入 makes the plan. Progress
// comes line by line (NDJSON) as the server works; the answer lists every problem by reason.

type Progress = { phase: string; fraction: number };

/** What the server is doing, as it says in its progress lines. */
const PHASES: Record<string, MessageKey> = {
  upload: 'plan.import.phase.upload',
  read: 'plan.import.phase.read',
  convert: 'plan.import.phase.convert',
  check: 'plan.import.phase.check',
  snap: 'plan.import.phase.snap',
  topology: 'plan.import.phase.topology',
  parents: 'plan.import.phase.parents',
  plan: 'plan.import.phase.plan',
};

/** Reads the server's NDJSON answer: progress lines as they come, the report last. */
async function runImport(
  file: File,
  q: { name: string; level: ImportLevel; crs: ImportCrs; toleranceM: number; dryRun: boolean },
  onProgress: (p: Progress) => void,
): Promise<ImportReport> {
  const params = new URLSearchParams({
    name: q.name,
    level: q.level,
    crs: q.crs,
    toleranceM: String(q.toleranceM),
    dryRun: String(q.dryRun),
  });
  const res = await fetch(`/api/boundaries/import?${params}`, {
    method: 'POST',
    headers: { ...CSRF_HEADERS, 'content-type': 'application/json' },
    body: file,
  });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `HTTP ${res.status}`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const lines = (rest + value).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      const msg = JSON.parse(line) as { progress?: Progress; report?: ImportReport };
      if (msg.progress) onProgress(msg.progress);
      if (msg.report) return msg.report;
    }
  }
  throw new Error('no report');
}

/** A labelled choice among a few fixed values. */
function Choice<V extends string>({
  label,
  value,
  options,
  text,
  onChange,
  testId,
}: {
  label: MessageKey;
  value: V;
  options: readonly V[];
  text(v: V): string;
  onChange(v: V): void;
  testId: string;
}) {
  const t = useT();
  return (
    <label>
      <span>{t(label)}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as V)} data-testid={testId}>
        {options.map((o) => (
          <option key={o} value={o}>
            {text(o)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ImportDialog({ onClose, onImported }: { onClose(): void; onImported(planId: number): void }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [level, setLevel] = useState<ImportLevel>('grids');
  const [crs, setCrs] = useState<ImportCrs>('wgs84');
  const [tolerance, setTolerance] = useState('1');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const toleranceM = Number(tolerance);
  const valid = file !== null && Number.isFinite(toleranceM) && toleranceM >= 0 && toleranceM <= 100;
  const [busy, setBusy] = useState(false);

  const start = async (dryRun: boolean) => {
    if (!file || !valid) return;
    setReport(null);
    setFailed(null);
    setProgress({ phase: 'upload', fraction: 0 });
    setBusy(true);
    try {
      const r = await runImport(
        file,
        { name: name.trim() || file.name.replace(/\.(geo)?json$/i, ''), level, crs, toleranceM, dryRun },
        setProgress,
      );
      setReport(r);
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const reasons = (report ? Object.entries(report.byReason) : []) as [ImportProblemReason, number][];
  return (
    <Modal
      label={t('plan.import.title')}
      className="plan-publish plan-import"
      testId="plan-import"
      onClose={onClose}
    >
      <h3>{t('plan.import.title')}</h3>
      <fieldset disabled={busy}>
        <label>
          <span>{t('plan.import.file')}</span>
          <input
            type="file"
            accept=".geojson,.json,application/geo+json,application/json"
            data-testid="plan-import-file"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
            }}
          />
        </label>
        <label>
          <span>{t('plan.import.name')}</span>
          <input
            value={name}
            maxLength={100}
            placeholder={file?.name ?? ''}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <Choice<ImportLevel>
          label="plan.import.level"
          value={level}
          options={IMPORT_LEVELS}
          text={(l) => t(`plan.import.level.${l}`)}
          onChange={setLevel}
          testId="plan-import-level"
        />
        <Choice<ImportCrs>
          label="plan.import.crs"
          value={crs}
          options={IMPORT_CRS}
          text={(c) => t(`plan.import.crs.${c}`)}
          onChange={setCrs}
          testId="plan-import-crs"
        />
        <label>
          <span>{t('plan.import.tolerance')}</span>
          <input
            type="number"
            min={0}
            max={100}
            step={0.1}
            value={tolerance}
            onChange={(e) => setTolerance(e.target.value)}
            data-testid="plan-import-tolerance"
          />
          <span>{t('plan.import.metres')}</span>
        </label>
      </fieldset>
      {busy && progress ? (
        <div className="plan-import-progress" data-testid="plan-import-progress">
          <progress value={progress.fraction} max={1} />
          <span>{PHASES[progress.phase] ? t(PHASES[progress.phase]!) : progress.phase}</span>
        </div>
      ) : null}
      {failed ? (
        <p className="plan-publish-warn" data-testid="plan-import-failed">
          {failed}
        </p>
      ) : null}
      {report ? (
        <section className="plan-import-report" data-testid="plan-import-report" data-ok={report.ok}>
          <p className={report.ok ? 'ok' : 'plan-publish-warn'}>
            {report.ok
              ? report.planId !== null
                ? t('plan.import.made', { features: report.counts.kept })
                : t('plan.import.checked', { features: report.counts.kept })
              : t('plan.import.refused', { errors: report.errors })}
          </p>
          {report.grids ? (
            <p className="meta">
              {t('plan.import.grids', {
                reshaped: report.grids.reshaped,
                added: report.grids.added,
                retired: report.grids.retired,
                unchanged: report.grids.unchanged,
              })}
            </p>
          ) : null}
          {reasons.length ? (
            <ul>
              {reasons.map(([reason, n]) => (
                <li key={reason} data-reason={reason}>
                  {t(`boundaryImport.problem.${reason}`)} × {n}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      <footer>
        <button type="button" className="btn" onClick={onClose}>
          {t('plan.import.close')}
        </button>
        <button
          type="button"
          className="btn"
          disabled={!valid || busy}
          onClick={() => void start(true)}
          data-testid="plan-import-check"
        >
          {t('plan.import.check')}
        </button>
        {report?.ok && report.planId !== null ? (
          <button
            type="button"
            className="btn primary"
            onClick={() => onImported(report.planId!)}
            data-testid="plan-import-open"
          >
            {t('plan.import.open')}
          </button>
        ) : (
          <button
            type="button"
            className="btn primary"
            disabled={!valid || busy}
            onClick={() => void start(false)}
            data-testid="plan-import-run"
          >
            {t('plan.import.run')}
          </button>
        )}
      </footer>
    </Modal>
  );
}

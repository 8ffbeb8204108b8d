import type { Case } from '@gcc/shared';
import { useT } from '../app/i18n.tsx';
import { useCategoryName } from '../directory/category-name.ts';
import { explainReason } from '../format/refusal.ts';
import type { BulkResult } from './types.ts';

interface Props {
  count: number;
  busy: boolean;
  surge: boolean;
  results: readonly BulkResult[] | null;
  /** Cases by id, for the results' words (a case may have left the queue since). */
  caseOf(id: number): Case | undefined;
  workerName(id: number): string;
  onAssign(): void;
  onClear(): void;
  onCloseResults(): void;
  onSelect(id: number): void;
}

/** 批量派遣: the ticked cases to their best workers in one action, then what happened to each (assigned, or refused and why). */
export function BulkAssign({
  count,
  busy,
  surge,
  results,
  caseOf,
  workerName,
  onAssign,
  onClear,
  onCloseResults,
  onSelect,
}: Props) {
  const t = useT();
  const category = useCategoryName();
  const assigned = results?.filter((r) => r.ok).length ?? 0;
  return (
    <>
      {count > 0 ? (
        <div className="dq-bulk" data-testid="bulk-bar">
          <span className="dq-bulk-count">{t('dispatch.bulk.selected', { n: count })}</span>
          <button
            type="button"
            className="btn primary"
            data-testid="bulk-assign"
            disabled={busy}
            onClick={onAssign}
          >
            {t(surge ? 'dispatch.bulk.assignSurge' : 'dispatch.bulk.assign')}
          </button>
          <button type="button" className="btn ghost" disabled={busy} onClick={onClear}>
            {t('dispatch.bulk.clear')}
          </button>
        </div>
      ) : null}
      {results ? (
        <ol className="dq-bulk-results" data-testid="bulk-results" aria-live="polite">
          <header>
            <span>{t('dispatch.bulk.summary', { ok: assigned, refused: results.length - assigned })}</span>
            <button type="button" className="btn ghost" onClick={onCloseResults}>
              {t('dispatch.bulk.close')}
            </button>
          </header>
          {results.map((r) => {
            const c = caseOf(r.caseId);
            const what = c ? `${category(c.category)} · ${c.code}` : `#${r.caseId}`;
            const why = r.ok
              ? t('dispatch.assigned', { name: r.workerId !== null ? workerName(r.workerId) : '—' })
              : explainReason(r.reason, r.message ?? '', t).text;
            return (
              <li
                key={r.caseId}
                data-case-id={r.caseId}
                data-ok={r.ok ? 'true' : 'false'}
                data-reason={r.reason ?? ''}
                onClick={() => onSelect(r.caseId)}
              >
                <span className="mark">{r.ok ? '✓' : '✕'}</span>
                <span>
                  {what} <span className="why">{why}</span>
                </span>
              </li>
            );
          })}
        </ol>
      ) : null}
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import type { CaseId } from '@gcc/shared';
import { useState } from 'react';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';

/** Rows shown before "n more": the box sits on the map and must not cover it. */
const MAX_ROWS = 8;

/**
 * Workers on duty outside their own grid, each with why: on case X (opens the case), walking back
 * from it, or no known reason (the 离岗 alert's business, listed first).
 */
export function AwayWorkers({ onOpenCase }: { onOpenCase(id: CaseId): void }) {
  const t = useT();
  const trpc = useTRPC();
  const [open, setOpen] = useState(true);
  const away = useQuery({ ...trpc.workers.away.queryOptions(), refetchInterval: 15_000 });
  const rows = [...(away.data?.workers ?? [])].sort(
    (a, b) => Number(a.reason !== null) - Number(b.reason !== null),
  );
  const unexplained = rows.filter((r) => r.reason === null).length;
  return (
    <div className={`dm-away ${open ? 'open' : ''}`} data-testid="away-workers">
      <button type="button" className="dm-away-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        {t('away.title')} <b>{rows.length}</b>
        {unexplained > 0 ? <em className="dm-away-alert">{unexplained}</em> : null}
      </button>
      {open ? (
        rows.length === 0 ? (
          <p className="dm-away-empty">{t('away.none')}</p>
        ) : (
          <ul>
            {rows.slice(0, MAX_ROWS).map((w) => (
              <li key={w.workerId} data-worker-id={w.workerId}>
                <span className="dm-away-name">{w.name}</span>
                {w.reason ? (
                  <button type="button" className="link" onClick={() => onOpenCase(w.reason!.caseId)}>
                    {t(w.reason.kind === 'case' ? 'away.onCase' : 'away.returning', {
                      code: w.reason.caseCode,
                    })}
                  </button>
                ) : (
                  <span className="dm-away-unexplained">{t('away.unexplained')}</span>
                )}
              </li>
            ))}
            {rows.length > MAX_ROWS ? (
              <li className="dm-away-more">{t('away.more', { n: rows.length - MAX_ROWS })}</li>
            ) : null}
          </ul>
        )
      ) : null}
    </div>
  );
}

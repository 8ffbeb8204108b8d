import { useState } from 'react';
import type { MessageKey } from '@gcc/shared/messages';
import { useT } from '../app/i18n.tsx';
import type { DispatchView, Recommended } from './types.ts';

interface Props {
  workers: readonly Recommended[] | null;
  /** Who has the case in the dispatch view (null: nobody yet). */
  assignee: DispatchView['assignee'];
  /** Null: the case is not in a state to dispatch. */
  enabled: boolean;
  picked: number;
  surge: boolean;
  busy: boolean;
  onSurge(on: boolean): void;
  onPick(index: number): void;
  onAssign(index: number): void;
  /** 改派: the picked worker replaces the assignee; a click, never Enter. */
  onReassign(index: number): void;
  onDropCase(caseId: number, index: number): void;
}

/**
 * The five best workers for the open case with the reasons, ETA along the roads, and the assign
 * action. Once the case has an assignee it is marked at the top, and the primary action is gone:
 * a 改派 to the picked worker is a secondary button that names whom it replaces.
 */
export function Recommendations({
  workers,
  assignee,
  enabled,
  picked,
  surge,
  busy,
  onSurge,
  onPick,
  onAssign,
  onReassign,
  onDropCase,
}: Props) {
  const t = useT();
  const [over, setOver] = useState<number | null>(null);
  const chosen = workers?.[picked] ?? null;
  return (
    <section className="dr" aria-label={t('dispatch.recommend')}>
      <header className="dp-head">
        <h3>{t('dispatch.recommend')}</h3>
        <label className="dr-surge" title={t('dispatch.reason.surge')}>
          <input
            type="checkbox"
            checked={surge}
            onChange={(e) => onSurge(e.target.checked)}
            data-testid="surge"
          />
          <span>{t('dispatch.surge')}</span> <kbd>S</kbd>
        </label>
      </header>
      {!enabled ? (
        <p className="dp-empty">{t('dispatch.recommendUnavailable')}</p>
      ) : !workers ? (
        <p className="dp-empty">…</p>
      ) : workers.length === 0 ? (
        <p className="dp-empty">{t('dispatch.recommendNone')}</p>
      ) : (
        <>
          <p className="dr-hint">{assignee ? t('dispatch.reassignHint') : t('dispatch.recommendHint')}</p>
          <ol className="dr-list" data-testid="recommendations">
            {assignee ? (
              <li className="assigned" data-testid="assigned-worker" data-worker-id={assignee.workerId ?? ''}>
                <span className="dr-n dr-tick" aria-hidden="true">
                  ✓
                </span>
                <span className="dr-main">
                  <span className="dr-name">
                    {assignee.name || assignee.department || '—'}
                    <em className="dr-assigned">{t('dispatch.assignedMark')}</em>
                  </span>
                </span>
              </li>
            ) : null}
            {workers.map((w, i) => {
              const reasons = w.reason.codes.map((c) => t(`dispatch.reason.${c}` as MessageKey));
              const standing = rankText(w, workers, t);
              const min = Math.max(1, Math.round(w.eta.etaS / 60));
              return (
                <li
                  key={w.workerId}
                  data-worker-id={w.workerId}
                  className={`${i === picked ? 'picked' : ''} ${over === i ? 'drop' : ''} ${w.reason.crossGrid ? 'cross' : ''}`}
                  onClick={() => onPick(i)}
                  onDoubleClick={() => (assignee ? undefined : onAssign(i))}
                  onDragOver={(e) => {
                    if (!e.dataTransfer.types.includes('application/x-gcc-case')) return;
                    e.preventDefault();
                    setOver(i);
                  }}
                  onDragLeave={() => setOver(null)}
                  onDrop={(e) => {
                    e.preventDefault();
                    setOver(null);
                    const caseId = Number(e.dataTransfer.getData('application/x-gcc-case'));
                    if (caseId) onDropCase(caseId, i);
                  }}
                >
                  <kbd className="dr-n">{i + 1}</kbd>
                  <span className="dr-main">
                    <span className="dr-name">
                      {w.name} <small>{t(`staff.${w.role}` as MessageKey)}</small>
                      {w.reason.crossGrid ? <em className="dr-cross">{t('dispatch.crossGrid')}</em> : null}
                    </span>
                    <span className="dr-rank" data-testid="rank-why" data-code={w.reason.standing.code}>
                      {standing}
                    </span>
                    <span className="dr-why">{reasons.join(' · ')}</span>
                    <span className="dr-nums">
                      {t('dispatch.reason.distance', { m: Math.round(w.reason.distanceM) })} ·{' '}
                      {t('dispatch.reason.openCases', { n: w.reason.openCases })} ·{' '}
                      {t(w.eta.fallback ? 'dispatch.etaEstimated' : 'dispatch.eta', { min })} (
                      {t(`dispatch.mode.${w.eta.mode}` as MessageKey)})
                    </span>
                  </span>
                  {over === i ? <span className="dr-drop">{t('dispatch.dropHere')}</span> : null}
                </li>
              );
            })}
          </ol>
          {/* After a dispatch the primary action is gone: 改派 is a plain button, never Enter. Its
              own key makes it a new element: the focus the 派遣 click left must not carry over,
              or the next Enter would press 改派. */}
          <button
            key={assignee ? 'reassign' : 'assign'}
            type="button"
            className={assignee ? 'btn dr-assign dr-reassign' : 'btn primary dr-assign'}
            data-testid={assignee ? 'reassign' : 'assign'}
            disabled={!chosen || busy}
            onClick={() => (assignee ? onReassign(picked) : onAssign(picked))}
          >
            {assignee ? (
              chosen ? (
                t('dispatch.reassign', {
                  name: chosen.name,
                  current: assignee.name || assignee.department || '—',
                })
              ) : (
                t('command.reassign')
              )
            ) : (
              <>
                {chosen ? t('dispatch.assign', { name: chosen.name }) : t('dispatch.assignTo')}{' '}
                <kbd>Enter</kbd>
              </>
            )}
          </button>
        </>
      )}
    </section>
  );
}

/** Why a worker stands where it does, against the one above it (dispatch.rank.*). */
function rankText(w: Recommended, list: readonly Recommended[], t: ReturnType<typeof useT>): string {
  const s = w.reason.standing;
  if (s.code === 'best') return t('dispatch.rank.best');
  const prev = list.find((x) => x.workerId === s.above)?.name ?? '—';
  if (s.code === 'farther') return t('dispatch.rank.farther', { prev, m: s.m });
  if (s.code === 'busier') return t('dispatch.rank.busier', { prev, n: s.n });
  return t(`dispatch.rank.${s.code}`, { prev });
}

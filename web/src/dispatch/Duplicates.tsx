import type { Case, GridId } from '@gcc/shared';
import { useT } from '../app/i18n.tsx';
import { useCategoryName } from '../directory/category-name.ts';

export interface SuspectedDuplicate {
  case: Case;
  distanceM: number;
  minutesApart: number;
}

interface Props {
  items: readonly SuspectedDuplicate[];
  gridName(id: GridId): string;
  /** Offered when the desk may merge the open case now. */
  onMerge?: ((primary: Case) => void) | undefined;
  /** Which suggestions the open case may be merged into (default: all). */
  mergeable?: (primary: Case) => boolean;
  onOpen(id: number): void;
  busy: boolean;
}

/**
 * 疑似重复: open cases of the same subclass near in place and time (the server's rule: 50 m,
 * 2 h). At intake they warn before a second case is made; on a case, the dispatcher merges it
 * into the one already being worked with one click, and they close together.
 */
export function Duplicates({ items, gridName, onMerge, mergeable = () => true, onOpen, busy }: Props) {
  const t = useT();
  const category = useCategoryName();
  if (items.length === 0) return null;
  return (
    <section className="dup" data-testid="duplicates">
      <h3>{t('dispatch.dup.title', { n: items.length })}</h3>
      <ul>
        {items.map((d) => (
          <li key={d.case.id} data-case-id={d.case.id}>
            <button
              type="button"
              className="dup-open"
              onClick={() => onOpen(d.case.id)}
              title={t('dispatch.dup.open')}
            >
              <b>{category(d.case.category)}</b>
              <span className={`dq-status st-${d.case.status}`}>{t(`status.${d.case.status}`)}</span>
              <small>
                {d.case.code} · {gridName(d.case.gridId)}
              </small>
              <small>{t('dispatch.dup.apart', { m: d.distanceM, min: d.minutesApart })}</small>
            </button>
            {onMerge && mergeable(d.case) ? (
              <button
                type="button"
                className="btn"
                data-testid="merge-into"
                disabled={busy}
                onClick={() => onMerge(d.case)}
              >
                {t('dispatch.dup.merge')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

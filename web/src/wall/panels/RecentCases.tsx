import type { GridId } from '@gcc/shared';
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useUrgencyOf } from '../../directory/categories.ts';
import { useT } from '../../app/i18n.tsx';
import { useCategoryName } from '../../directory/category-name.ts';
import type { CaseBoard } from '../case-board.ts';
import { css, URGENCY_COLORS } from '../../map/palette.ts';
import { Panel } from './Panel.tsx';

const timeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
/** A report this fresh is marked new. */
const FRESH_MS = 5 * 60_000;

/** The newest reports, newest on top; the stream adds to it as cases come in. */
export function RecentCases({ board, gridName }: { board: CaseBoard; gridName: (id: GridId) => string }) {
  const t = useT();
  const category = useCategoryName();
  const urgencyOf = useUrgencyOf();
  useSyncExternalStore(board.subscribe, () => board.recentVersion);
  const list = useRef<HTMLOListElement>(null);
  const hasRows = board.recent.length > 0;
  // "New" marks fade on a clock of their own, not on whatever re-renders the list.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(id);
  }, []);
  const [fit, setFit] = useState(12);
  // Show as many whole rows as the panel holds: a wall never scrolls or cuts a row in half.
  useLayoutEffect(() => {
    const ol = list.current;
    const box = ol?.parentElement;
    if (!ol || !box) return;
    const measure = () => {
      const style = getComputedStyle(box);
      const height = box.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      const gap = parseFloat(getComputedStyle(ol).rowGap) || 0;
      const row =
        (ol.firstElementChild as HTMLElement | null)?.offsetHeight ||
        parseFloat(getComputedStyle(document.documentElement).fontSize) * 2.6;
      setFit(Math.max(1, Math.floor((height + gap) / (row + gap))));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(box);
    return () => ro.disconnect();
    // re-measured when rows first appear (their real height replaces the estimate)
  }, [hasRows]);
  const rows = board.recent.slice(0, fit);
  return (
    <Panel title={t('wall.recentCases')} className="recent-panel">
      <ol ref={list} className="recent-list" data-testid="recent-cases">
        {rows.map((c) => {
          const urgency = urgencyOf(c.category);
          const fresh = now - c.reportedAt < FRESH_MS;
          return (
            <li key={c.id} className={fresh ? 'fresh' : undefined} data-case-id={c.id}>
              <span className="recent-time">{timeFmt.format(new Date(c.reportedAt))}</span>
              <span className="recent-urgency" style={{ background: css(URGENCY_COLORS[urgency]) }} />
              <span className="recent-main">
                <span className="recent-cat">{category(c.category)}</span>
                <span className="recent-where">{gridName(c.gridId)}</span>
                {c.caller?.phone ? (
                  <span className="recent-caller" data-testid="recent-caller">
                    {t('case.callerMasked', { phone: c.caller.phone })}
                  </span>
                ) : null}
              </span>
              <span className="recent-source">{t(`source.${c.source}`)}</span>
              <span className={`recent-status st-${c.status}`}>{t(`status.${c.status}`)}</span>
            </li>
          );
        })}
        {rows.length === 0 ? <li className="empty">{t('wall.noRecent')}</li> : null}
      </ol>
    </Panel>
  );
}

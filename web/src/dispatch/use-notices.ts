import type { Case } from '@gcc/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../app/i18n.tsx';
import { useCategoryName } from '../directory/category-name.ts';
import { beep } from './beep.ts';
import type { ShowToast } from './Toasts.tsx';
import { useDispatchLive, type Notice } from './use-dispatch-live.ts';

/** Read-only hook for end-to-end tests: the open case, the queue's order, the notices heard. */
declare global {
  interface Window {
    __gccDispatch?: { selectedId: number | null; queue: number[]; notices: number };
  }
}

/**
 * Overdue and escalated cases arriving on the event stream: a toast naming the case and, unless
 * the desk turned it off, a tone. Returns the stream's state for the header.
 */
export function useNotices({
  live,
  items,
  selectedId,
  toast,
}: {
  live: boolean;
  items: readonly Case[] | null;
  selectedId: number | null;
  toast: ShowToast;
}) {
  const t = useT();
  const category = useCategoryName();
  const [sound, setSound] = useState(true);
  const notices = useRef(0);

  useEffect(() => {
    window.__gccDispatch = { selectedId, queue: (items ?? []).map((c) => c.id), notices: notices.current };
  }, [selectedId, items]);
  useEffect(() => () => void delete window.__gccDispatch, []);

  const soundRef = useRef(sound);
  useEffect(() => {
    soundRef.current = sound;
  });
  const onNotice = useCallback(
    (n: Notice) => {
      notices.current++;
      if (window.__gccDispatch) window.__gccDispatch.notices = notices.current;
      const c = n.case ?? items?.find((x) => x.id === n.caseId) ?? null;
      const what = c ? `${category(c.category)} · ${c.code}` : `#${n.caseId}`;
      toast(
        n.kind === 'overdue' ? 'danger' : 'warn',
        t(n.kind === 'overdue' ? 'dispatch.toast.overdue' : 'dispatch.toast.escalated', { what }),
        { caseId: n.caseId },
      );
      if (soundRef.current) beep();
    },
    [items, category, t, toast],
  );
  const conn = useDispatchLive(onNotice, live);

  // The tone sounds once as it is turned on, so the desk hears what it will hear.
  const toggleSound = useCallback(() => {
    setSound((x) => !x);
    if (!sound) beep();
  }, [sound]);

  return { conn, sound, toggleSound };
}

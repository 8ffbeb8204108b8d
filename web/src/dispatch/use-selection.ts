import type { Case, RuledCommand } from '@gcc/shared';
import { useCallback, useEffect, useState } from 'react';

/**
 * The open case and what the desk has chosen on it: the recommended worker picked (by number
 * key or click) and the action form open. Opening another case starts both afresh.
 */
export function useSelection(items: readonly Case[] | null, settled: boolean) {
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [picked, setPicked] = useState(0);
  const [openAction, setOpenAction] = useState<RuledCommand | null>(null);

  const select = useCallback((id: number | null) => {
    setSelectedId(id);
    setPicked(0);
    setOpenAction(null);
  }, []);

  // The first case of the queue opens by itself, so the desk is never empty.
  // Not from the previous filter's list kept on screen while the new one loads.
  useEffect(() => {
    // The queue's answer arriving is what opens the case, as it did when this lived in the page.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (selectedId === null && settled && items?.length) select(items[0]!.id);
  }, [items, selectedId, select, settled]);

  return { selectedId, select, picked, setPicked, openAction, setOpenAction };
}

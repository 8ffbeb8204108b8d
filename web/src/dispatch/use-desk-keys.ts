import type { Case, RuledCommand } from '@gcc/shared';
import { useEffect, useRef } from 'react';
import { ACTIONS } from './CaseActions.tsx';

/** What the keys act on, as of the last render. */
export interface DeskKeys {
  items: readonly Case[] | null;
  selectedId: number | null;
  /** How many recommended workers there are to pick from (0: none). */
  workers: number;
  /** Whether the open case has an assignee in the dispatch view: Enter then dispatches nothing (改派 is a click). */
  assigned: boolean;
  picked: number;
  /** The commands `cases.allowed` last answered. */
  allowed: readonly RuledCommand[];
  /** The commands this desk's posts may ever run. */
  commands: ReadonlySet<RuledCommand>;
  canReport: boolean;
  select(id: number): void;
  pick(index: number): void;
  assign(caseId: number, index: number): Promise<void>;
  toggleSurge(): void;
  toggleHelp(): void;
  openIntake(on: boolean): void;
  openAction(command: RuledCommand | null): void;
  closeHelp(): void;
}

/**
 * The frequent actions without the mouse: j/k or arrows move through the queue, 1–5 pick a
 * recommended worker, Enter or A assigns (a case not yet dispatched), S surge, N intake, ? the key list, Esc closes, and each
 * action's letter (CaseActions' ACTIONS) opens its form when the case allows it. Keys typed into a
 * form, or with a modifier, are the browser's.
 */
export function useDeskKeys(keys: DeskKeys): void {
  // One listener for the page's life, reading the newest state.
  const current = useRef(keys);
  useEffect(() => {
    current.current = keys;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (
        el &&
        (el.tagName === 'INPUT' ||
          el.tagName === 'TEXTAREA' ||
          el.tagName === 'SELECT' ||
          el.isContentEditable)
      )
        return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const s = current.current;
      const list = s.items ?? [];
      const at = list.findIndex((c) => c.id === s.selectedId);
      const k = e.key;
      if (k === 'ArrowDown' || k === 'j') {
        const next = list[Math.min(list.length - 1, at + 1)];
        if (next) s.select(next.id);
      } else if (k === 'ArrowUp' || k === 'k') {
        const prev = list[Math.max(0, at - 1)];
        if (prev) s.select(prev.id);
      } else if (/^[1-5]$/.test(k) && s.workers && Number(k) <= s.workers) {
        s.pick(Number(k) - 1);
      } else if (
        (k === 'Enter' || k === 'a' || k === 'A') &&
        s.selectedId !== null &&
        s.allowed.includes('dispatch') &&
        s.workers &&
        !s.assigned
      ) {
        void s.assign(s.selectedId, s.picked);
      } else if (k === 's' || k === 'S') {
        s.toggleSurge();
      } else if (k === '?') {
        s.toggleHelp();
      } else if ((k === 'n' || k === 'N') && s.canReport) {
        s.openIntake(true);
      } else if (k === 'Escape') {
        s.openAction(null);
        s.closeHelp();
        s.openIntake(false);
      } else {
        const action = ACTIONS.find(
          (a) => a.key === k.toUpperCase() && a.command !== 'dispatch' && s.commands.has(a.command),
        );
        if (action && s.allowed.includes(action.command)) s.openAction(action.command);
        else return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

import { useCallback, useRef, useState } from 'react';

const TOAST_MS = 8000;
const MAX_TOASTS = 5;

export interface Toast {
  id: number;
  tone: 'ok' | 'warn' | 'danger';
  text: string;
  reason?: string | null;
  caseId?: number;
}

export type ShowToast = (tone: Toast['tone'], text: string, extra?: Partial<Toast>) => void;

/** The desk's toasts, newest first: the last few outcomes and notices, each for a few seconds. */
export function useToasts(): { toasts: readonly Toast[]; toast: ShowToast } {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const lastId = useRef(0);
  const toast = useCallback<ShowToast>((tone, text, extra = {}) => {
    const id = ++lastId.current;
    setToasts((ts) => [{ id, tone, text, ...extra }, ...ts].slice(0, MAX_TOASTS));
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), TOAST_MS);
  }, []);
  return { toasts, toast };
}

/** A toast about a case opens it when clicked. */
export function Toasts({ toasts, onOpen }: { toasts: readonly Toast[]; onOpen(caseId: number): void }) {
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((x) => (
        <div
          key={x.id}
          className={`toast ${x.tone}`}
          data-testid="toast"
          data-reason={x.reason ?? ''}
          onClick={() => x.caseId && onOpen(x.caseId)}
        >
          {x.text}
        </div>
      ))}
    </div>
  );
}

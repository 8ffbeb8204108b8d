import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Case, StreamEvent } from '@gcc/shared';
import { useTRPC, useTRPCClient } from '../app/trpc.ts';
import type { ConnState } from '../live/connection.ts';
import { startEventStream } from '../live/event-stream.ts';

/** Something the desk must notice now: a case that went overdue (超期督办) or was escalated (上报升级). */
export interface Notice {
  kind: 'overdue' | 'escalated';
  caseId: number;
  case: Case | null;
  at: number;
}

/**
 * Follows the event stream: any case event refreshes the queue and the open case (debounced, the
 * server stays the truth), and overdue alerts and escalations are handed to `onNotice`.
 */
export function useDispatchLive(onNotice: (n: Notice) => void, enabled = true): ConnState {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnState>('connecting');
  const noticeRef = useRef(onNotice);
  useEffect(() => {
    noticeRef.current = onNotice;
  });

  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: trpc.cases.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.dispatch.recommend.pathKey() });
      }, 250);
    };
    const stream = startEventStream(client, null, {
      onEvents: (events: StreamEvent[]) => {
        if (events.some((e) => e.kind === 'case' || e.kind === 'alert')) refresh();
        // A new boundary version: the desk map swaps its grids (cases were re-keyed with them).
        if (events.some((e) => e.kind === 'boundary')) {
          void queryClient.invalidateQueries({ queryKey: trpc.grids.layer.queryKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.city.info.queryKey() });
          refresh();
        }
        for (const e of events) {
          if (e.kind === 'alert' && e.type === 'alert.raised' && e.alertKind === 'case-overdue' && e.caseId) {
            noticeRef.current({ kind: 'overdue', caseId: e.caseId, case: null, at: e.at });
          } else if (e.kind === 'case' && e.type === 'case.escalated') {
            noticeRef.current({ kind: 'escalated', caseId: e.caseId, case: e.case, at: e.at });
          }
        }
      },
      onState: setState,
      onResync: refresh,
    });
    return () => {
      clearTimeout(timer);
      stream.stop();
    };
  }, [client, queryClient, trpc, enabled]);

  return state;
}

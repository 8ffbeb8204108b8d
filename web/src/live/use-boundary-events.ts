import { useEffect, useRef } from 'react';
import { useTRPCClient } from '../app/trpc.ts';
import { startEventStream } from './event-stream.ts';

/**
 * Calls `onBoundary` whenever a boundary version is published or takes effect (the
 * `boundary` events of the event stream), and after the stream resumes from an interruption,
 * when one may have been missed: the screen re-reads its grids without a reload.
 */
export function useBoundaryEvents(onBoundary: () => void, enabled = true): void {
  const client = useTRPCClient();
  const handler = useRef(onBoundary);
  useEffect(() => {
    handler.current = onBoundary;
  });
  useEffect(() => {
    if (!enabled) return;
    const stream = startEventStream(client, null, {
      onEvents: (events) => {
        if (events.some((e) => e.kind === 'boundary')) handler.current();
      },
      onState: () => {},
      onResync: () => handler.current(),
    });
    return () => stream.stop();
  }, [client, enabled]);
}

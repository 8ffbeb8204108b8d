import { StreamEventSchema, type StreamEvent } from '@gcc/shared';
import type { TrpcClient } from '../app/trpc.ts';
import type { ConnState } from './connection.ts';

export interface EventStream {
  stop(): void;
  /** Drops the current connection and resumes from the last event seen (a stalled stream). */
  restart(): void;
  /** The sequence number of the newest event seen. */
  lastSeq(): number | null;
}

export interface EventStreamHandlers {
  /** Events of one delivery burst, in sequence order. */
  onEvents(events: StreamEvent[]): void;
  onState(state: ConnState): void;
  /** The stream resumed after an interruption (or the server said we fell behind): reload snapshots. */
  onResync(reason: 'reconnected' | 'behind-retention'): void;
}

/**
 * The reliable event stream (case, alert and boundary events): a tRPC subscription over SSE that
 * resumes from the last `tracked()` id after any interruption. Events arriving together are
 * handed over in one batch per animation frame, so a burst costs one render.
 * Start it from a known `fromSeq` (`events.head` taken before the snapshots were loaded).
 */
export function startEventStream(
  client: TrpcClient,
  fromSeq: number | null,
  handlers: EventStreamHandlers,
): EventStream {
  let lastEventId: string | null = fromSeq === null ? null : String(fromSeq);
  let stopped = false;
  let sub: { unsubscribe(): void } | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let wasLive = false;
  let interrupted = false;
  let batch: StreamEvent[] = [];
  let raf = 0;

  const flush = () => {
    raf = 0;
    const events = batch;
    batch = [];
    if (events.length && !stopped) handlers.onEvents(events);
  };
  const setState = (state: ConnState) => {
    if (state === 'live') {
      if (interrupted && wasLive) handlers.onResync('reconnected');
      interrupted = false;
      wasLive = true;
      attempt = 0;
    } else if (wasLive) {
      interrupted = true;
    }
    handlers.onState(state);
  };

  let generation = 0;
  const schedule = () => {
    if (raf) return;
    // A hidden page gets no animation frames; keep draining so the batch stays small.
    raf = document.hidden ? (setTimeout(flush, 250) as unknown as number) : requestAnimationFrame(flush);
  };

  const open = () => {
    if (stopped) return;
    const gen = ++generation;
    const current = () => gen === generation && !stopped;
    sub = client.events.stream.subscribe(lastEventId === null ? {} : { lastEventId }, {
      onStarted: () => current() && setState('live'),
      onConnectionStateChange: (s) => {
        if (!current()) return;
        if (s.state === 'pending') setState('live');
        else if (s.state === 'connecting') setState(s.error ? 'offline' : 'connecting');
      },
      onData: (envelope) => {
        if (!current()) return;
        lastEventId = envelope.id;
        // An event this client does not know (a newer server) is skipped, not a crash of a wall.
        const parsed = StreamEventSchema.safeParse(envelope.data);
        if (!parsed.success) return;
        const event = parsed.data;
        if (event.kind === 'resync') {
          handlers.onResync('behind-retention');
          return;
        }
        batch.push(event);
        schedule();
      },
      // A refused or ended stream (server restart, session check) is opened again with backoff.
      onError: () => current() && reopen(),
      onComplete: () => current() && reopen(),
      onStopped: () => current() && reopen(),
    });
  };
  const reopen = (delay = Math.min(15_000, 1000 * 2 ** Math.min(attempt++, 4))) => {
    generation++;
    const old = sub;
    sub = null;
    old?.unsubscribe();
    if (stopped) return;
    setState('offline');
    clearTimeout(retry);
    retry = setTimeout(open, delay);
  };

  open();
  return {
    stop() {
      stopped = true;
      clearTimeout(retry);
      generation++;
      if (raf) {
        cancelAnimationFrame(raf);
        clearTimeout(raf);
      }
      sub?.unsubscribe();
    },
    restart: () => reopen(0),
    lastSeq: () => (lastEventId === null ? null : Number(lastEventId)),
  };
}

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { startOfLocalDay, type Case, type CaseStatus, type StreamEvent } from '@gcc/shared';
import { useTRPC, useTRPCClient, type TrpcClient } from '../app/trpc.ts';
import { startEventStream, type EventStream } from '../live/event-stream.ts';
import { CaseBoard, HEAT_DAYS, MAX_HEAT, MAX_OPEN, OPEN_STATUSES } from './case-board.ts';
import { liveStatus } from './live-status.ts';

const PAGE = 5000;
const DAY_MS = 24 * 3600_000;
/** How often the wall checks that the server answers (stalled-stream detection). */
const PROBE_MS = 10_000;

interface ListFilter {
  status?: CaseStatus[];
  from?: number;
}

/** Pages through cases.list (newest first) until done or `cap` cases. */
async function listAll(client: TrpcClient, filter: ListFilter, cap: number): Promise<Case[]> {
  const out: Case[] = [];
  let cursor: number | undefined;
  for (;;) {
    const page = await client.cases.list.query({
      ...filter,
      limit: Math.min(PAGE, cap - out.length),
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items);
    if (page.nextCursor === null || out.length >= cap) return out;
    cursor = page.nextCursor;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Trailing debounce with a maximum wait: a burst of events costs one refetch per `maxWait`. */
function debounce(fn: () => void, wait: number, maxWait: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first = 0;
  const run = () => {
    timer = undefined;
    first = 0;
    fn();
  };
  const call = () => {
    const now = Date.now();
    if (!first) first = now;
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, Math.min(wait, first + maxWait - now)));
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}

/**
 * Snapshot, then deltas: takes `events.head`, loads open cases, the newest reports and the last
 * week's reports, then follows the event stream from that head. Today's panel numbers are
 * `cases.today`, refetched (debounced) whenever a case event arrives — the server's count is
 * the truth, the stream only says when to ask.
 */
export function useWallLive(
  /** Changes when older history finished loading behind a first start: the snapshot is taken again. */
  historyEpoch = 0,
): CaseBoard {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const board = useMemo(() => new CaseBoard(), []);

  useEffect(() => {
    let stopped = false;
    let stream: EventStream | null = null;
    const refreshToday = debounce(
      () => void queryClient.invalidateQueries({ queryKey: trpc.cases.today.queryKey() }),
      400,
      2000,
    );
    const refreshAlerts = debounce(
      () => {
        void queryClient.invalidateQueries({ queryKey: trpc.alerts.open.queryKey() });
        // A raise or resolve usually means a worker's reason to be out changed too.
        void queryClient.invalidateQueries({ queryKey: trpc.workers.away.queryKey() });
      },
      400,
      2000,
    );
    const refreshBoundary = () => {
      void queryClient.invalidateQueries({ queryKey: trpc.grids.layer.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.city.info.queryKey() });
    };

    const loadSnapshot = async (): Promise<number> => {
      const head = await client.events.head.query();
      const now = Date.now();
      const [open, recent, heat] = await Promise.all([
        listAll(client, { status: [...OPEN_STATUSES] }, MAX_OPEN),
        client.cases.list.query({ limit: 40 }),
        listAll(client, { from: startOfLocalDay(now) - (HEAT_DAYS - 1) * DAY_MS }, MAX_HEAT),
      ]);
      if (!stopped) board.load({ open, recent: recent.items, heat });
      return head.seq;
    };
    const loadWithRetry = async (): Promise<number | null> => {
      for (let attempt = 0; !stopped; attempt++) {
        try {
          return await loadSnapshot();
        } catch {
          await sleep(Math.min(15_000, 1000 * 2 ** Math.min(attempt, 4)));
        }
      }
      return null;
    };

    const follow = (from: number) => {
      stream = startEventStream(client, from, {
        onEvents: (events: StreamEvent[]) => {
          board.apply(events);
          if (events.some((e) => e.kind === 'case')) refreshToday();
          if (events.some((e) => e.kind === 'boundary')) refreshBoundary();
          if (events.some((e) => e.kind === 'alert')) refreshAlerts();
        },
        onState: (state) => liveStatus.set((s) => (s.stream === state ? s : { ...s, stream: state })),
        onResync: (reason) => void resync(reason),
      });
    };

    const resync = async (reason: 'reconnected' | 'behind-retention') => {
      refreshToday();
      refreshAlerts();
      let restart = reason === 'behind-retention';
      if (!restart) {
        // A server whose log restarted (new database) has a lower head than we saw: start over.
        const head = await client.events.head.query().catch(() => null);
        const seen = stream?.lastSeq() ?? null;
        restart = head !== null && seen !== null && head.seq < seen;
      }
      if (!restart || stopped) return;
      stream?.stop();
      stream = null;
      const from = await loadWithRetry();
      if (from !== null && !stopped) follow(from);
    };

    // An SSE connection through a proxy can die without an error reaching the browser. A light
    // probe notices the server going away and coming back, and then resumes the stream.
    let probeFailed = false;
    const probe = setInterval(() => {
      if (!stream) return;
      client.events.head.query().then(
        () => {
          if (probeFailed) stream?.restart();
          probeFailed = false;
        },
        () => {
          probeFailed = true;
          liveStatus.set((s) => (s.stream === 'offline' ? s : { ...s, stream: 'offline' }));
        },
      );
    }, PROBE_MS);
    const prune = setInterval(() => board.prune(), 10 * 60_000);

    void loadWithRetry().then((from) => {
      if (from !== null && !stopped) follow(from);
    });

    return () => {
      stopped = true;
      clearInterval(probe);
      clearInterval(prune);
      refreshToday.cancel();
      refreshAlerts.cancel();
      stream?.stop();
    };
  }, [board, client, queryClient, trpc, historyEpoch]);

  return board;
}

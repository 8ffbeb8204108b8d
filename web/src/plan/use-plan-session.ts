import type { GridId } from '@gcc/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { startPlanWorker, type PlanClient } from './plan.client.ts';
import { faceParts, type FacePart } from './plan.layers.ts';
import type {
  Baseline,
  EdgeBuffers,
  EditOutcome,
  GestureRefusal,
  HistoryState,
  PlanDelta,
  PlanGesture,
} from './plan.protocol.ts';

export interface BaseScene {
  edges: EdgeBuffers;
  parts: FacePart[];
  bbox: [number, number, number, number];
}

export interface PlanScene {
  edges: EdgeBuffers;
  parts: FacePart[];
  hiddenEdges: ReadonlySet<number>;
  hiddenGrids: ReadonlySet<number>;
  revision: number;
}

const EMPTY_HISTORY: HistoryState = { canUndo: false, canRedo: false, cursor: 0, length: 0 };

function sceneOf(d: PlanDelta): PlanScene {
  return {
    edges: d.edges,
    parts: faceParts(d.faces),
    hiddenEdges: new Set(d.hiddenEdges),
    hiddenGrids: new Set(d.hiddenGrids),
    revision: d.revision,
  };
}

/**
 * The plan being edited: the topology worker, the baseline drawn once, the plan's changes over
 * it, and undo/redo. Every change resolves to the grids it touched, or to a refusal with its
 * reason and place.
 */
export function usePlanSession(baseline: Baseline | undefined) {
  const [client, setClient] = useState<PlanClient | null>(null);
  const [base, setBase] = useState<BaseScene | null>(null);
  const [plan, setPlan] = useState<PlanScene | null>(null);
  const [history, setHistory] = useState<HistoryState>(EMPTY_HISTORY);
  const [refusal, setRefusal] = useState<{
    reason: GestureRefusal;
    at: [number, number] | null;
    n: number;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** One edit at a time: a second gesture waits for the first to be decided. */
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  useEffect(() => {
    if (!baseline) return;
    const c = startPlanWorker();
    let live = true;
    c.call('init', baseline)
      .then((g) => {
        if (!live) return;
        setBase({ edges: g.edges, parts: faceParts(g.faces), bbox: g.bbox });
        setClient(c);
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
      c.stop();
      setClient(null);
      setBase(null);
      setPlan(null);
      setHistory(EMPTY_HISTORY);
    };
  }, [baseline]);

  const settle = useCallback((o: EditOutcome): GridId[] | null => {
    if (!o.ok) {
      if (o.reason !== 'nothing') setRefusal((r) => ({ reason: o.reason, at: o.at, n: (r?.n ?? 0) + 1 }));
      return null;
    }
    setRefusal(null);
    setPlan(sceneOf(o.delta));
    setHistory(o.history);
    return o.touched;
  }, []);

  const run = useCallback(
    (f: (c: PlanClient) => Promise<EditOutcome>): Promise<GridId[] | null> => {
      if (!client) return Promise.resolve(null);
      const next = queue.current.then(() => f(client)).then(settle);
      queue.current = next.catch(() => null);
      return next.catch((e: Error) => {
        setError(e.message);
        return null;
      });
    },
    [client, settle],
  );

  const apply = useCallback((g: PlanGesture) => run((c) => c.call('apply', g)), [run]);
  const undo = useCallback(() => run((c) => c.call('undo')), [run]);
  const redo = useCallback(() => run((c) => c.call('redo')), [run]);
  const load = useCallback(
    (edits: unknown[], cursor: number) => run((c) => c.call('load', edits, cursor)),
    [run],
  );

  return useMemo(
    () => ({
      client,
      base,
      plan,
      history,
      refusal,
      error,
      apply,
      undo,
      redo,
      load,
      dismiss: () => setRefusal(null),
    }),
    [client, base, plan, history, refusal, error, apply, undo, redo, load],
  );
}

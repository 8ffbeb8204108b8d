import type { TopologyEdit } from '@gcc/shared/topology';
import { TopologyEditSchema } from '@gcc/shared/topology';
import { decodePlanningContext, PlanningContextWireSchema } from '@gcc/shared/planning';
import { PlanEngine } from './plan-engine.ts';
import { transferablesOf, type FromWorker, type ToWorker } from './plan.protocol.ts';

// The planner's topology off the main thread: the page sends gestures, this worker decides,
// applies, validates and counts, and answers with only what the page must redraw.

declare const self: DedicatedWorkerGlobalScope;

let engine: PlanEngine | null = null;
/** Settles when the statistics' points are in (true) or could not be had (false). */
let counting: Promise<boolean> = Promise.resolve(false);

function need(): PlanEngine {
  if (!engine) throw new Error('plan worker: not initialised');
  return engine;
}

/** Saved edits come from our own server, but cross the same schema as any client input. */
function parseEdits(edits: unknown[]): TopologyEdit[] {
  return edits.map((e) => {
    const r = TopologyEditSchema.safeParse(e);
    if (!r.success) throw new Error('plan worker: a saved edit does not parse');
    return r.data;
  });
}

/**
 * The address, case and staff points (planning.context) the statistics are counted from, fetched
 * here so the few hundred thousand points never pass through the page.
 */
async function loadContext(e: PlanEngine): Promise<boolean> {
  try {
    const res = await fetch('/trpc/planning.context');
    if (!res.ok) return false;
    const body = (await res.json()) as { result?: { data?: unknown } };
    const wire = PlanningContextWireSchema.safeParse(body.result?.data);
    if (!wire.success) return false;
    const decoded = decodePlanningContext(wire.data);
    if (!decoded.ok) return false;
    e.setContext(decoded.context, decoded.bands);
    return true;
  } catch {
    return false;
  }
}

/** The road centre lines of the offline base map, to snap to; without them snapping keeps to the grid layer. */
async function loadRoads(e: PlanEngine): Promise<void> {
  try {
    const res = await fetch('/basemap/roads.geojson');
    if (!res.ok) return;
    const fc = (await res.json()) as { features?: { geometry?: { type?: string; coordinates?: unknown } }[] };
    const lines: number[][][] = [];
    for (const f of fc.features ?? []) {
      const g = f.geometry;
      if (g?.type === 'LineString') lines.push(g.coordinates as number[][]);
      else if (g?.type === 'MultiLineString') lines.push(...(g.coordinates as number[][][]));
    }
    e.setRoads(lines);
  } catch {
    // no roads: snapping keeps to nodes and edges
  }
}

function run(msg: ToWorker): unknown {
  if (msg.call === 'counting') return counting;
  switch (msg.call) {
    case 'init': {
      const e = new PlanEngine(msg.args[0]);
      engine = e;
      void loadRoads(e);
      counting = loadContext(e);
      return e.baseGeometry();
    }
    case 'apply':
      return need().apply(msg.args[0]);
    case 'check':
      return need().check(msg.args[0]);
    case 'setBands':
      return need().setBands(msg.args[0]);
    case 'setUnlock':
      return need().setUnlock(msg.args[0]);
    case 'undo':
      return need().undo();
    case 'redo':
      return need().redo();
    case 'load':
      return need().load(parseEdits(msg.args[0]), msg.args[1]);
    case 'history':
      return need().history();
    case 'handles':
      return need().handles(msg.args[0]);
    case 'drag':
      return need().drag(msg.args[0]);
    case 'snap':
      return need().snap(...msg.args);
    case 'grids':
      return need().grids(msg.args[0]);
    case 'community':
      return need().community(msg.args[0]);
    case 'gridAt':
      return need().gridAt(msg.args[0]);
    case 'inBox':
      return need().inBox(msg.args[0]);
    case 'problems':
      return need().problems(msg.args[0]);
    case 'worstBand':
      return need().worstBand(msg.args[0]);
    case 'boundsOf':
      return need().boundsOf(msg.args[0]);
  }
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  let reply: FromWorker;
  try {
    reply = { id: msg.id, ok: true, result: await run(msg) };
  } catch (err) {
    reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply, reply.ok ? transferablesOf(reply.result) : []);
};

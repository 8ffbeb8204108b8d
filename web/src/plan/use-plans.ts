import type { GridId } from '@gcc/shared';

// The saved plans (网格调整方案) of the planner and of the others. Served by plans.list / get /
// create / save / discard / rename, which are not on main yet: until they are, this hook says so
// (`available: false`) and the page keeps the plan in memory only (nothing is invented).

export interface PlanSummary {
  id: number;
  name: string;
  author: string;
  mine: boolean;
  /** Whether this planner may write it (their own draft). */
  editable: boolean;
  updatedAt: number;
  /** Grids the plan touches (outlined on the map for others' plans). */
  grids: GridId[];
  problems: number;
}

/** The plan open in the editor: which one, at which revision, and whether this planner may write it. */
export interface OpenPlan {
  id: number;
  revision: number;
  name: string;
  editable: boolean;
}

/** A refused write as the page shows it: the server's sentence, and where when an edit was refused. */
export interface SaveRefusal {
  message: string;
  at: [number, number] | null;
}

export interface PlansApi {
  /** False while the plans API is not served. */
  available: boolean;
  list: PlanSummary[];
  /** Grids the other planners' drafts touch. */
  othersTouch: ReadonlySet<number>;
  busy: boolean;
  /** Saves the editor's history into `open` (a new plan is created first). */
  saveAs(
    open: OpenPlan | null,
    name: string,
    history: { edits: unknown[]; cursor: number },
  ): Promise<{ ok: true; plan: OpenPlan } | { ok: false; refusal: SaveRefusal }>;
  discardPlan(open: OpenPlan): Promise<SaveRefusal | null>;
  /** One plan's edits and cursor, to open it. */
  open(id: number): Promise<{ plan: OpenPlan; edits: unknown[]; cursor: number }>;
}

const NONE: ReadonlySet<number> = new Set();
const unavailable = (): never => {
  throw new Error('plans API not served yet');
};

export function usePlans(): PlansApi {
  return {
    available: false,
    list: [],
    othersTouch: NONE,
    busy: false,
    saveAs: unavailable,
    discardPlan: unavailable,
    open: unavailable,
  };
}

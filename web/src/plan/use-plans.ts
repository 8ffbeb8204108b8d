import type { GridId } from '@gcc/shared';

// The saved plans (网格调整方案) of the planner and of the others. Served by plans.list / get /
// create / save / discard / rename, which are not on main yet: until they are, this hook says so
// and the page keeps the plan in memory only (nothing is invented).

export interface PlanSummary {
  id: number;
  name: string;
  author: string;
  mine: boolean;
  updatedAt: string;
  /** Grids the plan touches (outlined on the map for others' plans). */
  grids: GridId[];
  problems: number;
}

export interface PlansState {
  /** False while the plans API is not served. */
  available: boolean;
  list: PlanSummary[];
}

export function usePlans(): PlansState {
  return { available: false, list: [] };
}

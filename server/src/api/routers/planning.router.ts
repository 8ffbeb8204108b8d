import { planningContext } from '../../planning/planning-context.ts';
import { jurisdictionGrids, PLANNERS, procedureFor, router } from '../trpc.ts';

// The boundary planner's data (网格规划). Statistics are computed on the client from these points
// as the planner edits (@gcc/shared/planning gridStats), never from the grids' stored totals.
export const planningRouter = router({
  /** Address, case and staff points of the boundary version in force, in the caller's jurisdiction. */
  context: procedureFor(...PLANNERS).query(({ ctx }) =>
    planningContext(ctx.services.database.db, ctx.services.boundary(), jurisdictionGrids(ctx), Date.now()),
  ),
});

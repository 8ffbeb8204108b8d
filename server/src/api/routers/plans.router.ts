import { PLANNERS } from '@gcc/shared';
import { planBaseline } from '../../plans/baseline.ts';
import { procedureFor, router } from '../trpc.ts';

// The boundary planner's API: the topology every plan is edited on, and the plans themselves.
export const plansRouter = router({
  /**
   * The boundary version in force as a topology, with the grids' attributes as columns. The whole
   * layer, also outside the planner's jurisdiction: a planner sees the neighbours of what they
   * edit (the server refuses edits outside it).
   */
  baseline: procedureFor(...PLANNERS).query(({ ctx }) => {
    const b = ctx.services.boundary();
    const { version, encoded } = planBaseline(b);
    const list = [...b.grids].sort((a, c) => a.id - c.id);
    return {
      version,
      topology: encoded,
      grids: {
        ids: list.map((g) => g.id),
        codes: list.map((g) => g.code),
        names: list.map((g) => g.name),
        parentIds: list.map((g) => g.communityId),
        urban: list.map((g) => g.urban),
        households: list.map((g) => g.households),
        population: list.map((g) => g.population),
      },
    };
  }),
});

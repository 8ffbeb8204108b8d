import { CASE_DESKS, procedureFor, router } from '../trpc.ts';

// The handling departments (专业部门) of the city: what the console offers for a whistle (吹哨)
// and shows by name in timelines.

export const departmentsRouter = router({
  /** Every department with its code (the id timelines carry) and names, Chinese first. */
  list: procedureFor(...CASE_DESKS).query(({ ctx }) =>
    ctx.services.departments
      .list()
      .map((d) => ({ id: d.id, code: d.code, nameZh: d.nameZh, nameEn: d.nameEn })),
  ),
});

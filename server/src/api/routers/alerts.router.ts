import { openAlerts } from '../../live/alert-monitor.ts';
import { ALL_READERS, jurisdictionGrids, procedureFor, router } from '../trpc.ts';

export const alertsRouter = router({
  /** Open alerts inside the user's jurisdiction, newest first (later changes arrive on events.stream). */
  open: procedureFor(...ALL_READERS).query(async ({ ctx }) => {
    const rows = await openAlerts(ctx.services.database.db, jurisdictionGrids(ctx) ?? null);
    return rows.map((a) => ({
      id: a.id,
      kind: a.kind,
      gridId: a.gridId,
      caseId: a.caseId,
      workerId: a.workerId,
      raisedAt: a.raisedAt,
    }));
  }),
});

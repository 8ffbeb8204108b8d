import { dutyFromIndex } from '@gcc/shared';
import { ALL_READERS, jurisdictionGrids, procedureFor, router } from '../trpc.ts';

export const workersRouter = router({
  /** Every worker the user may see, with duty state and newest position (binary frames follow on /positions). */
  snapshot: procedureFor(...ALL_READERS).query(({ ctx }) => {
    const { roster, positions } = ctx.services;
    const visible = jurisdictionGrids(ctx);
    const set = visible ? new Set(visible) : null;
    const cols = positions.cols;
    const now = Date.now();
    return {
      at: now,
      workers: roster
        .filter((w) => !set || set.has(w.gridId))
        .map((w) => {
          const slot = positions.slotOf(w.id)!;
          const has = positions.hasPosition(slot);
          return {
            id: w.id, name: w.name, role: w.role, gridId: w.gridId, duty: dutyFromIndex(cols.duty[slot]!),
            lng: has ? cols.lng[slot]! : null, lat: has ? cols.lat[slot]! : null, at: has ? cols.at[slot]! : null,
          };
        }),
    };
  }),
});

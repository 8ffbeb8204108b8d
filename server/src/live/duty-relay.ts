import type { WorkerId, DutyState } from '@gcc/shared';
import type { ClusterBus, DutyChange } from './cluster-bus.ts';
import type { PositionStore } from './position-store.ts';

/** Duty states set within this window go out as one message (the simulator sets many at once). */
const BATCH_MS = 100;

/**
 * Keeps duty states in step across server processes: what this node sets goes out on the bus
 * in batches (the newest state per worker), what another node set is applied here without going
 * out again.
 */
export function relayDuty(positions: PositionStore, bus: ClusterBus): void {
  const pending = new Map<WorkerId, DutyState>();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const changes: DutyChange[] = [...pending].map(([workerId, duty]) => ({ workerId, duty }));
    pending.clear();
    bus.publishDuty(changes);
  };
  positions.onDuty((workerId, duty) => {
    pending.set(workerId, duty);
    if (!timer) {
      timer = setTimeout(flush, BATCH_MS);
      timer.unref();
    }
  });
  bus.onRemoteDuty((changes) => {
    for (const c of changes) positions.setDuty(c.workerId, c.duty, true);
  });
}

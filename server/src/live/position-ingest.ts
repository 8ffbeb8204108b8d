import type { Position } from '@gcc/shared';
import type { Services } from '../services.ts';
import type { IngestResult } from './position-store.ts';

// The one way positions enter the live store — device API, OsmAnd, device socket, simulator
// and load generator alike. Fixes arrive here validated (devices/position-input.ts); the store
// applies newest-wins, assigns each fix to its grid, and hands accepted fixes to its listeners
// (trajectories, the cross-process relay); the fan-out tick picks up the dirty slots.

export const MAX_POSITION_BATCH = 10_000;

export type IngestOutcome = IngestResult;

/**
 * Applies validated fixes; `scope` (a slot mask) limits which workers the sender may report.
 * In a cluster the accepted fixes are relayed to the other server processes.
 */
export function ingestPositions(
  services: Pick<Services, 'positions' | 'bus'>,
  fixes: readonly Position[],
  scope?: Uint8Array | null,
  /** Receives the fixes the store accepted (a device's: they bring its worker on duty). */
  accepted?: Position[],
): IngestOutcome {
  if (!services.bus.clustered && !accepted) return services.positions.ingest(fixes, { scope });
  const taken: Position[] = accepted ?? [];
  const res = services.positions.ingest(fixes, { scope, accepted: taken });
  if (services.bus.clustered) services.bus.publishFixes(taken);
  return res;
}

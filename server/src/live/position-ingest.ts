import type { Position } from '@gcc/shared';
import type { Services } from '../services.ts';
import type { IngestResult } from './position-store.ts';

// The one way positions enter the live store — device API, OsmAnd, device socket, simulator
// and load generator alike. Fixes arrive here validated (devices/position-input.ts); the store
// applies newest-wins, assigns each fix to its grid, and hands accepted fixes to its listeners
// (trajectories, the cross-process relay); the fan-out tick picks up the dirty slots.

export const MAX_POSITION_BATCH = 10_000;

export type IngestOutcome = IngestResult;

/** Applies validated fixes; `scope` (a slot mask) limits which workers the sender may report. */
export function ingestPositions(services: Pick<Services, 'positions'>, fixes: readonly Position[], scope?: Uint8Array | null): IngestOutcome {
  return services.positions.ingest(fixes, scope);
}

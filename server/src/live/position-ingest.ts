import { PositionSchema, type Position } from '@gcc/shared';
import { z } from 'zod';
import type { Services } from '../services.ts';

// The one way positions enter the server — device API, simulator and load generator alike:
// validate, drop fixes from the future (beyond a clock-skew allowance), apply newest-wins.

const MAX_FUTURE_SKEW_MS = 30_000;
export const MAX_POSITION_BATCH = 10_000;
export const PositionBatchSchema = z.array(PositionSchema).max(MAX_POSITION_BATCH);

export interface IngestOutcome {
  accepted: number;
  stale: number;
  unknown: number;
  future: number;
}

/** Validates and applies a batch of fixes; an invalid batch throws a ZodError and changes nothing. */
export function ingestPositions(services: Pick<Services, 'positions'>, raw: unknown, now = Date.now()): IngestOutcome {
  const batch = PositionBatchSchema.parse(raw);
  const ok: Position[] = [];
  let future = 0;
  for (const p of batch) {
    if (p.at > now + MAX_FUTURE_SKEW_MS) future++;
    else ok.push(p);
  }
  return { ...services.positions.ingest(ok), future };
}

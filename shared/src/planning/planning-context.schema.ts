import { z } from 'zod';
import { BoundaryVersionSchema, GridIdSchema } from '../domain/schemas.ts';
import type { GridId } from '../ids.ts';
import type { PlanningContext } from './grid-stats.ts';
import { HouseholdBandsSchema, type HouseholdBands } from './household-bands.ts';
import {
  AddressPointsWireSchema,
  CasePointsWireSchema,
  decodeAddressPoints,
  decodeCasePoints,
  type PointsDecodeError,
} from './planning-points.codec.ts';
import { PlanningPoints } from './planning-points.ts';

// What the server sends a planner (planning.context) and how the client turns it into the
// context gridStats counts from: one schema for both ends of the wire.

/** The planner's data for the boundary version in force. */
export const PlanningContextWireSchema = z.object({
  version: BoundaryVersionSchema,
  addresses: AddressPointsWireSchema,
  cases: CasePointsWireSchema,
  /** Cases reported at or after this time (ms) carry CASE_RECENT. */
  recentSince: z.number().int(),
  /** Staff (一长三员) per grid, by home grid; grids without staff are left out. */
  staff: z.object({
    gridIds: z.array(GridIdSchema),
    counts: z.array(z.number().int().nonnegative()),
  }),
  /** The default household bands; a plan may carry its own. */
  bands: HouseholdBandsSchema,
});
export type PlanningContextWire = z.output<typeof PlanningContextWireSchema>;

/** The wire form (parsed by PlanningContextWireSchema) as the context gridStats counts from, with the bands; or why it is not one. */
export function decodePlanningContext(
  wire: PlanningContextWire,
): { ok: true; context: PlanningContext; bands: HouseholdBands } | PointsDecodeError {
  const addresses = decodeAddressPoints(wire.addresses);
  if (!addresses.ok) return addresses;
  const cases = decodeCasePoints(wire.cases);
  if (!cases.ok) return cases;
  const { gridIds, counts } = wire.staff;
  if (gridIds.length !== counts.length) return { ok: false, reason: 'length-mismatch' };
  const staff = new Map<GridId, number>(gridIds.map((g, i) => [g, counts[i]!]));
  return {
    ok: true,
    context: { points: new PlanningPoints(addresses.points, cases.points), staff },
    bands: wire.bands,
  };
}

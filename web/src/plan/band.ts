// The household band of a grid (DESIGN.md §2, issue 16): an urban grid holds 300–500
// households, a rural one 150–600. Same shape as @gcc/shared/planning's HOUSEHOLD_BANDS and
// bandOf: when that lands on main this file re-exports them.

/** Inclusive [min, max] households of one grid. */
export type HouseholdBand = readonly [min: number, max: number];

export interface HouseholdBands {
  urban: HouseholdBand;
  rural: HouseholdBand;
}

export const HOUSEHOLD_BANDS: HouseholdBands = { urban: [300, 500], rural: [150, 600] };

export type BandPosition = 'under' | 'within' | 'over';

/** Where a grid's households fall against the band of its kind (urban or rural). */
export function bandOf(
  stats: { households: number },
  urban: boolean,
  bands: HouseholdBands = HOUSEHOLD_BANDS,
): BandPosition {
  const [min, max] = urban ? bands.urban : bands.rural;
  if (stats.households < min) return 'under';
  if (stats.households > max) return 'over';
  return 'within';
}

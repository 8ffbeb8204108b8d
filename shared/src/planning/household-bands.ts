import { z } from 'zod';
import type { GridId } from '../ids.ts';

// The household band a grid should hold (DOMAIN.md: an urban grid holds roughly 300–500
// households; rural grids follow villages, 150–600). These are the defaults; a boundary plan
// carries its own bands, so a district with other rules validates against those.

/** Inclusive [min, max] households of one grid. */
export type HouseholdBand = readonly [min: number, max: number];

export interface HouseholdBands {
  urban: HouseholdBand;
  rural: HouseholdBand;
}

/** The default bands (urban 300–500, rural 150–600 households). */
export const HOUSEHOLD_BANDS: HouseholdBands = Object.freeze({
  urban: Object.freeze([300, 500] as const),
  rural: Object.freeze([150, 600] as const),
});

const BandSchema = z
  .tuple([z.number().int().min(0), z.number().int().min(0)])
  .refine(([min, max]) => min <= max, { message: 'min must not exceed max' })
  .readonly();

/** Bands as a plan carries them (validated: whole numbers, min ≤ max). */
export const HouseholdBandsSchema = z.object({ urban: BandSchema, rural: BandSchema });

export const BAND_POSITIONS = ['under', 'within', 'over'] as const;
export type BandPosition = (typeof BAND_POSITIONS)[number];

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

/** Why a grid is a band problem: more households than its band's maximum, or fewer than its minimum. */
export const BAND_PROBLEMS = ['households-over', 'households-under'] as const;
export type BandProblemReason = (typeof BAND_PROBLEMS)[number];

/** A grid as the band rule reads it: its households (null or undefined while not counted) and its area type. */
export interface BandedGrid {
  id: GridId;
  urban: boolean;
  households: number | null | undefined;
}

/**
 * The grids outside their household band, each with its reason; grids whose households are not
 * known are left out. The one rule for the planner's problem list and a saved plan's count.
 */
export function bandProblems(
  grids: Iterable<BandedGrid>,
  bands: HouseholdBands = HOUSEHOLD_BANDS,
): { grid: GridId; reason: BandProblemReason }[] {
  const out: { grid: GridId; reason: BandProblemReason }[] = [];
  for (const g of grids) {
    if (g.households === null || g.households === undefined) continue;
    const place = bandOf({ households: g.households }, g.urban, bands);
    if (place !== 'within')
      out.push({ grid: g.id, reason: place === 'over' ? 'households-over' : 'households-under' });
  }
  return out;
}

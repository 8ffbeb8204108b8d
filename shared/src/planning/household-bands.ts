import { z } from 'zod';

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

// The household band of a grid (DESIGN.md §2: urban 300–500, rural 150–600), from the planner's
// shared statistics module; a plan may carry its own bands.
export {
  bandOf,
  HOUSEHOLD_BANDS,
  type BandPosition,
  type HouseholdBand,
  type HouseholdBands,
} from '@gcc/shared/planning';

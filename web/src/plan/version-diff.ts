import type { GridId } from '@gcc/shared';

// Two boundary versions side by side (/plan 版本对比). A grid unchanged between versions is the
// same row (same id) in both; a reshaped grid keeps its code under a new id; an added grid has a
// code the older version lacks, a retired one a code the newer version lacks.

/** The columns of a version's grid layer the comparison reads. */
export interface VersionColumns {
  version: number;
  ids: readonly GridId[];
  codes: readonly string[];
  names: readonly string[];
  households: readonly number[];
  population: readonly number[];
}

export type GridChange = 'added' | 'reshaped' | 'retired' | 'same';

export interface VersionFigures {
  grids: number;
  households: number;
  population: number;
  /** Households per grid: mean, median, the largest. */
  meanHouseholds: number;
  medianHouseholds: number;
  maxHouseholds: number;
}

export interface ChangedGrid {
  change: Exclude<GridChange, 'same'>;
  code: string;
  name: string;
  /** Households in the older version's grid of that code (null: none there), and in the newer one's. */
  householdsA: number | null;
  householdsB: number | null;
}

export interface VersionDiff {
  /** Per grid of the newer version (B): what it is against the older (A). */
  changeB: GridChange[];
  /** Per grid of A: 'retired' (its code is gone), 'reshaped' (B has its code on another shape) or 'same'. */
  changeA: GridChange[];
  figures: { a: VersionFigures; b: VersionFigures };
  counts: Record<Exclude<GridChange, 'same'>, number>;
  /** Every grid that differs, by code. */
  changed: ChangedGrid[];
}

function figuresOf(v: VersionColumns): VersionFigures {
  const hh = [...v.households].sort((x, y) => x - y);
  const households = hh.reduce((a, n) => a + n, 0);
  const mid = hh.length >> 1;
  return {
    grids: v.ids.length,
    households,
    population: v.population.reduce((a, n) => a + n, 0),
    meanHouseholds: hh.length ? households / hh.length : 0,
    medianHouseholds: hh.length === 0 ? 0 : hh.length % 2 ? hh[mid]! : (hh[mid - 1]! + hh[mid]!) / 2,
    maxHouseholds: hh.at(-1) ?? 0,
  };
}

/** What changed from version `a` to version `b` (either may be the older one: A is the one compared against). */
export function diffVersions(a: VersionColumns, b: VersionColumns): VersionDiff {
  const idsA = new Set(a.ids);
  const idsB = new Set(b.ids);
  const codeA = new Map(a.codes.map((c, i) => [c, i]));
  const codeB = new Map(b.codes.map((c, i) => [c, i]));
  const changed: ChangedGrid[] = [];
  const counts = { added: 0, reshaped: 0, retired: 0 };
  const changeB = b.ids.map((id, i): GridChange => {
    if (idsA.has(id)) return 'same';
    const j = codeA.get(b.codes[i]!);
    const change = j === undefined ? 'added' : 'reshaped';
    counts[change]++;
    changed.push({
      change,
      code: b.codes[i]!,
      name: b.names[i]!,
      householdsA: j === undefined ? null : a.households[j]!,
      householdsB: b.households[i]!,
    });
    return change;
  });
  const changeA = a.ids.map((id, i): GridChange => {
    if (idsB.has(id)) return 'same';
    if (codeB.has(a.codes[i]!)) return 'reshaped';
    counts.retired++;
    changed.push({
      change: 'retired',
      code: a.codes[i]!,
      name: a.names[i]!,
      householdsA: a.households[i]!,
      householdsB: null,
    });
    return 'retired';
  });
  changed.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  return { changeA, changeB, figures: { a: figuresOf(a), b: figuresOf(b) }, counts, changed };
}

import { z } from 'zod';

// What an import says about a boundary file: every problem with its reason (a constant, with a
// message key `boundaryImport.problem.<reason>`), how bad it is, which feature (its index in the
// file and its code) and where, so a page can list them and show each on the map.

/** The coordinate systems a file may come in: WGS-84, or GCJ-02 as Chinese web maps publish it. */
export const IMPORT_CRS = ['wgs84', 'gcj02'] as const;
export type ImportCrs = (typeof IMPORT_CRS)[number];

/** What the features become: the grids of a plan, or a parent level the grids are checked against. */
export const IMPORT_LEVELS = ['grids', 'parents'] as const;
export type ImportLevel = (typeof IMPORT_LEVELS)[number];

export const IMPORT_PROBLEMS = [
  // The file itself
  'not-geojson',
  'no-features',
  'too-many-features',
  'too-many-points',
  'not-polygon',
  'bad-coordinate',
  // One feature's rings
  'unclosed-ring',
  'degenerate-ring',
  'self-intersection',
  'wrong-winding',
  // Features against each other
  'duplicate-feature',
  'snapped',
  'overlap',
  'gap',
  // Codes and parents
  'missing-code',
  'duplicate-code',
  'new-code',
  'unknown-parent',
  'outside-parent',
  'outside-jurisdiction',
  'outline-changed',
  'version-changed',
] as const;
export type ImportProblemReason = (typeof IMPORT_PROBLEMS)[number];

/**
 * `error`: the import is refused and nothing is stored; `fixed`: the importer repaired it (a
 * winding turned, a duplicate dropped, points snapped within the tolerance) and lists it;
 * `warning`: kept as it is, worth a look (a grid without a code gets one on publish).
 */
export type ImportSeverity = 'error' | 'fixed' | 'warning';

export interface ImportProblem {
  reason: ImportProblemReason;
  severity: ImportSeverity;
  /** Index of the feature in the file (0-based); null for the file as a whole. */
  feature: number | null;
  /** The feature's code, where it has one. */
  code: string | null;
  /** The other feature (a neighbour overlapped, a duplicate's original). */
  other?: number;
  /** Where, in WGS-84 degrees, to show on the map. */
  at: [number, number] | null;
  /** How far (snapped points) or how large (gaps, m²), where it says. */
  metres?: number;
}

/** The most problems listed one by one; `counts` counts them all. */
export const IMPORT_PROBLEM_LIST_LIMIT = 1_000;

export interface ImportProgress {
  phase: 'read' | 'convert' | 'snap' | 'check' | 'topology' | 'parents' | 'plan';
  /** Of the whole import, 0–1. */
  fraction: number;
}

export type ImportProgressListener = (p: ImportProgress) => void;

export interface ImportCounts {
  features: number;
  /** Features kept (duplicates dropped). */
  kept: number;
  points: number;
  /** Nodes and edges of the topology built (0 when it was not built). */
  nodes: number;
  edges: number;
  /** Points moved within the tolerance. */
  snapped: number;
}

/** The answer of an import: accepted or refused, what was found, and the plan made (if any). */
export interface ImportReport {
  ok: boolean;
  level: ImportLevel;
  crs: ImportCrs;
  toleranceM: number;
  counts: ImportCounts;
  /** Problems by reason, all of them. */
  byReason: Partial<Record<ImportProblemReason, number>>;
  errors: number;
  fixed: number;
  warnings: number;
  /** The first IMPORT_PROBLEM_LIST_LIMIT problems, errors first. */
  problems: ImportProblem[];
  /** Grids the plan changes: reshaped (same code), added (codes on publish) and retired. */
  grids?: { reshaped: number; added: number; retired: number; unchanged: number };
  /** Open problems of the plan's grids (crossings, parts, slivers) that publish refuses until they are fixed. */
  planProblems?: number;
  /** The plan the import made; null when refused or only checked. */
  planId: number | null;
  ms: number;
}

/** A user's choices for an import. */
export const ImportOptionsSchema = z
  .object({
    level: z.enum(IMPORT_LEVELS),
    crs: z.enum(IMPORT_CRS),
    /** Points of neighbours closer than this are snapped together (fixed and listed); gaps and overlaps wider are refused. */
    toleranceM: z.number().min(0).max(100),
  })
  .strict();
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

/** Bounds of one file: a whole city's grids with room to spare. */
export const IMPORT_LIMITS = { features: 20_000, points: 2_000_000 } as const;

/** Collects problems: counts every one, lists the first IMPORT_PROBLEM_LIST_LIMIT. */
export class ProblemList {
  readonly byReason: Partial<Record<ImportProblemReason, number>> = {};
  readonly listed: ImportProblem[] = [];
  errors = 0;
  fixed = 0;
  warnings = 0;

  add(p: ImportProblem): void {
    this.byReason[p.reason] = (this.byReason[p.reason] ?? 0) + 1;
    if (p.severity === 'error') this.errors++;
    else if (p.severity === 'fixed') this.fixed++;
    else this.warnings++;
    if (this.listed.length < IMPORT_PROBLEM_LIST_LIMIT || p.severity === 'error') this.listed.push(p);
  }

  /** The listed problems, errors first, at most the limit. */
  sorted(): ImportProblem[] {
    const rank = { error: 0, fixed: 2, warning: 1 } as const;
    return [...this.listed]
      .sort((a, b) => rank[a.severity] - rank[b.severity])
      .slice(0, IMPORT_PROBLEM_LIST_LIMIT);
  }
}

/** An import as the API takes it (the file travels beside these, as the body or `file`). */
export const ImportRequestSchema = ImportOptionsSchema.extend({
  name: z.string().trim().min(1, 'name is empty').max(64),
  /** The unit whose grids the import replaces (inside the importer's jurisdiction); the importer's own when absent. */
  within: z.number().int().positive().max(2_147_483_647).optional(),
  /** Check and report only: nothing is stored. */
  dryRun: z.boolean().optional(),
}).strict();

/** What an exported file holds and how. */
export const ExportRequestSchema = z
  .object({
    version: z.number().int().positive().max(2_147_483_647).optional(),
    format: z.enum(['geojson', 'topojson']),
    crs: z.enum(IMPORT_CRS),
  })
  .strict();

/** What an audit row keeps of an import: the choices and the file's size, not the file. */
export function importAuditInput(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const { file, ...rest } = input as { file?: unknown };
  const features = Array.isArray(file)
    ? file.length
    : Array.isArray((file as { features?: unknown } | undefined)?.features)
      ? (file as { features: unknown[] }).features.length
      : null;
  return { ...rest, file: { features } };
}

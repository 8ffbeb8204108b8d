import { checkLayer, nextTurn, type CheckedLayer } from './layer-check.ts';
import { readLayer } from './layer-read.ts';
import {
  ProblemList,
  type ImportCounts,
  type ImportOptions,
  type ImportProgressListener,
} from './import-report.ts';

export interface CheckedFile {
  layer: CheckedLayer;
  problems: ProblemList;
  counts: ImportCounts;
}

/**
 * Reads and checks a boundary file (GeoJSON FeatureCollection or bare array of features) in the
 * chosen coordinate system: every problem found, the features as fixed, and their topology when
 * nothing is wrong. Pure: the server adds codes, parents and the plan.
 */
export async function checkBoundaryFile(
  input: unknown,
  options: ImportOptions,
  progress: ImportProgressListener = () => undefined,
  /** Build the layer's topology here (and list gaps); false when the caller builds it. */
  topology = true,
): Promise<CheckedFile> {
  const problems = new ProblemList();
  progress({ phase: 'read', fraction: 0 });
  const read = readLayer(input, options.crs, problems);
  progress({ phase: 'convert', fraction: 0.25 });
  await nextTurn();
  const layer = await checkLayer(read, { ...options, topology }, problems, progress);
  return {
    layer,
    problems,
    counts: {
      features: read.total,
      kept: layer.features.length,
      points: read.points.xs.length,
      nodes: layer.topology?.nodes.size ?? 0,
      edges: layer.topology?.edges.size ?? 0,
      snapped: layer.snapped,
    },
  };
}

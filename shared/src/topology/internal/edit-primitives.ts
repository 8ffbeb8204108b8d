import type { GridId } from '../../ids.ts';
import type { EditDecision, EditRefusalReason, RecordsDiff } from '../topology-edit.ts';
import type { TopoEdge } from '../topology.ts';

// Small pieces the edit decisions share (internal to the topology module; index.ts does not
// export this folder).

export const emptyRecords = <R>(): RecordsDiff<R> => ({ added: [], updated: [], removed: [] });

export type Refusal = Extract<EditDecision, { ok: false }>;

/** A refusal as a value: why, and where (degrees). */
export const refuse = (reason: EditRefusalReason, at: readonly [number, number]): Refusal => ({
  ok: false,
  reason,
  at: [at[0], at[1]],
});

export { samePoint } from '../topology.ts';

/** The grids on an edge's two sides (outside the city left out). */
export const sidesOf = (e: TopoEdge): GridId[] => [e.left, e.right].filter((g): g is GridId => g !== null);

import { z } from 'zod';
import { GridIdSchema, LatSchema, LngSchema, MAX_ID, UnitIdSchema } from '../domain/schemas.ts';
import type { EdgeId, NodeId } from './topology.ts';
import type { TopologyEdit } from './topology-edit.ts';

// What a planner's client sends: each edit crosses this schema before the server decides it
// again against the boundary version (the client's diff is never trusted as it is).

const PointSchema = z.tuple([LngSchema, LatSchema]);
// Node and edge ids number the records of one built topology; the schema bounds them like every id.
const recordId = <T>() =>
  z
    .number()
    .int()
    .positive()
    .max(MAX_ID, 'id out of range')
    .transform((n) => n as T);
const NodeIdSchema = recordId<NodeId>();
const EdgeIdSchema = recordId<EdgeId>();
// An index into an edge's points: no edge of ours has more than this.
const VertexIndexSchema = z.number().int().min(0).max(100_000);
const unlock = { unlockParents: z.boolean().optional() };

// An imported ring: quantised integers [x0, y0, dx1, dy1, …], a triangle at least.
const EncodedRingSchema = z
  .array(z.number().int().min(-4_000_000_000).max(4_000_000_000))
  .min(6)
  .max(400_000);

export const TopologyEditSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('importLayer'),
      replaces: z.array(GridIdSchema).max(20_000),
      grids: z
        .array(
          z
            .object({
              grid: GridIdSchema,
              parentId: UnitIdSchema,
              rings: z.array(z.array(EncodedRingSchema).min(1).max(1_000)).min(1).max(1_000),
            })
            .strict(),
        )
        .min(1)
        .max(20_000),
    })
    .strict(),
  z
    .object({
      type: z.literal('cutOut'),
      // A drawn ring: a triangle at least, at most what a person draws by hand.
      ring: z.array(PointSchema).min(3).max(2_000),
      newGrid: GridIdSchema,
      ...unlock,
    })
    .strict(),
  z
    .object({
      type: z.literal('moveNode'),
      node: NodeIdSchema,
      to: PointSchema,
      ...unlock,
    })
    .strict(),
  z
    .object({
      type: z.literal('moveVertex'),
      edge: EdgeIdSchema,
      index: VertexIndexSchema,
      to: PointSchema,
      ...unlock,
    })
    .strict(),
  z
    .object({
      type: z.literal('addVertex'),
      edge: EdgeIdSchema,
      index: VertexIndexSchema,
      at: PointSchema,
      ...unlock,
    })
    .strict(),
  z
    .object({ type: z.literal('deleteVertex'), edge: EdgeIdSchema, index: VertexIndexSchema, ...unlock })
    .strict(),
  z
    .object({
      type: z.literal('reshapeEdge'),
      edge: EdgeIdSchema,
      // A redrawn edge: what a person draws by hand, snapped points included.
      vertices: z.array(PointSchema).max(2_000),
      ...unlock,
    })
    .strict(),
  z
    .object({
      type: z.literal('mergeGrids'),
      into: GridIdSchema,
      from: GridIdSchema,
      unlockParents: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('splitGrid'),
      grid: GridIdSchema,
      // A drawn line: at least two points, at most what a person draws by hand.
      line: z.array(PointSchema).min(2).max(500),
      newGrid: GridIdSchema,
    })
    .strict(),
]);

/** Parses an edit from outside; the result is exactly the engine's TopologyEdit. */
export function parseTopologyEdit(input: unknown): ReturnType<typeof TopologyEditSchema.safeParse> {
  return TopologyEditSchema.safeParse(input);
}

// The schema and the engine's type must describe the same edits.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameEdits: Same<z.infer<typeof TopologyEditSchema>, TopologyEdit> = true;
void _sameEdits;

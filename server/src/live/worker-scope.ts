import type { UnitId } from '@gcc/shared';
import type { Services } from '../services.ts';
import type { Boundary } from '../spatial/boundary.ts';

// 属地 for workers: a worker belongs to the jurisdiction of its home grid. A unit's workers are a
// mask over position-store slots (cheap to test per fix and per frame); the city sees everyone
// (null). Masks are cached per boundary, so a published boundary change rebuilds them.

const cache = new WeakMap<Boundary, Map<number, Uint8Array | null>>();

/** The slots of the workers inside `unitId`'s jurisdiction; null when that is the whole city. */
export function workerMask(
  services: Pick<Services, 'boundary' | 'roster' | 'positions'>,
  unitId: UnitId,
): Uint8Array | null {
  const boundary = services.boundary();
  if (boundary.isRoot(unitId)) return null;
  let perUnit = cache.get(boundary);
  if (!perUnit) cache.set(boundary, (perUnit = new Map()));
  let mask = perUnit.get(unitId);
  if (mask === undefined) {
    mask = new Uint8Array(services.positions.capacity);
    for (const w of services.roster) {
      const slot = services.positions.slotOf(w.id);
      if (slot !== undefined && boundary.gridInUnit(w.gridId, unitId)) mask[slot] = 1;
    }
    perUnit.set(unitId, mask);
  }
  return mask;
}

import type { UnitId } from '@gcc/shared';
import type { ResultOf, TrpcClient } from '../app/trpc.ts';

// The unit tree of the administrator's jurisdiction in the order a picker lists it.

export type AdminUnit = ResultOf<TrpcClient['admin']['units']['query']>[number];

export interface UnitTree {
  /** Depth-first order, with each unit's depth below the jurisdiction's top. */
  ordered: { unit: AdminUnit; depth: number }[];
  byId: ReadonlyMap<UnitId, AdminUnit>;
}

/** Orders units depth-first under their parents (roots: units whose parent is not in the list). */
export function unitTree(units: readonly AdminUnit[]): UnitTree {
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = new Map<UnitId | null, AdminUnit[]>();
  for (const u of units) {
    const parent = u.parentId !== null && byId.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const ordered: UnitTree['ordered'] = [];
  const walk = (parent: UnitId | null, depth: number) => {
    const kids = (children.get(parent) ?? []).sort((a, b) => a.code.localeCompare(b.code));
    for (const u of kids) {
      ordered.push({ unit: u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return { ordered, byId };
}

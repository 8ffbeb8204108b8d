import { useQuery } from '@tanstack/react-query';
import type { UnitId } from '@gcc/shared';
import { useMemo } from 'react';
import { useT } from '../app/i18n.tsx';
import { useTRPC, type ResultOf, type TrpcClient } from '../app/trpc.ts';

// The unit tree of the administrator's jurisdiction (市 → 区县 → 街道 → 社区), as the users,
// devices and kiosk tabs pick a unit from it: depth-first, each unit under its parent.

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

export function useUnitTree() {
  const trpc = useTRPC();
  const units = useQuery(trpc.admin.units.queryOptions(undefined, { staleTime: 60_000 }));
  const tree = useMemo(() => unitTree(units.data ?? []), [units.data]);
  return { ...tree, error: units.error, loading: units.isPending };
}

/** A select of the jurisdiction's units, indented by depth; `levels` limits which may be picked. */
export function UnitSelect({
  tree,
  value,
  onChange,
  levels,
  testId,
  label,
}: {
  tree: UnitTree;
  value: UnitId | null;
  onChange(unit: UnitId | null): void;
  levels?: readonly AdminUnit['level'][];
  testId?: string;
  label: string;
}) {
  const t = useT();
  return (
    <select
      value={value ?? ''}
      aria-label={label}
      data-testid={testId}
      onChange={(e) => onChange(e.target.value ? (Number(e.target.value) as UnitId) : null)}
    >
      <option value="">{t('admin.unit.pick')}</option>
      {tree.ordered.map(({ unit, depth }) => (
        <option key={unit.id} value={unit.id} disabled={levels ? !levels.includes(unit.level) : false}>
          {'\u3000'.repeat(depth)}
          {unit.name}（{t(`level.${unit.level}`)}）
        </option>
      ))}
    </select>
  );
}

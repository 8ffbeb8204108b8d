import { useQuery } from '@tanstack/react-query';
import type { UnitId } from '@gcc/shared';
import { useMemo } from 'react';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { unitTree, type AdminUnit, type UnitTree } from './unit-tree.ts';

export type { AdminUnit, UnitTree };

// The unit tree of the administrator's jurisdiction (市 → 区县 → 街道 → 社区), as the users,
// devices and kiosk tabs pick a unit from it: depth-first, each unit under its parent.

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

import type { BoundaryVersion } from '@gcc/shared';
import type { BoundaryVersionSummary } from '@gcc/shared/planning';
import { useQuery } from '@tanstack/react-query';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';

/**
 * Which boundary version (边界版本) a map shows: the version in force (the default, following
 * every publish) or any other — a past one to look back, a scheduled one to look ahead. Only the
 * grids change; live figures (cases, workers) stay those of now.
 */
export function VersionPicker({
  value,
  onChange,
  className,
}: {
  value: BoundaryVersion | null;
  onChange(v: BoundaryVersion | null): void;
  className?: string;
}) {
  const t = useT();
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.boundaries.list.queryOptions(), staleTime: 60_000 });
  const versions = list.data ?? [];
  // A version in the address that is not (or not yet) in the list still shows as chosen.
  const known = value === null || versions.some((v) => v.version === value);
  return (
    <label className={`version-picker ${className ?? ''}`} data-testid="version-picker">
      <span>{t('boundary.picker.label')}</span>
      <select
        value={value === null ? '' : String(value)}
        onChange={(e) => onChange(e.target.value === '' ? null : (Number(e.target.value) as BoundaryVersion))}
      >
        <option value="">{t('boundary.picker.inForce')}</option>
        {known ? null : <option value={String(value)}>{t('boundary.version', { n: value })}</option>}
        <VersionOptions versions={versions} />
      </select>
    </label>
  );
}

/** One option per version: "v3 · name（现行）". */
export function VersionOptions({ versions }: { versions: readonly BoundaryVersionSummary[] }) {
  const t = useT();
  return versions.map((v) => (
    <option key={v.version} value={String(v.version)}>
      {t('boundary.picker.option', { n: v.version, name: v.name, state: t(`boundary.state.${v.state}`) })}
    </option>
  ));
}

import { useQuery } from '@tanstack/react-query';
import { findCategory, type CaseTier, type StepLimits, type Urgency } from '@gcc/shared';
import { useMemo } from 'react';
import { useTRPC } from '../app/trpc.ts';

/** What a desk reads of a subclass: its tier (the default at 立案), urgency (the colour) and step limits (shown at intake), as the administrators set them. */
export interface EffectiveCategory {
  code: string;
  tier: CaseTier;
  urgency: Urgency;
  limits: StepLimits;
}

/** How a subclass's urgency is looked up where no hook can run (map layers). */
export type UrgencyOf = (code: string) => Urgency;

/** Looks a subclass up in the category table in force (`categories.effective`), the built-in table until it loads; re-read now and then, for a wall that runs for weeks. */
export function useCategoryOf(): (code: string) => EffectiveCategory | undefined {
  const trpc = useTRPC();
  const table = useQuery({
    ...trpc.categories.effective.queryOptions(),
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });
  return useMemo(() => {
    const byCode = new Map((table.data ?? []).map((c) => [c.code, c]));
    return (code: string) => byCode.get(code) ?? findCategory(code);
  }, [table.data]);
}

/** The urgency of a subclass in the table in force ('blue' when unknown), stable until the table changes. */
export function useUrgencyOf(): UrgencyOf {
  const categoryOf = useCategoryOf();
  return useMemo(() => (code: string) => categoryOf(code)?.urgency ?? 'blue', [categoryOf]);
}

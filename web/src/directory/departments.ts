import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useLocale } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';

export interface DepartmentOption {
  id: number;
  code: string;
  name: string;
}

/**
 * The city's handling departments (专业部门) from the department table, named in the user's
 * language; a code the table does not know (an older timeline's) is shown as it is.
 */
export function useDepartments(): {
  options: DepartmentOption[] | null;
  name(code: string): string;
  codeOf(id: number | null): string | undefined;
} {
  const trpc = useTRPC();
  const { locale } = useLocale();
  const q = useQuery({ ...trpc.departments.list.queryOptions(), staleTime: 10 * 60_000 });
  const options = useMemo(
    () =>
      q.data?.map((d) => ({ id: d.id, code: d.code, name: locale === 'en' ? d.nameEn : d.nameZh })) ?? null,
    [q.data, locale],
  );
  const byCode = useMemo(() => new Map((options ?? []).map((d) => [d.code, d.name])), [options]);
  const name = useCallback((code: string) => byCode.get(code) ?? code, [byCode]);
  // A department user's own department (auth.me carries its id).
  const codeOf = useCallback((id: number | null) => options?.find((d) => d.id === id)?.code, [options]);
  return { options, name, codeOf };
}

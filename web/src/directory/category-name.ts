import { useCallback } from 'react';
import { CATEGORIES } from '@gcc/shared';
import { useLocale } from '../app/i18n.tsx';

const categoryByCode = new Map(CATEGORIES.map((c) => [c.code, c]));

/** A category's display name in the current locale (the code itself when unknown). */
export function useCategoryName(): (code: string) => string {
  const { locale } = useLocale();
  return useCallback(
    (code) => {
      const c = categoryByCode.get(code);
      return c ? (locale === 'en' ? c.en : c.zh) : code;
    },
    [locale],
  );
}

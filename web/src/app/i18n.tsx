import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { translate, type Locale, type MessageKey } from '@gcc/shared/messages';

// Every string a user reads comes from the message tables in @gcc/shared (Simplified Chinese
// first). The locale is zh-CN unless the user switched; the choice persists in localStorage.

const STORAGE_KEY = 'gcc.locale';

function initialLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'zh-CN', setLocale: () => {} });

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translate('app.title', locale);
  }, [locale]);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Fills `{name}` placeholders of a message. */
export function formatMessage(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** The translate function of the current locale. */
export function useT(): Translate {
  const { locale } = useLocale();
  return useCallback((key, vars) => formatMessage(translate(key, locale), vars), [locale]);
}

/** Switch between 中文 and English; the button names the other language. */
export function LocaleSwitch({ className }: { className?: string }) {
  const { locale, setLocale } = useLocale();
  const t = useT();
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className={className ?? 'locale-switch'}
      onClick={() => setLocale(other)}
      lang={other}
    >
      {t(other === 'en' ? 'locale.en' : 'locale.zh')}
    </button>
  );
}

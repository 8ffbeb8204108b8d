import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };
export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** Looks a message up; Simplified Chinese is the default locale. */
export function translate(key: MessageKey, locale: Locale = 'zh-CN'): string {
  return MESSAGES[locale][key];
}

/** A message in both tables, Chinese first (`中文 / English`), with its `{name}` placeholders filled. */
export function bilingual(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (m, name: string) => String(vars[name] ?? m));
  return `${fill(translate(key, 'zh-CN'))} / ${fill(translate(key, 'en'))}`;
}

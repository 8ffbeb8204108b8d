import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };
export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** Looks a message up; Simplified Chinese is the default locale. */
export function translate(key: MessageKey, locale: Locale = 'zh-CN'): string {
  return MESSAGES[locale][key];
}

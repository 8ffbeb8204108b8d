import type { Translate } from '../app/i18n.tsx';

/** "2小时5分" / "2 h 5 min" for a duration in ms. */
export function formatDuration(ms: number, t: Translate): string {
  const min = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (min < 60) return t('dispatch.dur.m', { m: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t('dispatch.dur.hm', { h, m: min % 60 });
  return t('dispatch.dur.dh', { d: Math.floor(h / 24), h: h % 24 });
}

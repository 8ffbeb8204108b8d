import type { MessageKey } from '@gcc/shared/messages';
import type { Translate } from '../app/i18n.tsx';

/** A refused command as a dispatcher reads it: the engine's reason from the message tables, else the server's message. */
export function explainError(error: unknown, t: Translate): { reason: string | null; text: string } {
  const data = (error as { data?: { reason?: string | null } } | null)?.data;
  const reason = data?.reason ?? null;
  if (reason) {
    const key = `refusal.${reason}` as MessageKey;
    const text = t(key);
    // translate() gives undefined for a key the tables lack: fall back to the server's words
    if (text && !text.startsWith('refusal.')) return { reason, text };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { reason, text: t('dispatch.failed', { message }) };
}

/** "2小时5分" / "2 h 5 min" for a duration in ms. */
export function formatDuration(ms: number, t: Translate): string {
  const min = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (min < 60) return t('dispatch.dur.m', { m: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t('dispatch.dur.hm', { h, m: min % 60 });
  return t('dispatch.dur.dh', { d: Math.floor(h / 24), h: h % 24 });
}

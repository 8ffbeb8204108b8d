import type { MessageKey } from '@gcc/shared/messages';
import type { Translate } from '../app/i18n.tsx';

/** A refusal as a dispatcher reads it: the reason from the message tables, else the server's message. */
export function explainReason(
  reason: string | null,
  message: string,
  t: Translate,
): { reason: string | null; text: string } {
  if (reason) {
    const text = t(`refusal.${reason}` as MessageKey);
    // translate() gives undefined for a key the tables lack: fall back to the server's words
    if (text && !text.startsWith('refusal.')) return { reason, text };
  }
  return { reason, text: t('dispatch.failed', { message }) };
}

/** A refused command (a tRPC error) as a dispatcher reads it. */
export function explainError(error: unknown, t: Translate): { reason: string | null; text: string } {
  const data = (error as { data?: { reason?: string | null } } | null)?.data;
  return explainReason(data?.reason ?? null, error instanceof Error ? error.message : String(error), t);
}

/** "2小时5分" / "2 h 5 min" for a duration in ms. */
export function formatDuration(ms: number, t: Translate): string {
  const min = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (min < 60) return t('dispatch.dur.m', { m: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t('dispatch.dur.hm', { h, m: min % 60 });
  return t('dispatch.dur.dh', { d: Math.floor(h / 24), h: h % 24 });
}

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

import type { MessageKey } from '@gcc/shared/messages';
import { useMutation } from '@tanstack/react-query';
import type { BoundaryChangeReport } from '@gcc/shared/planning';
import { useState } from 'react';
import { useLocale, useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { centreLocalToMs, msToCentreLocal } from '../format/time.ts';
import { Modal } from './Modal.tsx';
import type { OpenPlan } from './use-plans.ts';

// 发布为新边界版本: the saved plan becomes the next boundary version, at once or at a time the
// planner sets (a scheduled version takes effect by itself). The server replays the plan, refuses
// it with open problems or when another publish won, re-keys cases, workers and address points in
// one transaction and answers with the change report.

export interface Published {
  version: number;
  name: string;
  state: 'in-force' | 'scheduled';
  report: BoundaryChangeReport;
}

/** The server's refusal in the reader's language: it sends "中文 / English (reason)". */
export function refusalIn(message: string, locale: string): string {
  const [zh, en] = message.split(' / ');
  return (locale.startsWith('zh') ? zh : (en ?? zh)) ?? message;
}

export function PublishDialog({
  plan,
  problems,
  onClose,
  onPublished,
}: {
  plan: OpenPlan;
  /** The plan's open problems as last saved (band breaches among them only warn). */
  problems: number;
  onClose(): void;
  onPublished(p: Published): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const trpc = useTRPC();
  const publish = useMutation(trpc.plans.publish.mutationOptions());
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState(() => msToCentreLocal(Date.now() + 24 * 3_600_000).slice(0, 11) + '00:00');
  const [error, setError] = useState<string | null>(null);
  /** When the dialog opened: a scheduled time must lie after it (the server checks again). */
  const [openedAt] = useState(() => Date.now());
  const effectiveAt = when === 'later' ? centreLocalToMs(at) : null;
  const badTime = when === 'later' && (effectiveAt === null || effectiveAt <= openedAt);

  const go = async () => {
    setError(null);
    try {
      const r = await publish.mutateAsync({
        planId: plan.id,
        revision: plan.revision,
        ...(effectiveAt !== null ? { effectiveAt } : {}),
      });
      onPublished({ version: r.version, name: r.name, state: r.state, report: r.report });
    } catch (e) {
      // A publish refusal's reason (data.reason) reads from the message tables; anything else
      // (a refused edit, with its step) as the server worded it.
      const reason = (e as { data?: { reason?: string | null } }).data?.reason;
      const key = `boundary.refusal.${reason}` as MessageKey;
      const known = reason ? t(key) : null;
      setError(
        known && known !== key ? known : refusalIn(e instanceof Error ? e.message : String(e), locale),
      );
    }
  };

  return (
    <Modal
      label={t('plan.publish.title')}
      className="plan-publish"
      testId="plan-publish-dialog"
      onClose={onClose}
    >
      <h3>{t('plan.publish.title')}</h3>
      <p>{t('plan.publish.what', { name: plan.name })}</p>
      {problems ? <p className="plan-publish-warn">{t('plan.publish.problems', { n: problems })}</p> : null}
      <fieldset>
        <label>
          <input type="radio" checked={when === 'now'} onChange={() => setWhen('now')} />
          {t('plan.publish.now')}
        </label>
        <label>
          <input
            type="radio"
            checked={when === 'later'}
            onChange={() => setWhen('later')}
            data-testid="plan-publish-later"
          />
          {t('plan.publish.later')}
          <input
            type="datetime-local"
            value={at}
            disabled={when !== 'later'}
            onChange={(e) => setAt(e.target.value)}
            data-testid="plan-publish-at"
          />
        </label>
        {badTime ? <p className="plan-publish-warn">{t('plan.publish.badTime')}</p> : null}
      </fieldset>
      <p className="plan-note">{t('plan.publish.rekey')}</p>
      {error ? (
        <p className="plan-error" role="alert" data-testid="plan-publish-error">
          {error}
        </p>
      ) : null}
      <footer>
        <button type="button" className="btn ghost" onClick={onClose}>
          {t('plan.publish.cancel')}
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={publish.isPending || badTime}
          onClick={() => void go()}
          data-testid="plan-publish-confirm"
        >
          {publish.isPending ? t('plan.publish.busy') : t('plan.publish.confirm')}
        </button>
      </footer>
    </Modal>
  );
}

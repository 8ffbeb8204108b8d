import { TIMED_STEPS, type Indicators, type TimedStep } from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import { useT } from '../app/i18n.tsx';
import { formatDuration } from '../format/duration.ts';
import { count, pct, RATE_KEYS, rateTone, ratioTitle } from './format.ts';

/** The step names as the desks know them (立案, 派遣, 签收, 处置, 核查, 结案). */
const STEP_KEY: Record<TimedStep, MessageKey> = {
  register: 'command.register',
  dispatch: 'command.dispatch',
  accept: 'command.accept',
  handle: 'step.handle',
  verify: 'command.verify',
  close: 'command.close',
};

/** The headline figures of the period: counts, the six rates (numerator / denominator on hover) and mean time per step. */
export function IndicatorTiles({ total }: { total: Indicators | null }) {
  const t = useT();
  return (
    <section className="an-kpis" aria-label={t('analytics.title')}>
      <div className="an-kpi an-kpi-count">
        <div className="an-kpi-label">{t('analytics.kpi.registered')}</div>
        <div className="an-kpi-value">
          <span data-testid="an-kpi-registered">{total ? count(total.registered) : '—'}</span>
          <small>{t('wall.unit.items')}</small>
        </div>
        <div className="an-kpi-sub">
          {total
            ? t('analytics.kpi.due', { due: count(total.due), deferred: count(total.deferred) })
            : '\u00a0'}
        </div>
      </div>
      <div className="an-kpi an-kpi-count">
        <div className="an-kpi-label">{t('analytics.kpi.closed')}</div>
        <div className="an-kpi-value">
          <span data-testid="an-kpi-closed">{total ? count(total.closed) : '—'}</span>
          <small>{t('wall.unit.items')}</small>
        </div>
        <div className="an-kpi-sub">
          {total ? t('analytics.kpi.closedOnTime', { n: count(total.closedOnTime) }) : '\u00a0'}
        </div>
      </div>
      {RATE_KEYS.map((key) => {
        const r = total?.[key] ?? null;
        return (
          <div
            key={key}
            className={`an-kpi an-tone-${rateTone(key, r?.rate ?? null)}`}
            title={r ? ratioTitle(key, r, t) : undefined}
            data-testid={`an-kpi-${key}`}
          >
            <div className="an-kpi-label">{t(`analytics.kpi.${key}` as MessageKey)}</div>
            <div className="an-kpi-value">
              <span>{r ? pct(r.rate) : '—'}</span>
            </div>
            <div className="an-kpi-sub an-num">
              {r ? `${count(r.numerator)} / ${count(r.denominator)}` : '\u00a0'}
            </div>
          </div>
        );
      })}
      <div className="an-steps" aria-label={t('analytics.meanSteps')}>
        <div className="an-kpi-label">{t('analytics.meanSteps')}</div>
        <ol>
          {TIMED_STEPS.map((s) => {
            const m = total?.meanStepMs[s];
            return (
              <li key={s} title={m ? t('analytics.meanStepCount', { n: count(m.count) }) : undefined}>
                <span>{t(STEP_KEY[s])}</span>
                <b className="an-num">{m && m.mean !== null ? formatDuration(m.mean, t) : '—'}</b>
              </li>
            );
          })}
        </ol>
      </div>
    </section>
  );
}

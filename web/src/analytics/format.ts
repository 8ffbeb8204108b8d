import { INDICATOR_RATE_KEYS, type IndicatorRateKey, type Indicators, type Ratio } from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import type { Translate } from '../app/i18n.tsx';

// How indicators read on screen: rates as percentages (one decimal, as assessment reports print
// them: 911 / 972 = 93.72% rounds to 93.7%), the numerator and denominator behind every rate.

// The rates come from the shared indicator definitions (one list for the API and the screens).
export const RATE_KEYS = INDICATOR_RATE_KEYS;
export type RateKey = IndicatorRateKey;

/** Rates where lower is better (返工率). */
export const LOWER_IS_BETTER: ReadonlySet<RateKey> = new Set(['reworkRate']);

export const pct = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
export const count = (n: number): string => n.toLocaleString('zh-CN');

/** "结案率：2 / 2" and the standard's formula: the hover title of a rate. */
export function ratioTitle(key: RateKey, r: Ratio, t: Translate): string {
  return t('analytics.ratioTitle', {
    label: t(`analytics.kpi.${key}` as MessageKey),
    num: count(r.numerator),
    den: count(r.denominator),
    formula: t(`analytics.formula.${key}` as MessageKey),
    def: t(`analytics.def.${key}` as MessageKey),
  });
}

/**
 * A rate's standing for colour: good, watch, poor. Thresholds follow published results of
 * well-run centers (DOMAIN: 结案率 ≈ 99.99%, 按期 ≈ 99.88%, 返工率 ≈ 0.11%).
 */
export function rateTone(key: RateKey, rate: number | null): 'ok' | 'warn' | 'danger' | 'none' {
  if (rate === null) return 'none';
  if (LOWER_IS_BETTER.has(key)) return rate <= 0.05 ? 'ok' : rate <= 0.15 ? 'warn' : 'danger';
  return rate >= 0.9 ? 'ok' : rate >= 0.75 ? 'warn' : 'danger';
}

export const EMPTY_RATIO: Ratio = { numerator: 0, denominator: 0, rate: null };

export type { Indicators };

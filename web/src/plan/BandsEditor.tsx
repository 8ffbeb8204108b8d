import { HOUSEHOLD_BANDS, type HouseholdBand, type HouseholdBands } from './band.ts';
import { useState } from 'react';
import { useT } from '../app/i18n.tsx';

// The household bands a plan is held to (户数目标区间): the defaults (urban 300–500, rural
// 150–600) unless a district works to other rules, in which case the plan carries its own and
// the page, the problem list and the server's check on save all judge against those.

type Kind = keyof HouseholdBands;
const KINDS: readonly Kind[] = ['urban', 'rural'];

/** A band typed by hand, or null while it is not one (not whole numbers, or min above max). */
export function parseBand(min: string, max: string): HouseholdBand | null {
  if (!/^\d{1,5}$/.test(min.trim()) || !/^\d{1,5}$/.test(max.trim())) return null;
  const band = [Number(min), Number(max)] as const;
  return band[0] <= band[1] ? band : null;
}

export function BandsEditor({
  bands,
  readOnly,
  onBands,
}: {
  /** The plan's own bands; null: the defaults. */
  bands: HouseholdBands | null;
  readOnly: boolean;
  onBands(bands: HouseholdBands | null): void;
}) {
  const t = useT();
  const shown = bands ?? HOUSEHOLD_BANDS;
  // What is typed, per field, so a half-typed number is not thrown away.
  const [draft, setDraft] = useState(() => textOf(shown));
  // Bands from elsewhere (another plan opened, reset): show them, unless they are what is typed.
  const [seen, setSeen] = useState(shown);
  if (seen !== shown) {
    setSeen(shown);
    const typed = { urban: parseBand(...draft.urban), rural: parseBand(...draft.rural) };
    if (!(typed.urban && typed.rural && sameBands({ urban: typed.urban, rural: typed.rural }, shown)))
      setDraft(textOf(shown));
  }
  const edit = (kind: Kind, end: 0 | 1, value: string) => {
    const next = { ...draft, [kind]: end === 0 ? [value, draft[kind][1]] : [draft[kind][0], value] };
    setDraft(next);
    const urban = parseBand(...next.urban);
    const rural = parseBand(...next.rural);
    if (urban && rural) onBands(sameBands({ urban, rural }, HOUSEHOLD_BANDS) ? null : { urban, rural });
  };
  return (
    <fieldset className="plan-bands" data-testid="plan-bands" disabled={readOnly}>
      <legend>
        {t('plan.bands')}
        {bands ? null : <small> · {t('plan.bands.default')}</small>}
      </legend>
      {KINDS.map((kind) => {
        const bad = parseBand(...draft[kind]) === null;
        return (
          <label key={kind} className={bad ? 'bad' : undefined} data-band={kind}>
            <span>{t(kind === 'urban' ? 'plan.urban' : 'plan.rural')}</span>
            <input
              inputMode="numeric"
              value={draft[kind][0]}
              onChange={(e) => edit(kind, 0, e.target.value)}
              aria-label={t('plan.bands.min')}
            />
            –
            <input
              inputMode="numeric"
              value={draft[kind][1]}
              onChange={(e) => edit(kind, 1, e.target.value)}
              aria-label={t('plan.bands.max')}
            />
            <span>{t('plan.bands.unit')}</span>
          </label>
        );
      })}
      {KINDS.some((k) => parseBand(...draft[k]) === null) ? (
        <p className="plan-bands-error" role="alert">
          {t('plan.bands.invalid')}
        </p>
      ) : null}
      {bands ? (
        <button
          type="button"
          className="btn ghost"
          onClick={() => onBands(null)}
          data-testid="plan-bands-reset"
        >
          {t('plan.bands.reset')}
        </button>
      ) : null}
    </fieldset>
  );
}

function textOf(b: HouseholdBands): Record<Kind, [string, string]> {
  return {
    urban: [String(b.urban[0]), String(b.urban[1])],
    rural: [String(b.rural[0]), String(b.rural[1])],
  };
}

export function sameBands(a: HouseholdBands | null, b: HouseholdBands | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return KINDS.every((k) => a[k][0] === b[k][0] && a[k][1] === b[k][1]);
}

import {
  CASE_SOURCES,
  CATEGORIES,
  MAJOR_CATEGORIES,
  MAX_DESCRIPTION_LENGTH,
  type CaseReportInput,
  type CaseSource,
  type GridId,
} from '@gcc/shared';
import { deskFormHandlers } from './form-keys.ts';
import { useEffect, useRef, useState } from 'react';
import { useCategoryOf } from '../directory/categories.ts';
import { useLocale, useT } from '../app/i18n.tsx';
import { Duplicates, type SuspectedDuplicate } from './Duplicates.tsx';

/** Where the intake operator clicked on the map, and the grid the point falls in (null: outside every grid). */
export interface PickedPoint {
  lng: number;
  lat: number;
  gridName: string | null;
}

interface Props {
  point: PickedPoint | null;
  /** Open cases the report would duplicate (asked by the page once subclass and place are set). */
  duplicates: readonly SuspectedDuplicate[];
  gridName(id: GridId): string;
  busy: boolean;
  refusal: string | null;
  onDraft(draft: { category: string } | null): void;
  onSubmit(input: CaseReportInput): void;
  onCancel(): void;
  onOpenCase(id: number): void;
}

/**
 * 受理登记: a call to the 12345 hotline, a resident's or a superior's report taken at the desk.
 * Subclass from the standard's table (its urgency, limit and default tier shown), the place
 * picked on the map (the grid it falls in shown before anything is saved), a description. Open
 * cases of the same subclass nearby are shown before a second case is made.
 */
export function IntakeForm({
  point,
  duplicates,
  gridName,
  busy,
  refusal,
  onDraft,
  onSubmit,
  onCancel,
  onOpenCase,
}: Props) {
  const t = useT();
  const { locale } = useLocale();
  const [source, setSource] = useState<CaseSource>('hotline');
  const [major, setMajor] = useState('');
  const [code, setCode] = useState('');
  const [description, setDescription] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => onDraft(code ? { category: code } : null), [code, onDraft]);

  const name = (x: { zh: string; en: string }) => (locale === 'en' ? x.en : x.zh);
  const subclasses = CATEGORIES.filter((c) => c.major === major);
  // Urgency, limit and default tier as the administrators set them (names and codes are fixed).
  const categoryOf = useCategoryOf();
  const chosen = code ? categoryOf(code) : undefined;

  const submit = () => {
    const why = !chosen
      ? t('intake.needCategory')
      : !point
        ? t('intake.needPlace')
        : point.gridName === null
          ? t('intake.outsideCity')
          : !description.trim()
            ? t('intake.needDescription')
            : null;
    setMissing(why);
    if (why || !chosen || !point) return;
    onSubmit({
      category: chosen.code,
      lng: point.lng,
      lat: point.lat,
      description: description.trim(),
      source,
    });
  };

  return (
    <form className="intake" data-testid="intake-form" {...deskFormHandlers(() => submit(), onCancel)}>
      <h2>{t('intake.title')}</h2>
      <label className="da-line">
        <span>{t('dispatch.field.source')}</span>
        <select
          ref={first}
          name="source"
          value={source}
          onChange={(e) => setSource(e.target.value as CaseSource)}
        >
          {CASE_SOURCES.map((s) => (
            <option key={s} value={s}>
              {t(`source.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="da-line">
        <span>{t('intake.major')}</span>
        <select
          name="major"
          value={major}
          onChange={(e) => {
            setMajor(e.target.value);
            setCode('');
          }}
        >
          <option value="">{t('intake.choose')}</option>
          <optgroup label={t('intake.kind.event')}>
            {MAJOR_CATEGORIES.filter((m) => m.kind === 'event').map((m) => (
              <option key={m.code} value={m.code}>
                {name(m)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('intake.kind.component')}>
            {MAJOR_CATEGORIES.filter((m) => m.kind === 'component').map((m) => (
              <option key={m.code} value={m.code}>
                {name(m)}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label className="da-line">
        <span>{t('intake.subclass')}</span>
        <select name="category" value={code} disabled={!major} onChange={(e) => setCode(e.target.value)}>
          <option value="">{t('intake.choose')}</option>
          {subclasses.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} {name(c)}
            </option>
          ))}
        </select>
      </label>
      {chosen ? (
        <p className="intake-rule" data-testid="intake-rule">
          <span className={`dd-urg u-${chosen.urgency}`}>{t(`wall.urgency.${chosen.urgency}`)}</span>
          {t('intake.rule', { hours: chosen.limits.handle, tier: t(`tier.${chosen.tier}`) })}
        </p>
      ) : null}
      <div className="da-line intake-place" data-testid="intake-place">
        <span>{t('intake.place')}</span>
        {point ? (
          <span className={point.gridName === null ? 'late' : ''}>
            {point.gridName ?? t('intake.outsideCity')} · {point.lng.toFixed(5)}, {point.lat.toFixed(5)}
          </span>
        ) : (
          <span className="dp-empty">{t('intake.pickOnMap')}</span>
        )}
      </div>
      <textarea
        name="description"
        rows={3}
        maxLength={MAX_DESCRIPTION_LENGTH}
        value={description}
        placeholder={t('intake.descriptionPlaceholder')}
        aria-label={t('intake.description')}
        onChange={(e) => setDescription(e.target.value)}
      />
      {missing || refusal ? (
        <div className="refusal" role="alert" data-testid="intake-refusal">
          {missing ?? refusal}
        </div>
      ) : null}
      <Duplicates items={duplicates} gridName={gridName} onOpen={onOpenCase} busy={busy} />
      <div className="da-form-buttons">
        <button type="submit" className="btn primary" data-testid="intake-submit" disabled={busy}>
          {t('intake.submit')} <kbd>Ctrl+Enter</kbd>
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('dispatch.cancel')} <kbd>Esc</kbd>
        </button>
      </div>
    </form>
  );
}

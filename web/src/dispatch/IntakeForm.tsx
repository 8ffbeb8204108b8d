import {
  CASE_SOURCES,
  checkPhone,
  MAX_CALLER_NAME,
  MAX_PHONE_INPUT,
  MAX_TICKET_LENGTH,
  TicketSchema,
  type AddressHit,
  type Case,
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
import { AddressSearch } from './AddressSearch.tsx';

/** Where the report is placed (a click on the map or an address chosen), and the grid the point falls in (null: outside every grid). */
export interface PickedPoint {
  lng: number;
  lat: number;
  gridName: string | null;
  /** The address chosen in the search; null for a click on the map. */
  address: string | null;
}

/** Sources a caller stands behind: a 12345 call, a resident at the desk. */
const CALLED_IN: ReadonlySet<CaseSource> = new Set(['hotline', 'resident']);

interface Props {
  point: PickedPoint | null;
  /** The address nearest to a clicked point (null: none within 300 m; undefined: not known yet). */
  nearest: { name: string; distanceM: number } | null | undefined;
  /** Open cases the report would duplicate (asked by the page once subclass and place are set). */
  duplicates: readonly SuspectedDuplicate[];
  /** Cases already registered for the 12345 ticket typed. */
  sameTicket: readonly Case[];
  gridName(id: GridId): string;
  busy: boolean;
  refusal: string | null;
  onDraft(draft: { category: string; ticket: string | null } | null): void;
  onChooseAddress(hit: AddressHit): void;
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
  nearest,
  duplicates,
  sameTicket,
  gridName,
  busy,
  refusal,
  onDraft,
  onChooseAddress,
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
  const [callerName, setCallerName] = useState('');
  const [phone, setPhone] = useState('');
  const [ticket, setTicket] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  const calledIn = CALLED_IN.has(source);
  const hotline = source === 'hotline';
  const ticketRead = hotline && ticket.trim() ? TicketSchema.safeParse(ticket) : null;
  const validTicket = ticketRead?.success ? ticketRead.data : null;
  useEffect(
    () => onDraft(code ? { category: code, ticket: validTicket } : null),
    [code, validTicket, onDraft],
  );
  const phoneRead = calledIn && phone.trim() ? checkPhone(phone) : null;

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
            : hotline && !phone.trim()
              ? t('intake.needPhone')
              : phoneRead && !phoneRead.valid
                ? t(`caller.phone.${phoneRead.reason}`)
                : hotline && !ticket.trim()
                  ? t('intake.needTicket')
                  : ticketRead && !ticketRead.success
                    ? t('intake.badTicket')
                    : null;
    setMissing(why);
    if (why || !chosen || !point) return;
    const name = callerName.trim();
    const caller = {
      ...(calledIn && name ? { name } : {}),
      ...(phoneRead?.valid ? { phone: phoneRead.phone } : {}),
      ...(validTicket ? { ticket: validTicket } : {}),
    };
    onSubmit({
      category: chosen.code,
      lng: point.lng,
      lat: point.lat,
      description: description.trim(),
      source,
      ...(Object.keys(caller).length ? { caller } : {}),
      // The address chosen in the search goes with the case; a clicked point has only its nearest one.
      ...(point.address ? { address: point.address } : {}),
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
      {calledIn ? (
        <div className="intake-caller">
          <label className="da-line">
            <span>{t('intake.caller')}</span>
            <input
              name="callerName"
              autoComplete="off"
              maxLength={MAX_CALLER_NAME}
              value={callerName}
              placeholder={t('intake.callerPlaceholder')}
              onChange={(e) => setCallerName(e.target.value)}
            />
          </label>
          <label className="da-line">
            <span>{t('intake.phone')}</span>
            <input
              name="phone"
              type="tel"
              autoComplete="off"
              maxLength={MAX_PHONE_INPUT}
              value={phone}
              placeholder={t('intake.phonePlaceholder')}
              aria-invalid={phoneRead !== null && !phoneRead.valid}
              onChange={(e) => setPhone(e.target.value)}
            />
          </label>
          {phoneRead && !phoneRead.valid && phone.trim().length >= 7 ? (
            <p className="field-note late" data-testid="phone-note">
              {t(`caller.phone.${phoneRead.reason}`)}
            </p>
          ) : null}
          {hotline ? (
            <label className="da-line">
              <span>{t('intake.ticket')}</span>
              <input
                name="ticket"
                autoComplete="off"
                maxLength={MAX_TICKET_LENGTH}
                value={ticket}
                placeholder={t('intake.ticketPlaceholder')}
                aria-invalid={ticketRead !== null && !ticketRead.success}
                onChange={(e) => setTicket(e.target.value)}
              />
            </label>
          ) : null}
          {sameTicket.length ? (
            <p className="field-note late" data-testid="same-ticket">
              {t('intake.sameTicket')}{' '}
              {sameTicket.map((c) => (
                <button key={c.id} type="button" className="link" onClick={() => onOpenCase(c.id)}>
                  {c.code}
                </button>
              ))}
            </p>
          ) : null}
        </div>
      ) : null}
      {chosen ? (
        <p className="intake-rule" data-testid="intake-rule">
          <span className={`dd-urg u-${chosen.urgency}`}>{t(`wall.urgency.${chosen.urgency}`)}</span>
          {t('intake.rule', { hours: chosen.limits.handle, tier: t(`tier.${chosen.tier}`) })}
        </p>
      ) : null}
      <AddressSearch onChoose={onChooseAddress} />
      <div className="da-line intake-place" data-testid="intake-place">
        <span>{t('intake.place')}</span>
        {point ? (
          <span className={point.gridName === null ? 'late' : ''}>
            {point.address ? <b className="intake-address">{point.address}</b> : null}
            {point.gridName ?? t('intake.outsideCity')} · {point.lng.toFixed(5)}, {point.lat.toFixed(5)}
            {point.address === null && nearest !== undefined ? (
              <small className="intake-nearest" data-testid="intake-nearest">
                {nearest
                  ? t('intake.nearestAddress', { name: nearest.name, m: nearest.distanceM })
                  : t('intake.noAddressNear')}
              </small>
            ) : null}
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

import {
  CASE_TIERS,
  commandMessageKey,
  EVALUATION_RATINGS,
  type CaseTier,
  type EvaluationRating,
  type RuledCommand,
} from '@gcc/shared';
import { deskFormHandlers } from './form-keys.ts';
import { useEffect, useRef, useState } from 'react';
import { useT } from '../app/i18n.tsx';
import type { DepartmentOption } from '../directory/departments.ts';

/**
 * The console's actions in button order, each with its keyboard shortcut; a desk shows the ones
 * its posts may ever run (commandsOfPosts). `dispatch` is the assign button of the recommendations.
 */
export const ACTIONS: { command: RuledCommand; key: string }[] = [
  { command: 'dispatch', key: 'A' },
  { command: 'escalate', key: 'E' },
  { command: 'whistle', key: 'W' },
  { command: 'merge', key: 'M' },
  { command: 'park', key: 'P' },
  { command: 'unpark', key: 'U' },
  { command: 'register', key: 'R' },
  { command: 'reject', key: 'X' },
  { command: 'verify', key: 'V' },
  { command: 'close', key: 'C' },
  { command: 'evaluate', key: 'Y' },
  // A handling department's steps (专业部门): report in when called, then handle what it was sent.
  { command: 'checkIn', key: 'B' },
  { command: 'accept', key: 'Q' },
  { command: 'start', key: 'H' },
  { command: 'feedback', key: 'F' },
  { command: 'return', key: 'T' },
];

/** What a form submits; the page turns it into cases.command / cases.merge with the case version. */
export type ActionInput =
  | { command: 'escalate' | 'park' | 'return' | 'reject'; reason: string }
  | { command: 'whistle'; departments: string[]; reason: string }
  | { command: 'merge'; primary: string }
  | { command: 'verify'; passed: boolean; note: string }
  | { command: 'register'; tier: CaseTier }
  | { command: 'evaluate'; rating: EvaluationRating; note: string }
  | { command: 'feedback'; onSite: boolean; note: string; files: File[] }
  | { command: 'unpark' | 'close' | 'checkIn' | 'accept' | 'start' };

/** Evidence a desk attaches to 反馈: what the server takes (JPEG/PNG ≤ 2 MB, 1–9 photos). */
const PHOTO_ACCEPT = 'image/jpeg,image/png';
const MAX_PHOTOS = 9;
const MAX_PHOTO_MB = 2;

interface Props {
  /** The commands this desk's posts may ever run: their buttons are shown. */
  desk: ReadonlySet<RuledCommand>;
  allowed: readonly RuledCommand[] | null;
  open: RuledCommand | null;
  busy: boolean;
  defaultTier: CaseTier;
  /** The department table (吹哨 calls from it); null while loading. */
  departments: readonly DepartmentOption[] | null;
  onOpen(command: RuledCommand | null): void;
  onSubmit(input: ActionInput): void;
}

/** Action buttons (only the commands `cases.allowed` returns are enabled) and the small form each needs. */
export function CaseActions({
  desk,
  allowed,
  open,
  busy,
  defaultTier,
  departments,
  onOpen,
  onSubmit,
}: Props) {
  const t = useT();
  return (
    <section className="da">
      <div className="da-buttons" data-testid="actions">
        {ACTIONS.filter((a) => desk.has(a.command)).map(({ command, key }) => {
          const enabled = !!allowed?.includes(command);
          return (
            <button
              key={command}
              type="button"
              className={`btn ${open === command ? 'active' : ''}`}
              data-command={command}
              disabled={!enabled || busy}
              onClick={() => onOpen(open === command ? null : command)}
            >
              {t(commandMessageKey(command))} <kbd>{key}</kbd>
            </button>
          );
        })}
      </div>
      {open && open !== 'dispatch' ? (
        <ActionForm
          key={open}
          command={open}
          busy={busy}
          defaultTier={defaultTier}
          departmentOptions={departments}
          onCancel={() => onOpen(null)}
          onSubmit={onSubmit}
        />
      ) : null}
    </section>
  );
}

function ActionForm({
  command,
  busy,
  defaultTier,
  departmentOptions,
  onCancel,
  onSubmit,
}: {
  command: RuledCommand;
  busy: boolean;
  defaultTier: CaseTier;
  departmentOptions: readonly DepartmentOption[] | null;
  onCancel(): void;
  onSubmit(i: ActionInput): void;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [departments, setDepartments] = useState<string[]>([]);
  const [primary, setPrimary] = useState('');
  const [tier, setTier] = useState<CaseTier>(defaultTier);
  const [rating, setRating] = useState<EvaluationRating>('satisfied');
  const [onSite, setOnSite] = useState(true);
  const [files, setFiles] = useState<File[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const pickFiles = (list: FileList | null) => {
    const picked = [...(list ?? [])];
    const bad = picked.find(
      (f) => !PHOTO_ACCEPT.split(',').includes(f.type) || f.size > MAX_PHOTO_MB * 1024 * 1024,
    );
    if (bad || picked.length > MAX_PHOTOS) {
      setFileError(t('dispatch.photoRule', { n: MAX_PHOTOS, mb: MAX_PHOTO_MB }));
      setFiles([]);
      return;
    }
    setFileError(null);
    setFiles(picked);
  };
  const first = useRef<HTMLTextAreaElement & HTMLInputElement & HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = (passed?: boolean) => {
    switch (command) {
      case 'escalate':
      case 'park':
      case 'return':
      case 'reject':
        return onSubmit({ command, reason });
      case 'evaluate':
        return onSubmit({ command, rating, note: reason });
      case 'feedback':
        if (files.length === 0)
          return setFileError(t('dispatch.photoRule', { n: MAX_PHOTOS, mb: MAX_PHOTO_MB }));
        return onSubmit({ command, onSite, note: reason, files });
      case 'whistle':
        return onSubmit({ command, departments, reason });
      case 'merge':
        return onSubmit({ command, primary });
      case 'verify':
        return onSubmit({ command, passed: passed ?? true, note: reason });
      case 'register':
        return onSubmit({ command, tier });
      case 'unpark':
      case 'close':
      case 'checkIn':
      case 'accept':
      case 'start':
        return onSubmit({ command });
      default:
        return undefined;
    }
  };
  const needsReason =
    command === 'escalate' ||
    command === 'park' ||
    command === 'return' ||
    command === 'whistle' ||
    command === 'reject';
  const takesNote = command === 'verify' || command === 'evaluate' || command === 'feedback';
  return (
    <form className="da-form" data-testid="action-form" {...deskFormHandlers(() => submit(), onCancel)}>
      {command === 'whistle' ? (
        <fieldset className="da-deps">
          <legend>{t('dispatch.departments')}</legend>
          {departmentOptions === null ? <span className="dp-empty">{t('dispatch.loading')}</span> : null}
          {(departmentOptions ?? []).map((d) => (
            <label key={d.code}>
              <input
                type="checkbox"
                data-department={d.code}
                checked={departments.includes(d.code)}
                onChange={(e) =>
                  setDepartments(
                    e.target.checked ? [...departments, d.code] : departments.filter((x) => x !== d.code),
                  )
                }
              />
              {d.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      {command === 'evaluate' ? (
        <fieldset className="da-deps" data-testid="ratings">
          <legend>{t('command.evaluate')}</legend>
          {EVALUATION_RATINGS.map((r) => (
            <label key={r}>
              <input
                type="radio"
                name="rating"
                value={r}
                checked={rating === r}
                onChange={() => setRating(r)}
              />
              {t(`evaluation.${r}`)}
            </label>
          ))}
        </fieldset>
      ) : null}
      {command === 'feedback' ? (
        <>
          {/* The browser's own file button speaks the browser's language: ours speaks the desk's. */}
          <label className="da-line da-file">
            <span>{t('dispatch.photos')}</span>
            <input
              type="file"
              name="photos"
              data-testid="photos"
              accept={PHOTO_ACCEPT}
              multiple
              onChange={(e) => pickFiles(e.target.files)}
            />
            <span className="btn">{t('dispatch.pickPhotos')}</span>
            <span className="da-files">
              {files.length ? files.map((f) => f.name).join('、') : t('dispatch.noPhotosChosen')}
            </span>
          </label>
          <label className="da-check">
            <input
              type="checkbox"
              name="onSite"
              checked={onSite}
              onChange={(e) => setOnSite(e.target.checked)}
            />
            {t('dispatch.onSite')}
          </label>
          {fileError ? (
            <div className="refusal" role="alert">
              {fileError}
            </div>
          ) : null}
        </>
      ) : null}
      {needsReason || takesNote ? (
        <textarea
          ref={first}
          name="reason"
          rows={2}
          maxLength={500}
          value={reason}
          placeholder={t(
            takesNote
              ? command === 'verify'
                ? 'dispatch.notePlaceholder'
                : 'dispatch.notePlaceholderOptional'
              : 'dispatch.reasonPlaceholder',
          )}
          aria-label={t('dispatch.reasonLabel')}
          onChange={(e) => setReason(e.target.value)}
        />
      ) : null}
      {command === 'merge' ? (
        <label className="da-line">
          <span>{t('dispatch.mergeInto')}</span>
          <input
            ref={first}
            name="primary"
            value={primary}
            placeholder={t('dispatch.mergePlaceholder')}
            onChange={(e) => setPrimary(e.target.value.trim())}
          />
        </label>
      ) : null}
      {command === 'register' ? (
        <label className="da-line">
          <span>{t('dispatch.field.tier')}</span>
          <select ref={first} value={tier} onChange={(e) => setTier(e.target.value as CaseTier)}>
            {CASE_TIERS.map((x) => (
              <option key={x} value={x}>
                {t(`tier.${x}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="da-form-buttons">
        {command === 'verify' ? (
          <>
            <button type="button" className="btn primary" disabled={busy} onClick={() => submit(true)}>
              {t('dispatch.verifyPass')}
            </button>
            <button type="button" className="btn danger" disabled={busy} onClick={() => submit(false)}>
              {t('dispatch.verifyFail')}
            </button>
          </>
        ) : (
          <button type="submit" className="btn primary" data-testid="action-confirm" disabled={busy}>
            {t('dispatch.confirm')} <kbd>Ctrl+Enter</kbd>
          </button>
        )}
        <button type="button" className="btn" onClick={onCancel}>
          {t('dispatch.cancel')} <kbd>Esc</kbd>
        </button>
      </div>
    </form>
  );
}

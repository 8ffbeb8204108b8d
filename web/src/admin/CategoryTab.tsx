import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  CASE_STEPS,
  CASE_TIERS,
  URGENCIES,
  URGENCY_HOURS,
  type CaseStep,
  type CaseTier,
  type CategoryOverride,
  type Urgency,
} from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import { useMemo, useState, type FormEvent } from 'react';
import { useLocale, useT } from '../app/i18n.tsx';
import { useTRPC, type ResultOf, type TrpcClient } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';

// 事件分类与时限: the effective category table, grouped by major class, with the fields an
// administrator changed marked (the default on hover), and a side form that edits one subclass
// (tier, urgency, per-step limits in working hours) or resets it to the default table.

/** A subclass as `categories.table` gives it: in force, its defaults, the fields overridden. */
type Row = ResultOf<TrpcClient['categories']['table']['query']>['items'][number];

const MAX_HOURS = 24 * 60;

/** "0.25" → 0.25; null unless a number of hours above 0 and at most 1440. */
function hoursOf(text: string): number | null {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) && n > 0 && n <= MAX_HOURS ? n : null;
}

const fmtHours = (h: number) => String(Math.round(h * 100) / 100);

export function CategoryTab() {
  const t = useT();
  const { locale } = useLocale();
  const trpc = useTRPC();
  const table = useQuery(trpc.categories.table.queryOptions());
  const [query, setQuery] = useState('');
  const [major, setMajor] = useState('');
  const [onlyChanged, setOnlyChanged] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  const items = useMemo(() => table.data?.items ?? [], [table.data]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return items.filter(
      (c) =>
        (!major || c.major === major) &&
        (!onlyChanged || c.overridden.length > 0) &&
        (!q || c.code.toLowerCase().includes(q) || c.zh.includes(q) || c.en.toLowerCase().includes(q)),
    );
  }, [items, query, major, onlyChanged]);
  const name = (c: { zh: string; en: string }) => (locale === 'en' ? c.en : c.zh);
  const current = items.find((c) => c.code === editing) ?? null;

  if (table.error)
    return (
      <p className="ad-error" role="alert">
        {t('admin.error', { message: table.error.message })}
      </p>
    );
  const majors = table.data?.majors ?? [];
  const changed = items.filter((c) => c.overridden.length > 0).length;

  return (
    <div className={`ad-split${current ? ' with-form' : ''}`}>
      <section className="ad-panel ad-cats">
        <div className="ad-bar">
          <input
            type="search"
            placeholder={t('admin.cat.search')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            aria-label={t('admin.cat.search')}
          />
          <select
            value={major}
            onChange={(e) => setMajor(e.target.value)}
            aria-label={t('admin.cat.allMajors')}
          >
            <option value="">{t('admin.cat.allMajors')}</option>
            {majors.map((m) => (
              <option key={m.code} value={m.code}>
                {m.code} {name(m)}
              </option>
            ))}
          </select>
          <label className="ad-check">
            <input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} />
            {t('admin.cat.onlyOverridden')}
          </label>
          <span className="ad-count" data-testid="ad-cat-summary">
            {t('admin.cat.summary', { n: items.length, m: changed })}
          </span>
        </div>
        <p className="ad-note">{t('admin.cat.note')}</p>
        <div className="ad-scroll">
          <table className="ad-table desk-table" data-testid="ad-cat-table">
            <thead>
              <tr>
                <th rowSpan={2}>{t('admin.col.code')}</th>
                <th rowSpan={2}>{t('admin.col.name')}</th>
                <th rowSpan={2}>{t('admin.col.tier')}</th>
                <th rowSpan={2}>{t('admin.col.urgency')}</th>
                <th colSpan={CASE_STEPS.length} className="ad-group">
                  {t('admin.col.limits')}
                </th>
                <th rowSpan={2}>{t('admin.col.actions')}</th>
              </tr>
              <tr>
                {CASE_STEPS.map((s) => (
                  <th key={s} className="num">
                    {t(`admin.step.${s}` as MessageKey)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {majors.map((m) => {
                const rows = shown.filter((c) => c.major === m.code);
                if (rows.length === 0) return null;
                return [
                  <tr key={m.code} className="ad-major">
                    <td colSpan={CASE_STEPS.length + 5}>
                      {m.code} {name(m)}
                    </td>
                  </tr>,
                  ...rows.map((c) => {
                    const mark = (field: string, value: string) =>
                      c.overridden.includes(field)
                        ? { className: 'changed', title: t('admin.defaultWas', { value }) }
                        : {};
                    return (
                      <tr key={c.code} data-code={c.code} className={editing === c.code ? 'on' : undefined}>
                        <td className="code">
                          {c.code}
                          {c.overridden.length ? (
                            <span
                              className="ad-dot"
                              title={t('admin.overridden')}
                              aria-label={t('admin.overridden')}
                            />
                          ) : null}
                        </td>
                        <td className="name">{name(c)}</td>
                        <td {...mark('tier', t(`tier.${c.defaults.tier}`))}>{t(`tier.${c.tier}`)}</td>
                        <td {...mark('urgency', t(`urgency.${c.defaults.urgency}`))}>
                          <span className={`ad-urg u-${c.urgency}`}>{t(`urgency.${c.urgency}`)}</span>
                        </td>
                        {CASE_STEPS.map((s) => {
                          const m2 = mark(`limits.${s}`, fmtHours(c.defaults.limits[s]));
                          return (
                            <td key={s} data-step={s} {...m2} className={`num ${m2.className ?? ''}`}>
                              {fmtHours(c.limits[s])}
                            </td>
                          );
                        })}
                        <td className="acts">
                          <button
                            type="button"
                            className="btn ghost"
                            onClick={() => setEditing(c.code)}
                            data-testid={`ad-edit-${c.code}`}
                          >
                            {t('admin.edit')}
                          </button>
                        </td>
                      </tr>
                    );
                  }),
                ];
              })}
            </tbody>
          </table>
        </div>
      </section>
      {current ? (
        <CategoryForm
          key={current.code}
          row={current}
          name={name(current)}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </div>
  );
}

/** The side form of one subclass: tier, urgency and the five step limits, checked as typed. */
function CategoryForm({ row, name, onClose }: { row: Row; name: string; onClose(): void }) {
  const t = useT();
  const { locale } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [tier, setTier] = useState<CaseTier>(row.tier);
  const [urgency, setUrgency] = useState<Urgency>(row.urgency);
  const [limits, setLimits] = useState<Record<CaseStep, string>>(
    () => Object.fromEntries(CASE_STEPS.map((s) => [s, fmtHours(row.limits[s])])) as Record<CaseStep, string>,
  );
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.categories.pathKey() });
  const save = useMutation(
    trpc.categories.setOverride.mutationOptions({
      onSuccess: () => {
        setNotice({ kind: 'ok', text: t('admin.saved', { name }) });
        void refresh();
      },
      onError: (e) => setNotice({ kind: 'error', text: explainError(e, t).text }),
    }),
  );
  const reset = useMutation(
    trpc.categories.clearOverride.mutationOptions({
      onSuccess: (c) => {
        setTier(c.tier);
        setUrgency(c.urgency);
        setLimits(
          Object.fromEntries(CASE_STEPS.map((s) => [s, fmtHours(c.limits[s])])) as Record<CaseStep, string>,
        );
        setNotice({ kind: 'ok', text: t('admin.resetDone', { name }) });
        void refresh();
      },
      onError: (e) => setNotice({ kind: 'error', text: explainError(e, t).text }),
    }),
  );

  const parsed = Object.fromEntries(CASE_STEPS.map((s) => [s, hoursOf(limits[s])])) as Record<
    CaseStep,
    number | null
  >;
  const ceiling = URGENCY_HOURS[urgency];
  const overCeiling = parsed.handle !== null && parsed.handle > ceiling;
  const valid = CASE_STEPS.every((s) => parsed[s] !== null) && !overCeiling;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    // Only what differs from the default table is stored: a later change of the defaults still reaches the rest.
    const d = row.defaults;
    const changedLimits = Object.fromEntries(
      CASE_STEPS.filter((s) => parsed[s] !== d.limits[s]).map((s) => [s, parsed[s]!]),
    );
    const override: CategoryOverride = {
      code: row.code,
      ...(tier !== d.tier ? { tier } : {}),
      ...(urgency !== d.urgency ? { urgency } : {}),
      ...(Object.keys(changedLimits).length ? { limits: changedLimits } : {}),
    };
    setNotice(null);
    save.mutate(override);
  };
  const busy = save.isPending || reset.isPending;

  return (
    <aside
      className="ad-panel ad-form"
      aria-label={t('admin.form.title', { code: row.code, name })}
      data-testid="ad-cat-form"
    >
      <h2>{t('admin.form.title', { code: row.code, name })}</h2>
      <form onSubmit={submit} noValidate>
        <label className="ad-row">
          <span>{t('admin.col.tier')}</span>
          <select name="tier" value={tier} onChange={(e) => setTier(e.target.value as CaseTier)}>
            {CASE_TIERS.map((x) => (
              <option key={x} value={x}>
                {t(`tier.${x}`)}
              </option>
            ))}
          </select>
          {tier !== row.defaults.tier ? (
            <em className="ad-was">{t('admin.defaultWas', { value: t(`tier.${row.defaults.tier}`) })}</em>
          ) : null}
        </label>
        <label className="ad-row">
          <span>{t('admin.col.urgency')}</span>
          <select name="urgency" value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)}>
            {URGENCIES.map((x) => (
              <option key={x} value={x}>
                {t(`urgency.${x}`)}
              </option>
            ))}
          </select>
          {urgency !== row.defaults.urgency ? (
            <em className="ad-was">
              {t('admin.defaultWas', { value: t(`urgency.${row.defaults.urgency}`) })}
            </em>
          ) : null}
        </label>
        <fieldset className="ad-limits">
          <legend>{t('admin.col.limits')}</legend>
          {CASE_STEPS.map((s) => {
            const bad = parsed[s] === null || (s === 'handle' && overCeiling);
            return (
              <label key={s} className={`ad-row${bad ? ' bad' : ''}`}>
                <span>{t(`admin.step.${s}` as MessageKey)}</span>
                <input
                  name={`limit-${s}`}
                  inputMode="decimal"
                  value={limits[s]}
                  aria-invalid={bad}
                  onChange={(e) => setLimits({ ...limits, [s]: e.target.value })}
                />
                <i>{t('admin.hours')}</i>
                {parsed[s] !== null && parsed[s] !== row.defaults.limits[s] ? (
                  <em className="ad-was">
                    {t('admin.defaultWas', { value: fmtHours(row.defaults.limits[s]) })}
                  </em>
                ) : null}
              </label>
            );
          })}
        </fieldset>
        <div className="ad-msgs" role="alert">
          {CASE_STEPS.some((s) => parsed[s] === null) ? (
            <p className="ad-invalid">{t('admin.form.badHours')}</p>
          ) : null}
          {overCeiling ? (
            <p className="ad-invalid">
              {t('admin.form.overUrgency', { max: ceiling, urgency: t(`urgency.${urgency}`) })}
            </p>
          ) : null}
        </div>
        <p className="ad-note">{t('admin.cat.note')}</p>
        {row.updatedAt ? (
          <p className="ad-note">
            {t('admin.form.lastEdit', { time: new Date(row.updatedAt).toLocaleString(locale) })}
          </p>
        ) : null}
        <div className="ad-actions">
          <button type="submit" className="btn primary" disabled={!valid || busy} data-testid="ad-cat-save">
            {save.isPending ? t('admin.saving') : t('admin.save')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy || row.overridden.length === 0}
            onClick={() => {
              setNotice(null);
              reset.mutate({ code: row.code });
            }}
            data-testid="ad-cat-reset"
          >
            {t('admin.reset')}
          </button>
          <button type="button" className="btn ghost" onClick={onClose}>
            {t('admin.cancel')}
          </button>
        </div>
        {notice ? (
          <p className={`ad-notice ${notice.kind}`} role="status" data-testid="ad-cat-notice">
            {notice.text}
          </p>
        ) : null}
      </form>
    </aside>
  );
}

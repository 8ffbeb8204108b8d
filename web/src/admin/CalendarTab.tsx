import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ESTIMATED_HOLIDAY_YEARS } from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import { useCalendarsDueText } from '../app/CalendarDue.tsx';
import { useMemo, useState, type FormEvent } from 'react';
import { useLocale, useT } from '../app/i18n.tsx';
import { useTRPC, type ResultOf, type TrpcClient } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';
import { checkDraft, draftOf, parseDateList, type CalendarDraft } from './calendar-draft.ts';

// 工作日历: the calendars (the built-in default first, read-only), an editor for one (working
// weekdays, working periods, holidays and make-up workdays 调休 as date lists), and the unit tree
// of the admin's jurisdiction where each unit gets a calendar of its own or inherits its parent's.

/** Monday first, as Chinese calendars print the week. */
const WEEK = [1, 2, 3, 4, 5, 6, 0] as const;
const BUILT_IN = 'builtin';

/** A unit of the admin's jurisdiction and its calendar, as `calendars.list` gives it. */
type Unit = ResultOf<TrpcClient['calendars']['list']['query']>['units'][number];

export function CalendarTab() {
  const t = useT();
  const { locale } = useLocale();
  const trpc = useTRPC();
  const list = useQuery(trpc.calendars.list.queryOptions());
  const [selected, setSelected] = useState<string>(BUILT_IN);
  const [fresh, setFresh] = useState(0);
  const dueText = useCalendarsDueText();

  const calendars = useMemo(() => list.data?.calendars ?? [], [list.data]);
  const nameOf = (id: string) => {
    const c = calendars.find((x) => x.id === id);
    return c ? (locale === 'en' ? c.nameEn || c.nameZh : c.nameZh) : t('admin.cal.builtin');
  };
  if (list.error)
    return (
      <p className="ad-error" role="alert">
        {t('admin.error', { message: list.error.message })}
      </p>
    );
  const current = calendars.find((c) => c.id === selected);

  return (
    <div className="ad-cal">
      <section className="ad-panel ad-cal-list" aria-label={t('admin.cal.list')}>
        <h2>{t('admin.cal.list')}</h2>
        {dueText ? (
          <p className="ad-notice warn" role="alert" data-testid="ad-cal-due">
            {dueText}
          </p>
        ) : null}
        <ul data-testid="ad-cal-list">
          <li className={selected === BUILT_IN ? 'on' : undefined}>
            <button type="button" onClick={() => setSelected(BUILT_IN)}>
              {t('admin.cal.builtin')}
            </button>
          </li>
          {calendars.map((c) => (
            <li key={c.id} className={selected === c.id ? 'on' : undefined}>
              <button type="button" onClick={() => setSelected(c.id)}>
                {locale === 'en' ? c.nameEn || c.nameZh : c.nameZh}
                <small>{t('admin.cal.usedBy', { n: c.usedBy })}</small>
              </button>
            </li>
          ))}
          {calendars.length === 0 ? <li className="ad-empty">{t('admin.cal.empty')}</li> : null}
        </ul>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setSelected('');
            setFresh((n) => n + 1);
          }}
          data-testid="ad-cal-new"
        >
          ＋ {t('admin.cal.new')}
        </button>
      </section>
      {selected === BUILT_IN ? (
        <section className="ad-panel ad-cal-edit">
          <h2>{t('admin.cal.builtin')}</h2>
          <p className="ad-note">{t('admin.cal.builtinNote')}</p>
          {ESTIMATED_HOLIDAY_YEARS.map((year) => (
            <p key={year} className="ad-notice warn" data-testid="ad-cal-estimated">
              {t('admin.cal.estimated', { year })}
            </p>
          ))}
          {list.data ? (
            <CalendarForm
              key="builtin"
              draft={draftOf({
                id: null,
                nameZh: t('admin.cal.builtin'),
                nameEn: '',
                calendar: list.data.builtIn,
              })}
              readOnly
              onSaved={() => {}}
            />
          ) : null}
        </section>
      ) : (
        <section className="ad-panel ad-cal-edit">
          <h2>
            {current
              ? locale === 'en'
                ? current.nameEn || current.nameZh
                : current.nameZh
              : t('admin.cal.new')}
          </h2>
          <CalendarForm
            key={current?.id ?? `new-${fresh}`}
            draft={
              current
                ? draftOf(current)
                : draftOf({
                    id: null,
                    nameZh: t('admin.cal.newName'),
                    nameEn: '',
                    calendar: list.data?.builtIn ?? {
                      utcOffsetMinutes: 480,
                      workWeekdays: [1, 2, 3, 4, 5],
                      periods: [
                        [510, 720],
                        [810, 1050],
                      ],
                      holidays: [],
                      workdays: [],
                    },
                  })
            }
            usedBy={current?.usedBy ?? 0}
            onSaved={(id) => setSelected(id)}
          />
        </section>
      )}
      <UnitAssignments
        units={list.data?.units ?? []}
        calendars={calendars.map((c) => ({ id: c.id, name: nameOf(c.id) }))}
        nameOf={nameOf}
      />
    </div>
  );
}

function CalendarForm({
  draft: initial,
  readOnly = false,
  usedBy = 0,
  onSaved,
}: {
  draft: CalendarDraft;
  readOnly?: boolean;
  usedBy?: number;
  onSaved(id: string): void;
}) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [d, setD] = useState(initial);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.calendars.pathKey() });
  const onError = (e: unknown) => setNotice({ kind: 'error', text: explainError(e, t).text });
  const create = useMutation(
    trpc.calendars.create.mutationOptions({
      onError,
      onSuccess: (c) => {
        void refresh();
        onSaved(c.id);
      },
    }),
  );
  const update = useMutation(
    trpc.calendars.update.mutationOptions({
      onError,
      onSuccess: () => {
        setNotice({ kind: 'ok', text: t('admin.saved', { name: d.nameZh }) });
        void refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.calendars.delete.mutationOptions({
      onError,
      onSuccess: () => {
        void refresh();
        onSaved(BUILT_IN);
      },
    }),
  );

  const check = checkDraft(d);
  const problem = check.ok
    ? null
    : check.reason === 'no-name'
      ? t('admin.cal.noName')
      : check.reason === 'bad-time'
        ? `${t('admin.cal.badTime')}（${check.at}）`
        : `${t(`refusal.${check.reason}` as MessageKey)}${check.at ? `（${check.at}）` : ''}`;
  const busy = create.isPending || update.isPending || remove.isPending;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!check.ok || readOnly) return;
    setNotice(null);
    const input = { nameZh: d.nameZh.trim(), nameEn: d.nameEn.trim(), calendar: check.body };
    if (d.id) update.mutate({ id: d.id, ...input });
    else create.mutate(input);
  };
  const setPeriod = (k: number, field: 'from' | 'to', value: string) =>
    setD({ ...d, periods: d.periods.map((p, i) => (i === k ? { ...p, [field]: value } : p)) });

  return (
    <form className="ad-calform" onSubmit={submit} noValidate data-testid="ad-cal-form">
      <fieldset disabled={readOnly}>
        {!readOnly ? (
          <div className="ad-names">
            <label className="ad-row">
              <span>{t('admin.cal.nameZh')}</span>
              <input
                name="nameZh"
                value={d.nameZh}
                maxLength={40}
                onChange={(e) => setD({ ...d, nameZh: e.target.value })}
              />
            </label>
            <label className="ad-row">
              <span>{t('admin.cal.nameEn')}</span>
              <input
                name="nameEn"
                value={d.nameEn}
                maxLength={80}
                onChange={(e) => setD({ ...d, nameEn: e.target.value })}
              />
            </label>
          </div>
        ) : null}
        <div className="ad-row">
          <span>{t('admin.cal.weekdays')}</span>
          <div className="ad-week" role="group" aria-label={t('admin.cal.weekdays')}>
            {WEEK.map((w) => {
              const on = d.workWeekdays.includes(w);
              return (
                <button
                  key={w}
                  type="button"
                  className={on ? 'on' : undefined}
                  aria-pressed={on}
                  onClick={() =>
                    setD({
                      ...d,
                      workWeekdays: on
                        ? d.workWeekdays.filter((x) => x !== w)
                        : [...d.workWeekdays, w].sort((a, b) => a - b),
                    })
                  }
                >
                  {t(`admin.weekday.${w}` as MessageKey)}
                </button>
              );
            })}
          </div>
        </div>
        <div className="ad-row ad-periods">
          <span>{t('admin.cal.periods')}</span>
          <div>
            {d.periods.map((p, k) => (
              <div key={k} className="ad-period">
                <input
                  name={`period-${k}-from`}
                  size={5}
                  inputMode="numeric"
                  aria-label={`${t('admin.cal.periods')} ${k + 1}`}
                  value={p.from}
                  onChange={(e) => setPeriod(k, 'from', e.target.value)}
                  placeholder="08:30"
                />
                <span>–</span>
                <input
                  name={`period-${k}-to`}
                  size={5}
                  inputMode="numeric"
                  aria-label={`${t('admin.cal.periods')} ${k + 1}`}
                  value={p.to}
                  onChange={(e) => setPeriod(k, 'to', e.target.value)}
                  placeholder="17:30"
                />
                {!readOnly ? (
                  <button
                    type="button"
                    className="btn ghost"
                    onClick={() => setD({ ...d, periods: d.periods.filter((_, i) => i !== k) })}
                    aria-label={t('admin.cal.removePeriod')}
                  >
                    ✕
                  </button>
                ) : null}
              </div>
            ))}
            {!readOnly ? (
              <button
                type="button"
                className="btn ghost"
                onClick={() => setD({ ...d, periods: [...d.periods, { from: '18:00', to: '20:00' }] })}
              >
                ＋ {t('admin.cal.addPeriod')}
              </button>
            ) : null}
          </div>
        </div>
        <div className="ad-dates">
          <label>
            <span>
              {t('admin.cal.holidays')}{' '}
              <small>{t('admin.cal.days', { n: parseDateList(d.holidays).length })}</small>
            </span>
            <textarea
              name="holidays"
              rows={8}
              value={d.holidays}
              placeholder="2026-10-01"
              onChange={(e) => setD({ ...d, holidays: e.target.value })}
            />
          </label>
          <label>
            <span>
              {t('admin.cal.workdays')}{' '}
              <small>{t('admin.cal.days', { n: parseDateList(d.workdays).length })}</small>
            </span>
            <textarea
              name="workdays"
              rows={8}
              value={d.workdays}
              placeholder="2026-10-10"
              onChange={(e) => setD({ ...d, workdays: e.target.value })}
            />
          </label>
          <p className="ad-note">{t('admin.cal.datesHint')}</p>
        </div>
      </fieldset>
      {!readOnly ? (
        <>
          {problem ? (
            <p className="ad-invalid" role="alert">
              {problem}
            </p>
          ) : null}
          <div className="ad-actions">
            <button
              type="submit"
              className="btn primary"
              disabled={!check.ok || busy}
              data-testid="ad-cal-save"
            >
              {busy ? t('admin.saving') : t('admin.save')}
            </button>
            {d.id ? (
              <button
                type="button"
                className="btn danger"
                disabled={busy || usedBy > 0}
                title={usedBy > 0 ? t('refusal.calendar-in-use') : undefined}
                onClick={() => {
                  if (window.confirm(t('admin.cal.deleteConfirm', { name: d.nameZh })))
                    remove.mutate({ id: d.id! });
                }}
              >
                {t('admin.cal.delete')}
              </button>
            ) : null}
          </div>
          {notice ? (
            <p className={`ad-notice ${notice.kind}`} role="status">
              {notice.text}
            </p>
          ) : null}
        </>
      ) : null}
    </form>
  );
}

/** The unit tree of the admin's jurisdiction: each unit's own calendar (or inherit) and the one in force. */
function UnitAssignments({
  units,
  calendars,
  nameOf,
}: {
  units: Unit[];
  calendars: { id: string; name: string }[];
  nameOf(id: string): string;
}) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState('');
  /** Units whose open state the admin flipped (the city and its districts start open, so every street shows). */
  const [flipped, setFlipped] = useState<ReadonlySet<number>>(new Set());
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const assign = useMutation(
    trpc.calendars.assign.mutationOptions({
      onSuccess: (r) => {
        const unit = units.find((u) => u.id === r.unitId)?.name ?? '';
        setNotice({
          kind: 'ok',
          text: r.calendarId
            ? t('admin.cal.assigned', { unit, name: nameOf(r.calendarId) })
            : t('admin.cal.unassigned', { unit }),
        });
        void queryClient.invalidateQueries({ queryKey: trpc.calendars.pathKey() });
      },
      onError: (e) => setNotice({ kind: 'error', text: explainError(e, t).text }),
    }),
  );

  const children = useMemo(() => {
    const m = new Map<number | null, Unit[]>();
    const ids = new Set(units.map((u) => u.id));
    for (const u of units) {
      // The top of the admin's jurisdiction has its parent outside the list.
      const key = u.parentId !== null && ids.has(u.parentId) ? u.parentId : null;
      m.set(key, [...(m.get(key) ?? []), u]);
    }
    return m;
  }, [units]);
  const q = query.trim();
  const isOpen = (u: Unit) => (u.level === 'city' || u.level === 'district') !== flipped.has(u.id);
  // Searching lists the matching units flat; otherwise the tree down to the open units' children.
  const rows: { unit: Unit; depth: number }[] = [];
  if (q) {
    for (const u of units) if (u.name.includes(q) || u.code.includes(q)) rows.push({ unit: u, depth: 0 });
  } else {
    const walk = (parent: number | null, depth: number) => {
      for (const u of children.get(parent) ?? []) {
        rows.push({ unit: u, depth });
        if (depth === 0 || isOpen(u)) walk(u.id, depth + 1);
      }
    };
    walk(null, 0);
  }
  const toggle = (id: number) =>
    setFlipped((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="ad-panel ad-units" aria-label={t('admin.cal.units')}>
      <h2>{t('admin.cal.units')}</h2>
      <p className="ad-note">{t('admin.cal.unitsHint')}</p>
      <input
        type="search"
        placeholder={t('admin.cal.unitSearch')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-label={t('admin.cal.unitSearch')}
      />
      {notice ? (
        <p className={`ad-notice ${notice.kind}`} role="status" data-testid="ad-unit-notice">
          {notice.text}
        </p>
      ) : null}
      <div className="ad-scroll">
        <table className="ad-table desk-table ad-unit-table" data-testid="ad-unit-table">
          <tbody>
            {rows.map(({ unit: u, depth }) => {
              const kids = children.get(u.id)?.length ?? 0;
              return (
                <tr key={u.id} data-unit={u.id}>
                  <td className="name" style={{ paddingLeft: `${0.7 + depth * 1.1}em` }}>
                    {!q && kids > 0 && depth >= 1 ? (
                      <button
                        type="button"
                        className="ad-twist"
                        aria-expanded={isOpen(u)}
                        onClick={() => toggle(u.id)}
                      >
                        {isOpen(u) ? '▾' : '▸'}
                      </button>
                    ) : (
                      <span className="ad-twist" />
                    )}
                    <span className="ad-level">{t(`level.${u.level}` as MessageKey)}</span> {u.name}
                  </td>
                  <td>
                    <select
                      value={u.calendarId ?? ''}
                      disabled={assign.isPending}
                      aria-label={`${t('admin.cal.assignTo')} ${u.name}`}
                      onChange={(e) => {
                        setNotice(null);
                        assign.mutate({ unitId: u.id, calendarId: e.target.value || null });
                      }}
                    >
                      <option value="">
                        {t(u.parentId === null ? 'admin.cal.noneRoot' : 'admin.cal.none')}
                      </option>
                      {calendars.map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className={u.calendarId ? 'own' : 'inherited'}>
                    {u.calendarId
                      ? t('admin.cal.own', { name: nameOf(u.effectiveId) })
                      : t('admin.cal.inherits', { name: nameOf(u.effectiveId) })}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { GridId } from '@gcc/shared';
import type { MessageKey } from '@gcc/shared/messages';
import { useMemo, useState, type FormEvent } from 'react';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';
import { dayText, parseWeek } from './roster-draft.ts';

// 排班: a grid's weekly roster. A worker whose phone reports inside a shift of its grid is on
// duty (server: duty/field-duty.ts); a grid without a roster keeps no hours. The admin picks a
// grid of the jurisdiction (filter by code or name), types each weekday's shifts, and saves.

/** Monday first, as Chinese calendars print the week. */
const WEEK = [1, 2, 3, 4, 5, 6, 0] as const;
const MAX_OPTIONS = 200;

export function RosterTab() {
  const t = useT();
  const trpc = useTRPC();
  // The same query (and cache entry) the maps use: the layer changes only on a boundary event.
  const layer = useQuery({ ...trpc.grids.layer.queryOptions(), staleTime: Infinity });
  const [filter, setFilter] = useState('');
  const [gridId, setGridId] = useState<GridId | null>(null);

  const grids = useMemo(() => {
    const l = layer.data;
    if (!l) return [];
    return l.ids.map((id, i) => ({ id: id as GridId, code: l.codes[i] ?? '', name: l.names[i] ?? '' }));
  }, [layer.data]);
  const shown = useMemo(() => {
    const f = filter.trim();
    const hits = f ? grids.filter((g) => g.code.includes(f) || g.name.includes(f)) : grids;
    return hits.slice(0, MAX_OPTIONS);
  }, [grids, filter]);

  if (layer.error)
    return (
      <p className="ad-error" role="alert">
        {t('admin.error', { message: layer.error.message })}
      </p>
    );
  return (
    <div className="ad-roster">
      <section className="ad-panel ad-roster-grids" aria-label={t('admin.roster.grid')}>
        <h2>{t('admin.roster.grid')}</h2>
        <input
          type="search"
          value={filter}
          placeholder={t('admin.roster.filter')}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="ad-roster-filter"
        />
        <ul className="ad-scroll" data-testid="ad-roster-grids">
          {shown.map((g) => (
            <li key={g.id} className={g.id === gridId ? 'on' : undefined}>
              <button type="button" onClick={() => setGridId(g.id)}>
                {g.name}
                <small>{g.code}</small>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="ad-panel ad-roster-edit">
        <h2>{t('admin.tab.roster')}</h2>
        <p className="ad-note">{t('admin.roster.note')}</p>
        {gridId === null ? (
          <p className="ad-note">{t('admin.roster.pick')}</p>
        ) : (
          <RosterForm key={gridId} gridId={gridId} name={grids.find((g) => g.id === gridId)?.name ?? ''} />
        )}
      </section>
    </div>
  );
}

function RosterForm({ gridId, name }: { gridId: GridId; name: string }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roster = useQuery(trpc.duty.roster.queryOptions({ gridId }));
  const [lines, setLines] = useState<Record<number, string> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation(
    trpc.duty.setRoster.mutationOptions({
      onSuccess: async () => {
        setNotice(t('admin.roster.saved'));
        setLines(null);
        await queryClient.invalidateQueries({ queryKey: trpc.duty.roster.queryKey({ gridId }) });
      },
    }),
  );
  if (roster.error)
    return (
      <p className="ad-error" role="alert">
        {t('admin.error', { message: roster.error.message })}
      </p>
    );
  if (!roster.data) return null;
  const saved = roster.data.shifts;
  const current: Record<number, string> =
    lines ?? Object.fromEntries(WEEK.map((d) => [d, dayText(saved, d)]));
  const parsed = parseWeek(current);
  const day = (d: number) => t(`admin.weekday.${d}` as MessageKey);
  const problem = !parsed.ok
    ? t('admin.roster.badFormat', { day: day(parsed.weekday), text: parsed.text })
    : !parsed.check.valid
      ? `${day(parsed.shifts[parsed.check.at]!.weekday)}：${t(`refusal.${parsed.check.reason}`)}`
      : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.ok || !parsed.check.valid) return;
    setNotice(null);
    save.mutate({ gridId, shifts: parsed.shifts });
  };
  return (
    <form className="ad-roster-form" onSubmit={submit} data-testid="ad-roster-form">
      <h3>
        {name} {saved.length === 0 ? <small className="ad-note">{t('admin.roster.none')}</small> : null}
      </h3>
      <p className="ad-note">{t('admin.roster.format')}</p>
      {WEEK.map((d) => (
        <label key={d} className="ad-roster-day">
          <span>{day(d)}</span>
          <input
            value={current[d] ?? ''}
            placeholder={t('admin.roster.dayOff')}
            onChange={(e) => {
              setNotice(null);
              setLines({ ...current, [d]: e.target.value });
            }}
            data-testid={`ad-roster-day-${d}`}
          />
        </label>
      ))}
      {problem ? (
        <p className="ad-invalid" role="alert">
          {problem}
        </p>
      ) : null}
      {save.error ? (
        <p className="ad-error" role="alert">
          {explainError(save.error, t).text}
        </p>
      ) : null}
      {notice ? <p className="ad-notice">{notice}</p> : null}
      <button type="submit" className="btn" disabled={problem !== null || save.isPending}>
        {t('admin.roster.save')}
      </button>
    </form>
  );
}

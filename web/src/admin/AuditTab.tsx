import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';
import { AdminTable } from './admin-parts.tsx';
import { centreDateTime, centreLocalToMs, msToCentreLocal } from '../format/time.ts';

// 审计日志: who did what, when, from where, and whether it worked — newest first, a page at a
// time (the cursor is the last row's id, so new calls never shift a page being read). Filters by
// user, action (a name or a prefix such as `admin.`), a time range in the centre's time and
// failures only; they live in the address with the tab. A row opens its detail: the input as the
// log stored it and the outcome.

const PAGE = 50;

interface Filters {
  username: string;
  action: string;
  from: string;
  to: string;
  failedOnly: boolean;
}

export function AuditTab() {
  const t = useT();
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const applied: Filters = {
    username: params.get('user') ?? '',
    action: params.get('action') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    failedOnly: params.get('failed') === '1',
  };
  const [draft, setDraft] = useState<Filters>(applied);
  const [openId, setOpenId] = useState<number | null>(null);
  const from = applied.from ? centreLocalToMs(applied.from) : null;
  const to = applied.to ? centreLocalToMs(applied.to) : null;
  const input = {
    ...(applied.username ? { username: applied.username } : {}),
    ...(applied.action ? { action: applied.action } : {}),
    ...(from !== null ? { from } : {}),
    ...(to !== null ? { to } : {}),
    failedOnly: applied.failedOnly,
    limit: PAGE,
  };
  const pages = useInfiniteQuery(
    trpc.admin.auditLog.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      // A refused filter (a user nobody has) is refused again on every retry: say so at once.
      retry: false,
    }),
  );
  const draftFrom = draft.from ? centreLocalToMs(draft.from) : null;
  const draftTo = draft.to ? centreLocalToMs(draft.to) : null;
  const badRange = draftFrom !== null && draftTo !== null && draftFrom >= draftTo;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (badRange) return;
    const next: Record<string, string> = { tab: 'audit' };
    if (draft.username.trim()) next.user = draft.username.trim();
    if (draft.action.trim()) next.action = draft.action.trim();
    if (draft.from) next.from = draft.from;
    if (draft.to) next.to = draft.to;
    if (draft.failedOnly) next.failed = '1';
    setParams(next);
    setOpenId(null);
  };
  const rows = pages.data?.pages.flatMap((p) => p.rows) ?? [];

  return (
    <div className={`ad-split${openId !== null ? ' with-form' : ''}`}>
      <section className="ad-panel">
        <form className="ad-bar" onSubmit={apply} data-testid="ad-audit-filters">
          <input
            type="search"
            value={draft.username}
            placeholder={t('admin.audit.user')}
            aria-label={t('admin.audit.user')}
            maxLength={64}
            onChange={(e) => setDraft({ ...draft, username: e.target.value })}
            data-testid="ad-audit-user"
          />
          <input
            type="search"
            value={draft.action}
            placeholder={t('admin.audit.action')}
            aria-label={t('admin.audit.action')}
            maxLength={80}
            className="wide"
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            data-testid="ad-audit-action"
          />
          <label className="ad-check">
            {t('admin.audit.from')}
            <input
              type="datetime-local"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              data-testid="ad-audit-from"
            />
          </label>
          <label className="ad-check">
            {t('admin.audit.to')}
            <input
              type="datetime-local"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              data-testid="ad-audit-to"
            />
          </label>
          <label className="ad-check">
            <input
              type="checkbox"
              checked={draft.failedOnly}
              onChange={(e) => setDraft({ ...draft, failedOnly: e.target.checked })}
            />
            {t('admin.audit.failedOnly')}
          </label>
          <button type="submit" className="btn primary" disabled={badRange} data-testid="ad-audit-apply">
            {t('admin.audit.apply')}
          </button>
          <button
            type="button"
            className="btn ghost"
            onClick={() => {
              setDraft({ username: '', action: '', from: '', to: '', failedOnly: false });
              setParams({ tab: 'audit' });
            }}
          >
            {t('admin.audit.clear')}
          </button>
        </form>
        {badRange ? <p className="ad-invalid">{t('admin.audit.badRange')}</p> : null}
        {pages.error ? (
          <p className="ad-notice error" role="alert" data-testid="ad-audit-error">
            {explainError(pages.error, t).text}
          </p>
        ) : null}
        <AdminTable
          testId="ad-audit-table"
          columns={[
            t('admin.audit.at'),
            t('admin.audit.who'),
            t('admin.users.role'),
            t('admin.col.actions'),
            t('admin.audit.ip'),
            t('admin.audit.result'),
          ]}
          after={
            <>
              {pages.isSuccess && rows.length === 0 ? (
                <p className="ad-empty">{t('admin.audit.empty')}</p>
              ) : null}
              {pages.hasNextPage ? (
                <button
                  type="button"
                  className="btn"
                  disabled={pages.isFetchingNextPage}
                  onClick={() => void pages.fetchNextPage()}
                  data-testid="ad-audit-more"
                >
                  {t('admin.audit.more')}
                </button>
              ) : rows.length > 0 ? (
                <p className="ad-empty">{t('admin.audit.end')}</p>
              ) : null}
            </>
          }
        >
          {rows.map((r) => (
            <tr
              key={r.id}
              className={`ad-click${openId === r.id ? ' on' : ''}${r.ok ? '' : ' ad-failed'}`}
              onClick={() => setOpenId(r.id)}
              data-action={r.action}
              data-user={r.username ?? ''}
            >
              <td className="time">{centreDateTime(r.at)}</td>
              <td>{r.username ? `${r.displayName ?? ''}（${r.username}）` : t('admin.audit.nobody')}</td>
              <td>{r.role ? t(`role.${r.role}`) : '—'}</td>
              <td className="code">
                <button type="button" className="ad-link" onClick={() => setOpenId(r.id)}>
                  {r.action}
                </button>
              </td>
              <td className="time">{r.ip ?? ''}</td>
              <td>
                {r.ok ? (
                  <span className="ad-state on">{t('admin.audit.ok')}</span>
                ) : (
                  <span className="ad-state off">
                    {t('admin.audit.failed', { outcome: r.outcome ?? '—' })}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </AdminTable>
      </section>
      {openId !== null ? <AuditDetail id={openId} onClose={() => setOpenId(null)} /> : null}
    </div>
  );
}

function AuditDetail({ id, onClose }: { id: number; onClose(): void }) {
  const t = useT();
  const trpc = useTRPC();
  const entry = useQuery(trpc.admin.auditEntry.queryOptions({ id }, { retry: false }));
  const e = entry.data;
  return (
    <aside
      className="ad-panel ad-form"
      aria-label={t('admin.audit.detail', { id })}
      data-testid="ad-audit-detail"
    >
      <h2>{t('admin.audit.detail', { id })}</h2>
      {entry.error ? <p className="ad-notice error">{explainError(entry.error, t).text}</p> : null}
      {e ? (
        <dl className="ad-dl">
          <dt>{t('admin.audit.at')}</dt>
          <dd className="num">{msToCentreLocal(e.at).replace('T', ' ')}</dd>
          <dt>{t('admin.audit.who')}</dt>
          <dd>{e.username ? `${e.displayName ?? ''}（${e.username}）` : t('admin.audit.nobody')}</dd>
          <dt>{t('admin.col.actions')}</dt>
          <dd className="code">{e.action}</dd>
          <dt>{t('admin.audit.ip')}</dt>
          <dd className="num">{e.ip ?? ''}</dd>
          <dt>{t('admin.audit.result')}</dt>
          <dd data-testid="ad-audit-result">
            {e.ok ? t('admin.audit.ok') : t('admin.audit.failed', { outcome: e.outcome ?? '—' })}
          </dd>
          <dt>{t('admin.audit.input')}</dt>
          <dd>
            {e.input === null ? (
              <span className="ad-note">{t('admin.audit.noInput')}</span>
            ) : (
              <pre className="ad-json" data-testid="ad-audit-input">
                {JSON.stringify(e.input, null, 2)}
              </pre>
            )}
          </dd>
        </dl>
      ) : null}
      <div className="ad-actions">
        <button type="button" className="btn ghost" onClick={onClose}>
          {t('admin.close')}
        </button>
      </div>
    </aside>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UnitId } from '@gcc/shared';
import { useState, type FormEvent } from 'react';
import { useMe } from '../app/auth.tsx';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';
import { centreDateTime } from '../format/time.ts';
import {
  AdminTable,
  CredentialState,
  NoticeLine,
  RevokeButton,
  ShownOnce,
  type Notice,
} from './admin-parts.tsx';
import { UnitSelect, useUnitTree } from './admin-units.tsx';

// 大屏令牌: the kiosk tokens with which a wall display signs itself in (read-only, its unit's
// view). Issue one with a label and a unit — the wall's address is shown once —, see when each
// was last used, revoke one (the walls using it sign out at once).

export function KioskTab() {
  const t = useT();
  const me = useMe();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tree = useUnitTree();
  const tokens = useQuery(trpc.admin.kioskTokens.queryOptions());
  const [label, setLabel] = useState('');
  const [unitId, setUnitId] = useState<UnitId | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.kioskTokens.queryKey() });
  const fail = (e: unknown) => setNotice({ kind: 'error', text: explainError(e, t).text });
  const issue = useMutation(
    trpc.admin.issueKioskToken.mutationOptions({
      onSuccess: (r) => {
        setSecret(`${window.location.origin}/wall?kiosk=${encodeURIComponent(r.token)}`);
        setLabel('');
        void refresh();
      },
      onError: fail,
    }),
  );
  const error = tokens.error ?? tree.error;
  if (error)
    return (
      <p className="ad-error" role="alert">
        {t('admin.error', { message: error.message })}
      </p>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!label.trim()) return;
    setNotice(null);
    setSecret(null);
    issue.mutate({ label: label.trim(), ...(unitId !== null ? { unitId } : {}) });
  };
  const live = (tokens.data ?? []).filter((k) => k.revokedAt === null).length;
  return (
    <div className="ad-split with-form">
      <section className="ad-panel">
        <div className="ad-bar">
          <span className="ad-count">{t('admin.kiosk.count', { n: tokens.data?.length ?? 0, live })}</span>
        </div>
        {notice ? <NoticeLine notice={notice} /> : null}
        <AdminTable
          testId="ad-kiosk-table"
          columns={[
            t('admin.kiosk.label'),
            t('admin.kiosk.unit'),
            t('admin.kiosk.issued'),
            t('admin.kiosk.lastUsed'),
            t('admin.state'),
            t('admin.col.actions'),
          ]}
        >
          {(tokens.data ?? []).map((k) => (
            <tr key={k.id} className={k.revokedAt !== null ? 'ad-off' : undefined} data-label={k.label}>
              <td className="name">{k.label}</td>
              <td>{tree.byId.get(k.unitId)?.name ?? k.unitId}</td>
              <td className="time">{centreDateTime(k.createdAt)}</td>
              <td className="time">
                {k.lastUsedAt !== null ? centreDateTime(k.lastUsedAt) : t('admin.never')}
              </td>
              <td data-testid="ad-kiosk-state">
                <CredentialState revokedAt={k.revokedAt} />
              </td>
              <td className="acts">
                {k.revokedAt === null ? (
                  <RevokeButton
                    id={k.id}
                    label={k.label}
                    confirm={t('admin.kiosk.revokeConfirm', { label: k.label })}
                    onNotice={setNotice}
                    testId="ad-kiosk-revoke"
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </AdminTable>
      </section>
      <aside className="ad-panel ad-form" aria-label={t('admin.kiosk.issue')}>
        <h2>{t('admin.kiosk.issue')}</h2>
        <form onSubmit={submit} noValidate>
          <label className="ad-row">
            <span>{t('admin.kiosk.label')}</span>
            <input
              className="wide"
              value={label}
              maxLength={64}
              placeholder={t('admin.kiosk.labelHint')}
              onChange={(e) => setLabel(e.target.value)}
              data-testid="ad-kiosk-label"
            />
          </label>
          <label className="ad-row">
            <span>{t('admin.kiosk.unit')}</span>
            <UnitSelect
              tree={tree}
              value={unitId ?? me.data?.unitId ?? null}
              onChange={setUnitId}
              label={t('admin.kiosk.unit')}
            />
          </label>
          {label.length > 0 && !label.trim() ? (
            <p className="ad-invalid">{t('admin.kiosk.needLabel')}</p>
          ) : null}
          <div className="ad-actions">
            <button
              type="submit"
              className="btn primary"
              disabled={!label.trim() || issue.isPending}
              data-testid="ad-kiosk-issue"
            >
              {t('admin.kiosk.issue')}
            </button>
          </div>
        </form>
        {secret ? (
          <ShownOnce
            title={t('admin.kiosk.secret')}
            secret={secret}
            note={t('admin.kiosk.secretNote')}
            testId="ad-kiosk-secret"
          />
        ) : null}
      </aside>
    </div>
  );
}

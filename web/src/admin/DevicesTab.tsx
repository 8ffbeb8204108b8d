import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UnitId, WorkerId } from '@gcc/shared';
import { useMemo, useState } from 'react';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';
import { centreDateTime } from '../format/time.ts';
import { AdminTable, CredentialState, NoticeLine, RevokeButton, type Notice } from './admin-parts.tsx';
import { UnitSelect, useUnitTree } from './admin-units.tsx';
import { CSV_TYPE, download, toCsv } from '../export/table-export.ts';

// 设备: the device credentials (终端 of one worker's phone, 网关 of a vendor platform) of the
// jurisdiction with worker, last report and state; issuing one for a worker or, for a street or
// community, one for each of its workers without a live one (批量发放). New identifiers are shown
// once, with a CSV to download; a credential is revoked from its row (confirmed first).

interface Issued {
  workerId: WorkerId;
  workerName: string;
  gridCode: string;
  gridName: string;
  token: string;
}

export function DevicesTab() {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tree = useUnitTree();
  const devices = useQuery(trpc.admin.devices.queryOptions(undefined, { refetchInterval: 30_000 }));
  const [query, setQuery] = useState('');
  const [showRevoked, setShowRevoked] = useState(false);
  const [unitId, setUnitId] = useState<UnitId | null>(null);
  const [workerId, setWorkerId] = useState<WorkerId | null>(null);
  const [issued, setIssued] = useState<Issued[] | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const workers = useQuery(
    trpc.admin.workers.queryOptions({ unitId: unitId ?? (1 as UnitId) }, { enabled: unitId !== null }),
  );
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.admin.devices.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.workers.queryKey() }),
    ]);
  const fail = (e: unknown) => setNotice({ kind: 'error', text: explainError(e, t).text });
  const issueOne = useMutation(
    trpc.admin.issueDeviceToken.mutationOptions({
      // The worker the request was for (the selection may have moved on since).
      onSuccess: (r, vars) => {
        if (vars.kind !== 'device') return;
        const w = workers.data?.find((x) => x.id === vars.workerId);
        setIssued([
          {
            workerId: vars.workerId as Issued['workerId'],
            workerName: w?.name ?? '',
            gridCode: w?.gridCode ?? '',
            gridName: w?.gridName ?? '',
            token: r.token,
          },
        ]);
        setWorkerId(null);
        void refresh();
      },
      onError: fail,
    }),
  );
  const issueBulk = useMutation(
    trpc.admin.issueUnitDeviceTokens.mutationOptions({
      onSuccess: (rows) => {
        setIssued(rows);
        void refresh();
      },
      onError: fail,
    }),
  );

  const rows = useMemo(() => {
    const q = query.trim();
    return (devices.data ?? []).filter(
      (d) =>
        (showRevoked || d.revokedAt === null) &&
        (!q ||
          [d.label, d.workerName ?? '', d.gridName ?? '', String(d.workerId ?? '')].some((s) =>
            s.includes(q),
          )),
    );
  }, [devices.data, query, showRevoked]);
  const error = devices.error ?? tree.error;
  if (error)
    return (
      <p className="ad-error" role="alert">
        {t('admin.error', { message: error.message })}
      </p>
    );
  const live = (devices.data ?? []).filter((d) => d.revokedAt === null).length;
  const missing = (workers.data ?? []).filter((w) => !w.hasDevice).length;

  const downloadCsv = (list: Issued[]) =>
    download(
      `device-identifiers-${centreDateTime(Date.now()).replace(/[ :]/g, '-')}.csv`,
      toCsv([
        [
          t('admin.dev.csv.workerId'),
          t('admin.dev.csv.worker'),
          t('admin.dev.csv.gridCode'),
          t('admin.dev.csv.grid'),
          t('admin.dev.csv.identifier'),
        ],
        ...list.map((r) => [r.workerId, r.workerName, r.gridCode, r.gridName, r.token]),
      ]),
      CSV_TYPE,
    );

  return (
    <div className="ad-split with-form">
      <section className="ad-panel">
        <div className="ad-bar">
          <input
            type="search"
            placeholder={t('admin.dev.filter')}
            aria-label={t('admin.dev.filter')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="ad-dev-filter"
          />
          <label className="ad-check">
            <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
            {t('admin.dev.showRevoked')}
          </label>
          <span className="ad-count">{t('admin.dev.count', { n: devices.data?.length ?? 0, live })}</span>
        </div>
        {notice ? <NoticeLine notice={notice} testId="ad-dev-notice" /> : null}
        <AdminTable
          testId="ad-dev-table"
          columns={[
            t('admin.dev.worker'),
            t('admin.dev.grid'),
            t('admin.dev.kind'),
            t('admin.dev.lastSeen'),
            t('admin.dev.issued'),
            t('admin.state'),
            t('admin.col.actions'),
          ]}
        >
          {rows.slice(0, 1000).map((d) => (
            <tr
              key={d.id}
              data-worker={d.workerId ?? ''}
              className={d.revokedAt !== null ? 'ad-off' : undefined}
            >
              <td className="name">
                {d.workerName ?? d.label}
                {d.workerId !== null ? <small className="num"> #{d.workerId}</small> : null}
              </td>
              <td>{d.gridName ?? tree.byId.get(d.unitId)?.name ?? ''}</td>
              <td>{t(d.kind === 'gateway' ? 'admin.dev.kind.gateway' : 'admin.dev.kind.device')}</td>
              <td className="time">
                {d.lastFixAt !== null ? centreDateTime(d.lastFixAt) : t('admin.never')}
              </td>
              <td className="time">{centreDateTime(d.createdAt)}</td>
              <td data-testid="ad-dev-state">
                <CredentialState revokedAt={d.revokedAt} />
              </td>
              <td className="acts">
                {d.revokedAt === null ? (
                  <RevokeButton
                    id={d.id}
                    label={d.workerName ?? d.label}
                    confirm={t('admin.dev.revokeConfirm', { label: d.workerName ?? d.label })}
                    testId="ad-dev-revoke"
                    onNotice={setNotice}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </AdminTable>
      </section>
      <aside className="ad-panel ad-form" aria-label={t('admin.dev.issueTitle')} data-testid="ad-dev-issue">
        <h2>{t('admin.dev.issueTitle')}</h2>
        {issued ? (
          <div className="ad-secret" role="status" data-testid="ad-dev-secrets">
            <span>{t('admin.dev.secrets', { n: issued.length })}</span>
            <p className="ad-note">{t('admin.dev.secretsNote')}</p>
            <ul className="ad-scroll ad-secret-list">
              {issued.map((r) => (
                <li key={r.token}>
                  {r.workerName} <small>{r.gridName}</small>
                  <code className="num" data-testid="ad-dev-secret">
                    {r.token}
                  </code>
                </li>
              ))}
            </ul>
            <div className="ad-actions">
              <button
                type="button"
                className="btn primary"
                onClick={() => downloadCsv(issued)}
                data-testid="ad-dev-csv"
              >
                {t('admin.dev.csv')}
              </button>
              <button
                type="button"
                className="btn ghost"
                onClick={() => setIssued(null)}
                data-testid="ad-dev-secrets-close"
              >
                {t('admin.dev.saved')}
              </button>
            </div>
          </div>
        ) : (
          <div className="ad-calform">
            <label className="ad-row">
              <span>{t('admin.dev.unit')}</span>
              <UnitSelect
                tree={tree}
                value={unitId}
                levels={['street', 'community']}
                label={t('admin.dev.unit')}
                testId="ad-dev-unit"
                onChange={(u) => {
                  setUnitId(u);
                  setWorkerId(null);
                }}
              />
            </label>
            {unitId !== null ? (
              <>
                <label className="ad-row">
                  <span>{t('admin.dev.worker')}</span>
                  <select
                    value={workerId ?? ''}
                    aria-label={t('admin.dev.pickWorker')}
                    data-testid="ad-dev-worker"
                    onChange={(e) =>
                      setWorkerId(e.target.value ? (Number(e.target.value) as WorkerId) : null)
                    }
                  >
                    <option value="">{t('admin.dev.pickWorker')}</option>
                    {(workers.data ?? []).map((w) => (
                      <option key={w.id} value={w.id}>
                        {w.name} · {w.gridName}
                        {w.hasDevice ? `（${t('admin.dev.hasDevice')}）` : ''}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    className="btn"
                    disabled={workerId === null || issueOne.isPending}
                    data-testid="ad-dev-issue-one"
                    onClick={() => {
                      setNotice(null);
                      issueOne.mutate({ kind: 'device', workerId: workerId! });
                    }}
                  >
                    {t('admin.dev.issueOne')}
                  </button>
                </label>
                <button
                  type="button"
                  className="btn primary"
                  disabled={missing === 0 || issueBulk.isPending}
                  data-testid="ad-dev-bulk"
                  onClick={() => {
                    setNotice(null);
                    issueBulk.mutate({ unitId });
                  }}
                >
                  {missing === 0 && workers.data
                    ? t('admin.dev.bulkNone')
                    : t('admin.dev.bulk', { n: missing })}
                </button>
              </>
            ) : null}
          </div>
        )}
      </aside>
    </div>
  );
}

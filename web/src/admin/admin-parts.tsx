import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AccessTokenId } from '@gcc/shared';
import type { ReactNode } from 'react';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';
import { centreDateTime } from '../format/time.ts';

// Pieces the users, devices, kiosk and audit tabs share: the line that says what just happened,
// a table with its header, the state of a credential, a button that asks first, a secret shown once.

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

/** What the last action did (or why it was refused), under the tab's bar. */
export function NoticeLine({
  notice,
  testId,
  children,
}: {
  notice: Notice;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className={`ad-notice${notice.kind === 'error' ? ' error' : ''}`} role="status" data-testid={testId}>
      {notice.text}
      {children}
    </div>
  );
}

/** A scrolling table of the desk with its column heads. */
export function AdminTable({
  columns,
  testId,
  children,
  after,
}: {
  columns: readonly string[];
  testId: string;
  children: ReactNode;
  after?: ReactNode;
}) {
  return (
    <div className="ad-scroll">
      <table className="ad-table desk-table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {after}
    </div>
  );
}

/** 有效, or 已吊销 with when. */
export function CredentialState({ revokedAt }: { revokedAt: number | null }) {
  const t = useT();
  return revokedAt !== null ? (
    <span className="ad-state off">{t('admin.dev.revokedAt', { time: centreDateTime(revokedAt) })}</span>
  ) : (
    <span className="ad-state on">{t('admin.dev.live')}</span>
  );
}

/** A row's action that asks the browser's confirm dialog first (when `confirm` is set). */
export function ConfirmButton({
  confirm,
  onConfirm,
  disabled,
  testId,
  children,
}: {
  confirm: string | null;
  onConfirm(): void;
  disabled?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="btn ghost"
      disabled={disabled}
      data-testid={testId}
      onClick={() => {
        if (confirm !== null && !window.confirm(confirm)) return;
        onConfirm();
      }}
    >
      {children}
    </button>
  );
}

/** Revokes a device credential or kiosk token (asked first), then refreshes the desk's lists. */
export function RevokeButton({
  id,
  label,
  confirm,
  onNotice,
  testId,
}: {
  id: number;
  label: string;
  confirm: string;
  onNotice(n: Notice | null): void;
  testId?: string;
}) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.admin.revokeToken.mutationOptions({
      onSuccess: () => {
        onNotice({ kind: 'ok', text: t('admin.dev.revokedDone', { label }) });
        // What a revoke changes: the credential lists and which workers have a device (not the
        // users, units or audit pages, which every admin query under the path would refetch).
        for (const key of [
          trpc.admin.devices.queryKey(),
          trpc.admin.kioskTokens.queryKey(),
          trpc.admin.workers.queryKey(),
        ])
          void queryClient.invalidateQueries({ queryKey: key });
      },
      onError: (e) => onNotice({ kind: 'error', text: explainError(e, t).text }),
    }),
  );
  return (
    <ConfirmButton
      confirm={confirm}
      disabled={revoke.isPending}
      {...(testId ? { testId } : {})}
      onConfirm={() => {
        onNotice(null);
        revoke.mutate({ id: id as AccessTokenId });
      }}
    >
      {t('admin.dev.revoke')}
    </ConfirmButton>
  );
}

/** A one-time secret (a password, a token) with the note that it is shown only now. */
export function ShownOnce({
  title,
  secret,
  note,
  testId,
}: {
  title: string;
  secret: string;
  note: string;
  testId?: string;
}) {
  return (
    <div className="ad-secret" role="status" data-testid={testId}>
      <span>{title}</span>
      <code className="num" data-testid={testId ? `${testId}-value` : undefined}>
        {secret}
      </code>
      <p className="ad-note">{note}</p>
    </div>
  );
}

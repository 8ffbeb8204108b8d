import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ACCOUNT_ROLES,
  NewPasswordSchema,
  UsernameSchema,
  type AccountRole,
  type UnitId,
  type UserId,
} from '@gcc/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { useMe } from '../app/auth.tsx';
import { useLocale, useT } from '../app/i18n.tsx';
import { useTRPC, type ResultOf, type TrpcClient } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';
import { centreDateTime } from '../format/time.ts';
import {
  AdminTable,
  ConfirmButton,
  NoticeLine as Line,
  ShownOnce,
  type Notice as PlainNotice,
} from './admin-parts.tsx';
import { UnitSelect, useUnitTree } from './admin-units.tsx';

// 用户: the accounts of the jurisdiction — role, unit, last sign-in, state — and the form that
// creates or edits one. Disable, enable and reset password act on a row (confirmed first). What
// the server refuses (the last administrator, one's own role, unit or state, an unknown unit, a
// taken name) is shown in the words of the message tables.

type Account = ResultOf<TrpcClient['admin']['users']['query']>[number];
type Notice = PlainNotice & { secret?: { username: string; password: string } };

export function UsersTab() {
  const t = useT();
  const me = useMe();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.users.queryOptions());
  const tree = useUnitTree();
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<UserId | 'new' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.queryKey() });
  const fail = (e: unknown) => setNotice({ kind: 'error', text: explainError(e, t).text });

  const disable = useMutation(
    trpc.admin.setUserDisabled.mutationOptions({
      onSuccess: (u) => {
        setNotice({
          kind: 'ok',
          text: t(u.disabledAt !== null ? 'admin.users.disabledDone' : 'admin.users.enabledDone', {
            username: u.username,
          }),
        });
        void refresh();
      },
      onError: fail,
    }),
  );
  const reset = useMutation(
    trpc.admin.resetPassword.mutationOptions({
      onSuccess: (r) => {
        setNotice({
          kind: 'ok',
          text: t('admin.users.resetDone', { username: r.user.username }),
          ...(r.password ? { secret: { username: r.user.username, password: r.password } } : {}),
        });
        void refresh();
      },
      onError: fail,
    }),
  );

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = list.data ?? [];
    return q
      ? all.filter((u) => u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q))
      : all;
  }, [list.data, query]);
  const error = list.error ?? tree.error;
  if (error)
    return (
      <p className="ad-error" role="alert">
        {t('admin.error', { message: error.message })}
      </p>
    );
  const current = editing === 'new' ? null : (list.data?.find((u) => u.id === editing) ?? null);
  const off = (list.data ?? []).filter((u) => u.disabledAt !== null).length;

  return (
    <div className={`ad-split${editing !== null ? ' with-form' : ''}`}>
      <section className="ad-panel">
        <div className="ad-bar">
          <input
            type="search"
            placeholder={t('admin.users.search')}
            aria-label={t('admin.users.search')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="ad-users-search"
          />
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              setEditing('new');
              setNotice(null);
            }}
            data-testid="ad-users-new"
          >
            ＋ {t('admin.users.new')}
          </button>
          <span className="ad-count">{t('admin.users.count', { n: list.data?.length ?? 0, off })}</span>
        </div>
        {notice ? <NoticeLine notice={notice} /> : null}
        <AdminTable
          testId="ad-users-table"
          columns={[
            t('admin.users.username'),
            t('admin.users.displayName'),
            t('admin.users.role'),
            t('admin.users.unit'),
            t('admin.users.lastSignIn'),
            t('admin.state'),
            t('admin.col.actions'),
          ]}
        >
          {rows.map((u) => {
            const own = u.id === me.data?.id;
            const disabled = u.disabledAt !== null;
            return (
              <tr
                key={u.id}
                data-username={u.username}
                className={`${editing === u.id ? 'on' : ''}${disabled ? ' ad-off' : ''}`}
              >
                <td className="code">
                  {u.username}
                  {own ? <small className="ad-tag">{t('admin.users.you')}</small> : null}
                  {u.demo ? <small className="ad-tag warn">{t('admin.users.demo')}</small> : null}
                </td>
                <td className="name">{u.displayName}</td>
                <td>{t(`role.${u.role}`)}</td>
                <td>{tree.byId.get(u.unitId)?.name ?? u.unitId}</td>
                <td className="time">
                  {u.lastSignInAt !== null ? centreDateTime(u.lastSignInAt) : t('admin.never')}
                </td>
                <td data-testid="ad-user-state">
                  <span className={`ad-state ${disabled ? 'off' : 'on'}`}>
                    {t(disabled ? 'admin.users.disabled' : 'admin.users.enabled')}
                  </span>
                </td>
                <td className="acts">
                  <button
                    type="button"
                    className="btn ghost"
                    onClick={() => {
                      setEditing(u.id);
                      setNotice(null);
                    }}
                    data-testid="ad-user-edit"
                  >
                    {t('admin.users.edit')}
                  </button>
                  <ConfirmButton
                    confirm={disabled ? null : t('admin.users.disableConfirm', { username: u.username })}
                    disabled={own || disable.isPending}
                    testId="ad-user-toggle"
                    onConfirm={() => {
                      setNotice(null);
                      disable.mutate({ id: u.id, disabled: !disabled });
                    }}
                  >
                    {t(disabled ? 'admin.users.enable' : 'admin.users.disable')}
                  </ConfirmButton>
                  <ConfirmButton
                    confirm={t('admin.users.resetConfirm', { username: u.username })}
                    disabled={reset.isPending}
                    testId="ad-user-reset"
                    onConfirm={() => {
                      setNotice(null);
                      reset.mutate({ id: u.id });
                    }}
                  >
                    {t('admin.users.reset')}
                  </ConfirmButton>
                </td>
              </tr>
            );
          })}
        </AdminTable>
      </section>
      {editing !== null ? (
        <UserForm
          key={editing}
          account={current}
          own={current !== null && current.id === me.data?.id}
          tree={tree}
          onDone={(n) => {
            setNotice(n);
            if (n.kind === 'ok') setEditing(null);
            void refresh();
          }}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </div>
  );
}

function NoticeLine({ notice }: { notice: Notice }) {
  const t = useT();
  return (
    <Line notice={notice} testId="ad-users-notice">
      {notice.secret ? (
        <ShownOnce
          title={t('admin.users.secretOnce', { username: notice.secret.username })}
          secret={notice.secret.password}
          note={t('admin.users.secretNote')}
          testId="ad-user-secret"
        />
      ) : null}
    </Line>
  );
}

/** Create (account null) or edit one account; the form names what it will not send. */
function UserForm({
  account,
  own,
  tree,
  onDone,
  onClose,
}: {
  account: Account | null;
  own: boolean;
  tree: ReturnType<typeof useUnitTree>;
  onDone(n: Notice): void;
  onClose(): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const trpc = useTRPC();
  const departments = useQuery(trpc.departments.list.queryOptions());
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState(account?.displayName ?? '');
  const [role, setRole] = useState<AccountRole>((account?.role as AccountRole | undefined) ?? 'dispatcher');
  const [unitId, setUnitId] = useState<UnitId | null>(account?.unitId ?? null);
  const [departmentId, setDepartmentId] = useState<number | null>(account?.departmentId ?? null);
  const [ownPassword, setOwnPassword] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(explainError(e, t).text);
  const create = useMutation(
    trpc.admin.createUser.mutationOptions({
      onSuccess: (r) =>
        onDone({
          kind: 'ok',
          text: t('admin.users.created', { username: r.user.username }),
          ...(r.password ? { secret: { username: r.user.username, password: r.password } } : {}),
        }),
      onError: fail,
    }),
  );
  const update = useMutation(
    trpc.admin.updateUser.mutationOptions({
      onSuccess: (u) => onDone({ kind: 'ok', text: t('admin.users.saved', { username: u.username }) }),
      onError: fail,
    }),
  );

  const problems: string[] = [];
  if (!account && !UsernameSchema.safeParse(username).success) problems.push(t('admin.users.badUsername'));
  if (!displayName.trim()) problems.push(t('admin.users.needName'));
  if (unitId === null) problems.push(t('admin.users.needUnit'));
  if (role === 'department' && departmentId === null) problems.push(t('admin.users.needDepartment'));
  if (!account && ownPassword && !NewPasswordSchema.safeParse(password).success)
    problems.push(t('admin.users.badPassword'));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problems.length || unitId === null) return;
    setError(null);
    const dept = role === 'department' ? departmentId : null;
    if (account)
      update.mutate({
        id: account.id,
        displayName: displayName.trim(),
        ...(own ? {} : { role, unitId, departmentId: dept }),
      });
    else
      create.mutate({
        username: username.trim(),
        displayName: displayName.trim(),
        role,
        unitId,
        departmentId: dept,
        ...(ownPassword ? { password } : {}),
      });
  };
  const title = account ? t('admin.users.editTitle', { username: account.username }) : t('admin.users.new');
  const busy = create.isPending || update.isPending;
  return (
    <aside className="ad-panel ad-form" aria-label={title} data-testid="ad-user-form">
      <h2>{title}</h2>
      <form onSubmit={submit} noValidate>
        {account ? null : (
          <label className="ad-row">
            <span>{t('admin.users.username')}</span>
            <input
              name="username"
              value={username}
              autoComplete="off"
              onChange={(e) => setUsername(e.target.value)}
              className="wide"
            />
          </label>
        )}
        <label className="ad-row">
          <span>{t('admin.users.displayName')}</span>
          <input
            name="displayName"
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            className="wide"
          />
        </label>
        <label className="ad-row">
          <span>{t('admin.users.role')}</span>
          <select
            name="role"
            value={role}
            disabled={own}
            onChange={(e) => setRole(e.target.value as AccountRole)}
          >
            {ACCOUNT_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="ad-row">
          <span>{t('admin.users.unit')}</span>
          {own ? (
            <i>{tree.byId.get(account!.unitId)?.name}</i>
          ) : (
            <UnitSelect
              tree={tree}
              value={unitId}
              onChange={setUnitId}
              label={t('admin.users.unit')}
              testId="ad-user-unit"
            />
          )}
        </label>
        {role === 'department' ? (
          <label className="ad-row">
            <span>{t('admin.users.department')}</span>
            <select
              value={departmentId ?? ''}
              onChange={(e) => setDepartmentId(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">—</option>
              {(departments.data ?? []).map((d) => (
                <option key={d.id} value={d.id}>
                  {locale === 'en' ? d.nameEn : d.nameZh}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {account ? null : (
          <fieldset className="ad-limits">
            <legend>{t('admin.users.password')}</legend>
            <label className="ad-check">
              <input type="radio" checked={!ownPassword} onChange={() => setOwnPassword(false)} />
              {t('admin.users.passwordAuto')}
            </label>
            <label className="ad-check">
              <input type="radio" checked={ownPassword} onChange={() => setOwnPassword(true)} />
              {t('admin.users.passwordSet')}
            </label>
            {ownPassword ? (
              <input
                type="password"
                name="password"
                autoComplete="new-password"
                placeholder={t('admin.users.passwordHint')}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            ) : null}
          </fieldset>
        )}
        {/* A fresh form is not scolded: what is missing is named once something was typed. */}
        {(account || username || displayName ? problems : []).map((p) => (
          <p key={p} className="ad-invalid">
            {p}
          </p>
        ))}
        {error ? (
          <p className="ad-notice error" role="alert" data-testid="ad-user-error">
            {error}
          </p>
        ) : null}
        <div className="ad-actions">
          <button
            type="submit"
            className="btn primary"
            disabled={busy || problems.length > 0}
            data-testid="ad-user-submit"
          >
            {account ? t('admin.save') : t('admin.users.create')}
          </button>
          <button type="button" className="btn ghost" onClick={onClose}>
            {t('admin.cancel')}
          </button>
        </div>
      </form>
    </aside>
  );
}

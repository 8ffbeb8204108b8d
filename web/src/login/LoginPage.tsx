import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { homeOf, safeNext } from '../app/auth.tsx';
import { LocaleSwitch, useT } from '../app/i18n.tsx';
import { isAuthError } from '../app/providers.tsx';
import { useTRPC } from '../app/trpc.ts';
import './login.css';

export default function LoginPage() {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Without a page to return to, each role starts at its own desk.
  const nextParam = params.get('next');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (user) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        void navigate(nextParam ? safeNext(nextParam) : homeOf(user.role), { replace: true });
      },
    }),
  );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password || login.isPending) return;
    login.mutate({ username: username.trim(), password });
  };

  const tooMany = login.error?.data?.code === 'TOO_MANY_REQUESTS';
  const error = login.isError
    ? tooMany
      ? t('login.tooMany', { seconds: login.error.data?.retryAfter ?? 60 })
      : t(isAuthError(login.error) ? 'login.failed' : 'login.networkError')
    : params.get('error') === 'kiosk' && login.isIdle
      ? t('login.kioskFailed')
      : null;

  return (
    <main className="login">
      <div className="login-grid" aria-hidden="true" />
      <LocaleSwitch className="locale-switch login-locale" />
      <section className="login-card" aria-labelledby="login-title">
        <header className="login-head">
          <div className="login-emblem" aria-hidden="true">
            <svg viewBox="0 0 48 48">
              <rect
                x="6"
                y="6"
                width="36"
                height="36"
                rx="3"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
              />
              <path
                d="M18 6v36M30 6v36M6 18h36M6 30h36"
                stroke="currentColor"
                strokeWidth="1"
                opacity="0.55"
              />
              <circle cx="30" cy="18" r="4" fill="#ff4d4f" />
            </svg>
          </div>
          <h1 id="login-title">{t('app.title')}</h1>
          <p>{t('app.subtitle')}</p>
        </header>
        <form className="login-form" onSubmit={onSubmit} noValidate>
          <label>
            <span>{t('login.username')}</span>
            <input
              name="username"
              autoComplete="username"
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              placeholder={t('login.usernamePlaceholder')}
            />
          </label>
          <label>
            <span>{t('login.password')}</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              placeholder={t('login.passwordPlaceholder')}
            />
          </label>
          <div className="login-error" role="alert" data-testid="login-error">
            {error}
          </div>
          <button type="submit" disabled={login.isPending || !username.trim() || !password}>
            {login.isPending ? t('login.signingIn') : t('login.submit')}
          </button>
        </form>
      </section>
      <footer className="login-foot">{t('login.footer')}</footer>
    </main>
  );
}

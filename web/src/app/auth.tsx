import { DESKS_OF_ROLE, type Role } from '@gcc/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useT } from './i18n.tsx';
import { useTRPC } from './trpc.ts';

const KIOSK_TOKEN_KEY = 'gcc.kioskToken';

/** Where to go after signing in: only a path on this site (never `//host` or a full URL). */
export function safeNext(next: string | null, fallback = '/wall'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}

/** Where a role starts after signing in: its own desk (a planner on /plan, a dispatcher on /dispatch, …). */
export function homeOf(role: Role | undefined): string {
  const desk = role ? DESKS_OF_ROLE[role][0] : undefined;
  return `/${desk ?? 'wall'}`;
}

/** `/` for a signed-in user: their role's home. */
export function HomeRedirect() {
  const me = useMe();
  return <Navigate to={homeOf(me.data?.role)} replace />;
}

/** The signed-in user (null when not signed in). */
export function useMe() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 5 * 60_000 });
}

/**
 * Shows `children` only to a signed-in user; sends everyone else to /login?next=….
 * A wall display opened as `/wall?kiosk=TOKEN` signs itself in with the kiosk token first, and
 * the token is removed from the address bar at once (it must not linger in history or on screen).
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const location = useLocation();
  const navigate = useNavigate();
  // A wall runs for weeks: it keeps its kiosk token so it can sign itself in again when its
  // session ends (server restart with a new database, expiry). Revoking the token stops that.
  const urlToken = useRef<string | null>(new URLSearchParams(location.search).get('kiosk'));
  const [kiosk, setKiosk] = useState<'none' | 'pending' | 'failed'>(urlToken.current ? 'pending' : 'none');
  const kioskLogin = useMutation(trpc.auth.kiosk.mutationOptions());
  const triedStored = useRef(false);

  const signInWithKiosk = (token: string) => {
    setKiosk('pending');
    kioskLogin.mutate(
      { token },
      {
        onSuccess: (user) => {
          localStorage.setItem(KIOSK_TOKEN_KEY, token);
          queryClient.setQueryData(trpc.auth.me.queryKey(), user);
          setKiosk('none');
        },
        onError: () => {
          localStorage.removeItem(KIOSK_TOKEN_KEY);
          setKiosk('failed');
        },
      },
    );
  };

  useEffect(() => {
    const token = urlToken.current;
    if (!token) return;
    urlToken.current = null;
    const params = new URLSearchParams(location.search);
    params.delete('kiosk');
    const query = params.toString();
    navigate(
      { pathname: location.pathname, search: query ? `?${query}` : '', hash: location.hash },
      { replace: true },
    );
    signInWithKiosk(token);
    // once, on mount: the token is consumed
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 5 * 60_000, enabled: kiosk === 'none' });
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(KIOSK_TOKEN_KEY);
  useEffect(() => {
    if (kiosk === 'none' && me.isSuccess && me.data === null && stored && !triedStored.current) {
      triedStored.current = true;
      signInWithKiosk(stored);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kiosk, me.isSuccess, me.data, stored]);
  const reKiosk = me.isSuccess && me.data === null && stored !== null && !triedStored.current;
  const next = encodeURIComponent(location.pathname + location.search);
  if (kiosk === 'failed') return <Navigate to={`/login?next=${next}&error=kiosk`} replace />;
  if (kiosk === 'pending' || me.isPending || reKiosk) return <Splash text={t('login.checking')} />;
  if (me.isError && !me.data) return <Splash text={t('conn.offline')} />;
  if (!me.data) return <Navigate to={`/login?next=${next}`} replace />;
  return <>{children}</>;
}

export function Splash({ text }: { text: string }) {
  return (
    <div className="splash" role="status">
      <div className="splash-mark" aria-hidden="true" />
      <div className="splash-text">{text}</div>
    </div>
  );
}

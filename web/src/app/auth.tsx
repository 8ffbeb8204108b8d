import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useT } from './i18n.tsx';
import { useTRPC } from './trpc.ts';

/** Where to go after signing in: only a path on this site (never `//host` or a full URL). */
export function safeNext(next: string | null, fallback = '/wall'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
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
  const kioskToken = useRef<string | null>(new URLSearchParams(location.search).get('kiosk'));
  const [kiosk, setKiosk] = useState<'none' | 'pending' | 'failed'>(kioskToken.current ? 'pending' : 'none');
  const kioskLogin = useMutation(trpc.auth.kiosk.mutationOptions());
  const started = useRef(false);

  useEffect(() => {
    const token = kioskToken.current;
    if (!token || started.current) return;
    started.current = true;
    const params = new URLSearchParams(location.search);
    params.delete('kiosk');
    const query = params.toString();
    navigate({ pathname: location.pathname, search: query ? `?${query}` : '', hash: location.hash }, { replace: true });
    kioskLogin.mutate(
      { token },
      {
        onSuccess: (user) => {
          queryClient.setQueryData(trpc.auth.me.queryKey(), user);
          setKiosk('none');
        },
        onError: () => setKiosk('failed'),
      },
    );
    // once, on mount: the token is consumed
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 5 * 60_000, enabled: kiosk === 'none' });
  const next = encodeURIComponent(location.pathname + location.search);
  if (kiosk === 'failed') return <Navigate to={`/login?next=${next}&error=kiosk`} replace />;
  if (kiosk === 'pending' || me.isPending) return <Splash text={t('login.checking')} />;
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

import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { RequireAuth, Splash } from './auth.tsx';
import { useT } from './i18n.tsx';
import { Providers } from './providers.tsx';
import LoginPage from '../login/LoginPage.tsx';
import PlaceholderPage from '../placeholder/PlaceholderPage.tsx';

// The wall pulls in MapLibre, deck.gl and ECharts: its own chunk, loaded only on /wall.
const WallPage = lazy(() => import('../wall/WallPage.tsx'));
// The dispatcher's desk shares MapLibre and deck.gl with the wall, in its own chunk.
const DispatchPage = lazy(() => import('../dispatch/DispatchPage.tsx'));

function WallRoute() {
  const t = useT();
  return (
    <RequireAuth>
      <Suspense fallback={<Splash text={t('wall.loading')} />}>
        <WallPage />
      </Suspense>
    </RequireAuth>
  );
}

function DispatchRoute() {
  const t = useT();
  return (
    <RequireAuth>
      <Suspense fallback={<Splash text={t('dispatch.loading')} />}>
        <DispatchPage />
      </Suspense>
    </RequireAuth>
  );
}

export function App() {
  return (
    <Providers>
      <BrowserRouter>
        <Routes>
          <Route path="/" element={<Navigate to="/wall" replace />} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/wall" element={<WallRoute />} />
          <Route path="/dispatch" element={<DispatchRoute />} />
          <Route path="/plan" element={<RequireAuth><PlaceholderPage module="nav.plan" /></RequireAuth>} />
          <Route path="/analytics" element={<RequireAuth><PlaceholderPage module="nav.analytics" /></RequireAuth>} />
          <Route path="/admin" element={<RequireAuth><PlaceholderPage module="nav.admin" /></RequireAuth>} />
          <Route path="*" element={<Navigate to="/wall" replace />} />
        </Routes>
      </BrowserRouter>
    </Providers>
  );
}

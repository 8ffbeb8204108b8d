import type { MessageKey } from '@gcc/shared/messages';
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { HomeRedirect, RequireAuth, Splash } from './auth.tsx';
import { useT } from './i18n.tsx';
import { Providers } from './providers.tsx';
import LoginPage from '../login/LoginPage.tsx';

// The wall pulls in MapLibre, deck.gl and ECharts: its own chunk, loaded only on /wall.
const WallPage = lazy(() => import('../wall/WallPage.tsx'));
// The dispatcher's desk shares MapLibre and deck.gl with the wall, in its own chunk.
const DispatchPage = lazy(() => import('../dispatch/DispatchPage.tsx'));
// Assessment indicators: ECharts only, in its own chunk.
const AnalyticsPage = lazy(() => import('../analytics/AnalyticsPage.tsx'));
// The administrator's desk: tables and forms, in its own chunk.
const AdminPage = lazy(() => import('../admin/AdminPage.tsx'));
// The boundary planner: MapLibre, deck.gl, ECharts and its topology worker, in its own chunk.
const PlanPage = lazy(() => import('../plan/PlanPage.tsx'));

/** A signed-in page loaded as its own chunk, with a splash in the user's language meanwhile. */
function LazyRoute({
  page: Page,
  loading,
}: {
  page: LazyExoticComponent<ComponentType>;
  loading: MessageKey;
}) {
  const t = useT();
  return (
    <RequireAuth>
      <Suspense fallback={<Splash text={t(loading)} />}>
        <Page />
      </Suspense>
    </RequireAuth>
  );
}

export function App() {
  return (
    <Providers>
      <BrowserRouter>
        <Routes>
          <Route
            path="/"
            element={
              <RequireAuth>
                <HomeRedirect />
              </RequireAuth>
            }
          />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/wall" element={<LazyRoute page={WallPage} loading="wall.loading" />} />
          <Route path="/dispatch" element={<LazyRoute page={DispatchPage} loading="dispatch.loading" />} />
          <Route path="/plan" element={<LazyRoute page={PlanPage} loading="plan.loading" />} />
          <Route path="/analytics" element={<LazyRoute page={AnalyticsPage} loading="analytics.loading" />} />
          <Route path="/admin" element={<LazyRoute page={AdminPage} loading="admin.loading" />} />
          <Route path="*" element={<Navigate to="/wall" replace />} />
        </Routes>
      </BrowserRouter>
    </Providers>
  );
}

import { useHistoryCompletions } from '../app/HistoryLoading.tsx';
import type { GridId } from '@gcc/shared';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Splash, useMe } from '../app/auth.tsx';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { baseMapStyleUrl } from '../map/base-map.ts';
import { gridNameOf } from '../map/grid-geometry.ts';
import { useGridLayer, useVersionParam } from '../map/use-grid-layer.ts';
import { VersionPicker } from '../map/VersionPicker.tsx';
import type { UnitLabel } from './layers/labels.layer.ts';
import { CategoryPanel } from './panels/CategoryPanel.tsx';
import { DutyPanel } from './panels/DutyPanel.tsx';
import { KpiTiles } from './panels/KpiTiles.tsx';
import { Legend } from './panels/Legend.tsx';
import { Panel } from './panels/Panel.tsx';
import { RecentCases } from './panels/RecentCases.tsx';
import { StatsOverlay } from './panels/StatsOverlay.tsx';
import { StatusPanel } from './panels/StatusPanel.tsx';
import { TrendPanel } from './panels/TrendPanel.tsx';
import { WallHeader } from './panels/WallHeader.tsx';
import type { Padding } from './scene.ts';
import { useRem } from './use-rem.ts';
import { useWallLive } from './use-wall-live.ts';
import { useUrgencyOf } from '../directory/categories.ts';
import { WallMap } from './WallMap.tsx';
import './wall.css';

/** The layout unit of a 1920×1080 panel; dots and labels on the map scale with the screen. */
const BASE_REM = 15;

/**
 * The command-center video wall: the whole city live — grids coloured by open cases, moving
 * workers, incidents, a week's heat — with today's figures around it. It signs nobody out,
 * needs no mouse and recovers from network loss and server restarts by itself.
 */
export default function WallPage() {
  const t = useT();
  const trpc = useTRPC();
  const rem = useRem();
  const scale = rem / BASE_REM;
  const [params] = useSearchParams();
  const showStats = params.get('stats') === '1';

  const city = useQuery({ ...trpc.city.info.queryOptions(), staleTime: Infinity });
  // The version in force, unless someone at the wall (a planner, a leader: not the kiosk) asked
  // for another; cases and workers stay live either way.
  const [version, setVersion] = useVersionParam();
  const { grids } = useGridLayer(version);
  const me = useMe();
  const canPick = !!me.data && me.data.role !== 'wall';
  const today = useQuery({ ...trpc.cases.today.queryOptions(), staleTime: 0, refetchInterval: 60_000 });
  // The last week's reports (trend, heat) are read again once a first start's older history is in.
  const board = useWallLive(useHistoryCompletions());
  const urgencyOf = useUrgencyOf();

  const labels = useMemo<UnitLabel[]>(
    () =>
      (city.data?.units ?? [])
        .filter((u) => (u.level === 'district' || u.level === 'street') && u.center)
        .map((u) => ({
          name: u.name,
          level: u.level === 'district' ? 'district' : 'street',
          center: u.center!,
        })),
    [city.data],
  );
  const gridName = useCallback(
    (id: GridId) => (grids?.indexById.has(id) ? gridNameOf(grids, id) : ''),
    [grids],
  );
  const [breaks, setBreaks] = useState<number[]>([1, 2, 3, 4, 5]);

  const headerRef = useRef<HTMLDivElement>(null);
  const leftRef = useRef<HTMLDivElement>(null);
  const rightRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const padding = useCallback((): Padding => {
    const gap = rem * 1.2;
    const w = window.innerWidth;
    const h = window.innerHeight;
    const left = (leftRef.current?.getBoundingClientRect().right ?? 0) + gap;
    const right = w - (rightRef.current?.getBoundingClientRect().left ?? w) + gap;
    const top = (headerRef.current?.getBoundingClientRect().bottom ?? 0) + gap;
    const bottom = h - (legendRef.current?.getBoundingClientRect().top ?? h) + gap;
    // Never pad the map away entirely (a narrow window): keep at least a third of it.
    const fitW = Math.max(0, w - left - right) < w / 3;
    const fitH = Math.max(0, h - top - bottom) < h / 3;
    return fitW || fitH ? { top: gap, right: gap, bottom: gap, left: gap } : { top, right, bottom, left };
  }, [rem]);

  useEffect(() => {
    document.body.classList.add('wall-body');
    return () => document.body.classList.remove('wall-body');
  }, []);

  if (!city.data) return <Splash text={t('wall.loading')} />;

  const todayData = today.data ?? null;
  const openTotal = todayData ? Object.values(todayData.openByGrid).reduce((a, n) => a + n, 0) : null;

  return (
    <div className="wall" data-testid="wall">
      <WallMap
        styleUrl={baseMapStyleUrl(city.data)}
        bbox={city.data.bbox}
        labels={labels}
        grids={grids}
        openByGrid={todayData?.openByGrid ?? null}
        board={board}
        scale={scale}
        padding={padding}
        onBreaks={setBreaks}
        urgencyOf={urgencyOf}
      />
      <div className="wall-vignette" aria-hidden="true" />
      <div ref={headerRef} className="wall-header-wrap">
        <WallHeader
          cityName={city.data.name}
          boundaryVersion={grids?.version ?? city.data.boundaryVersion}
          history={version !== null && version !== city.data.boundaryVersion}
          picker={
            canPick ? <VersionPicker value={version} onChange={setVersion} className="wall-picker" /> : null
          }
        />
      </div>
      <aside ref={leftRef} className="wall-col wall-left">
        <Panel title={t('wall.overview')} className="kpi-panel">
          <KpiTiles
            grids={grids ? grids.ids.length : null}
            roster={city.data ? city.data.workers : null}
            todayTotal={todayData?.total ?? null}
            todayClosed={todayData ? (todayData.byStatus.closed ?? 0) : null}
            open={openTotal}
          />
        </Panel>
        <DutyPanel />
        <StatusPanel byStatus={todayData?.byStatus ?? null} total={todayData?.total ?? null} />
      </aside>
      <aside ref={rightRef} className="wall-col wall-right">
        <CategoryPanel byCategory={todayData?.byCategory ?? null} rem={rem} />
        <TrendPanel board={board} todayTotal={todayData?.total ?? null} rem={rem} />
        <RecentCases board={board} gridName={gridName} />
      </aside>
      <div ref={legendRef} className="wall-legend-wrap">
        <Legend breaks={breaks} />
      </div>
      {showStats ? <StatsOverlay /> : null}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useT } from '../../app/i18n.tsx';
import { liveStatus } from '../live-status.ts';

interface Sample {
  fps: number;
  frameMs: number;
  worstMs: number;
}

/** `?stats=1`: frame rate, frame time, position-frame lag and lost frames, twice a second. */
export function StatsOverlay() {
  const t = useT();
  const [sample, setSample] = useState<Sample>({ fps: 0, frameMs: 0, worstMs: 0 });
  const [, setTick] = useState(0);
  useEffect(() => {
    let raf = 0;
    let frames = 0;
    let last = performance.now();
    let windowStart = last;
    let worst = 0;
    const loop = (now: number) => {
      raf = requestAnimationFrame(loop);
      frames++;
      worst = Math.max(worst, now - last);
      last = now;
      if (now - windowStart >= 500) {
        const span = now - windowStart;
        setSample({ fps: (frames * 1000) / span, frameMs: span / frames, worstMs: worst });
        setTick((x) => x + 1);
        frames = 0;
        worst = 0;
        windowStart = now;
      }
    };
    raf = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(raf);
  }, []);
  const live = liveStatus.get();
  const debug = window.__gccWall;
  const rows: [string, string][] = [
    [t('stats.fps'), sample.fps.toFixed(0)],
    [t('stats.frameTime'), `${sample.frameMs.toFixed(1)} / ${sample.worstMs.toFixed(0)} ms`],
    [t('stats.frameLag'), `${live.stats.lagMs.toFixed(0)} ms`],
    [t('stats.decode'), `${live.stats.decodeMs.toFixed(2)} ms`],
    [t('stats.frames'), `${live.stats.frames} (${live.stats.snapshots})`],
    [t('stats.gaps'), String(live.stats.gapFrames)],
    [t('stats.coalesced'), String(live.stats.coalesced)],
    [t('stats.workers'), String(debug?.workerCount() ?? 0)],
  ];
  return (
    <div className="stats-overlay" data-testid="stats-overlay">
      {rows.map(([k, v]) => (
        <div key={k}>
          <span>{k}</span>
          <b>{v}</b>
        </div>
      ))}
    </div>
  );
}

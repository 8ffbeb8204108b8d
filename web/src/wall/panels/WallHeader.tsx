import { useEffect, useRef, useState, type ReactNode } from 'react';
import { CalendarDueLink } from '../../app/CalendarDue.tsx';
import { HistoryLoadingNotice } from '../../app/HistoryLoading.tsx';
import { LocaleSwitch, useLocale, useT } from '../../app/i18n.tsx';
import type { ConnState } from '../../live/connection.ts';
import { useStore } from '../../live/store.ts';
import { liveStatus } from '../live-status.ts';

const CONN_KEY = { live: 'conn.online', connecting: 'conn.connecting', offline: 'conn.offline' } as const;

function Conn({ label, state, testId }: { label: string; state: ConnState; testId: string }) {
  const t = useT();
  return (
    <div className={`conn conn-${state}`} data-testid={testId} data-state={state} title={t(CONN_KEY[state])}>
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-label">{label}</span>
      <span className="conn-state">{t(CONN_KEY[state])}</span>
    </div>
  );
}

/** Both live streams: the reliable event stream and the lossy position stream. */
export function ConnectionIndicator() {
  const t = useT();
  const { stream, positions } = useStore(liveStatus);
  return (
    <div className="conns">
      <Conn label={t('wall.streamEvents')} state={stream} testId="conn-events" />
      <Conn label={t('wall.streamPositions')} state={positions} testId="conn-positions" />
    </div>
  );
}

/** Formatters are made once: building an `Intl.DateTimeFormat` costs far more than formatting with it. */
const HOUR_MINUTE = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const DATES = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string): Intl.DateTimeFormat {
  let f = DATES.get(locale);
  if (!f)
    DATES.set(
      locale,
      (f = new Intl.DateTimeFormat(locale, {
        timeZone: 'Asia/Shanghai',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        weekday: 'short',
      })),
    );
  return f;
}

/**
 * Sets a digit strip's animation phase from the clock, once each animation is ready. It sets the
 * start time, not `currentTime`: the latter counts from the timeline's time of the current frame,
 * which on a page busy loading can be seconds old, and the strip would then run that much ahead.
 * The document timeline and `performance.now()` share one origin, so this holds whatever the frame.
 */
function syncStrip(strip: HTMLElement, live: () => boolean = () => true): void {
  const period = Number(strip.dataset.periodMs);
  for (const a of strip.getAnimations()) {
    void a.ready.then(() => {
      if (live()) a.startTime = performance.now() - (Date.now() % period);
    });
  }
}

/** A column of digits that a CSS `steps()` animation scrolls, one per `period / count` seconds. */
function DigitStrip({ count, kind }: { count: number; kind: 'tens' | 'ones' }) {
  return (
    <span className="clock-window" aria-hidden="true">
      <span
        className={`clock-strip clock-strip-${kind}`}
        data-period-ms={count === 6 ? 60_000 : 10_000}
        // The strip's CSS animation may start after the clock's effect ran (its stylesheet still
        // loading): set its phase from the clock whenever it starts, not only at the minute.
        onAnimationStart={(e) => syncStrip(e.currentTarget)}
      >
        {Array.from({ length: count }, (_, i) => (
          <span key={i}>{i}</span>
        ))}
      </span>
    </span>
  );
}

/**
 * Command centers keep China Standard Time on the wall, whatever the machine's zone. The wall
 * runs for weeks, and a clock that re-renders every second costs the main thread a frame every
 * second (style, layout, paint, commit — most of an idle wall's work). So the seconds are two
 * digit strips scrolled by CSS `steps()` transform animations, which the compositor runs off the
 * main thread; the page itself changes once a minute (hours, minutes, date), when the strips'
 * phase is also set again from the clock (Web Animations `currentTime`) so they never drift.
 */
export function Clock() {
  const { locale } = useLocale();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const next = () => {
      const d = new Date();
      setNow(d);
      timer = setTimeout(next, 60_000 - (d.getTime() % 60_000) + 5);
    };
    timer = setTimeout(next, 60_000 - (Date.now() % 60_000) + 5);
    return () => clearTimeout(timer);
  }, []);
  // The strips' phase from the clock, once each animation has started (an animation that starts
  // later than planned, on a page still busy loading, would otherwise run behind).
  const timeRef = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    let live = true;
    for (const strip of timeRef.current?.querySelectorAll<HTMLElement>('[data-period-ms]') ?? [])
      syncStrip(strip, () => live);
    return () => {
      live = false;
    };
  }, [now]);
  const hm = HOUR_MINUTE.format(now);
  return (
    <div className="clock" data-testid="wall-clock">
      <span className="clock-time" role="timer" aria-label={hm} ref={timeRef}>
        {hm}:
        <DigitStrip count={6} kind="tens" />
        <DigitStrip count={10} kind="ones" />
      </span>
      <span className="clock-date">{dateFormat(locale).format(now)}</span>
    </div>
  );
}

export function WallHeader({
  cityName,
  boundaryVersion,
  history = false,
  picker = null,
}: {
  cityName: string;
  boundaryVersion: number | null;
  /** The grids shown are not those in force (a version picked to look back or ahead). */
  history?: boolean;
  /** The version picker, for whoever may choose (not the kiosk). */
  picker?: ReactNode;
}) {
  const t = useT();
  return (
    <header className="wall-header">
      <div className="wall-header-side wall-header-left">
        <span className="wall-city" data-testid="wall-city">
          {cityName}
        </span>
        {boundaryVersion !== null ? (
          <span
            className={history ? 'wall-version wall-version-history' : 'wall-version'}
            data-testid="wall-version"
            data-version={boundaryVersion}
          >
            {t('wall.boundaryVersion')} v{boundaryVersion}
            {history ? ` · ${t('boundary.picker.notInForce')}` : ''}
          </span>
        ) : null}
        {picker}
        <CalendarDueLink className="wall-cal-due" />
        <HistoryLoadingNotice className="wall-history-loading" />
      </div>
      <div className="wall-title">
        <h1>{t('app.title')}</h1>
        <div className="wall-subtitle">{t('app.subtitle')}</div>
      </div>
      <div className="wall-header-side wall-header-right">
        <ConnectionIndicator />
        <Clock />
        <LocaleSwitch />
      </div>
    </header>
  );
}

import { useEffect, useState } from 'react';
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

/** Command centers keep China Standard Time on the wall, whatever the machine's zone. */
export function Clock() {
  const { locale } = useLocale();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  const time = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(now);
  const date = new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).format(now);
  return (
    <div className="clock" data-testid="wall-clock">
      <span className="clock-time">{time}</span>
      <span className="clock-date">{date}</span>
    </div>
  );
}

export function WallHeader({ cityName, boundaryVersion }: { cityName: string; boundaryVersion: number | null }) {
  const t = useT();
  return (
    <header className="wall-header">
      <div className="wall-header-side wall-header-left">
        <span className="wall-city" data-testid="wall-city">{cityName}</span>
        {boundaryVersion !== null ? (
          <span className="wall-version">
            {t('wall.boundaryVersion')} v{boundaryVersion}
          </span>
        ) : null}
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

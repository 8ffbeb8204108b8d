import { DUTY_STATES } from '@gcc/shared';
import type { ConnState } from '../live/connection.ts';
import type { PositionStats } from '../live/positions.protocol.ts';
import { createStore } from '../live/store.ts';

export interface LiveStatus {
  stream: ConnState;
  positions: ConnState;
  /** Workers heard from within the online window. */
  online: number;
  /** Workers on the map now. */
  present: number;
  byDuty: number[];
  stats: PositionStats;
  /** When the newest position update was drawn (ms, performance clock). */
  drawnAt: number;
}

export const liveStatus = createStore<LiveStatus>({
  stream: 'connecting',
  positions: 'connecting',
  online: 0,
  present: 0,
  byDuty: DUTY_STATES.map(() => 0),
  stats: { frames: 0, snapshots: 0, gapFrames: 0, coalesced: 0, lagMs: 0, decodeMs: 0 },
  drawnAt: 0,
});

import { SHANGHAI_OFFSET_MS } from '@gcc/shared';
/** Month, day, hour and minute in the command center's time (Asia/Shanghai), whatever the browser's zone: "12-05 13:50". */
export const centreTimeFormat = (locale: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

/**
 * A `datetime-local` value ("2027-01-01T08:00") read as the centre's time, in ms since the
 * epoch; null when it is not one.
 */
export function centreLocalToMs(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi) - SHANGHAI_OFFSET_MS;
  // Date.UTC rolls 2027-02-30 over into March: such a date is no date.
  const back = new Date(ms + SHANGHAI_OFFSET_MS);
  return back.getUTCDate() === d && back.getUTCMonth() === mo - 1 ? ms : null;
}

/** ms since the epoch as a `datetime-local` value in the centre's time. */
export function msToCentreLocal(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** Year, month, day, hour and minute in the centre's time: "2026-12-05 13:50" (for records that span years). */
export function centreDateTime(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

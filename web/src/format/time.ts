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

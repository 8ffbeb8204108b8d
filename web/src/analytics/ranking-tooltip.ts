import type { Ratio } from '@gcc/shared';
import { format } from 'echarts/core';
import { count, pct } from './format.ts';

// ECharts puts a formatter's string into the page as HTML. A group's name is data (a unit or a
// worker as an administrator typed it), so it is escaped: a name like `<img src=x onerror=…>`
// shows as text instead of running.

/** The ranking chart's tooltip for one group: its name, escaped, and its value (a count or a rate with its fraction). */
export function rankingTooltip(name: string, value: number | Ratio): string {
  const shown =
    typeof value === 'number' ? count(value) : `${pct(value.rate)} (${value.numerator}/${value.denominator})`;
  return `${format.encodeHTML(name)}<br/><b>${shown}</b>`;
}

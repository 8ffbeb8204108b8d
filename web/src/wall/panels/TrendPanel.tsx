import { useMemo, useSyncExternalStore } from 'react';
import { useLocale, useT } from '../../app/i18n.tsx';
import type { CaseBoard } from '../case-board.ts';
import { CJK_FONT_STACK } from '../../app/fonts.ts';
import { Chart } from '../../charts/Chart.tsx';
import { Panel } from './Panel.tsx';

/** Reports per day over the last week (today's bar from the live board). */
export function TrendPanel({
  board,
  todayTotal,
  rem,
}: {
  board: CaseBoard;
  todayTotal: number | null;
  rem: number;
}) {
  const t = useT();
  const { locale } = useLocale();
  const heatVersion = useSyncExternalStore(board.subscribe, () => board.heatVersion);
  const days = useMemo(() => {
    void heatVersion;
    return board.daily();
  }, [board, heatVersion]);

  const option = useMemo(() => {
    const fmt = new Intl.DateTimeFormat(locale, {
      timeZone: 'Asia/Shanghai',
      month: '2-digit',
      day: '2-digit',
    });
    const labels = days.map(([d], i) => (i === days.length - 1 ? t('wall.today') : fmt.format(new Date(d))));
    // Today's bar shows the authoritative count when we have it.
    const values = days.map(([, n], i) => (i === days.length - 1 && todayTotal !== null ? todayTotal : n));
    const axisText = { color: '#8aa4c4', fontSize: 0.8 * rem, fontFamily: CJK_FONT_STACK };
    return {
      grid: { left: 2.6 * rem, right: 0.8 * rem, top: 1.6 * rem, bottom: 1.7 * rem },
      textStyle: { fontFamily: CJK_FONT_STACK },
      tooltip: { show: false },
      xAxis: {
        type: 'category',
        data: labels,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: 'rgba(72,160,255,0.35)' } },
        axisLabel: axisText,
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        splitNumber: 3,
        axisLabel: axisText,
        splitLine: { lineStyle: { color: 'rgba(72,160,255,0.12)', type: 'dashed' } },
      },
      series: [
        {
          type: 'bar',
          data: values.map((v, i) => ({
            value: v,
            itemStyle: {
              borderRadius: [0.25 * rem, 0.25 * rem, 0, 0],
              color: {
                type: 'linear',
                x: 0,
                y: 0,
                x2: 0,
                y2: 1,
                colorStops:
                  i === values.length - 1
                    ? [
                        { offset: 0, color: '#ffd166' },
                        { offset: 1, color: 'rgba(255,176,32,0.25)' },
                      ]
                    : [
                        { offset: 0, color: '#36c5f0' },
                        { offset: 1, color: 'rgba(47,124,246,0.2)' },
                      ],
              },
            },
          })),
          barWidth: '46%',
          label: {
            show: true,
            position: 'top',
            color: '#cfe3ff',
            fontSize: 0.8 * rem,
            fontFamily: CJK_FONT_STACK,
          },
          animationDuration: 500,
        },
      ],
    };
  }, [days, todayTotal, rem, locale, t]);

  return (
    <Panel title={t('wall.trend7d')} className="trend-panel">
      <Chart option={option} testId="chart-trend" />
    </Panel>
  );
}

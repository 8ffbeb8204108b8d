import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { CSSProperties } from 'react';

// Only the chart types the screens use are bundled (the wall's panels, analytics, the planner's
// band chart, whose target band is a mark area).
echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** An ECharts canvas at the device's pixel ratio, resized with its box. */
export function Chart({
  option,
  style,
  testId,
}: {
  option: Record<string, unknown>;
  style?: CSSProperties;
  testId?: string;
}) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge={false}
      lazyUpdate
      opts={{ renderer: 'canvas', devicePixelRatio: window.devicePixelRatio || 1 }}
      style={{ width: '100%', height: '100%', ...style }}
      data-testid={testId}
    />
  );
}

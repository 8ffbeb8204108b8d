import { useMemo } from 'react';
import { useCategoryOf } from '../../directory/categories.ts';
import { useT } from '../../app/i18n.tsx';
import { useCategoryName } from '../../directory/category-name.ts';
import { CJK_FONT_STACK } from '../../app/fonts.ts';
import { Chart } from '../../charts/Chart.tsx';
import { Panel } from './Panel.tsx';

const TOP = 7;
const COLORS = ['#36c5f0', '#4d9dff', '#8f7bff', '#2ee6a6', '#ffb020', '#ff7a45', '#ff4d6d', '#5c6f8c'];
const URGENCY_MARK = { red: '#ff4d4f', yellow: '#ffc426', blue: '#409eff' } as const;

/** Today's top categories as a ring, the rest folded into "other". */
export function CategoryPanel({
  byCategory,
  rem,
}: {
  byCategory: Record<string, number> | null;
  rem: number;
}) {
  const t = useT();
  const name = useCategoryName();
  const categoryOf = useCategoryOf();
  const rows = useMemo(() => {
    const all = Object.entries(byCategory ?? {})
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    const top = all.slice(0, TOP).map(([code, n]) => ({ code, name: name(code), value: n }));
    const rest = all.slice(TOP).reduce((a, [, n]) => a + n, 0);
    if (rest > 0) top.push({ code: '', name: t('wall.others'), value: rest });
    return top;
  }, [byCategory, name, t]);
  const total = rows.reduce((a, r) => a + r.value, 0);

  const option = useMemo(
    () => ({
      color: COLORS,
      textStyle: { fontFamily: CJK_FONT_STACK },
      tooltip: { show: false },
      series: [
        {
          type: 'pie',
          radius: ['58%', '86%'],
          center: ['50%', '50%'],
          avoidLabelOverlap: false,
          silent: true,
          label: {
            show: true,
            position: 'center',
            formatter: () => `{n|${total.toLocaleString('zh-CN')}}\n{l|${t('wall.today')}}`,
            rich: {
              n: {
                fontSize: 1.9 * rem,
                fontWeight: 700,
                color: '#e6f1ff',
                fontFamily: CJK_FONT_STACK,
                lineHeight: 2.2 * rem,
              },
              l: { fontSize: 0.85 * rem, color: '#7d94b4', fontFamily: CJK_FONT_STACK },
            },
          },
          labelLine: { show: false },
          itemStyle: { borderColor: '#07132a', borderWidth: Math.max(1, 0.15 * rem) },
          data: rows.length
            ? rows.map((r) => ({ name: r.name, value: r.value }))
            : [{ name: '', value: 1, itemStyle: { color: '#15294a' } }],
          animationDuration: 500,
        },
      ],
    }),
    [rows, total, rem, t],
  );

  return (
    <Panel title={t('wall.byCategory')} className="category-panel">
      <div className="category-body">
        <div className="category-chart">
          <Chart option={option} testId="chart-category" />
        </div>
        <ul className="category-legend">
          {rows.map((r, i) => {
            const urgency = categoryOf(r.code)?.urgency;
            return (
              <li key={r.code || 'other'}>
                <span className="dot" style={{ background: COLORS[i % COLORS.length] }} />
                <span className="category-name">{r.name}</span>
                {urgency ? (
                  <span className="urgency-tick" style={{ background: URGENCY_MARK[urgency] }} />
                ) : (
                  <span className="urgency-tick" />
                )}
                <span
                  className="category-count"
                  data-testid={r.code ? `category-count-${r.code}` : 'category-count-other'}
                >
                  {r.value.toLocaleString('zh-CN')}
                </span>
              </li>
            );
          })}
          {rows.length === 0 ? <li className="empty">{t('wall.noRecent')}</li> : null}
        </ul>
      </div>
    </Panel>
  );
}

import { useT } from '../../app/i18n.tsx';
import { dutyCss } from '../../live/duty-colors.ts';
import { css, URGENCY_COLORS } from '../../map/palette.ts';
import { GRID_LOAD_RAMP, HEAT_RANGE } from '../load-colors.ts';

/** What the colours on the map mean. */
export function Legend({ breaks }: { breaks: number[] }) {
  const t = useT();
  const classes = breaks.map((b, i) => {
    const next = breaks[i + 1];
    return next === undefined ? `${b}+` : next - 1 > b ? `${b}–${next - 1}` : `${b}`;
  });
  const heat = `linear-gradient(90deg, ${HEAT_RANGE.slice(1)
    .map((c) => css(c))
    .join(', ')})`;
  return (
    <div className="legend" data-testid="map-legend">
      <div className="legend-group">
        <span className="legend-title">{t('wall.legend.gridLoad')}</span>
        <span className="legend-ramp">
          {GRID_LOAD_RAMP.map((c, i) => (
            <span key={i} className="legend-step">
              <span
                className="swatch"
                style={{ background: css([c[0], c[1], c[2], Math.min(255, c[3] + 60)]) }}
              />
              <span className="legend-tick">{i === 0 ? '0' : classes[i - 1]}</span>
            </span>
          ))}
        </span>
      </div>
      <div className="legend-group">
        <span className="legend-title">{t('wall.legend.case')}</span>
        {(['red', 'yellow', 'blue'] as const).map((u) => (
          <span key={u} className="legend-item">
            <span className="dot ring" style={{ background: css(URGENCY_COLORS[u]) }} />
            {t(`wall.urgency.${u}`)}
          </span>
        ))}
      </div>
      <div className="legend-group">
        <span className="legend-title">{t('wall.legend.worker')}</span>
        {(['available', 'enroute', 'onsite', 'busy', 'off'] as const).map((d) => (
          <span key={d} className="legend-item">
            <span className="dot small" style={{ background: dutyCss(d) }} />
            {t(`duty.${d}`)}
          </span>
        ))}
      </div>
      <div className="legend-group">
        <span className="legend-title">{t('wall.legend.heat')}</span>
        <span className="legend-heat" style={{ background: heat }} />
      </div>
    </div>
  );
}

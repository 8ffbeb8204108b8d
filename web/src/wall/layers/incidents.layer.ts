import { ScatterplotLayer } from '@deck.gl/layers';
import type { Case } from '@gcc/shared';
import type { UrgencyOf } from '../../directory/categories.ts';
import { URGENCY_COLORS } from '../../map/palette.ts';

export interface IncidentArrays {
  count: number;
  positions: Float64Array;
  colors: Uint8Array;
}

/** Packs cases into attribute arrays (coloured by category urgency). */
export function packIncidents(cases: Iterable<Case>, size: number, urgencyOf: UrgencyOf): IncidentArrays {
  const positions = new Float64Array(size * 2);
  const colors = new Uint8Array(size * 4);
  let i = 0;
  for (const c of cases) {
    if (i >= size) break;
    positions[2 * i] = c.lng;
    positions[2 * i + 1] = c.lat;
    const col = URGENCY_COLORS[urgencyOf(c.category)];
    colors.set(col, 4 * i);
    i++;
  }
  return { count: i, positions, colors };
}

/** Open cases: a dot per case, with a light rim so it reads on any grid colour. */
export function incidentsLayer(data: IncidentArrays, version: number, scale: number) {
  return new ScatterplotLayer({
    id: 'incidents',
    data: {
      length: data.count,
      attributes: {
        getPosition: { value: data.positions, size: 2 },
        getFillColor: { value: data.colors, size: 4, normalized: true },
      },
    },
    radiusUnits: 'pixels',
    getRadius: 5.5 * scale,
    stroked: true,
    getLineColor: [255, 255, 255, 220],
    lineWidthUnits: 'pixels',
    getLineWidth: 1.2 * scale,
    pickable: false,
    updateTriggers: { getFillColor: version, getPosition: version },
  });
}

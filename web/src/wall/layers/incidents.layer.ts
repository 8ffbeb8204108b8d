import { ScatterplotLayer } from '@deck.gl/layers';
import { findCategory, type Case } from '@gcc/shared';
import { URGENCY_COLORS } from '../palette.ts';

export interface IncidentArrays {
  count: number;
  positions: Float64Array;
  colors: Uint8Array;
}

/** Packs cases into attribute arrays (coloured by category urgency). */
export function packIncidents(cases: Iterable<Case>, size: number): IncidentArrays {
  const positions = new Float64Array(size * 2);
  const colors = new Uint8Array(size * 4);
  let i = 0;
  for (const c of cases) {
    if (i >= size) break;
    positions[2 * i] = c.lng;
    positions[2 * i + 1] = c.lat;
    const col = URGENCY_COLORS[findCategory(c.category)?.urgency ?? 'blue'];
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

/**
 * Rings around cases reported in the last minutes. `phase` (0–1) only changes uniforms
 * (radiusScale, opacity), so the pulse costs no buffer update.
 */
export function pulseLayer(data: IncidentArrays, version: number, phase: number, scale: number) {
  return new ScatterplotLayer({
    id: 'incident-pulse',
    data: {
      length: data.count,
      attributes: {
        getPosition: { value: data.positions, size: 2 },
        getLineColor: { value: data.colors, size: 4, normalized: true },
      },
    },
    radiusUnits: 'pixels',
    getRadius: 6 * scale,
    radiusScale: 1 + phase * 3.2,
    filled: false,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2.2 * scale,
    opacity: 0.95 * (1 - phase) ** 1.4,
    pickable: false,
    updateTriggers: { getPosition: version, getLineColor: version },
  });
}

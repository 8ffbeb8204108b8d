import { COORDINATE_SYSTEM } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { PositionsUpdate } from '../../live/positions.protocol.ts';

/**
 * Live workers straight from the worker thread's typed arrays (binary `data.attributes`): no
 * object per worker, one buffer upload per update.
 */
export function workersLayer(update: PositionsUpdate, scale: number) {
  return new ScatterplotLayer({
    id: 'workers',
    data: {
      length: update.count,
      attributes: {
        getPosition: { value: update.positions, size: 2 },
        getFillColor: { value: update.colors, size: 4, normalized: true },
      },
    },
    coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
    coordinateOrigin: [update.origin[0], update.origin[1], 0],
    radiusUnits: 'pixels',
    getRadius: 3.4 * scale,
    stroked: true,
    getLineColor: [3, 10, 22, 200],
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    pickable: false,
  });
}

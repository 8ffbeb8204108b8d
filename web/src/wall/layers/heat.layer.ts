import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { HEAT_RANGE } from '../load-colors.ts';

/**
 * Heat of the last 7 days' case reports ([lng, lat] per case). One layer id for the wall's life:
 * new points update the layer in place (a new id per update made deck.gl build and tear down a
 * heatmap — textures, framebuffers, aggregation — for every report).
 */
export function heatLayer(points: readonly [number, number][], scale: number) {
  return new HeatmapLayer<[number, number]>({
    id: 'heat',
    data: points as [number, number][],
    getPosition: (d) => d,
    getWeight: 1,
    radiusPixels: 52 * scale,
    intensity: 1.4,
    threshold: 0.04,
    colorRange: HEAT_RANGE,
    opacity: 0.62,
    aggregation: 'SUM',
    pickable: false,
  });
}

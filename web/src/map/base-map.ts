import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';

/** The offline base map the server draws from the city, unless MAP_STYLE_URL names another. */
export function baseMapStyleUrl(city: { mapStyleUrl: string | null }): string {
  return city.mapStyleUrl ?? '/basemap/style.json';
}

export interface BaseMapOptions {
  container: HTMLElement;
  styleUrl: string;
  /** The first view: the city's extent. */
  bbox: [number, number, number, number];
  padding: number | { top: number; right: number; bottom: number; left: number };
  /** Drawing-buffer scale; MapLibre's own default when absent. */
  pixelRatio?: number;
}

/**
 * A flat, north-up MapLibre map of the base map, as every screen shows the city: no rotation or
 * pitch (a governance map is read like a paper plan, and deck.gl layers stay 2-D), no attribution
 * box (the data is the city's own), and labels drawn at once instead of faded in.
 */
export function createBaseMap({
  container,
  styleUrl,
  bbox,
  padding,
  pixelRatio,
}: BaseMapOptions): maplibregl.Map {
  const map = new maplibregl.Map({
    container,
    style: styleUrl,
    bounds: bbox,
    fitBoundsOptions: { padding },
    attributionControl: false,
    ...(pixelRatio === undefined ? {} : { pixelRatio }),
    dragRotate: false,
    pitchWithRotate: false,
    maxPitch: 0,
    fadeDuration: 0,
  });
  map.touchZoomRotate.disableRotation();
  return map;
}

import { MapLibreOverlay } from '@deck.gl/maplibre';
import type maplibregl from 'maplibre-gl';
import { useEffect, useState, type RefObject } from 'react';
import { createBaseMap } from './base-map.ts';

/**
 * A base map in `container` with one deck.gl overlay above it, made once per style (`bbox` is only
 * the first view) and torn down with the component. The container gets `data-loaded` once the
 * style has loaded; `setup` adds the caller's own map listeners.
 */
export function useOverlayMap(
  container: RefObject<HTMLDivElement | null>,
  { styleUrl, bbox, padding }: { styleUrl: string; bbox: [number, number, number, number]; padding: number },
  setup?: (map: maplibregl.Map) => void,
): { map: maplibregl.Map; overlay: MapLibreOverlay } | null {
  const [scene, setScene] = useState<{ map: maplibregl.Map; overlay: MapLibreOverlay } | null>(null);
  useEffect(() => {
    if (!container.current) return;
    const map = createBaseMap({ container: container.current, styleUrl, bbox, padding });
    const overlay = new MapLibreOverlay({ interleaved: false, layers: [] });
    map.addControl(overlay);
    map.on('load', () => container.current?.setAttribute('data-loaded', 'true'));
    setup?.(map);
    setScene({ map, overlay });
    return () => {
      map.removeControl(overlay);
      overlay.finalize();
      map.remove();
      setScene(null);
    };
    // the map is made once per style; bbox is only the first view
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [styleUrl]);
  return scene;
}

import maplibregl from 'maplibre-gl';
import { transferList, type PositionsUpdate } from '../live/positions.protocol.ts';
import { WorkersLayer } from '../wall/layers/workers.layer.ts';
import { WallScene } from '../wall/scene.ts';

// The page driven by tests/bench/wall-update.bench.ts. `?mode=ours`: the wall's real path — an
// update made by a worker thread and drawn by that thread into the `WallScene`'s workers canvas
// (workers.renderer.ts), the main thread only hearing that the frame was drawn. With
// `&workers=main`, the wall's fallback: the arrays are transferred and shown by `WorkersLayer`
// (GPU buffers written in place, deck.gl binary attributes) at the next animation frame, the
// replaced arrays going back to the worker, as positions.client.ts does. `?mode=baseline`: a MapLibre
// GeoJSON source with a circle layer, `setData` with a FeatureCollection of the same points.
// Both on the same plain background style, so only the worker drawing differs.

declare global {
  interface Window {
    __bench?: {
      ready: boolean;
      update(): Promise<void>;
      /** `count` updates, each drawn, then `gapMs` of nothing: one call from the harness for all. */
      run(count: number, gapMs: number): Promise<void>;
    };
  }
}

const params = new URLSearchParams(location.search);
const mode = params.get('mode') ?? 'ours';
const n = Number(params.get('n') ?? 40_000);
const BBOX: [number, number, number, number] = [118.67, 28.74, 119.07, 29.14];
const style = {
  version: 8 as const,
  sources: {},
  layers: [{ id: 'bg', type: 'background' as const, paint: { 'background-color': '#0b1220' } }],
};
const styleUrl = URL.createObjectURL(new Blob([JSON.stringify(style)], { type: 'application/json' }));
const container = document.getElementById('map')!;
const bench: NonNullable<Window['__bench']> = {
  ready: false,
  update: async () => {},
  async run(count, gapMs) {
    for (let i = 0; i < count; i++) {
      await bench.update();
      await new Promise((r) => setTimeout(r, gapMs));
    }
  },
};
window.__bench = bench;

if (mode === 'ours') {
  const scene = new WallScene(container, styleUrl, BBOX, { top: 0, right: 0, bottom: 0, left: 0 });
  (window as unknown as { __benchScene: WallScene }).__benchScene = scene;
  const source = new Worker(new URL('./update-source.worker.ts', import.meta.url), { type: 'module' });
  let pending: (() => void) | null = null;
  if (scene.workersCanvas) {
    // The wall's path: once the map and the deck.gl panes are up (as WallMap hands it over), the
    // worker gets the workers canvas and draws into it; the main thread hears a frame was drawn.
    scene.onDrawn(() => {
      const canvas = scene.workersCanvas!.transfer();
      source.postMessage({ canvas }, [canvas]);
      scene.workersCanvas!.onCamera((camera) => source.postMessage({ camera }));
      bench.ready = true;
    });
    source.onmessage = () => pending?.();
  } else {
    // `?workers=main`: deck.gl draws on the main thread from the transferred arrays.
    const workers = new WorkersLayer(scene);
    let drawnAt = 0;
    let shown: PositionsUpdate | null = null;
    source.onmessage = (e: MessageEvent<PositionsUpdate>) => {
      workers.show(e.data, 1);
      if (shown) source.postMessage({ recycle: shown }, transferList(shown));
      shown = e.data;
      // Resolved once deck.gl has drawn the new layer.
      drawnAt = scene.deckFrames;
      const check = () => (scene.deckFrames > drawnAt ? pending?.() : requestAnimationFrame(check));
      requestAnimationFrame(check);
    };
    scene.onLoad(() => {
      bench.ready = true;
    });
  }
  bench.update = () =>
    new Promise<void>((resolve) => {
      pending = resolve;
      source.postMessage({ n });
    });
} else {
  const map = new maplibregl.Map({
    container,
    style: styleUrl,
    bounds: BBOX,
    attributionControl: false,
    fadeDuration: 0,
  });
  const base = new Float64Array(n * 2);
  for (let i = 0; i < n * 2; i++) base[i] = (Math.random() - 0.5) * 0.4;
  let version = 0;
  const collection = () => {
    const jitter = (++version % 2 ? 1 : -1) * 0.0001;
    const features = new Array(n);
    for (let i = 0; i < n; i++) {
      features[i] = {
        type: 'Feature',
        properties: { duty: 'available' },
        geometry: {
          type: 'Point',
          coordinates: [118.87 + base[i * 2]! + jitter, 28.94 + base[i * 2 + 1]! + jitter],
        },
      };
    }
    return { type: 'FeatureCollection' as const, features };
  };
  map.on('load', () => {
    map.addSource('w', { type: 'geojson', data: collection() });
    map.addLayer({
      id: 'w',
      type: 'circle',
      source: 'w',
      paint: {
        'circle-radius': 3.4,
        'circle-color': '#28dca0',
        'circle-stroke-width': 1,
        'circle-stroke-color': '#030a16',
      },
    });
    map.once('idle', () => {
      bench.ready = true;
    });
  });
  bench.update = () =>
    new Promise<void>((resolve) => {
      (map.getSource('w') as maplibregl.GeoJSONSource).setData(collection());
      map.once('idle', () => resolve());
    });
}

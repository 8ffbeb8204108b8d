import type { Layer } from '@deck.gl/core';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';

/** Layers bottom to top; each has its own update rate. */
const ORDER = ['grids', 'heat', 'workers', 'incidents', 'labels'] as const;
export type LayerSlot = (typeof ORDER)[number];

export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * The wall's map: MapLibre draws the offline base map, deck.gl (overlaid, its own canvas) the
 * data. Layer changes from any source are gathered and handed to deck.gl at most once per
 * animation frame.
 */
export class WallScene {
  readonly map: maplibregl.Map;
  private readonly overlay: MapLibreOverlay;
  private readonly layers = new Map<LayerSlot, Layer | null>();
  private raf = 0;
  private bbox: [number, number, number, number];
  private userMoved = false;
  private loaded = false;
  private readonly loadListeners: (() => void)[] = [];
  /** Frames deck.gl drew (stats overlay). */
  deckFrames = 0;

  constructor(container: HTMLElement, styleUrl: string, bbox: [number, number, number, number], padding: Padding) {
    this.bbox = bbox;
    this.map = new maplibregl.Map({
      container,
      style: styleUrl,
      bounds: bbox,
      fitBoundsOptions: { padding },
      attributionControl: false,
      pixelRatio: window.devicePixelRatio || 1,
      dragRotate: false,
      pitchWithRotate: false,
      maxPitch: 0,
      fadeDuration: 0,
    });
    this.map.touchZoomRotate.disableRotation();
    this.overlay = new MapLibreOverlay({
      interleaved: false,
      layers: [],
      useDevicePixels: true,
      onAfterRender: () => {
        this.deckFrames++;
      },
    });
    this.map.addControl(this.overlay);
    this.map.on('load', () => {
      this.loaded = true;
      for (const l of this.loadListeners.splice(0)) l();
    });
    // Once someone pans or zooms, stop re-fitting on resize.
    this.map.on('dragstart', () => (this.userMoved = true));
    this.map.on('wheel', () => (this.userMoved = true));
  }

  onLoad(listener: () => void): void {
    if (this.loaded) listener();
    else this.loadListeners.push(listener);
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Layers switched off for diagnosis (`?off=heat,pulse`). */
  readonly off = new Set<string>(new URLSearchParams(location.search).get('off')?.split(',') ?? []);

  setLayer(slot: LayerSlot, layer: Layer | null): void {
    if (this.off.has(slot)) return;
    this.layers.set(slot, layer);
    if (!this.raf) this.raf = requestAnimationFrame(this.commit);
  }

  private readonly commit = () => {
    this.raf = 0;
    const layers: Layer[] = [];
    for (const slot of ORDER) {
      const l = this.layers.get(slot);
      if (l) layers.push(l);
    }
    this.overlay.setProps({ layers });
  };

  /** Fits the city into the part of the screen the panels leave free. */
  fit(padding: Padding, bbox = this.bbox, force = false): void {
    this.bbox = bbox;
    if (this.userMoved && !force) return;
    this.map.resize();
    this.map.fitBounds(bbox, { padding, animate: false });
  }

  destroy(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.map.removeControl(this.overlay);
    this.overlay.finalize();
    this.map.remove();
  }
}

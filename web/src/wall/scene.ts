import type { Layer } from '@deck.gl/core';
import type { Device } from '@luma.gl/core';
import type maplibregl from 'maplibre-gl';
import { createBaseMap } from '../map/base-map.ts';
import { DeckPane } from './deck-pane.ts';
import { offscreenWorkersSupported, WorkersCanvas } from './workers-canvas.ts';

/**
 * Layers bottom to top; each has its own update rate. The live workers sit between the two
 * deck.gl panes: drawn by the positions worker into its own canvas where the browser can
 * (`workersCanvas`), else as the `workers` layer at the bottom of the upper pane.
 */
const BELOW = ['grids', 'heat'] as const;
const ABOVE = ['workers', 'incidents', 'labels'] as const;
export type LayerSlot = (typeof BELOW)[number] | (typeof ABOVE)[number];

export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * The wall's map: MapLibre draws the offline base map, deck.gl the data in two panes (grids and
 * heat under the workers, incidents and labels over them), each drawn on demand. A change in one
 * pane redraws only that pane: a new incident does not redraw 1,200 grid polygons.
 */
export class WallScene {
  readonly map: maplibregl.Map;
  private readonly below: DeckPane<(typeof BELOW)[number]>;
  /** Where the positions worker draws the workers; null when they are drawn by deck.gl here. */
  readonly workersCanvas: WorkersCanvas | null;
  private readonly above: DeckPane<(typeof ABOVE)[number]>;
  private bbox: [number, number, number, number];
  private userMoved = false;
  private loaded = false;
  private readonly loadListeners: (() => void)[] = [];

  constructor(
    container: HTMLElement,
    styleUrl: string,
    bbox: [number, number, number, number],
    padding: Padding,
  ) {
    this.bbox = bbox;
    this.map = createBaseMap({
      container,
      styleUrl,
      bbox,
      padding,
      pixelRatio: window.devicePixelRatio || 1,
    });
    // Controls stack in the order they are added.
    this.below = new DeckPane(this.map, BELOW);
    this.workersCanvas = offscreenWorkersSupported() ? new WorkersCanvas() : null;
    if (this.workersCanvas) this.map.addControl(this.workersCanvas, 'top-left');
    this.above = new DeckPane(this.map, ABOVE);
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

  /**
   * Calls `listener` once the base map has loaded and both deck.gl panes have drawn: their GPU
   * set-up (shader compiles, synchronous in software rendering) is over.
   */
  onDrawn(listener: () => void): void {
    const check = () => {
      if (this.destroyed) return;
      if (this.loaded && this.below.frames > 0 && this.above.frames > 0) listener();
      else setTimeout(check, 100);
    };
    check();
  }

  private destroyed = false;

  /** Frames deck.gl drew, both panes (stats overlay). */
  get deckFrames(): number {
    return this.below.frames + this.above.frames;
  }

  /** The GPU device of the pane the main-thread workers layer lives in (it owns buffers there). */
  get device(): Device | null {
    return this.above.device;
  }

  /** Layers switched off for diagnosis (`?off=heat,pulse`). */
  readonly off = new Set<string>(new URLSearchParams(location.search).get('off')?.split(',') ?? []);

  setLayer(slot: LayerSlot, layer: Layer | null): void {
    if (this.off.has(slot)) return;
    if (this.below.has(slot)) this.below.setLayer(slot, layer);
    else if (this.above.has(slot)) this.above.setLayer(slot, layer);
  }

  /** Draws `slot`'s pane again at the next animation frame (a layer's buffers were written in place). */
  redraw(slot: LayerSlot, reason: string): void {
    if (this.below.has(slot)) this.below.redraw(reason);
    else this.above.redraw(reason);
  }

  /** Fits the city into the part of the screen the panels leave free. */
  fit(padding: Padding, bbox = this.bbox, force = false): void {
    this.bbox = bbox;
    if (this.userMoved && !force) return;
    this.map.resize();
    this.map.fitBounds(bbox, { padding, animate: false });
  }

  destroy(): void {
    this.destroyed = true;
    this.below.destroy();
    this.above.destroy();
    if (this.workersCanvas) this.map.removeControl(this.workersCanvas);
    this.map.remove();
  }
}

import type maplibregl from 'maplibre-gl';
import type { WallCamera } from '../live/positions.protocol.ts';

/** `?workers=main` draws workers with deck.gl on the main thread (diagnosis, comparison). */
const FORCE_MAIN = new URLSearchParams(location.search).get('workers') === 'main';

/** Whether workers can be drawn by the positions worker into an OffscreenCanvas here. */
export function offscreenWorkersSupported(): boolean {
  return (
    !FORCE_MAIN &&
    typeof HTMLCanvasElement !== 'undefined' &&
    typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function'
  );
}

/**
 * The canvas the positions worker draws the live workers into (see live/workers.renderer.ts). A
 * MapLibre control, so it stacks between the deck.gl panes in the order they are added; it
 * hands its drawing surface to the worker once and then only reports the map's camera when it
 * changes (the worker draws at its own animation frames; a pan shows the dots at most one frame
 * behind the map).
 */
export class WorkersCanvas implements maplibregl.IControl {
  private map: maplibregl.Map | null = null;
  private readonly container = document.createElement('div');
  private canvas: HTMLCanvasElement | null = null;
  private last = '';
  private listener: ((camera: WallCamera) => void) | null = null;
  private dotScale = 1;

  constructor() {
    Object.assign(this.container.style, { position: 'absolute', left: '0', top: '0', pointerEvents: 'none' });
  }

  onAdd(map: maplibregl.Map): HTMLElement {
    this.map = map;
    map.on('render', this.report);
    map.on('resize', this.report);
    this.report();
    return this.container;
  }

  onRemove(): void {
    this.map?.off('render', this.report);
    this.map?.off('resize', this.report);
    this.map = null;
    this.container.remove();
  }

  getDefaultPosition(): maplibregl.ControlPosition {
    return 'top-left';
  }

  /**
   * A new drawing surface to hand to a worker. A canvas can be handed over only once, so each call
   * replaces the previous one (whose worker has stopped).
   */
  transfer(): OffscreenCanvas {
    this.canvas?.remove();
    const canvas = document.createElement('canvas');
    Object.assign(canvas.style, { position: 'absolute', left: '0', top: '0', width: '100%', height: '100%' });
    canvas.className = 'wall-workers-canvas';
    this.container.appendChild(canvas);
    this.canvas = canvas;
    return canvas.transferControlToOffscreen();
  }

  /** Calls `listener` with the camera now and whenever it changes. */
  onCamera(listener: (camera: WallCamera) => void): void {
    this.listener = listener;
    this.last = '';
    this.report();
  }

  /** UI scale of the dots (1 on a 1920×1080 panel). */
  setDotScale(scale: number): void {
    this.dotScale = scale;
    this.report();
  }

  private readonly report = () => {
    const map = this.map;
    if (!map || !this.listener) return;
    const box = map.getContainer();
    const width = box.clientWidth;
    const height = box.clientHeight;
    this.container.style.width = `${width}px`;
    this.container.style.height = `${height}px`;
    const c = map.getCenter();
    const camera: WallCamera = {
      lng: c.lng,
      lat: c.lat,
      zoom: map.getZoom(),
      width,
      height,
      dpr: map.getPixelRatio(),
      dotScale: this.dotScale,
    };
    const key = `${camera.lng}|${camera.lat}|${camera.zoom}|${width}|${height}|${camera.dpr}|${camera.dotScale}`;
    if (key === this.last) return;
    this.last = key;
    this.listener(camera);
  };
}

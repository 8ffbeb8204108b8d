import type { Layer } from '@deck.gl/core';
import type { Device } from '@luma.gl/core';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import type maplibregl from 'maplibre-gl';
import { installGlCallCache } from './gl-call-cache.ts';

/**
 * The parts of deck.gl's `Deck` that on-demand drawing uses. `animationLoop` and
 * `layerManager` are not public API (deck.gl is pinned, 9.4); they are checked at run time and,
 * if missing, deck.gl keeps its own loop — correct, only costlier when idle.
 */
interface DeckInternals {
  redraw(reason?: string): void;
  animationLoop?: { stop(): void; redraw(): void } | null;
  layerManager?: { needsUpdate(): string | false } | null;
  needsRedraw(opts?: { clearRedrawFlags: boolean }): string | false;
}

/** How often an idle pane asks deck.gl whether anything changed behind its back (async loads). */
const WATCHDOG_MS = 1000;

/**
 * One deck.gl canvas over the map (a MapLibre control, so panes stack in the order they are
 * added), holding an ordered set of layer slots. Layer changes are gathered and handed to
 * deck.gl at most once per animation frame.
 *
 * Drawing is on demand: deck.gl's own loop wakes every animation frame to ask whether anything
 * changed, which costs a headless software-rendered wall about 45 ms of main thread per second
 * doing nothing. Once deck.gl is up its loop is stopped and a frame is drawn only when layers
 * change, the map moves, or deck.gl still has work (transitions, async loads: checked after each
 * frame and by a 1 s watchdog).
 */
export class DeckPane<Slot extends string> {
  private readonly overlay: MapLibreOverlay;
  private readonly layers = new Map<Slot, Layer | null>();
  private raf = 0;
  private layersChanged = false;
  private redrawReason: string | null = null;
  private deck: DeckInternals | null = null;
  private drawRaf = 0;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  /** Frames deck.gl drew (stats overlay, benchmark). */
  frames = 0;
  /** deck.gl's GPU device once it is up (layers that own buffers need it). */
  device: Device | null = null;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly order: readonly Slot[],
  ) {
    this.overlay = new MapLibreOverlay({
      interleaved: false,
      layers: [],
      useDevicePixels: true,
      // luma.gl asks for a preserved drawing buffer by default, which makes Chromium copy the whole
      // canvas for the compositor on every frame; every frame here redraws everything anyway
      // (measured: 9.5 → 7.7 ms of main thread per 40,000-worker update).
      deviceProps: { webgl: { preserveDrawingBuffer: false } },
      onAfterRender: () => {
        this.frames++;
      },
      onLoad: () => this.drawOnDemand(),
      onDeviceInitialized: (device) => {
        this.device = device;
        const gl = (device as { gl?: WebGL2RenderingContext }).gl;
        if (gl) installGlCallCache(gl);
      },
    });
    map.addControl(this.overlay, 'top-left');
  }

  has(slot: string): slot is Slot {
    return (this.order as readonly string[]).includes(slot);
  }

  setLayer(slot: Slot, layer: Layer | null): void {
    this.layers.set(slot, layer);
    this.layersChanged = true;
    if (!this.raf) this.raf = requestAnimationFrame(this.commit);
  }

  /** Draws again at the next animation frame although no layer changed (a layer's buffers were written in place). */
  redraw(reason: string): void {
    this.redrawReason = reason;
    if (!this.raf) this.raf = requestAnimationFrame(this.commit);
  }

  private readonly commit = () => {
    this.raf = 0;
    if (this.layersChanged) {
      this.layersChanged = false;
      const layers: Layer[] = [];
      for (const slot of this.order) {
        const l = this.layers.get(slot);
        if (l) layers.push(l);
      }
      this.overlay.setProps({ layers });
    }
    const drawn = this.frames;
    this.draw();
    const reason = this.redrawReason;
    this.redrawReason = null;
    if (reason && this.frames === drawn) this.deckHandle()?.redraw(reason);
  };

  /** The Deck behind the overlay (its public `redraw` only), also when on-demand drawing is off. */
  private deckHandle(): Pick<DeckInternals, 'redraw'> | null {
    return this.deck ?? (this.overlay as unknown as { _deck?: DeckInternals })._deck ?? null;
  }

  /** Takes drawing over from deck.gl's per-frame loop (see the class comment). */
  private drawOnDemand(): void {
    const deck = (this.overlay as unknown as { _deck?: DeckInternals })._deck;
    const loop = deck?.animationLoop;
    if (
      !deck ||
      !loop ||
      typeof loop.stop !== 'function' ||
      typeof loop.redraw !== 'function' ||
      typeof deck.needsRedraw !== 'function'
    ) {
      return; // deck.gl internals changed: deck.gl keeps its own per-frame loop
    }
    loop.stop();
    this.deck = deck;
    // The overlay redraws deck.gl itself when the map renders; layers that react to the new
    // viewport may still need an update, caught by the check after it.
    this.map.on('render', this.drawIfPending);
    this.watchdog = setInterval(this.drawIfPending, WATCHDOG_MS);
    this.draw();
  }

  /** deck.gl has layer updates or a redraw waiting. */
  private pending(): boolean {
    const deck = this.deck;
    return !!deck && (!!deck.needsRedraw({ clearRedrawFlags: false }) || !!deck.layerManager?.needsUpdate());
  }

  private readonly drawIfPending = () => {
    if (this.pending() && !this.drawRaf) this.drawRaf = requestAnimationFrame(this.drawFrame);
  };

  private readonly drawFrame = () => {
    this.drawRaf = 0;
    this.draw();
  };

  /** One deck.gl frame (update layers, draw if needed) now; another next frame while work remains. */
  private draw(): void {
    if (!this.deck) return;
    this.deck.animationLoop!.redraw();
    this.drawIfPending();
  }

  destroy(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    if (this.drawRaf) cancelAnimationFrame(this.drawRaf);
    clearInterval(this.watchdog);
    this.map.off('render', this.drawIfPending);
    this.deck = null;
    this.map.removeControl(this.overlay);
    this.overlay.finalize();
  }
}

import { COORDINATE_SYSTEM } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { Buffer, type Device } from '@luma.gl/core';
import type { PositionsUpdate } from '../../live/positions.protocol.ts';
import type { WallScene } from '../scene.ts';

/** Spare slots allocated on growth, so workers appearing one by one do not reallocate each time. */
const GROWTH = 1.25;
const MIN_CAPACITY = 1024;
/** Replaced buffers live on this long: the old layer may draw once more before the new one is in. */
const RETIRE_MS = 1000;

/**
 * Live workers drawn straight from the worker thread's typed arrays. The GPU buffers are ours
 * and written in place (`bufferSubData` of the positions, of the colours only when one changed); the deck.gl layer holds them as
 * binary attributes and is rebuilt only when the slot count, origin or scale changes. An update
 * then costs a buffer write and one redraw — no layer diffing, no attribute manager work, no
 * per-update GPU allocation. Before deck.gl has a device the layer takes the arrays as values.
 */
export class WorkersLayer {
  private positions: Buffer | null = null;
  private colors: Buffer | null = null;
  private capacity = 0;
  private layer: ScatterplotLayer | null = null;
  private shape = '';
  /** What the colour buffer holds: most updates only move workers, colours are then not re-sent. */
  private colorsVersion = -1;
  private colorsCount = -1;

  constructor(private readonly scene: WallScene) {}

  show(update: PositionsUpdate, scale: number): void {
    const device = this.scene.device;
    if (!device) {
      this.scene.setLayer('workers', valueLayer(update, scale));
      return;
    }
    if (update.count > this.capacity || !this.positions || !this.colors) this.allocate(device, update.count);
    this.positions!.write(update.positions);
    if (update.colorsVersion !== this.colorsVersion || update.count !== this.colorsCount) {
      this.colors!.write(update.colors);
      this.colorsVersion = update.colorsVersion;
      this.colorsCount = update.count;
    }
    const shape = `${update.count}|${update.origin[0]}|${update.origin[1]}|${scale}`;
    if (this.layer && shape === this.shape) {
      this.scene.redraw('workers', 'worker positions');
      return;
    }
    this.shape = shape;
    this.layer = new ScatterplotLayer({
      ...LOOK(scale),
      data: {
        length: update.count,
        attributes: {
          getPosition: { buffer: this.positions!, type: 'float32', size: 2 },
          getFillColor: { buffer: this.colors!, type: 'unorm8', size: 4 },
        },
      },
      coordinateOrigin: [update.origin[0], update.origin[1], 0],
    });
    this.scene.setLayer('workers', this.layer);
  }

  private allocate(device: Device, count: number): void {
    // The layer on screen keeps drawing from the old buffers until the new one is committed.
    const old = [this.positions, this.colors];
    setTimeout(() => old.forEach((b) => b?.destroy()), RETIRE_MS);
    this.colorsVersion = -1;
    this.capacity = Math.max(MIN_CAPACITY, Math.ceil(count * GROWTH));
    const usage = Buffer.VERTEX | Buffer.COPY_DST;
    this.positions = device.createBuffer({ id: 'workers-positions', byteLength: this.capacity * 8, usage });
    this.colors = device.createBuffer({ id: 'workers-colors', byteLength: this.capacity * 4, usage });
    this.layer = null;
  }

  private destroyBuffers(): void {
    this.positions?.destroy();
    this.colors?.destroy();
    this.positions = this.colors = null;
  }

  destroy(): void {
    this.scene.setLayer('workers', null);
    this.layer = null;
    this.destroyBuffers();
  }
}

/** What every workers layer shares: dots in pixels, a thin dark outline, offsets from an origin. */
const LOOK = (scale: number) => ({
  id: 'workers',
  coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
  radiusUnits: 'pixels' as const,
  getRadius: 3.4 * scale,
  stroked: true,
  getLineColor: [3, 10, 22, 200] as [number, number, number, number],
  lineWidthUnits: 'pixels' as const,
  getLineWidth: 1,
  pickable: false,
});

function valueLayer(update: PositionsUpdate, scale: number): ScatterplotLayer {
  return new ScatterplotLayer({
    ...LOOK(scale),
    data: {
      length: update.count,
      attributes: {
        getPosition: { value: update.positions, size: 2 },
        getFillColor: { value: update.colors, size: 4, normalized: true },
      },
    },
    coordinateOrigin: [update.origin[0], update.origin[1], 0],
  });
}

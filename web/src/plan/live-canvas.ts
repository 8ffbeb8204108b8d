import type { RGBA } from '../map/palette.ts';

// What follows the pointer on the planner's map (a dragged border, the snap ring, a line being
// drawn, the selection box) is drawn on a plain 2D canvas over the map, not as deck.gl layers: a
// pointer move then costs a few path strokes in the page, not a deck.gl frame (layer diffing,
// attribute updates, a WebGL draw through the GPU command buffer). Only the part of the canvas
// drawn last time is cleared.

/** Lines and rings to draw now, in map coordinates. */
export interface LiveScene {
  paths: { positions: readonly Float64Array[]; color: RGBA; width: number }[];
  /** Rings of a fixed radius in pixels, round points (snap target, sketch points). */
  points: { at: readonly (readonly [number, number])[]; color: RGBA; radius: number }[];
}

export const EMPTY_SCENE: LiveScene = { paths: [], points: [] };

const css = (c: RGBA) => `rgba(${c[0]},${c[1]},${c[2]},${c[3] / 255})`;

/** A canvas over the map that draws a LiveScene, clearing only what it drew before. */
export class LiveCanvas {
  private readonly ctx: CanvasRenderingContext2D;
  /** What the last draw covered, in CSS pixels (x0, y0, x1, y1), or null when nothing is drawn. */
  private dirty: [number, number, number, number] | null = null;
  private ratio = 1;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { desynchronized: true })!;
  }

  /** Matches the canvas to its box on screen (call when the map resizes). */
  resize(width: number, height: number): void {
    this.ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * this.ratio);
    this.canvas.height = Math.round(height * this.ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.dirty = null;
  }

  /** Clears what was drawn and draws `scene`, projecting map coordinates with `project`. */
  draw(scene: LiveScene, project: (lng: number, lat: number) => { x: number; y: number }): void {
    const ctx = this.ctx;
    const r = this.ratio;
    ctx.setTransform(r, 0, 0, r, 0, 0);
    if (this.dirty) {
      const [x0, y0, x1, y1] = this.dirty;
      ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
    }
    let box: [number, number, number, number] | null = null;
    const cover = (x: number, y: number, pad: number) => {
      if (!box) box = [x - pad, y - pad, x + pad, y + pad];
      else {
        if (x - pad < box[0]) box[0] = x - pad;
        if (y - pad < box[1]) box[1] = y - pad;
        if (x + pad > box[2]) box[2] = x + pad;
        if (y + pad > box[3]) box[3] = y + pad;
      }
    };
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const p of scene.paths) {
      if (!p.positions.length) continue;
      ctx.strokeStyle = css(p.color);
      ctx.lineWidth = p.width;
      ctx.beginPath();
      for (const line of p.positions)
        for (let i = 0; i + 1 < line.length; i += 2) {
          const at = project(line[i]!, line[i + 1]!);
          if (i === 0) ctx.moveTo(at.x, at.y);
          else ctx.lineTo(at.x, at.y);
          cover(at.x, at.y, p.width + 2);
        }
      ctx.stroke();
    }
    for (const p of scene.points) {
      if (!p.at.length) continue;
      ctx.strokeStyle = css(p.color);
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      for (const [lng, lat] of p.at) {
        const at = project(lng, lat);
        ctx.moveTo(at.x + p.radius, at.y);
        ctx.arc(at.x, at.y, p.radius, 0, 2 * Math.PI);
        cover(at.x, at.y, p.radius + 4);
      }
      ctx.stroke();
    }
    this.dirty = box;
  }
}

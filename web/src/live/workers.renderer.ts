/// <reference lib="webworker" />
import type { WallCamera } from './positions.protocol.ts';

// Draws the live workers into an OffscreenCanvas, inside the worker thread that has the
// positions. A 40,000-worker update then costs the wall's main thread nothing (measured: a
// deck.gl layer on the main thread, buffers written in place, still costs ~8 ms of main thread
// per update here, most of it Chromium producing a frame for a DOM WebGL canvas; an
// OffscreenCanvas commits its frames from the worker straight to the compositor).
//
// Plain WebGL2, one instanced program: deck.gl 9.4's `Deck` needs the DOM (event root,
// widgets) and cannot run in a worker, and the drawing is a single instanced quad per worker.
// It matches the wall's deck.gl `ScatterplotLayer` look for workers (fill by duty, thin dark
// outline, sizes in CSS pixels) and MapLibre's Web Mercator camera (512 px tiles, no pitch or
// bearing: the wall map allows neither).

/** Dot radius and outline in CSS pixels at UI scale 1 (as the deck.gl workers layer drew them). */
const RADIUS_PX = 3.4;
const LINE_PX = 1;
const LINE_RGBA = [3 / 255, 10 / 255, 22 / 255, 200 / 255] as const;
const TILE = 512;

const VS = `#version 300 es
layout(location = 0) in vec2 aCorner;
layout(location = 1) in vec2 aPos;
layout(location = 2) in vec4 aColor;
uniform vec2 uCenter;
uniform float uScale;
uniform vec2 uHalf;
uniform float uOuter;
out vec2 vPx;
out vec4 vColor;
void main() {
  vColor = aColor;
  vPx = aCorner * uOuter;
  // A slot without a worker (alpha 0) is moved outside the clip volume: no fragments at all.
  if (aColor.a == 0.0) { gl_Position = vec4(2.0, 2.0, 2.0, 1.0); return; }
  vec2 p = (aPos - uCenter) * uScale + vPx;
  gl_Position = vec4(p.x / uHalf.x, -p.y / uHalf.y, 0.0, 1.0);
}`;

const FS = `#version 300 es
precision mediump float;
in vec2 vPx;
in vec4 vColor;
uniform float uRadius;
uniform float uLine;
uniform vec4 uLineColor;
out vec4 outColor;
void main() {
  float d = length(vPx);
  float cover = 1.0 - smoothstep(uRadius - 0.5, uRadius + 0.5, d);
  if (cover <= 0.0) discard;
  float inner = 1.0 - smoothstep(uRadius - uLine - 0.5, uRadius - uLine + 0.5, d);
  // Premultiplied alpha; a dimmed (stale) worker's outline dims with it.
  vec4 fill = vec4(vColor.rgb * vColor.a, vColor.a);
  float la = uLineColor.a * vColor.a;
  vec4 line = vec4(uLineColor.rgb * la, la);
  outColor = mix(line, fill, inner) * cover;
}`;

/** World x of a longitude at zoom 0, in MapLibre's 512 px tiles. */
export function mercatorX(lng: number): number {
  return ((lng + 180) / 360) * TILE;
}

/** World y of a latitude at zoom 0 (Web Mercator, y down). */
export function mercatorY(lat: number): number {
  return ((180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / 360) * TILE;
}

interface Gl {
  gl: WebGL2RenderingContext;
  program: WebGLProgram;
  vao: WebGLVertexArrayObject;
  positions: WebGLBuffer;
  colors: WebGLBuffer;
  u: Record<
    'uCenter' | 'uScale' | 'uHalf' | 'uOuter' | 'uRadius' | 'uLine' | 'uLineColor',
    WebGLUniformLocation | null
  >;
}

/**
 * Workers on an OffscreenCanvas. `update` takes the worker thread's arrays (lng/lat offsets from
 * an origin, RGBA per slot) and `setCamera` the map's camera; a frame is drawn at the worker's
 * next animation frame, at most one per frame, and only when something changed — an idle wall
 * draws nothing. The GPU context can be lost (driver reset, a wall running for weeks): the
 * renderer rebuilds everything when it is restored and draws the last state again.
 */
export class WorkersRenderer {
  private g: Gl | null = null;
  private camera: WallCamera | null = null;
  /** Web Mercator offsets (zoom-0 px) of each slot from the origin's world point. */
  private world = new Float32Array(0);
  private colors = new Uint8Array(0);
  private count = 0;
  private origin: [number, number] = [0, 0];
  private capacity = 0;
  private uploadedColors = -1;
  private colorsVersion = -1;
  private positionsDirty = false;
  private scheduled = false;
  private lost = false;
  /** Frames drawn; `onDrawn` runs after each. */
  frames = 0;
  onDrawn: (() => void) | null = null;

  constructor(private readonly canvas: OffscreenCanvas) {
    canvas.addEventListener('webglcontextlost', (e) => {
      e.preventDefault(); // ask for a restore
      this.lost = true;
      this.g = null;
    });
    canvas.addEventListener('webglcontextrestored', () => {
      this.lost = false;
      this.capacity = 0;
      this.uploadedColors = -1;
      this.positionsDirty = true;
      this.schedule();
    });
  }

  /** Whether WebGL2 works here (else the wall draws workers on the main thread). */
  init(): boolean {
    this.g = this.setup();
    return this.g !== null;
  }

  setCamera(camera: WallCamera): void {
    const c = this.camera;
    if (
      c &&
      c.lng === camera.lng &&
      c.lat === camera.lat &&
      c.zoom === camera.zoom &&
      c.width === camera.width &&
      c.height === camera.height &&
      c.dpr === camera.dpr &&
      c.dotScale === camera.dotScale
    )
      return;
    this.camera = camera;
    this.schedule();
  }

  update(
    count: number,
    positions: Float32Array,
    origin: [number, number],
    colors: Uint8Array,
    colorsVersion: number,
  ): void {
    if (this.world.length < count * 2) this.world = new Float32Array(Math.ceil(count * 1.25) * 2);
    // Offsets in Web Mercator from the origin's world point, computed in doubles: float32 then
    // holds sub-pixel precision at any street zoom.
    const ox = mercatorX(origin[0]);
    const oy = mercatorY(origin[1]);
    const world = this.world;
    for (let i = 0; i < count; i++) {
      world[2 * i] = mercatorX(origin[0] + positions[2 * i]!) - ox;
      world[2 * i + 1] = mercatorY(origin[1] + positions[2 * i + 1]!) - oy;
    }
    if (colorsVersion !== this.uploadedColors || count !== this.count) {
      if (this.colors.length < count * 4) this.colors = new Uint8Array(world.length * 2);
      this.colors.set(colors.subarray(0, count * 4));
      this.uploadedColors = -1;
    }
    this.colorsVersion = colorsVersion;
    this.count = count;
    this.origin = origin;
    this.positionsDirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const raf = (self as unknown as { requestAnimationFrame?: (cb: () => void) => number })
      .requestAnimationFrame;
    if (raf) raf.call(self, this.frame);
    else setTimeout(this.frame, 16);
  }

  private readonly frame = () => {
    this.scheduled = false;
    if (this.lost) return;
    if (!this.g) this.g = this.setup();
    if (!this.g || !this.camera) return;
    this.draw(this.g, this.camera);
    this.frames++;
    this.onDrawn?.();
  };

  private draw(g: Gl, cam: WallCamera): void {
    const { gl } = g;
    const w = Math.max(1, Math.round(cam.width * cam.dpr));
    const h = Math.max(1, Math.round(cam.height * cam.dpr));
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    if (this.count > this.capacity) {
      this.capacity = Math.max(1024, Math.ceil(this.count * 1.25));
      gl.bindBuffer(gl.ARRAY_BUFFER, g.positions);
      gl.bufferData(gl.ARRAY_BUFFER, this.capacity * 8, gl.DYNAMIC_DRAW);
      gl.bindBuffer(gl.ARRAY_BUFFER, g.colors);
      gl.bufferData(gl.ARRAY_BUFFER, this.capacity * 4, gl.DYNAMIC_DRAW);
      this.positionsDirty = true;
      this.uploadedColors = -1;
    }
    if (this.positionsDirty) {
      gl.bindBuffer(gl.ARRAY_BUFFER, g.positions);
      gl.bufferSubData(gl.ARRAY_BUFFER, 0, this.world, 0, this.count * 2);
      this.positionsDirty = false;
    }
    if (this.uploadedColors !== this.colorsVersion) {
      gl.bindBuffer(gl.ARRAY_BUFFER, g.colors);
      gl.bufferSubData(gl.ARRAY_BUFFER, 0, this.colors, 0, this.count * 4);
      this.uploadedColors = this.colorsVersion;
    }
    gl.viewport(0, 0, w, h);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (this.count === 0) return;
    const scale = 2 ** cam.zoom * cam.dpr;
    const radius = RADIUS_PX * cam.dotScale * cam.dpr + (LINE_PX * cam.dpr) / 2;
    gl.useProgram(g.program);
    // The camera centre as an offset from the origin, in doubles before it becomes a float32.
    gl.uniform2f(
      g.u.uCenter,
      mercatorX(cam.lng) - mercatorX(this.origin[0]),
      mercatorY(cam.lat) - mercatorY(this.origin[1]),
    );
    gl.uniform1f(g.u.uScale, scale);
    gl.uniform2f(g.u.uHalf, w / 2, h / 2);
    gl.uniform1f(g.u.uOuter, radius + 1);
    gl.uniform1f(g.u.uRadius, radius);
    gl.uniform1f(g.u.uLine, LINE_PX * cam.dpr);
    gl.uniform4f(g.u.uLineColor, ...LINE_RGBA);
    gl.bindVertexArray(g.vao);
    gl.drawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, this.count);
    gl.bindVertexArray(null);
  }

  private setup(): Gl | null {
    const gl = this.canvas.getContext('webgl2', {
      alpha: true,
      premultipliedAlpha: true,
      antialias: false,
      depth: false,
      stencil: false,
      preserveDrawingBuffer: false,
    });
    if (!gl || gl.isContextLost()) return null;
    const program = link(gl, VS, FS);
    if (!program) return null;
    const vao = gl.createVertexArray()!;
    gl.bindVertexArray(vao);
    // Locations as the shaders' `layout(location = …)`: no synchronous attribute queries.
    const attribute = (
      location: number,
      size: number,
      type: number,
      normalized: boolean,
      perInstance: boolean,
    ) => {
      const buffer = gl.createBuffer()!;
      gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
      gl.enableVertexAttribArray(location);
      gl.vertexAttribPointer(location, size, type, normalized, 0, 0);
      if (perInstance) gl.vertexAttribDivisor(location, 1);
      return buffer;
    };
    attribute(0, 2, gl.FLOAT, false, false);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    const positions = attribute(1, 2, gl.FLOAT, false, true);
    const colors = attribute(2, 4, gl.UNSIGNED_BYTE, true, true);
    gl.bindVertexArray(null);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    const names = ['uCenter', 'uScale', 'uHalf', 'uOuter', 'uRadius', 'uLine', 'uLineColor'] as const;
    const u = Object.fromEntries(names.map((n) => [n, gl.getUniformLocation(program, n)])) as Gl['u'];
    this.capacity = 0;
    return { gl, program, vao, positions, colors, u };
  }
}

function link(gl: WebGL2RenderingContext, vs: string, fs: string): WebGLProgram | null {
  const program = gl.createProgram();
  for (const [type, src] of [
    [gl.VERTEX_SHADER, vs],
    [gl.FRAGMENT_SHADER, fs],
  ] as const) {
    const s = gl.createShader(type)!;
    gl.shaderSource(s, src);
    gl.compileShader(s);
    gl.attachShader(program, s);
  }
  gl.linkProgram(program);
  // A failed link leaves the wall on the main-thread path (`init()` is false).
  return gl.getProgramParameter(program, gl.LINK_STATUS) ? program : null;
}

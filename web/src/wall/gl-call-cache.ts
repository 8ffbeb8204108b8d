/**
 * luma.gl 9.4 asks WebGL for the index of every uniform block on every draw
 * (`WEBGLRenderPipeline._applyBindings`). In Chromium that is a synchronous round trip to the
 * GPU process, which under software rendering waits for the frame before: about 1 ms of the
 * wall's main thread per drawn frame. A linked program's block indices never change, so this
 * context answers them from a per-program cache (failures are not cached: asked again later).
 */
export function cacheUniformBlockIndices(gl: WebGL2RenderingContext): void {
  const ask = gl.getUniformBlockIndex.bind(gl);
  const known = new WeakMap<WebGLProgram, Map<string, number>>();
  gl.getUniformBlockIndex = (program: WebGLProgram, name: string): number => {
    let blocks = known.get(program);
    const cached = blocks?.get(name);
    if (cached !== undefined) return cached;
    const index = ask(program, name);
    if (index !== gl.INVALID_INDEX) {
      if (!blocks) known.set(program, (blocks = new Map()));
      blocks.set(name, index);
    }
    return index;
  };
}

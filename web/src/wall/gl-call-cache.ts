/**
 * luma.gl 9.4 asks WebGL, on every draw (`WEBGLRenderPipeline._applyBindings`), for the index
 * of each uniform block and then sets that block's binding point again. In Chromium both are
 * synchronous round trips to the GPU process — `getUniformBlockIndex` directly, and
 * `uniformBlockBinding` through its validation (`GetProgramiv(ACTIVE_UNIFORM_BLOCKS)`) — which
 * under software rendering wait for the frame before to finish: measured 1–2 ms of the wall's
 * main thread per drawn frame, single calls up to 20 ms. A linked program's block indices never
 * change and its block bindings change only by `uniformBlockBinding` (a relink resets them), so
 * this context answers the indices from a per-program cache and drops bindings that are already
 * set. Failures are not cached: asked again later.
 */
export function installGlCallCache(gl: WebGL2RenderingContext): void {
  const askIndex = gl.getUniformBlockIndex.bind(gl);
  const setBinding = gl.uniformBlockBinding.bind(gl);
  const link = gl.linkProgram.bind(gl);
  const indices = new WeakMap<WebGLProgram, Map<string, number>>();
  const bindings = new WeakMap<WebGLProgram, Map<number, number>>();

  gl.getUniformBlockIndex = (program: WebGLProgram, name: string): number => {
    let blocks = indices.get(program);
    const cached = blocks?.get(name);
    if (cached !== undefined) return cached;
    const index = askIndex(program, name);
    if (index !== gl.INVALID_INDEX) {
      if (!blocks) indices.set(program, (blocks = new Map()));
      blocks.set(name, index);
    }
    return index;
  };

  gl.uniformBlockBinding = (program: WebGLProgram, blockIndex: number, binding: number): void => {
    let set = bindings.get(program);
    if (set?.get(blockIndex) === binding) return;
    setBinding(program, blockIndex, binding);
    // luma.gl binds only indices it has just been given by getUniformBlockIndex, i.e. valid ones.
    if (!set) bindings.set(program, (set = new Map()));
    set.set(blockIndex, binding);
  };

  gl.linkProgram = (program: WebGLProgram): void => {
    indices.delete(program);
    bindings.delete(program);
    link(program);
  };
}

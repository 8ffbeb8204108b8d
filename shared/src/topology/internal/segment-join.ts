// Every pair of segments of a layer whose boxes meet, found with a uniform bucket grid rather than
// one tree search per segment: a city's segments are short and evenly spread, so a cell of about
// two segment lengths holds a handful and each pair is looked at in one cell only. This is the
// full check's hot loop (≈150,000 segments on the stress city); Flatbush per segment spent most of
// its time walking the tree from the root 150,000 times.

/** Segments as flat arrays of integer coordinates (quantised): segment k runs (x0[k], y0[k]) → (x1[k], y1[k]). */
export interface SegmentSet {
  count: number;
  x0: Float64Array;
  y0: Float64Array;
  x1: Float64Array;
  y1: Float64Array;
}

/** At most this many cells (a few per segment): a layer with a few very long segments cannot ask for a huge grid. */
const CELLS_PER_SEGMENT = 2;

/**
 * Calls `visit(i, j)` (i < j) once for every pair of segments whose bounding boxes meet (touching
 * counts). `visit` decides what a meeting is; the join only narrows the pairs.
 */
export function joinSegments(s: SegmentSet, visit: (i: number, j: number) => void): void {
  const n = s.count;
  if (n < 2) return;
  const { x0, y0, x1, y1 } = s;
  const minX = new Float64Array(n);
  const minY = new Float64Array(n);
  const maxX = new Float64Array(n);
  const maxY = new Float64Array(n);
  let bx0 = Infinity;
  let by0 = Infinity;
  let bx1 = -Infinity;
  let by1 = -Infinity;
  let length = 0;
  for (let k = 0; k < n; k++) {
    const ax = x0[k]!;
    const ay = y0[k]!;
    const bx = x1[k]!;
    const by = y1[k]!;
    minX[k] = ax < bx ? ax : bx;
    maxX[k] = ax < bx ? bx : ax;
    minY[k] = ay < by ? ay : by;
    maxY[k] = ay < by ? by : ay;
    if (minX[k]! < bx0) bx0 = minX[k]!;
    if (minY[k]! < by0) by0 = minY[k]!;
    if (maxX[k]! > bx1) bx1 = maxX[k]!;
    if (maxY[k]! > by1) by1 = maxY[k]!;
    length += maxX[k]! - minX[k]! + (maxY[k]! - minY[k]!);
  }
  const spanX = bx1 - bx0;
  const spanY = by1 - by0;
  // About two mean segment extents a cell, but never more cells than CELLS_PER_SEGMENT · n.
  let cell = Math.max(1, (2 * length) / n);
  const cap = CELLS_PER_SEGMENT * n;
  while ((Math.floor(spanX / cell) + 1) * (Math.floor(spanY / cell) + 1) > cap) cell *= 1.5;
  // Constants for the closures below (a captured `let` is read through its context on every call).
  const left = bx0;
  const bottom = by0;
  const perCell = 1 / cell;
  const colOf = (x: number) => ((x - left) * perCell) | 0;
  const rowOf = (y: number) => ((y - bottom) * perCell) | 0;
  const cols = colOf(bx1) + 1;
  const rows = rowOf(by1) + 1;

  // Bucket the segments by every cell their box covers (counted, then filled: one array in all).
  const start = new Int32Array(cols * rows + 1);
  for (let k = 0; k < n; k++) {
    const c1 = colOf(maxX[k]!);
    const r1 = rowOf(maxY[k]!);
    for (let r = rowOf(minY[k]!); r <= r1; r++)
      for (let c = colOf(minX[k]!); c <= c1; c++) start[r * cols + c + 1]!++;
  }
  for (let c = 1; c < start.length; c++) start[c]! += start[c - 1]!;
  const fill = start.slice(0, cols * rows);
  const items = new Int32Array(start[cols * rows]!);
  // Filled in order of minX, so each cell's list is sorted by it and the pairs of a cell are swept
  // (a dense city centre puts dozens of segments in a cell). The order is a numeric sort of keys
  // minX·n + k: exact below 2^53 for any span of degrees and n up to millions.
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = (minX[k]! - left) * n + k;
  keys.sort();
  for (let o = 0; o < n; o++) {
    const k = keys[o]! % n;
    const c1 = colOf(maxX[k]!);
    const r1 = rowOf(maxY[k]!);
    for (let r = rowOf(minY[k]!); r <= r1; r++)
      for (let c = colOf(minX[k]!); c <= c1; c++) items[fill[r * cols + c]!++] = k;
  }

  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const from = start[r * cols + c]!;
      const to = start[r * cols + c + 1]!;
      for (let p = from; p < to; p++) {
        const i = items[p]!;
        const right = maxX[i]!;
        for (let q = p + 1; q < to; q++) {
          const j = items[q]!;
          // Sorted by minX: past the right of i, no later segment of the cell can meet it.
          if (minX[j]! > right) break;
          if (minY[j]! > maxY[i]! || minY[i]! > maxY[j]!) continue;
          // A pair sharing several cells is visited in the one holding the low corner of their overlap.
          // (minX[j] ≥ minX[i] by the order.)
          if (colOf(minX[j]!) !== c || rowOf(minY[i]! > minY[j]! ? minY[i]! : minY[j]!) !== r) continue;
          if (i < j) visit(i, j);
          else visit(j, i);
        }
      }
    }
}

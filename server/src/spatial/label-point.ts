/** A label point for a unit or grid: the vertex average of its largest polygon's outer ring (a concave shape's may fall outside it). */
export function labelPoint(mp: number[][][][]): [number, number] {
  let best: number[][] = [];
  for (const poly of mp) if ((poly[0]?.length ?? 0) > best.length) best = poly[0]!;
  let x = 0;
  let y = 0;
  for (const p of best) {
    x += p[0]!;
    y += p[1]!;
  }
  return best.length ? [x / best.length, y / best.length] : [0, 0];
}

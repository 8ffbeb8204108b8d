// Problem labels that would overlap on screen give way, the way map labels do: taken in the
// order given (broken geometry before band breaches, worst first), a label is drawn only where it
// does not cover one already placed; every problem keeps its dot. (deck.gl's
// CollisionFilterExtension hid every label here, so the placement is done on the CPU: a few
// hundred boxes at most, once per zoom level.)

export interface LabelBox {
  /** Screen pixels of the anchor (the label starts `offset` px to its right, centred on it). */
  x: number;
  y: number;
  /** Width of the label in pixels. */
  width: number;
}

/** Which labels to draw: greedy, in order; `height` and `offset` in pixels, `gap` kept between boxes. */
export function placeLabels(boxes: readonly LabelBox[], height: number, offset: number, gap = 2): boolean[] {
  const kept: [number, number, number, number][] = [];
  return boxes.map((b) => {
    const box: [number, number, number, number] = [
      b.x + offset - gap,
      b.y - height / 2 - gap,
      b.x + offset + b.width + gap,
      b.y + height / 2 + gap,
    ];
    const clash = kept.some((k) => box[0] < k[2] && box[2] > k[0] && box[1] < k[3] && box[3] > k[1]);
    if (!clash) kept.push(box);
    return !clash;
  });
}

/** Rough width of a label at a font size: CJK characters are square, Latin ones about half. */
export function labelWidth(text: string, size: number, padding: number): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) > 0x2e7f ? size : size * 0.58;
  return w + 2 * padding;
}

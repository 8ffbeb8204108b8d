import { PNG } from 'pngjs';

/** A small grey PNG: photo evidence for upload tests (the server checks the type by its magic bytes). */
export function png(width = 4, height = 4): Buffer {
  const p = new PNG({ width, height });
  p.data.fill(0x80);
  return PNG.sync.write(p);
}

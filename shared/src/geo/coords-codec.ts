// Compact wire form of polygon coordinates for the grid layer: integers at 1e-6 degrees
// (≈0.1 m), first vertex absolute, then deltas — 5,000 grids load as a few hundred kB.

const SCALE = 1e6;

/** Encodes a ring [[lng, lat], …] as [x0, y0, dx1, dy1, …] integers at 1e-6 degrees. */
export function encodeRing(ring: readonly (readonly number[])[]): number[] {
  const out = new Array<number>(ring.length * 2);
  let px = 0;
  let py = 0;
  ring.forEach((p, i) => {
    const x = Math.round(p[0]! * SCALE);
    const y = Math.round(p[1]! * SCALE);
    out[2 * i] = x - px;
    out[2 * i + 1] = y - py;
    px = x;
    py = y;
  });
  return out;
}

/** Decodes `encodeRing` output back to [[lng, lat], …]. */
export function decodeRing(encoded: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  let x = 0;
  let y = 0;
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    x += encoded[i]!;
    y += encoded[i + 1]!;
    out.push([x / SCALE, y / SCALE]);
  }
  return out;
}

/** Encodes multipolygon coordinates ring by ring. */
export function encodeMultiPolygon(
  mp: readonly (readonly (readonly (readonly number[])[])[])[],
): number[][][] {
  return mp.map((poly) => poly.map(encodeRing));
}

/** Decodes `encodeMultiPolygon` output. */
export function decodeMultiPolygon(
  encoded: readonly (readonly (readonly number[])[])[],
): [number, number][][][] {
  return encoded.map((poly) => poly.map(decodeRing));
}

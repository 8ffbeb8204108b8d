// How many grids each community gets. A village (村) is one to three rural grids; the urban
// communities (社区) share the rest in proportion to their (random) size, at 300–500 households
// a grid. The total is exact.

import type { Rng } from '../random.ts';

/** Grids per community, in the order given; sums to `total`. */
export function allocateGrids(communities: readonly { urban: boolean }[], total: number, rng: Rng): number[] {
  const n = communities.length;
  if (total < n) throw new RangeError(`${total} grids cannot cover ${n} communities (each needs one)`);
  const urban = communities.map((c, i) => (c.urban ? i : -1)).filter((i) => i >= 0);
  const rural = communities.map((c, i) => (c.urban ? -1 : i)).filter((i) => i >= 0);
  const out = new Array<number>(n).fill(1);
  for (const i of rural) {
    const r = rng.next();
    out[i] = r < 0.3 ? 1 : r < 0.75 ? 2 : 3;
  }
  let ruralSum = rural.reduce((a, i) => a + out[i]!, 0);
  // Urban communities want at least two grids each; villages give way first.
  const urbanMin = urban.length * Math.min(2, Math.floor((total - rural.length) / Math.max(1, urban.length)));
  const shrinkable = rural.slice();
  rng.shuffle(shrinkable);
  while (ruralSum > total - urbanMin) {
    const i = shrinkable.find((j) => out[j]! > 1);
    if (i === undefined) break;
    out[i]! -= 1;
    ruralSum--;
  }
  if (urban.length === 0) {
    // No urban community: the villages take every grid.
    let extra = total - ruralSum;
    for (let k = 0; extra > 0; k++, extra--) out[rural[k % rural.length]!]! += 1;
    while (extra < 0) {
      const i = shrinkable.find((j) => out[j]! > 1);
      if (i === undefined) break;
      out[i]! -= 1;
      extra++;
    }
    return out;
  }
  const urbanTotal = total - ruralSum;
  const floor = Math.min(2, Math.floor(urbanTotal / urban.length));
  const weights = urban.map(() => Math.exp(0.35 * rng.normal()));
  const wsum = weights.reduce((a, b) => a + b, 0);
  const spare = urbanTotal - floor * urban.length;
  const shares = weights.map((w) => (spare * w) / wsum);
  const base = shares.map((s) => Math.floor(s));
  let left = spare - base.reduce((a, b) => a + b, 0);
  // Largest remainder, ties broken by position so the result is deterministic.
  const order = shares
    .map((s, k) => [s - Math.floor(s), k] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of order) {
    if (left <= 0) break;
    base[k]! += 1;
    left--;
  }
  urban.forEach((i, k) => {
    out[i] = floor + base[k]!;
  });
  return out;
}

/** One benchmark result line (DESIGN.md §4). `ratio` is how many times better than the baseline. */
export function report(line: {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  [k: string]: unknown;
}): void {
  const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Number(n.toPrecision(4)));
  const out: Record<string, unknown> = { ...line, value: round(line.value) };
  if (line.baseline !== undefined) out.baseline = round(line.baseline);
  if (line.ratio !== undefined) out.ratio = round(line.ratio);
  console.log(JSON.stringify(out));
}

/**
 * The p-th percentile (0 < p ≤ 100) of samples by nearest rank: the smallest sample with at least
 * p % of the samples at or below it — p 50 of an even count is the lower middle one, p 100 the
 * largest; NaN for no samples. One definition for every benchmark, so that their figures compare.
 */
export function pct(xs: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  // p · n before dividing: (95 / 100) · 100 is 95.00000000000001 in floating point.
  return s[Math.max(0, Math.ceil((p * s.length) / 100) - 1)]!;
}

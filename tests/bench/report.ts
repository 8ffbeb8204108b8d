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

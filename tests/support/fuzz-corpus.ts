// A deterministic corpus of malformed inputs (seeded: the same seed gives the same corpus, and a
// failing case is named so it can be replayed). Each generator takes a valid base input and breaks
// it in one or more ways that no schema of ours may accept: a field replaced by a value of the
// wrong type or out of its range, a required field dropped, text with a NUL or a lone surrogate,
// the whole body replaced by something else, nesting or size beyond reason. What the server must
// answer is the test's business (tests/integration/fuzz.test.ts); this file only makes inputs.

/** mulberry32: small, fast, and the same on every machine. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

/** Nested arrays `depth` deep: a parser or a validator that recurses without a bound falls over. */
export function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Nested objects `depth` deep. */
export function deepObject(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Text no field of ours may store. */
export const BAD_TEXT = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud83d'] as const;

/** Values of the wrong kind for any field that wants a number. */
export const NOT_A_NUMBER: readonly unknown[] = [
  null,
  '1',
  '',
  'NaN',
  '１２０',
  true,
  false,
  [],
  [1],
  {},
  { valueOf: 1 },
  '0x10',
  '1e3',
  BAD_TEXT[0],
];

/** Values of the wrong kind for any field that wants text. */
export const NOT_TEXT: readonly unknown[] = [
  null,
  1,
  -1,
  true,
  [],
  ['x'],
  {},
  { toString: 'x' },
  ...BAD_TEXT,
];

/** Whole bodies of the wrong kind for an endpoint that wants an object or an array. */
export const NOT_A_BODY: readonly unknown[] = [
  null,
  0,
  -1,
  1e308,
  'x',
  '',
  true,
  BAD_TEXT[1],
  deepArray(2000),
  deepObject(2000),
];

/** An id out of every range: negative, zero, fraction, past 2^31, past 2^53. */
export const BAD_IDS: readonly unknown[] = [
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53,
  1e21,
  -(2 ** 63),
  '1',
  null,
  [],
  {},
];

/** One broken copy of `base` per (field, bad value) the rng picks; `extra` cases add a bad key or drop a field. */
export function mutations(
  rng: Rng,
  base: Record<string, unknown>,
  bad: Record<string, readonly unknown[]>,
  count: number,
  opts: { required?: readonly string[]; strict?: boolean; badText?: readonly string[] } = {},
): { label: string; value: Record<string, unknown> }[] {
  const out: { label: string; value: Record<string, unknown> }[] = [];
  const fields = Object.keys(bad);
  for (let i = 0; i < count; i++) {
    const r = rng();
    if (opts.required?.length && r < 0.1) {
      const f = pick(rng, opts.required);
      const { [f]: _dropped, ...rest } = base;
      out.push({ label: `without ${f}`, value: rest });
      continue;
    }
    if (r < 0.2) {
      // An unknown key: refused by a strict schema, and its text refused everywhere.
      const key = opts.strict
        ? pick(rng, ['zz', '__proto__x', 'constructor2'])
        : `k${pick(rng, opts.badText ?? BAD_TEXT)}`;
      const value = opts.strict ? pick(rng, [1, 'x', null, {}]) : 1;
      out.push({ label: `extra key ${JSON.stringify(key)}`, value: { ...base, [key]: value } });
      continue;
    }
    // One or two fields broken at once.
    const n = r < 0.85 ? 1 : 2;
    const value = { ...base };
    const labels: string[] = [];
    for (let k = 0; k < n; k++) {
      const f = pick(rng, fields);
      const v = pick(rng, bad[f]!);
      value[f] = v;
      labels.push(`${f}=${short(v)}`);
    }
    out.push({ label: labels.join(', '), value });
  }
  return out;
}

/** A short printable form of a value for a case's name. */
export function short(v: unknown): string {
  if (v === undefined) return 'undefined';
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  // A case's name shows NULs, control characters and lone surrogates as escapes.
  s = [...s]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 || (code >= 0xd800 && code <= 0xdfff)
        ? `\\u${code.toString(16).padStart(4, '0')}`
        : c;
    })
    .join('');
  return s.length > 40 ? `${s.slice(0, 37)}…(${s.length})` : s;
}

/** Bytes that are neither a JPEG nor a PNG (their first bytes are checked). */
export function notAnImage(rng: Rng, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = Math.floor(rng() * 256);
  if (size > 0 && (b[0] === 0xff || b[0] === 0x89)) b[0] = 0x47; // 'G'
  return b;
}

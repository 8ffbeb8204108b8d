// Text from outside may not carry a NUL or a lone UTF-16 surrogate: PostgreSQL refuses both in
// text and jsonb (the write fails after the action, or a half-written row remains), and neither
// is anything a person typed. Every entry point refuses them with a typed 400 before parsing.

/** The first NUL or unpaired surrogate in a string, or -1. */
export function badCharAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/** The path of the first string (value or key) in a parsed JSON value that carries a bad character, or null. */
export function findBadText(value: unknown, path: string = ''): string | null {
  if (typeof value === 'string') return badCharAt(value) >= 0 ? path || 'input' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findBadText(value[i], `${path}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (badCharAt(k) >= 0) return here;
      const p = findBadText(v, here);
      if (p) return p;
    }
  }
  return null;
}

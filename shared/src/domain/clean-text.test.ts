import { describe, expect, it } from 'vitest';
import { badCharAt, findBadText } from './clean-text.ts';

describe('text from outside', () => {
  it('finds NULs and lone surrogates, and lets every real character through', () => {
    expect(badCharAt('a\u0000b')).toBe(1);
    expect(badCharAt('\ud800')).toBe(0);
    expect(badCharAt('x\udc00')).toBe(1);
    expect(badCharAt('井盖缺失 🚧 emoji, tab\tnew\nline')).toBe(-1);
  });

  it('names where in a nested input, keys included', () => {
    expect(findBadText({ a: [1, { b: 'ok', c: 'x\u0000' }] })).toBe('a[1].c');
    expect(findBadText({ 'z\ud800': 1 })).toBe('z\ud800');
    expect(findBadText('\u0000')).toBe('input');
    expect(findBadText({ a: ['全部正常', 3, null, true] })).toBeNull();
  });
});

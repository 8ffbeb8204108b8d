import { describe, expect, it } from 'vitest';
import { storableInput } from './audit-log.ts';

describe('storableInput', () => {
  it('replaces what jsonb refuses (NUL, lone surrogates), in keys and values, and keeps the rest', () => {
    expect(storableInput({ name: 'a\u0000b', ['k\u0000']: ['\uD800', '😀'] })).toEqual({
      name: 'a\uFFFDb',
      ['k\uFFFD']: ['\uFFFD', '😀'],
    });
    // A backslash followed by the text "u0000" is no NUL.
    expect(storableInput({ s: '\\u0000', t: '\\\u0000' })).toEqual({ s: '\\u0000', t: '\\\uFFFD' });
    const plain = { a: [1, 'x'] };
    expect(storableInput(plain)).toBe(plain);
    expect(storableInput(undefined)).toBeNull();
  });
});

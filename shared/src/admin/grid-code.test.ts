import { describe, expect, it } from 'vitest';
import { communityCodeOf, formatGridCode, GridCodeSchema, parseGridCode, streetCodeOf } from './grid-code.ts';

describe('GB/T 30428 grid code', () => {
  it('formats and parses back', () => {
    const code = formatGridCode({ region: '330802', street: '005', community: '001', serial: 7 });
    expect(code).toBe('330802005001007');
    expect(parseGridCode(code)).toEqual({
      valid: true,
      region: '330802',
      street: '005',
      community: '001',
      serial: 7,
    });
    expect(communityCodeOf(code)).toBe('330802005001');
    expect(streetCodeOf(code)).toBe('330802005');
  });
  it('explains what is wrong with a bad code', () => {
    expect(parseGridCode('33080200500100')).toMatchObject({ valid: false, reason: 'not-15-digits' });
    expect(parseGridCode('33080200500100a')).toMatchObject({ valid: false, reason: 'not-15-digits' });
    expect(parseGridCode('330802005001000')).toMatchObject({ valid: false, reason: 'zero-serial' });
    expect(GridCodeSchema.safeParse('330802005001000').success).toBe(false);
  });
  it('refuses parts out of range', () => {
    expect(() => formatGridCode({ region: '3308', street: '005', community: '001', serial: 1 })).toThrow(
      RangeError,
    );
    expect(() => formatGridCode({ region: '330802', street: '005', community: '001', serial: 1000 })).toThrow(
      RangeError,
    );
  });
});

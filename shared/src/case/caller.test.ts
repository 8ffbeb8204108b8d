import { describe, expect, it } from 'vitest';
import { callerOf, checkPhone, maskName, maskPhone } from './caller.ts';
import { CaseReportInputSchema } from '../domain/schemas.ts';

describe('caller phone', () => {
  it('reads mobiles as caller ID and people write them', () => {
    for (const raw of [
      '13812345678',
      '138 1234 5678',
      '138-1234-5678',
      '+86 138 1234 5678',
      '008613812345678',
      '8613812345678',
    ])
      expect(checkPhone(raw)).toEqual({ valid: true, phone: '13812345678', kind: 'mobile' });
  });

  it('reads landlines with their area code, and an extension', () => {
    expect(checkPhone('0570-8881234')).toMatchObject({ valid: true, phone: '0570-8881234' });
    expect(checkPhone('(0570) 888 1234')).toMatchObject({ valid: true, phone: '0570-8881234' });
    expect(checkPhone('05708881234')).toMatchObject({ valid: true, phone: '0570-8881234' });
    expect(checkPhone('010-62345678')).toMatchObject({ valid: true, phone: '010-62345678' });
    expect(checkPhone('02162345678')).toMatchObject({ valid: true, phone: '021-62345678' });
    expect(checkPhone('0570-8881234-801')).toMatchObject({ valid: true, phone: '0570-8881234-801' });
    expect(checkPhone('0570 8881234 转 801')).toMatchObject({ valid: true, phone: '0570-8881234-801' });
  });

  it('refuses what is not a Chinese mobile or landline, saying which', () => {
    expect(checkPhone('1381234567')).toEqual({ valid: false, reason: 'bad-mobile' }); // 10 digits
    expect(checkPhone('12812345678')).toEqual({ valid: false, reason: 'bad-mobile' }); // no 12x block
    expect(checkPhone('8881234')).toEqual({ valid: false, reason: 'bad-landline' }); // no area code
    expect(checkPhone('0570-0881234')).toEqual({ valid: false, reason: 'bad-landline' });
    expect(checkPhone('057-8881234')).toEqual({ valid: false, reason: 'bad-landline' }); // area code cut short
    expect(checkPhone('abc')).toEqual({ valid: false, reason: 'not-a-phone' });
    expect(checkPhone('138\u00001234')).toEqual({ valid: false, reason: 'not-a-phone' });
    expect(checkPhone('+1 415 555 0100')).toEqual({ valid: false, reason: 'not-a-phone' });
    expect(checkPhone('1'.repeat(33))).toEqual({ valid: false, reason: 'too-long' });
  });

  it('masks a phone as screens that do not call back show it', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0570-8881234')).toBe('0570-***1234');
    expect(maskPhone('0570-8881234-801')).toBe('0570-***1234');
    expect(maskPhone('010-62345678')).toBe('010-****5678');
  });

  it('masks a name, keeping the family name and the last character', () => {
    expect(maskName('张')).toBe('*');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
  });

  it('shows a stored caller full or masked; the ticket always whole', () => {
    const row = { callerName: '李四', callerPhone: '13812345678', ticketNo: 'GD2026120500012' };
    expect(callerOf(row, 'masked')).toEqual({ name: '李*', phone: '138****5678', ticket: 'GD2026120500012' });
    expect(callerOf(row, 'full')).toEqual({ name: '李四', phone: '13812345678', ticket: 'GD2026120500012' });
    expect(callerOf({ callerName: null, callerPhone: null, ticketNo: null }, 'full')).toBeNull();
  });
});

describe('report input with a caller', () => {
  const base = {
    category: 'S0101',
    lng: 118.87,
    lat: 28.94,
    description: '井盖缺失',
    source: 'hotline' as const,
  };

  it('stores the phone in its one form and the ticket in capitals', () => {
    const r = CaseReportInputSchema.parse({
      ...base,
      caller: { name: ' 王先生 ', phone: '138 1234 5678', ticket: 'gd-20261205-0001' },
    });
    expect(r.caller).toEqual({ name: '王先生', phone: '13812345678', ticket: 'GD-20261205-0001' });
  });

  it('refuses a bad phone, an over-long name or ticket, and a ticket on a patrol report', () => {
    const bad = (caller: unknown, source = base.source as string) =>
      CaseReportInputSchema.safeParse({ ...base, source, caller }).error?.issues.map((i) => i.path.join('.'));
    // (A resident's report: a call to 12345 would also lack its ticket.)
    expect(bad({ phone: '12345' }, 'resident')).toEqual(['caller.phone']);
    expect(bad({ name: '名'.repeat(33) }, 'resident')).toEqual(['caller.name']);
    expect(bad({ name: 'a\u0007b' }, 'resident')).toEqual(['caller.name']);
    expect(bad({ ticket: 'X'.repeat(33) })).toEqual(['caller.ticket']);
    expect(bad({ ticket: '工单1' })).toEqual(['caller.ticket']);
    expect(bad({ ticket: 'GD1' }, 'patrol')).toEqual(['caller.ticket']);
    expect(bad({ nickname: 'x' }, 'resident')).toEqual(['caller']);
  });

  it("refuses a 12345 call taken at intake without its ticket; a resident's report needs none", () => {
    const issues = (caller: unknown, source: string) =>
      CaseReportInputSchema.safeParse({ ...base, source, caller }).error?.issues.map((i) => [
        i.path.join('.'),
        i.message,
      ]);
    expect(issues({ name: '王先生', phone: '13812345678' }, 'hotline')).toEqual([
      ['caller.ticket', 'a 12345 call taken at intake names its ticket'],
    ]);
    expect(issues({ name: '王先生', phone: '13812345678' }, 'resident')).toBeUndefined();
    expect(issues({ phone: '13812345678', ticket: 'GD20261205000123' }, 'hotline')).toBeUndefined();
  });
});

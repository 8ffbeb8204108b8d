import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './device-csv.ts';

describe('device identifier CSV', () => {
  it('opens in Excel as UTF-8 with one CRLF line per worker', () => {
    const csv = toCsv(['网格员', '设备标识'], [['王生平', 'gcc-abc']]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual(['网格员,设备标识', '王生平,gcc-abc', '']);
  });

  it('quotes separators and quotes, and never lets a name run as a formula', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('说"好"')).toBe('"说""好"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe(`"'-1"`);
    expect(csvCell(42)).toBe('42');
  });
});

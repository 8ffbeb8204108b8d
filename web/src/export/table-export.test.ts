import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { columnName, toCsv, toXlsx } from './table-export.ts';

const ROWS = [
  ['名称', '立案数', '结案率'],
  ['柯城区"府山"街道', 1234, 0.9372],
  ['=HYPERLINK("x")', 0, null],
];

describe('table export', () => {
  it('writes CSV that Excel reads as UTF-8: BOM, quoted text, bare numbers, CRLF', () => {
    const csv = toCsv(ROWS);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '"名称","立案数","结案率"',
      '"柯城区""府山""街道",1234,0.9372',
      // A cell that would run as a formula is kept as text.
      `"'=HYPERLINK(""x"")",0,`,
      '',
    ]);
  });

  it('writes an XLSX workbook: one sheet, Chinese intact, numbers as numbers, header frozen', () => {
    const files = unzipSync(toXlsx('考核指标/按街道', ROWS));
    expect(Object.keys(files).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    // A sheet name may not hold / (Excel refuses the file).
    expect(strFromU8(files['xl/workbook.xml']!)).toContain('name="考核指标 按街道"');
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(sheet).toContain(
      '<c r="A2" t="inlineStr"><is><t xml:space="preserve">柯城区&quot;府山&quot;街道</t></is></c>',
    );
    expect(sheet).toContain('<c r="B2"><v>1234</v></c>');
    expect(sheet).toContain('<c r="C2"><v>0.9372</v></c>');
    expect(sheet).toContain('state="frozen"');
    // The empty cell is left out; the header row is bold (style 1).
    expect(sheet).not.toContain('r="C3"');
    expect(sheet).toContain('<c r="A1" t="inlineStr" s="1">');
  });

  it('names columns as spreadsheets do', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

import { describe, expect, it } from 'vitest';
import { celluleXlsx, commeUneFormule, texteCsv, texteCsvSql } from './tableur.ts';

describe('formula injection', () => {
  it('prefixes with an apostrophe every text cell a spreadsheet would read as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(texteCsv(`${start}HYPERLINK("http://x")`)).toBe(`'${start}HYPERLINK("http://x")`);
    expect(texteCsv('=1+1')).toBe("'=1+1");
    expect(texteCsv('-12,5')).toBe("'-12,5");
  });

  it('leaves the other text as it is, a formula character inside a cell included', () => {
    for (const text of ['', 'Essonne Habitat', 'a=b', ' =1', "'=1", 'Q1 + Q2', '91228']) expect(texteCsv(text)).toBe(text);
    expect(commeUneFormule('x-1')).toBe(false);
  });

  it('keeps numbers as numbers in a workbook, negative ones included, and text as text', () => {
    expect(celluleXlsx(-3.5)).toBe(-3.5);
    expect(celluleXlsx(0)).toBe(0);
    expect(celluleXlsx(Number.NaN)).toBeNull();
    expect(celluleXlsx('=HYPERLINK("http://x")')).toBe('=HYPERLINK("http://x")');
    expect(celluleXlsx(true)).toBe('oui');
    expect(celluleXlsx(['a', 'b'])).toBe('a, b');
    expect(celluleXlsx(undefined)).toBeNull();
  });

  it('writes the same rule in SQL', () => {
    expect(texteCsvSql('nur')).toBe("CASE WHEN regexp_matches(nur, '^[=+\\-@\\t\\r]') THEN '''' || nur ELSE nur END");
  });
});

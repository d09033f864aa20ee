import { texteCsv, texteCsvSql } from '@mixite/core';
import { describe, expect, it } from 'vitest';
import { Store } from '../src/index.ts';

describe('formula-injection rule in SQL (CSV files DuckDB writes itself)', () => {
  it('agrees with the JavaScript rule on every start, NULL kept', async () => {
    const store = await Store.open(':memory:');
    try {
      const values = ['=HYPERLINK("http://x")', '-2', '+33', '@SUM(A1)', '\tx', '\ry', 'a=b', '091228', ' =1', "'=1", ''];
      const rows = await store.all<{ i: number; y: string | null }>(
        `SELECT i, ${texteCsvSql('x')} AS y FROM (VALUES ${values.map((v, i) => `(${i}, '${v.replaceAll("'", "''")}')`).join(', ')}, (${values.length}, NULL)) t(i, x) ORDER BY i`,
      );
      expect(rows.map((r) => r.y)).toEqual([...values.map(texteCsv), null]);
      expect(rows[0]?.y).toBe('\'=HYPERLINK("http://x")');
    } finally {
      store.close();
    }
  });
});

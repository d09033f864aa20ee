import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers.ts';
import { openTestApp } from './helpers.ts';

/** GET /api/bilan/{annee}/{format}: the bilan of the mini territory, read back with an independent reader (exceljs). */
describe('bilan annuel par l’API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(() => t.close());

  it('refuse une année ou un format invalides', async () => {
    expect((await t.request('/api/bilan/2024/odt')).status).toBe(400);
    expect((await t.request('/api/bilan/deux-mille/pdf')).status).toBe(400);
  });

  it('produit les trois fichiers ; le classeur porte l’indicateur hors QPV calculé à la main', async () => {
    const pdf = await t.request('/api/bilan/2024/pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toContain('bilan-2024.pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const docx = await t.request('/api/bilan/2024/docx');
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const xlsx = await t.request('/api/bilan/2024/xlsx');
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const values = wb.worksheets.flatMap((ws) => {
      const rows: string[] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String).join(';')));
      return rows;
    });
    // Mini territory, 2024: one lease outside QPV (A2, a relocated household) → 1 out of 1. With 1 household the
    // secrecy threshold (11) masks the counts in a published table, so the row is there with « s ».
    expect(values.some((line) => line.includes('hors_qpv_q1') && line.includes('territoire') && line.includes('2024'))).toBe(true);
  });
});
